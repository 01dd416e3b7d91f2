package dev.resumo.engine.cpu;

/**
 * The complementary error function in double, for the exact GELU (x·Φ(x), Φ(x) = erfc(-x/√2)/2),
 * which Java's Math lacks. Near zero a Taylor series (erf is then small and a formula for erfc
 * would lose it to cancellation); elsewhere the Chebyshev-fitted exponential of Numerical Recipes
 * (W. H. Press et al., §6.2, erfcc), fractional error below 1.2e-7: about one float32 ulp, and
 * relative, so Φ keeps its precision far into the tail where 1 + erf would round to 0.
 */
public final class Erf {
    private Erf() {}

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    public static double erfc(double z) {
        double a = Math.abs(z);
        if (a < 0.5) {
            // erf(z) = 2/√π (z - z³/3 + z⁵/10 - z⁷/42 + z⁹/216 - z¹¹/1320): next term < 1e-9 at |z| = 0.5
            double z2 = z * z;
            double erf = TWO_OVER_SQRT_PI * z
                    * (1 - z2 * (1.0 / 3 - z2 * (1.0 / 10 - z2 * (1.0 / 42 - z2 * (1.0 / 216 - z2 / 1320)))));
            return 1 - erf;
        }
        double t = 1 / (1 + 0.5 * a);
        double tail = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? tail : 2 - tail;
    }

    /** Φ(x), the standard normal distribution function. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * 0.7071067811865476);
    }

    /** φ(x), the standard normal density. */
    public static double normalPdf(double x) {
        return 0.3989422804014327 * Math.exp(-0.5 * x * x);
    }
}
