package dev.resumo.engine;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Gradient checkpointing (PyTorch's {@code torch.utils.checkpoint}, what transformers' {@code
 * gradient_checkpointing} runs per layer): a function's forward is run without recording, keeping
 * only its inputs and outputs; when the reverse pass reaches it, the function runs again with
 * recording on and its graph is back-propagated at once. Activation memory then holds the
 * inputs of every checkpointed piece plus one piece's graph, for one more forward of each piece.
 *
 * <p>How it sits on the tape: the outputs (views of the first pass's results) each get a node whose
 * input is one shared joint tensor; their backward only keeps the gradient they received and marks
 * the joint. The joint's node has the function's inputs that need a gradient as inputs, so the
 * reverse pass reaches it after every output's consumer and before any input's producer. Its
 * backward recomputes the function over stand-ins for those inputs (views with a node that hands
 * the gradient on to the real input), back-propagates from the recomputed outputs with the kept
 * gradients, and parameters used inside receive their gradients as in a plain pass.
 *
 * <p>The function must compute the same values both times: randomness must replay (T5's dropout
 * records its draws in the first pass and replays them; {@code T5Stack}). It must not keep
 * references to the tensors it makes, and it reads its inputs only through the array given.
 */
public final class Checkpoint {
    /** The checkpointed computation: outputs from inputs (the same number of outputs both runs). */
    @FunctionalInterface
    public interface Function {
        Tensor[] apply(Tensor[] inputs);
    }

    private static final Tensor[] NO_INPUTS = new Tensor[0];

    private Checkpoint() {}

    static Tensor[] run(Function fn, Tensor[] inputs) {
        if (!Autograd.isGradEnabled()) return fn.apply(inputs.clone());
        StepBuffers.Mark mark = StepBuffers.mark();
        Tensor[] first;
        try (var _ = Autograd.noGrad()) {
            first = fn.apply(inputs.clone());
        }
        Set<Object> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : first) if (t.data != null) keep.add(t.data);
        // The first pass's intermediates are garbage now; inside a training step's StepBuffers
        // scope they would otherwise stay taken until the step ends (no memory saved at all).
        StepBuffers.releaseTakenSince(mark, keep);

        Tensor[] needGrad = java.util.Arrays.stream(inputs).filter(t -> t != null && t.requiresGrad()).toArray(Tensor[]::new);
        Tensor joint = Tensor.zeros(1);
        Tensor[] kept = new Tensor[first.length];
        Tensor[] outputs = new Tensor[first.length];
        joint.node = new Node("checkpoint", needGrad, ignored -> {
            Tensor[] redone = recompute(fn, inputs);
            if (redone.length != first.length) {
                throw new IllegalStateException("checkpoint: the function returned " + redone.length
                        + " outputs when recomputed, " + first.length + " the first time");
            }
            Autograd.backward(redone, kept);
            java.util.Arrays.fill(kept, null);
            // The first pass's outputs: every consumer's backward has run (this node comes after
            // them), and the recomputation made its own — give their arrays back, unless one is an
            // input's (a function returning its input), still read by the pieces before this one.
            for (Tensor out : first) {
                if (out.data != null && !isInputArray(out.data, inputs)) Autograd.releaseWhole(out);
            }
        });
        Tensor one = Tensor.ones(1);
        for (int i = 0; i < first.length; i++) {
            int index = i;
            Tensor out = first[i].detach(); // a view, so an input returned as-is keeps its own node
            out.node = new Node("checkpointOutput", new Tensor[] {joint}, gradOut -> {
                kept[index] = kept[index] == null ? gradOut : ElementwiseOps.add(kept[index], gradOut);
                if (joint.grad == null) joint.accumulateGrad(one);
            });
            outputs[i] = out;
        }
        return outputs;
    }

    /** The function again, recording, over stand-ins that pass their gradients to the real inputs. */
    private static Tensor[] recompute(Function fn, Tensor[] inputs) {
        Tensor[] standIns = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor input = inputs[i];
            if (input == null || !input.requiresGrad()) {
                standIns[i] = input;
                continue;
            }
            Tensor standIn = input.detach();
            standIn.node = new Node("checkpointInput", NO_INPUTS, input::accumulateGrad);
            standIns[i] = standIn;
        }
        try (var _ = Autograd.enableGrad()) {
            return fn.apply(standIns);
        }
    }

    private static boolean isInputArray(float[] data, Tensor[] inputs) {
        for (Tensor t : inputs) if (t != null && t.data == data) return true;
        return false;
    }
}
