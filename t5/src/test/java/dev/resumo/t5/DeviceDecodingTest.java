package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.CpuBackend;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The device decode (KvCache written in place, fused q|k|v projection, fused attention kernels,
 * bias by distance) against the host decode on small random T5s (ReLU tied, gated-GELU untied):
 * step logits with a padded batch, beam reorders that swap and duplicate rows across capacity
 * growth, and the tokens of greedy and beam search. On the CPU backend used as a device (always
 * runs) and on OpenCL when there is a device (skipped otherwise, like the other OpenCL tests).
 *
 * <p>Logit tolerance 2e-5 absolute (IncrementalDecoderTest's): both are float32, the device
 * multiplies with the backend GEMM and sums the attention in another order than the host's panels
 * and DecodeAttention, ~1e-6 on these logits of magnitude ~1. Tokens must be identical.
 */
class DeviceDecodingTest {
    private static final float TOLERANCE = 2e-5f;

    private static Backend openCl() {
        return OpenClTestDevice.backendOrSkip();
    }

    private static final int[] IDS = {5, 6, 7, 8, 1, 9, 10, 1, 0, 0}; // second row padded
    private static final int[] MASK = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};

    /** Step logits, with reorders that swap and duplicate beams, on a cache of capacity 1 (grows at every power of two). */
    private static void stepsMatchTheHost(String where, Backend be) {
        for (T5Model host : new T5Model[] {TinyModels.relu(1), TinyModels.gatedUntied(2)}) {
            T5Model device = DeviceModels.onDevice(host, be);
            try (var _ = Autograd.noGrad()) {
                Tensor encHost = host.encode(IDS, MASK, 2, 5, Dropout.OFF);
                Tensor encDevice = device.encode(IDS, MASK, 2, 5, Dropout.OFF);
                assertTrue(encDevice.isOnDevice(), where + ": encoder ran on the device");
                IncrementalDecoder h = host.startDecoding(encHost, MASK, 2, 64); // 2 beams per input: 4 rows
                IncrementalDecoder d = device.startDecoding(encDevice, MASK, 2, 1);
                int[][] steps = {{0, 0, 0, 0}, {11, 31, 21, 22}, {12, 13, 14, 15}, {16, 17, 18, 19}, {20, 23, 24, 25}, {26, 27, 28, 29}};
                int[][] reorders = {null, null, {1, 0, 3, 2}, null, {0, 0, 3, 3}, null};
                float worst = 0;
                for (int t = 0; t < steps.length; t++) {
                    if (reorders[t] != null) {
                        h.reorder(reorders[t]);
                        d.reorder(reorders[t]);
                    }
                    float[] expected = h.step(steps[t]).toArray();
                    Tensor got = d.step(steps[t]);
                    assertTrue(got.isOnDevice(), where + ": logits stay on the device");
                    worst = Math.max(worst, Golden.maxAbsDiff(got.toArray(), expected));
                }
                assertEquals(steps.length, d.length());
                assertTrue(worst <= TOLERANCE, where + ": device vs host step logits max abs diff " + worst);
                System.out.printf("device decode on %s: %d steps x 4 rows, 2 reorders, capacity 1 grown, max |Δ logits| %.2g%n",
                        where, steps.length, worst);
            }
        }
    }

    private static void tokensMatchTheHost(String where, Backend be) {
        GenerationConfig greedy = GenerationConfig.greedy(12);
        GenerationConfig beam = GenerationConfig.beam(3, 12).withBeams(3, 1.0f, GenerationConfig.EarlyStopping.TRUE, 1);
        int checked = 0;
        for (T5Model host : new T5Model[] {TinyModels.relu(3), TinyModels.gatedUntied(4)}) {
            T5Model device = DeviceModels.onDevice(host, be);
            int pad = host.config().padTokenId();
            for (GenerationConfig s : new GenerationConfig[] {greedy, beam}) {
                int[][] expected = Generator.generate(host, IDS, MASK, 2, 5, s).padded(pad);
                int[][] got = Generator.generate(device, IDS, MASK, 2, 5, s).padded(pad);
                assertEquals(expected.length, got.length, where + ": sequences");
                for (int r = 0; r < expected.length; r++) {
                    assertArrayEquals(expected[r], got[r], where + " " + (s.numBeams() > 1 ? "beam" : "greedy") + " row " + r
                            + ": host " + Arrays.toString(expected[r]) + ", device " + Arrays.toString(got[r]));
                    checked++;
                }
            }
        }
        System.out.printf("device generation on %s: %d sequences (greedy and 3 beams) identical to the host's%n", where, checked);
    }

    /**
     * Launches per decode step on OpenCL: per layer 3 for self-attention (the q|k|v GEMM with the
     * layer's RMS norm in its prologue, the fused attention that also writes the new keys and
     * values into the cache, o with the residual add in its epilogue), 3 for cross-attention (q
     * with the norm, attention, o with the add), 2 for a ReLU feed-forward (wi with the norm in its
     * prologue and the ReLU in its epilogue, wo with the add); plus the embedding and the lm_head
     * (the final norm and the tied output scale in its prologue): 18 for this model's 2 layers,
     * so the bound 8·layers + 2 fails if any fusion is lost (25 with every norm a launch of its
     * own, as measured with the prologue turned off; 24 with every residual add one; 20 with the
     * cache write a copy or without the ReLU epilogue; 25 with the add + norm kernel of before,
     * 11·layers + 3). Before the fusions a layer
     * took 16 (a separate add and norm per sublayer, a relu launch, a copy for the cache write)
     * plus 4. The composed ops took about 30 per layer (concatenating the cache, splitting and
     * merging heads, bias add, softmax). Steps of ≤ 8 rows use the skinny GEMM, which never
     * splits along the depth, so no spare launch is allowed. The count must not grow with the
     * position (nothing is copied per cached position).
     */
    @Test
    @Tag("opencl")
    void openClDecodeStepLaunchesStayFewAndConstant() {
        Backend be = openCl();
        T5Model device = DeviceModels.onDevice(TinyModels.relu(6), be);
        int layers = device.config().numDecoderLayers();
        try (var _ = Autograd.noGrad()) {
            Tensor enc = device.encode(IDS, MASK, 2, 5, Dropout.OFF);
            IncrementalDecoder d = device.startDecoding(enc, MASK, 1, 16);
            long[] perStep = new long[8];
            for (int t = 0; t < perStep.length; t++) {
                long before = be.kernelLaunches();
                d.step(new int[] {t, t + 1});
                perStep[t] = be.kernelLaunches() - before;
            }
            System.out.printf("opencl decode step launches, %d layers: %s%n", layers, Arrays.toString(perStep));
            for (long n : perStep) assertEquals(perStep[0], n, "launches per step vary with the position: " + Arrays.toString(perStep));
            assertTrue(perStep[0] <= 8L * layers + 2, perStep[0] + " launches per step for " + layers + " layers, above "
                    + (8L * layers + 2));
        }
    }

    /**
     * Launches of an encoder pass on OpenCL, per layer: self-attention 8 (one q|k|v GEMM over the
     * stacked weights, one copy splitting the heads of all three, the scores GEMM, the bias add,
     * the softmax, the context GEMM, the copy merging the heads, o), the add + norm, the ReLU
     * feed-forward's 2 GEMMs and its add + norm: 12; and 5 outside the layers (the embedding, the
     * first norm, the position bias and mask): 29 for this model's 2 layers. With three
     * projections and a copy for each head split a layer took 16 (37 here), so the bound
     * 12·layers + 5 fails if the stacking is lost, or if only the GEMMs are stacked (33).
     */
    @Test
    @Tag("opencl")
    void openClEncoderPassProjectsQkvWithOneGemm() {
        Backend be = openCl();
        T5Model device = DeviceModels.onDevice(TinyModels.relu(6), be);
        int layers = device.config().numLayers();
        try (var _ = Autograd.noGrad()) {
            device.encode(IDS, MASK, 2, 5, Dropout.OFF); // the stacked weights are made once, on the first pass
            long before = be.kernelLaunches();
            device.encode(IDS, MASK, 2, 5, Dropout.OFF);
            long launches = be.kernelLaunches() - before;
            System.out.printf("opencl encoder pass launches, %d layers: %d%n", layers, launches);
            assertTrue(launches <= 12L * layers + 5, launches + " launches per encoder pass for " + layers + " layers, above "
                    + (12L * layers + 5));
        }
    }

    @Test
    void cpuBackendStepsMatchTheHost() {
        stepsMatchTheHost("cpu backend", CpuBackend.INSTANCE);
    }

    @Test
    void cpuBackendTokensMatchTheHost() {
        tokensMatchTheHost("cpu backend", CpuBackend.INSTANCE);
    }

    @Test
    @Tag("opencl")
    void openClStepsMatchTheHost() {
        stepsMatchTheHost("opencl", openCl());
    }

    @Test
    @Tag("opencl")
    void openClTokensMatchTheHost() {
        tokensMatchTheHost("opencl", openCl());
    }
}
