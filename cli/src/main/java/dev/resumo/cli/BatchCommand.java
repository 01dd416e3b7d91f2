package dev.resumo.cli;

import dev.resumo.batch.BatchCounts;
import dev.resumo.batch.BatchOptions;
import dev.resumo.batch.GenerationOptions;
import dev.resumo.batch.ModelDirLoader;
import dev.resumo.batch.ParquetInput;
import dev.resumo.batch.SummarizePipeline;
import dev.resumo.batch.SummarizerLoader;
import dev.resumo.t5.Summarizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * `resumo batch`: summarizes JSON lines or Parquet files on Apache Beam. The resumo flags are turned into Beam
 * options; everything after `--` goes to Beam unchanged (runner options such as --flinkMaster).
 */
final class BatchCommand implements Subcommand {
    @Override
    public boolean takesArguments() {
        return true; // Beam pipeline options after --
    }

    @Override
    public String usage() {
        return "resumo batch [flags] [-- BEAM OPTIONS]";
    }

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public String summary() {
        return "summarize JSON lines or Parquet on Apache Beam (DirectRunner here; Flink, Spark, Dataflow with their profile jars)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(SummarizeCommand.opt("model", "DIR", "model folder, readable on every worker (required)"));
        o.addOption(SummarizeCommand.opt("tokenizer", "PATH", "spiece.model, tokenizer.json or a directory with one (default: the model directory)"));
        o.addOption(SummarizeCommand.opt("input", "PATTERN", "file pattern: path, glob, gs://, hdfs:// (required); JSON lines, or"
                + " Parquet when the pattern ends in .parquet (row groups are read in parallel: write big corpora with row"
                + " groups of a few thousand rows)"));
        o.addOption(SummarizeCommand.opt("output", "PREFIX", "writes PREFIX-summaries-*.jsonl and PREFIX-dead-letters-*.jsonl (required)"));
        o.addOption(SummarizeCommand.opt("text-column", "NAME", "field or column holding the text (default: text)"));
        o.addOption(SummarizeCommand.opt("id-column", "NAME", "field or column holding the row id (default: id)"));
        o.addOption(SummarizeCommand.opt("runner", "NAME", "DirectRunner, FlinkRunner, SparkRunner or DataflowRunner; Beam options go after -- (default: DirectRunner)"));
        o.addOption(SummarizeCommand.opt("batch-size", "N", "texts generated together (default: 16)"));
        o.addOption(SummarizeCommand.opt("max-source-length", "N", "input tokens kept; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 512)"));
        o.addOption(SummarizeCommand.opt("prefix", "TEXT", ModelPrefix.HELP));
        GenerationFlags.add(o);
        o.addOption(ReturnSequencesFlag.option());
        o.addOption(DeviceFlag.option());
        o.addOption(org.apache.commons.cli.Option.builder().longOpt("force")
                .desc("delete the shards an earlier run left under --output before writing (default: off)").get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        for (String required : List.of("model", "input", "output")) {
            if (!line.hasOption(required)) throw new UserError("--" + required + " is required");
        }
        List<String> args = new ArrayList<>();
        args.add("--runner=" + line.getOptionValue("runner", "DirectRunner"));
        args.add("--model=" + line.getOptionValue("model"));
        args.add("--input=" + line.getOptionValue("input"));
        args.add("--output=" + line.getOptionValue("output"));
        if (line.hasOption("tokenizer")) args.add("--tokenizer=" + line.getOptionValue("tokenizer"));
        args.add("--textColumn=" + line.getOptionValue("text-column", "text"));
        args.add("--idColumn=" + line.getOptionValue("id-column", "id"));
        args.add("--batchSize=" + FlagValues.intValue(line, "batch-size", 16, 1));
        // Only the settings given: the rest come from the model's generation_config.json on the workers,
        // as in `resumo summarize`.
        args.addAll(GenerationOptions.args(GenerationFlags.given(line)));
        if (line.hasOption(ReturnSequencesFlag.NAME)) args.add("--numReturnSequences=" + ReturnSequencesFlag.value(line));
        args.add("--maxSourceLength=" + SequenceLengthFlags.maxSourceLength(line));
        args.add("--prefix=" + line.getOptionValue("prefix", ModelPrefix.saved(Path.of(line.getOptionValue("model")))));
        DeviceFlag.backend(line, err); // checks the flag here, where a mistake is one line, before the workers see it
        args.add("--device=" + line.getOptionValue("device", "cpu"));
        List<String> beamArgs = line.getArgList(); // Beam options after --, e.g. --flinkMaster=host:8081
        BeamArgs.refuseStrays(beamArgs);
        BeamArgs.refuseRepeats(args, beamArgs);
        args.addAll(beamArgs);
        BatchOptions options;
        try {
            options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().as(BatchOptions.class);
        } catch (IllegalArgumentException e) {
            String msg = BeamArgs.explain(e, beamArgs);
            if (msg.contains("runner")) {
                msg += " (FlinkRunner, SparkRunner and DataflowRunner need the jar built with -Pflink, -Pspark or -Pdataflow; see batch/README.md)";
            }
            throw new UserError(msg);
        }
        checkInputs(options);
        BatchOutputShards.checkPrefix(options.getOutput());
        Summarizer checked = BatchLaunchChecks.modelAndSettings(options, err);
        BatchOutputShards.claim(options, line.hasOption("force"), err);
        BatchOutputShards.checkWritable(options.getOutput());
        SummarizerLoader loader = SummarizePipeline.modelLoader(options);
        // The DirectRunner's workers share this JVM: they take the model the check above loaded.
        if (checked != null && loader instanceof ModelDirLoader dir && "DirectRunner".equals(options.getRunner().getSimpleName())) {
            dir.reuse(checked);
        }
        return runPipeline(options, loader, err);
    }

    /** Runs the pipeline with {@code loader} and reports how it went; the exit code. */
    static int runPipeline(BatchOptions options, SummarizerLoader loader, PrintStream err) {
        PipelineResult result;
        PipelineResult.State state;
        try {
            result = SummarizePipeline.build(options, loader).run();
            state = result.waitUntilFinish();
        } catch (RuntimeException e) {
            // An input file the workers could not read as asked (not Parquet, a column missing): the same
            // line as when the launcher finds it in a local file.
            String input = BatchFailure.inputProblem(e);
            if (input != null) throw new UserError(input);
            IOException network = BatchFailure.networkProblem(e);
            if (network != null) {
                err.println("resumo batch: FAILED: " + BatchFailure.networkMessage(network));
                return 1;
            }
            IOException io = BatchFailure.fileProblem(e);
            if (io == null) throw e;
            err.println("resumo batch: FAILED: " + BatchFailure.message(io, options.getOutput()));
            return 1;
        }
        BatchCounts counts = BatchCounts.of(result);
        if (state != PipelineResult.State.DONE) {
            // A remote runner (Dataflow) reports a job whose workers failed as a state, not an exception:
            // its error is in the job's log, not here. Say so in one line, and not "wrote ..." over
            // shards that are no result.
            err.println(notDone(state, counts, options.getOutput()));
            return 1;
        }
        if (counts.known() && counts.rows() == 0) {
            // Inputs the launcher could not look into (remote, compressed, deep globs) can still turn out empty:
            // one outcome, the error, and no empty shards left behind that look like a result.
            try {
                BatchOutputShards.deleteAll(options);
            } catch (IOException e) {
                err.println("resumo batch: warning: could not delete the empty shards under " + options.getOutput() + ": " + e.getMessage());
            }
            throw new UserError("--input " + options.getInput() + ": no rows");
        }
        try {
            BatchOutputShards.markDone(options, counts);
        } catch (IOException e) {
            err.println("resumo batch: FAILED: the run finished but " + options.getOutput() + BatchOutputShards.DONE_SUFFIX
                    + " could not be written: " + BatchFailure.message(e, options.getOutput()));
            return 1;
        }
        String wrote = "wrote " + options.getOutput() + "-summaries-*.jsonl, " + options.getOutput() + "-dead-letters-*.jsonl and "
                + options.getOutput() + BatchOutputShards.DONE_SUFFIX;
        if (!counts.known()) {
            err.println("resumo batch: " + state + " (the runner reported no counts); " + wrote);
        } else {
            err.println("resumo batch: " + state + "; " + counts.rows() + " rows: " + counts.summarized() + " summarized, "
                    + counts.deadLetters() + " dead letters; " + wrote);
        }
        if (counts.known() && counts.summarized() == 0) {
            throw new UserError("no row was summarized: all " + counts.deadLetters() + " went to " + options.getOutput()
                    + "-dead-letters-*.jsonl (see their \"reason\")");
        }
        return 0;
    }

    /**
     * The line for a job the runner ended in another state than DONE (FAILED, CANCELLED, or none
     * when it stopped waiting): what was counted, that no done marker was written, where the error is.
     */
    static String notDone(PipelineResult.State state, BatchCounts counts, String output) {
        String ended = state == null ? "stopped waiting for the job before it ended (no state)"
                : "ended the job in state " + state;
        String counted = counts.known()
                ? counts.rows() + " rows counted (" + counts.summarized() + " summarized, " + counts.deadLetters()
                        + " dead letters)"
                : "no counts reported";
        return "resumo batch: FAILED: the runner " + ended + "; " + counted + "; no " + output
                + BatchOutputShards.DONE_SUFFIX + " was written, so the shards under " + output
                + " are not a result. The workers' error is in the runner's log (Dataflow: the job's page and its"
                + " worker logs; Flink, Spark: the task managers' or executors' logs); run it again with --force"
                + " once it is fixed";
    }

    /**
     * Checks here, where a mistake is one line, what the workers would otherwise only fail on:
     * a local model folder that is missing, an input pattern that matches no file, Parquet files
     * named by a pattern that would read them as JSON lines, local Parquet files without the columns.
     */
    private static void checkInputs(BatchOptions options) throws IOException {
        String model = options.getModel();
        if (!model.contains("://") && !Files.isDirectory(Path.of(model))) {
            throw new UserError("--model " + model + ": no such folder");
        }
        String input = options.getInput();
        if (input.contains("://")) {
            FileSystems.setDefaultPipelineOptions(options);
            var match = FileSystems.match(input);
            if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
                throw new UserError("--input " + input + ": matches no file");
            }
            BatchLaunchChecks.refuseParquetAsJsonLines(input, match.metadata().stream().map(m -> m.resourceId().toString()).toList());
            return;
        }
        // Local: Beam's matcher walks the whole tree below the first folder of the pattern
        // (all of / for "/nope.jsonl"), so the common cases are checked directly.
        if (Files.isDirectory(Path.of(input))) {
            // "matches no file" read as if the folder were empty; Beam reads files, not folders.
            throw new UserError("--input " + input + ": is a folder; give a file pattern such as "
                    + Path.of(input).resolve(holdsParquet(Path.of(input)) ? "*.parquet" : "*.jsonl"));
        }
        List<Path> files = localFiles(Path.of(input).toAbsolutePath());
        if (files == null) return; // a glob in a folder name: left to Beam at run time
        if (files.isEmpty()) throw new UserError("--input " + input + ": matches no file");
        BatchLaunchChecks.refuseParquetAsJsonLines(input, files.stream().map(Path::toString).toList());
        // Before the model loads and the pipeline writes empty shards: local files with no row are refused here.
        boolean rows = ParquetInput.isParquet(input) ? BatchLaunchChecks.parquetFilesHaveRows(files, options) : anyHasRows(files);
        if (!rows) throw new UserError("--input " + input + ": no rows");
    }

