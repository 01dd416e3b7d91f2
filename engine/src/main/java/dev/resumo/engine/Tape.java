package dev.resumo.engine;

/** Attaches a backward node to an op result (called only when {@link Autograd#shouldRecord}). */
final class Tape {
    private Tape() {}

    static Tensor record(Tensor out, String op, Node.Backward backward, Tensor... inputs) {
        out.node = new Node(op, inputs, backward);
        return out;
    }
}
