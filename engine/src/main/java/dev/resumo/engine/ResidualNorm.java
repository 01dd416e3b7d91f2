package dev.resumo.engine;

/**
 * The residual stream after a sublayer's output was added ({@code sum}) and that stream
 * normalised for the next sublayer ({@code normed}): what {@link Ops#addRmsNorm} returns.
 */
public record ResidualNorm(Tensor sum, Tensor normed) {}
