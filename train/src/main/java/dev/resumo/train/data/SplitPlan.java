package dev.resumo.train.data;

/**
 * How rows without a split label are divided: a seeded shuffle, then the first
 * round(n·test) rows go to test, the next round(n·validation) to validation, the rest to train
 * (each split keeps file order). Used only when no row of the source carries a split.
 */
public record SplitPlan(double validationFraction, double testFraction, long seed) {
    public static final SplitPlan DEFAULT = new SplitPlan(0.1, 0.1, 42);

    public SplitPlan {
        if (!(validationFraction >= 0 && testFraction >= 0 && validationFraction + testFraction < 1)) {
            throw new DatasetException("split ratio: validation (" + validationFraction + ") and test (" + testFraction
                    + ") fractions must be >= 0 and sum to less than 1");
        }
    }
}
