package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Ops;
import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.CpuBackend;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Device decoding with every fusion on (the RMS norms in the GEMMs' prologue, the residual adds in
 * their epilogue, the ReLU epilogue, the cache write in the attention, the stacked q|k|v) against
 * -Dresumo.fuse=false, which runs each fusion as the ops it stands for: the step logits must be
 * bit-identical, the encoder's too (its add + norm kernel against the add then rms_norm). The
 * switch is read once per JVM, so the unfused side runs in a child JVM ({@link #main}) and prints
 * its logits' bits. On the CPU backend used as a device (its composed defaults) and on OpenCL
 * (skipped without a device). 4 rows take the skinny GEMM with its prologue and epilogue, 10 rows
 * the tiled GEMMs with the residual epilogue and a norm launch of their own.
 */
class FuseOffDecodingBitsTest {
    private static final int[] IDS = {5, 6, 7, 8, 1, 9, 10, 1, 0, 0};
    private static final int[] MASK = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};

    /** Child JVM: prints the step logits' bits of every case, one line per step; args[0] "cpu" or "opencl". */
    public static void main(String[] args) {
        Backend be = args[0].equals("cpu") ? CpuBackend.INSTANCE : OpenClTestDevice.backendOrSkip();
        for (String line : stepLogitBits(be)) System.out.println(line);
    }

    /**
     * "model rows step: bits of every logit" for relu and gated-GELU models of d_model 16 and a relu
     * one of d_model 512 (T5-small's widths: more roundings where an operation order could show),
     * 4 and 10 rows, 4 steps each.
     */
    static List<String> stepLogitBits(Backend be) {
        List<String> lines = new ArrayList<>();
        T5Model[] hosts = {TinyModels.relu(1), TinyModels.gatedUntied(2), TinyModels.wide(3)};
        for (int mi = 0; mi < hosts.length; mi++) {
            randomNormScales(hosts[mi], mi);
            T5Model device = DeviceModels.onDevice(hosts[mi], be);
            for (int copies : new int[] {2, 5}) {
                try (var _ = Autograd.noGrad()) {
                    IncrementalDecoder d = device.startDecoding(device.encode(IDS, MASK, 2, 5, Dropout.OFF), MASK, copies, 1);
                    for (int t = 0; t < 4; t++) {
                        int[] tokens = new int[d.rows()];
                        for (int r = 0; r < tokens.length; r++) tokens[r] = (7 * t + 3 * r) % 50;
                        StringBuilder line = new StringBuilder("model " + mi + " rows " + d.rows() + " step " + t + ":");
                        for (float v : d.step(tokens).toArray()) line.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(v)));
                        lines.add(line.toString());
                    }
                }
            }
        }
        return lines;
    }

    /**
     * Norm scales away from their initial 1 (a trained model's are not 1): with w = 1 the products
     * x·inv·w·scale round the same in any order, and a fused norm computed in another order than
     * the norm kernel's would go unnoticed.
     */
    private static void randomNormScales(T5Model model, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        model.parameters().forEach((name, t) -> {
            if (!name.contains("layer_norm")) return;
            float[] w = t.data();
            for (int i = 0; i < w.length; i++) w[i] = 0.5f + rng.nextFloat();
        });
    }

    private static void matchesTheUnfusedChild(String backend, Backend be) throws Exception {
        Assumptions.assumeTrue(Ops.fusionEnabled(), "SKIPPED: this JVM runs with -Dresumo.fuse=false, nothing fused to compare");
        List<String> fused = stepLogitBits(be);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--")) cmd.add(arg); // the module flags the tests run with (Vector API, native access)
        }
        cmd.addAll(List.of("-Dresumo.fuse=false", "-cp", System.getProperty("java.class.path"),
                FuseOffDecodingBitsTest.class.getName(), backend));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start(); // inherits LD_PRELOAD
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        assertEquals(0, p.exitValue(), "child JVM with -Dresumo.fuse=false failed:\n" + out);
        List<String> unfused = out.lines().filter(l -> l.startsWith("model ")).toList();
        assertEquals(fused.size(), unfused.size(), backend + ": steps printed by the unfused child");
        for (int i = 0; i < fused.size(); i++) {
            String[] f = fused.get(i).split(" "), u = unfused.get(i).split(" ");
            assertEquals(u.length, f.length, backend + " " + fused.get(i).substring(0, fused.get(i).indexOf(':')) + ": logits");
            // Every fusion computes the floats of the ops it replaces in their order: exact.
            for (int j = 0; j < f.length; j++) {
                if (f[j].equals(u[j])) continue;
                fail(backend + " " + fused.get(i).substring(0, fused.get(i).indexOf(':')) + ", logit " + (j - 6)
                        + ": fused logit " + bits(f[j]) + ", with -Dresumo.fuse=false " + bits(u[j]));
            }
        }
        System.out.printf("device decode on %s: %d steps' logits bit-identical with and without fusions%n", backend, fused.size());
    }

    private static float bits(String hex) {
        return Float.intBitsToFloat(Integer.parseUnsignedInt(hex, 16));
    }

    @Test
    void cpuBackendLogitsAreTheUnfusedBits() throws Exception {
        matchesTheUnfusedChild("cpu", CpuBackend.INSTANCE);
    }

    @Test
    @Tag("opencl")
    void openClLogitsAreTheUnfusedBits() throws Exception {
        matchesTheUnfusedChild("opencl", OpenClTestDevice.backendOrSkip());
    }
}
