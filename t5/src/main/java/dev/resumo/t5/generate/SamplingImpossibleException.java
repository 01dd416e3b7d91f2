package dev.resumo.t5.generate;

/**
 * Sampling reached a step whose scores, after the logits processors and warpers, define no
 * distribution: every token is at -inf (banned), or one is +inf or NaN (a temperature so small
 * that logits / temperature overflow float32, or a model whose logits overflow). transformers'
 * generate() stops there too (torch.multinomial: "probability tensor contains either inf, nan or
 * element < 0"). The message names the step and the cause, for a one-line error.
 */
public final class SamplingImpossibleException extends IllegalStateException {
    public SamplingImpossibleException(String message) {
        super(message);
    }
}
