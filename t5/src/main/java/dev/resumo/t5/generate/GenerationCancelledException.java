package dev.resumo.t5.generate;

/** A generation stopped between decoding steps because its caller no longer wants the result. */
public final class GenerationCancelledException extends RuntimeException {
    public GenerationCancelledException() {
        super("generation cancelled by its caller", null, false, false);
    }
}
