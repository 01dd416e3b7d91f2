package dev.resumo.cli;

import dev.resumo.bench.FmaPeak;
import dev.resumo.bench.OpenClGemmReport;
import dev.resumo.bench.compare.CompareTable;
import dev.resumo.bench.compare.CtranslateSide;
import dev.resumo.bench.PythonSide;
import dev.resumo.bench.compare.ModelShapes;
import dev.resumo.bench.compare.PairedRuns;
import dev.resumo.bench.compare.BesideRuns;
import dev.resumo.bench.compare.PairedSide;
import dev.resumo.bench.compare.PairedWorker;
import dev.resumo.bench.compare.Rounds;
import dev.resumo.bench.compare.TorchSide;
import dev.resumo.bench.compare.T5Workloads;
import dev.resumo.bench.compare.WorkloadResult;
import dev.resumo.engine.cpu.Workers;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import dev.resumo.t5.T5Model;
import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.opencl.OpenClBackend;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * `resumo bench compare`: whole T5 workloads (training step, greedy and beam generation) timed on
 * Resumo and on PyTorch in the same run, same thread count, same random-weight checkpoint.
 */
final class BenchCompareCommand implements Subcommand {
    @Override
    public String name() {
        return "bench compare";
    }

    @Override
    public String summary() {
        return "training step and generation of a PTT5-shaped model, Resumo vs PyTorch side by side";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("size", "NAME", "model shape: small (PTT5-small: d_model 512, d_ff 2048, 6+6 layers, 8 heads) or "
                + "base (d_model 768, d_ff 3072, 12+12 layers, 12 heads) (default: small)"));
        o.addOption(opt("threads", "N", "threads for Resumo and for torch.set_num_threads; at most " + dev.resumo.train.TrainConfig.MAX_THREADS + " (default: available processors, "
                + Runtime.getRuntime().availableProcessors() + " here)"));
        o.addOption(opt("repeats", "N", "timed runs per workload after the warm-up (Resumo: at least 2 runs and 3 s, 5 runs for the training step, then until two agree within 5% with the JIT compiling under 5% of the last, at most 20; PyTorch: one); the median is reported (default: 3)"));
        o.addOption(opt("rounds", "N", "measure PyTorch, CTranslate2 and Resumo in turn N times over and report the "
                + "median of the rounds' medians, with each round's speedup: spreads a drift of the machine's speed over "
                + "both sides (default: 1)"));
        o.addOption(Option.builder().longOpt("paired").desc("alternate PyTorch and Resumo run by run (a PyTorch worker "
                + "keeps the model loaded): torch run 1, Resumo run 1, torch run 2, ...; the speedup is the median of the "
                + "pairs' ratios, so a drift of the machine's speed over minutes does not move it; with --ctranslate2 a "
                + "CTranslate2 worker's run comes between PyTorch's and Resumo's; not with --rounds or --no-torch (default: off)").get());
        o.addOption(opt("workloads", "LIST", "comma-separated subset of " + String.join(",", T5Workloads.names())
                + " (default: all)"));
        o.addOption(opt("model-dir", "DIR", "where the random-weight checkpoint is written once and read by both sides "
                + "(default: .resumo/bench-compare/<size>)"));
        o.addOption(opt("venv", "DIR", "the PyTorch venv, created on first use (default: .venv-compare)"));
        o.addOption(opt("python", "PATH", "an existing Python with torch and transformers (and ctranslate2 for "
                + "--ctranslate2), used as it is instead of the venv: a conda env, a machine without PyPI access (default: none, the venv)"));
        o.addOption(DeviceFlag.option());
        o.addOption(Option.builder().longOpt("no-torch").desc("time Resumo alone (default: PyTorch is measured)").get());
        o.addOption(Option.builder().longOpt("ctranslate2").desc("add a CTranslate2 column for the generation workloads "
                + "(fp32, same checkpoint converted once, same threads; installs ctranslate2 into the venv on first use) (default: off)").get());
        return o;
    }

    private static Option opt(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).get();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        String size = line.getOptionValue("size", "small");
        if (!size.equals("small") && !size.equals("base")) throw new UserError("--size must be small or base, got '" + size + "'");
        int threads = BenchFlags.threads(line);
        int repeats = FlagValues.intValue(line, "repeats", 3, 1);
        int rounds = FlagValues.intValue(line, "rounds", 1, 1);
        boolean paired = line.hasOption("paired");
        if (paired && line.hasOption("no-torch")) throw new UserError("--paired pairs PyTorch's runs with Resumo's; leave out --no-torch");
        if (paired && rounds > 1) {
            throw new UserError("--paired and --rounds " + rounds + ": give one (--paired alternates the sides run by run, "
                    + "which rounds approximate workload by workload)");
        }
        List<String> workloads = workloads(line.getOptionValue("workloads", String.join(",", T5Workloads.names())));
        Path modelDir = Path.of(line.getOptionValue("model-dir", ".resumo/bench-compare/" + size));
        if (line.hasOption("python") && line.hasOption("venv")) {
            throw new UserError("--python and --venv both name the PyTorch side's Python; give one");
        }
        Path python = line.hasOption("python") ? Path.of(line.getOptionValue("python")).toAbsolutePath() : null;
        // A directory passes isExecutable (its search bit): it failed only after the Resumo side had run.
        if (python != null && !(Files.isRegularFile(python) && Files.isExecutable(python))) {
            throw new UserError("--python " + python + " is not an executable file");
        }
        Path venv = Path.of(line.getOptionValue("venv", ".venv-compare")).toAbsolutePath();
        // Checked up front: the venv is first used after the Resumo side has run every workload.
        if (python == null && Files.exists(venv) && !Files.isDirectory(venv)) {
            throw new UserError("--venv " + venv + " is a file, not a virtual environment folder");
        }
        Workers.setThreads(threads);

        Backend device = DeviceFlag.backend(line, err);
        // Resumo computes on --device; PyTorch then runs on CUDA when Resumo is on an OpenCL device
        // (a GPU against a GPU), and on the CPU otherwise.
        String torchDevice = device instanceof OpenClBackend ? "cuda" : "cpu";
        // Before the model: it once wrote (and uploaded) a whole checkpoint before refusing the pair.
        if (line.hasOption("ctranslate2") && device != null) {
            throw new UserError("--ctranslate2 compares on the CPU; leave out --device");
        }
        // --paired: the worker's Python is checked (or its venv made) before the checkpoint and the
        // model: without PyTorch there is nothing to pair.
        Path workerPython = paired ? workerPython(() -> TorchSide.python(venv, python, "bench compare --paired", err)) : null;
        Path ct2Python = paired && line.hasOption("ctranslate2")
                ? workerPython(() -> CtranslateSide.python(venv, python, "bench compare --paired", err)) : null;
        T5Model model = DeviceFlag.onDevice(modelAt(modelDir, ModelShapes.of(size), err), device);
        T5Workloads bench = new T5Workloads(model, repeats, err::println);
        List<Map<String, double[]>> torchRounds = new ArrayList<>();
        List<Map<String, double[]>> ct2Rounds = new ArrayList<>();
        List<List<WorkloadResult>> resumoRounds = new ArrayList<>();
        Map<String, PairedRuns> pairs = Map.of();
        String torchNote = "PyTorch not measured (--no-torch)";
        String ct2Note = null;
        Map<String, PairedRuns> ct2Pairs = Map.of();
        if (paired) {
            try (PairedSide torch = new PairedSide(startWorker(() -> PairedWorker.torch(workerPython, modelDir.toAbsolutePath(), threads,
                    torchDevice)), "torch", err::println);
                 PairedSide ct = ct2Python == null ? null : new PairedSide(startWorker(() -> PairedWorker.ctranslate2(ct2Python,
                         modelDir.toAbsolutePath(), threads)), "ct2", err::println)) {
                BesideRuns beside = ct == null ? torch : BesideRuns.inTurn(torch, ct);
                List<WorkloadResult> mine = new ArrayList<>();
                for (String w : workloads) mine.add(bench.run(w, beside));
                resumoRounds.add(mine);
                torchRounds.add(torch.results());
                pairs = torch.pairs();
                torchNote = torch.versions() + ", paired run by run"
                        + (torch.failure() == null ? "" : "; PyTorch stopped early, figures missing from there on: " + torch.failure());
                if (ct != null) {
                    ct2Rounds.add(ct.results());
                    ct2Pairs = ct.pairs();
                    ct2Note = ct.versions() + ", paired run by run (torch run i, ct2 run i, resumo run i)"
                            + (ct.failure() == null ? "" : "; CTranslate2 stopped early, figures missing from there on: " + ct.failure());
                }
            }
        }
        for (int round = 1; round <= rounds && !paired; round++) {
            if (rounds > 1) err.println("bench compare: round " + round + " of " + rounds);
            if (!line.hasOption("no-torch")) {
                TorchSide.Outcome o = TorchSide.measure(venv, python, modelDir.toAbsolutePath(), threads, repeats, workloads,
                        torchDevice, err);
                torchRounds.add(o.results());
                if (round == 1 || o.failure() != null) {
                    torchNote = o.failure() == null ? o.versions()
                            : "PyTorch figures missing: " + o.failure() + " (Resumo figures alone)";
                }
            }
            if (line.hasOption("ctranslate2")) {
                TorchSide.Outcome o = CtranslateSide.measure(venv, python, modelDir.toAbsolutePath(), threads, repeats,
                        workloads, err);
                ct2Rounds.add(o.results());
                if (round == 1 || o.failure() != null) {
                    ct2Note = o.failure() == null ? o.versions() : "CTranslate2 figures missing: " + o.failure();
                }
            }
            List<WorkloadResult> mine = new ArrayList<>();
            for (String w : workloads) mine.add(bench.run(w));
            resumoRounds.add(mine);
        }
        Map<String, double[]> torch = Rounds.combineSide(torchRounds);
        Map<String, double[]> ct2 = Rounds.combineSide(ct2Rounds);
        List<WorkloadResult> results = new ArrayList<>();
        for (int w = 0; w < workloads.size(); w++) {
            List<WorkloadResult> perRound = new ArrayList<>();
            for (List<WorkloadResult> round : resumoRounds) perRound.add(round.get(w));
            results.add(Rounds.combine(perRound));
        }
        // On a device the share is of the device's own GEMM rate; the CPU's FMA peak is the CPU's.
        double peak = device instanceof OpenClBackend cl ? OpenClGemmReport.gemmPeak(cl) : FmaPeak.measure(threads, 3, 200);
        String peakLine = device instanceof OpenClBackend
                ? String.format(Locale.ROOT, "device GEMM peak (fp32 2048x2048x2048, tuned tiles, best of 3): %.1f GFLOP/s", peak)
                : String.format(Locale.ROOT, "FMA peak (%d threads): %.1f GFLOP/s", threads, peak);

        T5Config c = model.config();
        out.println("resumo device: " + (device == null ? "cpu" : device.name()) + "; torch device: " + torchDevice);
        out.printf(Locale.ROOT, "model: %s shape (d_model %d, d_ff %d, %d+%d layers, %d heads, vocab %d, ReLU, tied), fp32, random weights in %s%n",
                size, c.dModel(), c.dFf(), c.numLayers(), c.numDecoderLayers(), c.numHeads(), c.vocabSize(), modelDir);
        if (rounds > 1) {
            String others = (torchRounds.isEmpty() ? "" : "PyTorch, ") + (ct2Rounds.isEmpty() ? "" : "CTranslate2, ");
            String sides = others.isEmpty() ? "Resumo alone" : others + "then Resumo, in turn";
            out.printf(Locale.ROOT, "%d rounds (%s): the median of the rounds' medians, the best run of all, "
                    + "units and RSS from round 1%n", rounds, sides);
        }
        out.printf(Locale.ROOT, "threads %d, median of %d runs after warm-up (Resumo: at least 2 and 3 s, train 5, until two agree within 5%% and the JIT is quiet; PyTorch 1); train: batch %d, %d source + %d target tokens, "
                        + "Adafactor lr 1e-3; generation: %d-token inputs, %d new tokens (EOS banned: min = max new tokens)%n",
                threads, repeats, T5Workloads.TRAIN_BATCH, T5Workloads.SOURCE, T5Workloads.TARGET, T5Workloads.SOURCE,
                T5Workloads.NEW_TOKENS);
        out.println(torchNote);
        if (ct2Note != null) out.println(ct2Note);
        out.printf(Locale.ROOT, "%s; load average %s%n", peakLine, loadAverage());
        CompareTable.print(results, torch, ct2, pairs, ct2Pairs, peak, out);
        out.println((paired ? "speedup = median of the pair ratios (each torch run / the resumo run right after it), "
                + "pairs = their lowest-highest" : "speedup = torch median / resumo median") + ", best-of = torch best / resumo best; GFLOP/s and %peak are Resumo's, from the model's matrix-product FLOPs; "
                + "RSS = peak resident set (VmHWM) reset before each workload");
        String allocation = CompareTable.allocationLine(results);
        if (allocation != null) out.println(allocation);
        if (rounds > 1) Rounds.speedupLines(resumoRounds, torchRounds).forEach(out::println);
        pairs.forEach((w, p) -> out.println(p.line(w)));
        ct2Pairs.forEach((w, p) -> out.println(p.line(w, "ct2")));
        return 0;
    }

    private interface PythonLookup {
        Path find() throws PythonSide.Unavailable;
    }

    /**
     * The Python for a --paired worker (the venv's, made on first use, or --python's), or a
     * one-line error: the unpaired mode goes on with Resumo alone, but here the user asked for the pairs.
     */
    private static Path workerPython(PythonLookup lookup) {
        try {
            return lookup.find();
        } catch (PythonSide.Unavailable e) {
            throw new UserError(e.getMessage());
        }
    }

    private interface WorkerStart {
        PairedWorker start() throws PairedWorker.Failed;
    }

    /** A --paired worker, started and ready (model loaded), or a one-line error. */
    private static PairedWorker startWorker(WorkerStart start) {
        try {
            return start.start();
        } catch (PairedWorker.Failed e) {
            throw new UserError("--paired: " + e.getMessage());
        }
    }

    private static List<String> workloads(String list) {
        List<String> names = new ArrayList<>();
        for (String w : list.split(",")) {
            String name = w.trim();
            if (name.isEmpty()) continue;
            if (!T5Workloads.names().contains(name)) {
                throw new UserError("--workloads: unknown workload '" + name + "' (known: " + String.join(",", T5Workloads.names()) + ")");
            }
            names.add(name);
        }
        if (names.isEmpty()) throw new UserError("--workloads: no workload given (known: " + String.join(",", T5Workloads.names()) + ")");
        return names;
    }

    /** Loads the checkpoint in dir, or makes a random one (seed 1) and writes it there first. */
    private static T5Model modelAt(Path dir, T5Config shape, PrintStream err) throws java.io.IOException {
        if (Files.exists(dir.resolve(T5Checkpoint.CONFIG))) {
            T5Model m = T5Checkpoint.load(dir);
            if (m.config().dModel() != shape.dModel() || m.config().numLayers() != shape.numLayers()) {
                throw new UserError("--model-dir " + dir + " holds a d_model " + m.config().dModel() + " model, not the requested shape");
            }
            return m;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UserError("--model-dir " + dir + " is a file, not a directory");
        err.println("bench compare: writing a random-weight checkpoint to " + dir + " (once)");
        T5Model m = T5Init.random(shape, new Random(1));
        try {
            T5Checkpoint.save(m, dir);
        } catch (java.io.IOException e) {
            throw new UserError("--model-dir " + dir + ": cannot write the checkpoint (" + Messages.describe(e) + ")");
        }
        return m;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
