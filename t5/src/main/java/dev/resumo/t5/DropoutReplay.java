package dev.resumo.t5;

import java.util.Random;

/**
 * The dropout of one checkpointed block, drawn twice alike: the first forward draws from the
 * run's generator and records each draw; the recomputation in the reverse pass replays them, so
 * it drops the same elements (PyTorch's checkpoint saves and restores the RNG state for this) and
 * the run's generator advances exactly as without checkpointing. Every dropout op takes one
 * {@code nextLong()} per call (see {@code Ops}); any other draw is refused rather than replayed wrong.
 */
final class DropoutReplay {
    private final Dropout dropout;
    private final java.util.ArrayList<Long> draws = new java.util.ArrayList<>();
    private int passes;

    DropoutReplay(Dropout dropout) {
        this.dropout = dropout;
    }

    /** The dropout for the next pass: recording on the first call, replaying on the second. */
    Dropout nextPass() {
        if (dropout.rate() == 0f) return dropout;
        return switch (passes++) {
            case 0 -> new Dropout(dropout.rate(), new Recording(dropout.rng()));
            case 1 -> new Dropout(dropout.rate(), new Replaying());
            default -> throw new IllegalStateException("a checkpointed block ran a third time");
        };
    }

    /** Draws from the run's generator, keeping each value. */
    private final class Recording extends Random {
        private final Random source;

        Recording(Random source) {
            this.source = source;
        }

        @Override
        public long nextLong() {
            long v = source.nextLong();
            draws.add(v);
            return v;
        }

        @Override
        protected int next(int bits) {
            throw new UnsupportedOperationException("dropout under checkpointing draws only nextLong()");
        }
    }

    /** Gives back the recorded draws in order. */
    private final class Replaying extends Random {
        private int index;

        @Override
        public long nextLong() {
            if (index >= draws.size()) {
                throw new IllegalStateException("a checkpointed block drew more dropout masks when recomputed ("
                        + (index + 1) + ") than the first time (" + draws.size() + ")");
            }
            return draws.get(index++);
        }

        @Override
        protected int next(int bits) {
            throw new UnsupportedOperationException("dropout under checkpointing draws only nextLong()");
        }
    }
}
