package dev.resumo.train.run;

import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import java.util.Map;

/** The model card (model/README.md): what the model was trained on, how, and how well it summarizes. */
public final class ModelCard {
    /** What the card says about the data; baseline may be empty (e.g. Lead-3 ROUGE). */
    public record Data(String description, int trainExamples, int evalExamples, int rejected,
                       String baselineName, Map<String, Double> baseline) {}

    private ModelCard() {}

    public static String markdown(TrainConfig c, TrainResult r, Data data) {
        StringBuilder b = new StringBuilder();
        b.append("---\nlanguage: pt\npipeline_tag: summarization\nlibrary_name: resumo\n---\n\n");
        b.append("# ").append(c.experimentName()).append("\n\n");
        b.append("A T5 summarizer fine-tuned with Resumo (a Java deep-learning engine). ");
        b.append("Inputs are prefixed with `").append(c.prefix()).append("`.\n\n");
        b.append("## Data\n\n");
        b.append("- source: ").append(data.description()).append('\n');
        b.append("- training examples: ").append(data.trainExamples()).append('\n');
        b.append("- evaluation examples: ").append(data.evalExamples()).append('\n');
        b.append("- rejected rows: ").append(data.rejected()).append(" (see rejected.jsonl in the run directory)\n\n");
        b.append("## Training\n\n");
        b.append("| setting | value |\n|---|---|\n");
        row(b, "base model", c.model());
        row(b, "optimizer", c.optimizer() + ", lr " + c.lr() + ", schedule " + c.schedule() + ", warmup " + c.warmupSteps());
        row(b, "batch", c.batchSize() + " × grad-accum " + c.gradAccum());
        row(b, "max lengths", "source " + c.maxSourceLength() + ", target " + c.maxTargetLength());
        row(b, "gradient clipping", c.maxGradNorm() == 0 ? "off" : "global norm " + c.maxGradNorm());
        row(b, "weight decay", c.weightDecay() == 0 ? "off" : Double.toString(c.weightDecay()));
        // eval_loss below is the smoothed loss when this is on: not comparable with a run without it.
        row(b, "label smoothing", c.labelSmoothing() == 0 ? "off" : c.labelSmoothing() + " (in eval_loss too)");
        row(b, "gradient checkpointing", c.gradientCheckpointing() ? "on" : "off");
        row(b, "seed", Long.toString(c.seed()));
        row(b, "steps", r.steps() + " (" + r.status() + ")");
        row(b, "training time", String.format("%.1f s, %.2f examples/s", r.seconds(), r.examplesPerSecond()));
        row(b, "kept checkpoint", r.bestCheckpoint() + " (best " + c.bestMetric() + ")");
        b.append("\n## Evaluation\n\n");
        b.append("Generation: ").append(c.numBeams() == 1 ? "greedy" : "beam search, " + c.numBeams() + " beams")
                .append(", max ").append(c.maxNewTokens()).append(" new tokens.\n\n");
        b.append("| metric | this model |").append(data.baseline().isEmpty() ? "" : " " + data.baselineName() + " |").append('\n');
        b.append("|---|---|").append(data.baseline().isEmpty() ? "" : "---|").append('\n');
        for (Map.Entry<String, Double> e : r.bestMetrics().entrySet()) {
            b.append("| ").append(e.getKey()).append(" | ").append(String.format("%.4f", e.getValue())).append(" |");
            if (!data.baseline().isEmpty()) {
                Double base = data.baseline().get(e.getKey());
                b.append(' ').append(base == null ? "" : String.format("%.4f", base)).append(" |");
            }
            b.append('\n');
        }
        b.append("\nROUGE is F1 on Unicode-aware tokens (accents kept).\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v == null ? "(none)" : v).append(" |\n");
    }
}
