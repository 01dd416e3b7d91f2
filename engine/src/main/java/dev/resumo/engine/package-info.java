/**
 * Tensors and reverse-mode autograd.
 *
 * <p>{@link dev.resumo.engine.Tensor} is a float32 strided view over a float[];
 * {@link dev.resumo.engine.Ops} holds every differentiable op (one package-private class per
 * family: ElementwiseOps, MatmulOp, ReductionOps, ActivationOps, IndexingOps, LayoutOps) and
 * the loops themselves live in {@code dev.resumo.engine.cpu}. An op result that needs a
 * gradient carries a Node (backward closure + inputs); {@link dev.resumo.engine.Tensor#backward()}
 * walks them in reverse topological order. {@link dev.resumo.engine.Autograd#noGrad()} turns
 * recording off per thread. The graph is kept as long as the result is reachable, so calling
 * backward() twice on one loss adds the gradients twice.
 */
package dev.resumo.engine;
