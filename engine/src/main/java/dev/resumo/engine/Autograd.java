package dev.resumo.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Grad mode (per thread) and the reverse pass over the tape.
 *
 * <p>The tape is implicit: every op result that needs a gradient holds a {@link Node} (its
 * backward function and its inputs). {@link Tensor#backward()} sorts the nodes reachable from
 * the scalar topologically and runs them in reverse. In no-grad mode ops record nothing: they
 * check {@link #shouldRecord} before creating any closure or node.
 */
public final class Autograd {
    /** Nesting depth of noGrad() scopes on this thread; 0 means gradients are recorded. */
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Autograd() {}

    /** A scope closed by try-with-resources; closing restores the previous grad mode. */
    public static final class Guard implements AutoCloseable {
        private final int[] depth;
        private final int restore;
        private boolean closed;

        private Guard(int[] depth, int restore) {
            this.depth = depth;
            this.restore = restore;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                depth[0] = restore;
            }
        }
    }

    /**
     * Disables recording on this thread until the returned guard is closed (nestable):
     * {@code try (var _ = Autograd.noGrad()) { ... }}.
     */
    public static Guard noGrad() {
        int[] depth = NO_GRAD_DEPTH.get();
        Guard guard = new Guard(depth, depth[0]);
        depth[0]++;
        return guard;
    }

    /**
     * Turns recording back on for this thread until the guard is closed, inside any noGrad scopes:
     * a checkpointed function recomputed in the reverse pass ({@link Checkpoint}) records its graph
     * there. Closing restores the depth the scopes had.
     */
    static Guard enableGrad() {
        int[] depth = NO_GRAD_DEPTH.get();
        Guard guard = new Guard(depth, depth[0]);
        depth[0] = 0;
        return guard;
    }

    public static boolean isGradEnabled() {
        return NO_GRAD_DEPTH.get()[0] == 0;
    }

    /** True when an op over these inputs must record a node: grad mode on and an input needs a grad. */
    static boolean shouldRecord(Tensor a) {
        return a.requiresGrad() && isGradEnabled();
    }

    static boolean shouldRecord(Tensor a, Tensor b) {
        return (a.requiresGrad() || (b != null && b.requiresGrad())) && isGradEnabled();
    }

    static boolean shouldRecord(Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t.requiresGrad()) return isGradEnabled();
        }
        return false;
    }

    /** Runs the reverse pass from a scalar root (seed gradient 1). */
    static void backward(Tensor root) {
        if (root.size() != 1) {
            throw new IllegalArgumentException("backward: needs a scalar (one element), got shape "
                    + Shapes.str(root.shape));
        }
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require a gradient "
                    + "(no input had requiresGrad(true), or it was computed under noGrad())");
        }
        List<Tensor> order = topologicalOrder(new Tensor[] {root});
        try (var _ = noGrad()) {
            root.accumulateGrad(Tensor.ones(root.shape));
            runReverse(order);
        }
    }

    /**
     * The reverse pass from several outputs at once, each seeded with the gradient given for it
     * (its shape; null: none reaches it): a checkpointed function's recomputed graph, fed the
     * gradients its outputs received in the outer pass. The seeds are aliased, never freed or
     * changed in place. Outputs not on the tape (computed from nothing that needs a gradient) are
     * skipped.
     */
    static void backward(Tensor[] roots, Tensor[] seeds) {
        try (var _ = noGrad()) {
            java.util.ArrayList<Tensor> recorded = new java.util.ArrayList<>();
            for (int i = 0; i < roots.length; i++) {
                if (seeds[i] == null || roots[i].node == null) continue;
                roots[i].accumulateGrad(seeds[i]);
                recorded.add(roots[i]);
            }
            runReverse(topologicalOrder(recorded.toArray(new Tensor[0])));
        }
    }

    /** Runs the nodes of {@code order} from last to first (each after every consumer of its tensor). */
    private static void runReverse(List<Tensor> order) {
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Tensor grad = t.grad;
            if (grad == null) continue; // no path carried a gradient here
            boolean gradFree = t.gradOwned() && CONSUMES_GRADIENT.contains(opKind(t.node.op));
            t.node.backward.apply(grad);
            t.releaseGrad(); // intermediate gradient: consumed, free it
            // Inside a StepBuffers scope the two arrays go back to the pool for the rest of the
            // pass. The gradient: owned means no other tensor holds it, and these ops' backward
            // only reads it (add/sub hand it on, views pass a view of it). The output: every
            // consumer of this tensor — views of it included — came later in the forward, so
            // its backward has run; only ops that allocate their output qualify (a view's
            // array belongs to the tensor it views, freed when that one's turn comes).
            if (gradFree) releaseWhole(grad);
            if (FRESH_OUTPUT.contains(opKind(t.node.op))) releaseWhole(t);
        }
    }

    /** Ops whose backward reads the output gradient and gives its inputs gradients of their own. */
    private static final java.util.Set<String> CONSUMES_GRADIENT = java.util.Set.of("matmul", "attention", "relu", "gelu",
            "rmsNorm", "softmax", "dropout", "embedding", "crossEntropy", "scale", "mul", "div");
    /** Ops whose output array is their own (allocated by the op, not a view of an input). */
    private static final java.util.Set<String> FRESH_OUTPUT = java.util.Set.of("matmul", "attention", "relu", "gelu",
            "rmsNorm", "softmax", "dropout", "embedding", "crossEntropy", "scale", "mul", "div", "add", "sub");

    /** "matmul(transB)" → "matmul": the matmul variants record their flags in the name. */
    private static String opKind(String op) {
        int paren = op.indexOf('(');
        return paren < 0 ? op : op.substring(0, paren);
    }

    /**
     * Gives t's host array back to the open StepBuffers scope when t covers all of it: offset 0
     * and the size the array was asked for (pooled arrays may be longer: size classes).
     */
    static void releaseWhole(Tensor t) {
        if (t.backend == null && t.offset == 0 && t.data != null) StepBuffers.releaseIfWhole(t.data, t.size());
    }

    /** Non-leaf tensors reachable from the roots, each after all of its inputs (iterative DFS). */
    private static List<Tensor> topologicalOrder(Tensor[] roots) {
        List<Tensor> order = new ArrayList<>();
        IdentityHashMap<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {tensor, next input index}
        for (Tensor root : roots) {
            if (root.node == null || visited.put(root, Boolean.TRUE) != null) continue;
            stack.push(new Object[] {root, 0});
            visitFrom(stack, visited, order);
        }
        return order;
    }

    private static void visitFrom(ArrayDeque<Object[]> stack, IdentityHashMap<Tensor, Boolean> visited, List<Tensor> order) {
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.node.inputs;
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.node != null && visited.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
    }
}