    /**
     * A folder of Parquet files, as Spark, pandas and pyarrow write a dataset (`out.parquet/` of
     * part files): the hint then names the pattern that reads them as Parquet.
     */
    private static boolean holdsParquet(Path dir) throws IOException {
        if (ParquetInput.isParquet(dir.toString())) return true; // Path drops a trailing slash
        try (var files = Files.newDirectoryStream(dir, "*.{parquet,PARQUET}")) {
            return files.iterator().hasNext();
        }
    }

    private static boolean isGlob(String s) {
        return s.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[' || ch == '{');
    }

    /**
     * The regular files a local pattern names: the path itself, or the files of its (existing)
     * folder that a glob in the last component matches; null when a folder name holds a glob.
     */
    private static List<Path> localFiles(Path pattern) throws IOException {
        String name = pattern.getFileName() == null ? "" : pattern.getFileName().toString();
        Path dir = pattern.getParent();
        if (dir != null && isGlob(dir.toString())) return null;
        if (!isGlob(name)) return Files.isRegularFile(pattern) ? List.of(pattern) : List.of();
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        try (var matched = Files.newDirectoryStream(dir, name)) {
            for (Path f : matched) if (Files.isRegularFile(f)) out.add(f);
        }
        return out;
    }

    /**
     * Whether one of the files has a non-blank line (a row, as the pipeline counts them); true
     * when that cannot be told here (compressed, unreadable), for the run to say.
     */
    private static boolean anyHasRows(List<Path> files) {
        for (Path f : files) {
            // Beam reads .gz, .bz2, .zip ... by their extension; their bytes say nothing about rows.
            if (Compression.detect(f.getFileName().toString()) != Compression.UNCOMPRESSED) return true;
            // Undecodable bytes become U+FFFD (a row the pipeline dead-letters), as TextIO reads them.
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(f), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) if (!l.isBlank()) return true;
            } catch (IOException e) {
                return true; // unreadable here: the pipeline reports it as it reads
            }
        }
        return false;
    }
}
