package dev.resumo.cli;

import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Model;
import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.tokenizer.TokenizerException;
import dev.resumo.train.ConfigException;
import dev.resumo.train.NonFiniteLossException;
import dev.resumo.train.RunStorageException;
import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainingJob;
import dev.resumo.train.checkpoint.DamagedCheckpointException;
import dev.resumo.train.data.DataFileException;
import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.DatasetFiles;
import dev.resumo.train.data.HubDatasets;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** `resumo train`: fine-tunes a T5 on a dataset into a run directory (see RunDirectory for the layout). */
final class TrainCommand implements Subcommand {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "fine-tune a T5 summarizer: checkpoints, resume, evaluation with ROUGE, run directory with the final model";
    }

    @Override
    public Options options() {
        return TrainFlags.options().addOption(DeviceFlag.option());
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        TrainConfig c = TrainFlags.resolve(line);
        if (c.model() == null) throw new UserError("--model is required (a checkpoint directory or a hub id)");
        if (c.dataset() == null) throw new UserError("--dataset is required");
        // localPath: DIR:CONFIG (a configuration of a local copy of a hub dataset) names DIR, which exists.
        Path localDataset = HubDatasets.localPath(c.dataset());
        if (!HubDatasets.isHubId(c.dataset()) && localDataset == null) {
            throw new UserError("--dataset " + c.dataset() + ": no such file or folder (nor a hub dataset id ORG/NAME[:CONFIG])");
        }
        Path modelDir = ModelLoading.modelDir(c.model(), err);
        // Before anything heavy is loaded: the run must not land on existing files or on its own inputs.
        RunDirGuard.check(c.outputDir(), RunDirGuard.Command.TRAIN, c.resume() != null, List.of(
                new RunDirGuard.Input("--model", modelDir),
                RunDirGuard.input("--tokenizer", c.tokenizer()),
                new RunDirGuard.Input("--dataset", localDataset)));
        // Resolved before the model loads and before StopSignal takes over Ctrl-C: a hub dataset is
        // fetched here (fetched inside the job, an interrupted download ran on to its end under
        // "stopping after the current step"), and a local folder's DIR:CONFIG typo is reported without
        // waiting for the model. The job reads the files resolved here.
        DatasetFiles dataset;
        try {
            dataset = HubDatasets.resolve(c.dataset(), err);
        } catch (DatasetException e) {
            throw new UserError(e.getMessage());
        }
        T5Model model = DeviceFlag.onDevice(ModelLoading.model(modelDir), DeviceFlag.backend(line, err));
        Path spiece = spieceModel(c.tokenizer(), modelDir);
        T5Tokenizer tokenizer = checkTokenizer(c.tokenizer(), spiece, model);
        double startup = TrainReport.secondsSinceJvmStart();
        long start = System.nanoTime();
        TrainingJob.Outcome outcome;
        String signal;
        try (StopSignal stop = StopSignal.install()) {
            stopWhenReaderGone(out, stop);
            outcome = TrainingJob.run(c, model, spiece, tokenizer, dataset, c.dataset(), stop, out, w -> err.println("warning: " + w));
            signal = stop.requested();
        } catch (ConfigException | DatasetException | DataFileException | DamagedCheckpointException e) {
            throw new UserError(e.getMessage());
        } catch (NonFiniteLossException e) {
            err.println("resumo train: " + e.getMessage());
            return 1;
        } catch (RunStorageException e) {
            // A disk that filled up or a folder made read-only mid-run: one line that says what and how to go on.
            err.println("resumo train: " + e.getMessage() + (e.checkpointRemoved() ? ""
                    : "; once that is fixed, continue with: resumo train --output-dir "
                    + Path.of(c.outputDir()).toAbsolutePath().normalize() + " --resume auto"));
            return 1;
        }
        TrainReport.print(outcome, startup, (System.nanoTime() - start) / 1e9, StopSignal.Continuation.RESUME_AUTO, out);
        if (outcome.result().status().equals("INTERRUPTED")) {
            // The shell's convention (128 + signal number): a script must not read a stopped run as a finished one.
            err.println(interruptedLine("train", signal, outcome.result().steps())
                    + "checkpoint written; continue with: resumo train --output-dir " + outcome.runDir().root() + " --resume auto");
            return interruptedExitCode(signal);
        }
        return 0;
    }

    /** How a stop for a standard output whose reader left is named in the messages. */
    static final String READER_GONE = "a closed standard output";

    /**
     * `resumo train ... | head -2`: once the reader has left, the run stops after the current step as
     * on Ctrl-C, with its checkpoint, instead of training to the end for nobody (it found out only
     * then). The exit status is then SIGPIPE's (see Main); the line on standard error says how to continue.
     */
    static void stopWhenReaderGone(PrintStream out, StopSignal stop) {
        StandardStream.whenReaderGone(out, () -> {
            if (stop.requested() == null) stop.request(READER_GONE);
        });
    }

    /** "resumo CMD: interrupted by SIGNAL at step N; ", the start of a stopped run's last line (train, demo). */
    static String interruptedLine(String command, String signal, long steps) {
        return "resumo " + command + ": interrupted by " + (signal == null ? "a stop request" : signal) + " at step " + steps + "; ";
    }

    /** 128 + the signal number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP; 130 for any other stop request. */
    static int interruptedExitCode(String signal) {
        return switch (signal == null ? "" : signal) {
            case "SIGTERM" -> 143;
            case "SIGHUP" -> 129;
            default -> 130;
        };
    }

    /**
     * The job reads spiece.model only after the dataset, deep inside, where a corrupt file or one of
     * another model would be an internal error: it is read here first, so either is one line naming
     * the flag and the file, as summarize and eval report them. The job then uses this copy.
     */
    static T5Tokenizer checkTokenizer(String tokenizer, Path spiece, T5Model model) {
        String flag = tokenizer != null ? "--tokenizer " : "--model ";
        T5Tokenizer loaded;
        try {
            loaded = T5Tokenizer.load(spiece);
        } catch (TokenizerException e) {
            throw new UserError(flag + e.getMessage());
        }
        try {
            Summarizer.checkVocabulary(loaded, model);
        } catch (IllegalArgumentException e) {
            throw new UserError(flag + spiece + ": " + e.getMessage());
        }
        return loaded;
    }

    /** --tokenizer as a spiece.model file or a folder holding one; else the model folder's. */
    static Path spieceModel(String tokenizer, Path modelDir) {
        Path p = tokenizer != null ? Path.of(tokenizer) : modelDir;
        if (Files.isDirectory(p)) p = p.resolve("spiece.model");
        if (!Files.isRegularFile(p)) {
            throw new UserError((tokenizer != null ? "--tokenizer " : "--model ") + p + ": no SentencePiece model (spiece.model) there");
        }
        return p;
    }
}
