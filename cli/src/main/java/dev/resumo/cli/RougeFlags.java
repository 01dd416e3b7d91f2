package dev.resumo.cli;

import dev.resumo.train.rouge.BootstrapAggregator;
import dev.resumo.train.rouge.Interval;
import dev.resumo.train.rouge.RougeReport;
import dev.resumo.train.rouge.RougeReportJson;
import dev.resumo.train.rouge.RougeScores;
import dev.resumo.train.rouge.Score;
import dev.resumo.train.rouge.Tokenization;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** The ROUGE flags `resumo rouge` and `resumo baseline` share, and how both print a report. */
final class RougeFlags {
    /**
     * Each resample keeps three doubles (precision, recall, F) per ROUGE type: 100,000 resamples is a
     * few MB and already 100x rouge-score's 1000; two billion would need ~48 GB per type and end in an
     * OutOfMemoryError after all the work before it.
     */
    static final int MAX_BOOTSTRAP_SAMPLES = 100_000;

    private RougeFlags() {}

    static void add(Options options) {
        options.addOption(Option.builder().longOpt("tokenization").hasArg().argName("pt|rouge-score")
                .desc("pt: Unicode-aware tokens, Portuguese Snowball stemmer, sentence-split ROUGE-Lsum; "
                        + "rouge-score: the classic [a-z0-9] tokenizer with Porter, only to compare with numbers "
                        + "published that way (default: pt)").get());
        options.addOption(Option.builder().longOpt("stemmer")
                .desc("stem tokens longer than 3 characters (default: off)").get());
        options.addOption(Option.builder().longOpt("json").desc("print the report as JSON (default: a table)").get());
        options.addOption(Option.builder().longOpt("bootstrap-samples").hasArg().argName("N")
                .desc("bootstrap resamples for the confidence intervals, at most " + MAX_BOOTSTRAP_SAMPLES + " (default: 1000)").get());
        options.addOption(Option.builder().longOpt("bootstrap-seed").hasArg().argName("S")
                .desc("seed of the bootstrap resampling (default: 42)").get());
    }

    /**
     * --seed as another name of --bootstrap-seed, for `resumo rouge` and `resumo baseline`, which
     * generate nothing (their --seed predates --bootstrap-seed). eval has no such alias: its --seed
     * is the sampling seed, as in every command that generates (GenerationFlags).
     */
    static void addSeedAlias(Options options) {
        options.addOption(Option.builder().longOpt("seed").hasArg().argName("S")
                .desc("another name of --bootstrap-seed (default: 42)").get());
    }

    static Tokenization tokenization(CommandLine line) {
        try {
            return Tokenization.parse(line.getOptionValue("tokenization", "pt"));
        } catch (IllegalArgumentException e) {
            throw new UserError("--tokenization: " + e.getMessage());
        }
    }

    /** The bootstrap settings; {@code seedAlias}: whether --seed means --bootstrap-seed here (see addSeedAlias). */
    static BootstrapAggregator bootstrap(CommandLine line, boolean seedAlias) {
        int samples = positiveInt(line, "bootstrap-samples", 1000);
        if (samples > MAX_BOOTSTRAP_SAMPLES) {
            throw new UserError("--bootstrap-samples: at most " + MAX_BOOTSTRAP_SAMPLES + ", got " + samples
                    + " (rouge-score uses 1000)");
        }
        String flag = "bootstrap-seed";
        if (seedAlias && line.hasOption("seed")) {
            if (line.hasOption("bootstrap-seed")) throw new UserError("--seed and --bootstrap-seed are the same setting; give one");
            flag = "seed";
        }
        long seed = FlagValues.longValue(line, flag, 42);
        return new BootstrapAggregator(samples, 0.95, seed);
    }

    static int positiveInt(CommandLine line, String flag, int fallback) {
        String value = line.getOptionValue(flag);
        if (value == null) return fallback;
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // A positive whole number past int's range is too large, not malformed: say which.
            if (value.strip().matches("\\+?[0-9]+")) {
                throw new UserError("--" + flag + ": '" + value + "' is too large (at most " + Integer.MAX_VALUE + ")");
            }
        }
        throw new UserError("--" + flag + ": expected a positive integer, got '" + value + "'");
    }

    static void print(RougeReport report, Tokenization tokenization, boolean stem, boolean json, String title, PrintStream out) {
        if (json) {
            out.println(RougeReportJson.toJson(report, tokenization, stem).toPrettyString());
            return;
        }
        BootstrapAggregator b = report.settings();
        out.printf("%s: %d pairs, tokenization %s, stemmer %s%n", title, report.count(), tokenization.flag(),
                stem ? "on" : "off");
        out.printf("%-10s %9s %9s %9s   %s%n", "", "precision", "recall", "F", "F 95% interval (bootstrap "
                + b.samples() + ", seed " + b.seed() + ")");
        for (String name : RougeScores.NAMES) {
            Score s = report.mean().get(name);
            Interval i = report.bootstrap().get(name);
            out.printf("%-10s %9.4f %9.4f %9.4f   [%.4f, %.4f]%n", name, s.precision(), s.recall(), s.fmeasure(),
                    i.low().fmeasure(), i.high().fmeasure());
        }
    }
}
