package dev.resumo.engine;

/**
 * One entry of the autograd tape: the op that produced a tensor, its inputs and the function
 * that turns the output's gradient into the inputs' gradients (accumulating into them).
 */
final class Node {
    /** Given the output gradient (the output's shape), accumulates gradients into the inputs. */
    @FunctionalInterface
    interface Backward {
        void apply(Tensor gradOut);
    }

    final String op;
    final Tensor[] inputs;
    final Backward backward;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }
}
