package dev.resumo.cli;

import dev.resumo.serve.ResumoServer;
import dev.resumo.serve.ServeConfig;
import dev.resumo.serve.SummarizerEngine;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Model;
import dev.resumo.tokenizer.T5Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** `resumo serve`: the HTTP API and web page over one model, until SIGTERM/SIGINT (then drains). */
final class ServeCommand implements Subcommand {
    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "serve POST /v1/summarize, /health, /ready, /metrics, /openapi.json and a web page at /";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(SummarizeCommand.opt("model", "DIR", "model folder or hub id ORG/NAME[@REVISION] (required)"));
        o.addOption(SummarizeCommand.opt("tokenizer", "PATH", "spiece.model, tokenizer.json or a directory with one (default: the model directory)"));
        o.addOption(SummarizeCommand.opt("prefix", "TEXT", ModelPrefix.HELP));
        o.addOption(SummarizeCommand.opt("max-source-length", "N", "input tokens the model reads, </s> included; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + " (default: 512)"));
        o.addOption(SummarizeCommand.opt("host", "ADDR", "address to listen on (default: 127.0.0.1)"));
        o.addOption(SummarizeCommand.opt("port", "N", "port to listen on; 0 = any free port (default: 8080)"));
        o.addOption(SummarizeCommand.opt("token-file", "FILE", "API tokens, one per line; also RESUMO_API_TOKENS=t1,t2 (default: none, no auth)"));
        o.addOption(SummarizeCommand.opt("max-body-bytes", "N", "largest request body; 413 past it (default: 1048576)"));
        o.addOption(SummarizeCommand.opt("max-queue", "N", "most texts waiting for a batch; 429 past it (default: 256)"));
        o.addOption(SummarizeCommand.opt("max-batch", "N", "most texts generated together; 1 = no batching (default: 16)"));
        o.addOption(SummarizeCommand.opt("max-wait-ms", "MS", "how long a request waits for others to batch with; 0 to " + ServeConfig.MAX_WAIT_MS + " and below --timeout (default: 10)"));
        o.addOption(SummarizeCommand.opt("timeout", "SECONDS", "answer 504 and cancel the work after this long (default: 120)"));
        o.addOption(Option.builder().longOpt("no-truncate").desc("answer 422 for inputs past --max-source-length instead of truncating (default: truncate)").get());
        o.addOption(SummarizeCommand.opt("max-new-tokens-limit", "N", "largest max_new_tokens a request may ask; at most " + dev.resumo.t5.generate.GenerationConfig.MAX_NEW_TOKENS_LIMIT + " (default: " + ServeConfig.DEFAULT_MAX_NEW_TOKENS_LIMIT + ")"));
        o.addOption(SummarizeCommand.opt("max-beams-limit", "N", "largest num_beams a request may ask; at most " + dev.resumo.t5.generate.GenerationConfig.MAX_NUM_BEAMS + " (default: 8)"));
        o.addOption(SummarizeCommand.opt("max-texts", "N", "most texts in one request; a lower --max-queue lowers it too (default: 64)"));
        o.addOption(DeviceFlag.option());
        o.addOption(SummarizeCommand.opt("shutdown-grace", "SECONDS", "time in-flight requests get to finish at shutdown (default: 30)"));
        o.addOption(SummarizeCommand.opt("max-connections", "N", "connections served at once; past it a new connection gets 503 with "
                + "Retry-After, except a GET or HEAD of /health, /ready or /metrics, which is answered "
                + "(default: " + ServeConfig.DEFAULT_MAX_CONNECTIONS + ")"));
        o.addOption(SummarizeCommand.opt("idle-timeout", "SECONDS", "close a kept-alive connection that sends no request, or reads none of an answer, for this long "
                + "(default: " + ServeConfig.DEFAULT_IDLE_TIMEOUT_MS / 1000 + ")"));
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        String modelArg = line.getOptionValue("model");
        if (modelArg == null) throw new UserError("--model is required");
        ServeConfig config = config(line);
        // Every flag is checked before the server listens, so a mistake is never reported after "listening on".
        int maxSourceLength = SequenceLengthFlags.maxSourceLength(line);
        var device = DeviceFlag.backend(line, err);
        Path modelDir = ModelLoading.modelDir(modelArg, err);
        String prefix = line.getOptionValue("prefix", ModelPrefix.saved(modelDir));
        ResumoServer server = listen(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("resumo serve: shutting down; in-flight requests get " + config.shutdownGraceMs() / 1000.0
                    + " s (--shutdown-grace) to finish, new ones get 503");
            int cut = server.shutdown();
            if (cut > 0) {
                err.println("resumo serve: " + cut + " requests still running when the shutdown grace ended were answered 503"
                        + " and their work cancelled");
            }
            stopped.countDown();
        }));
        err.println("resumo serve: listening on " + server.uri() + " (auth " + (config.tokens().isEmpty() ? "off" : "on, "
                + config.tokens().size() + (config.tokens().size() == 1 ? " token" : " tokens")) + "); loading " + modelDir);
        T5Model model = DeviceFlag.onDevice(ModelLoading.model(modelDir), device);
        T5Tokenizer tokenizer = ModelLoading.tokenizer(line.getOptionValue("tokenizer"), modelDir);
        Summarizer summarizer;
        GenerationFlags.warnIgnoredSettings(modelDir, err);
        try {
            summarizer = new Summarizer(tokenizer, model, Summarizer.modelGenerationConfig(modelDir), prefix, maxSourceLength,
                    config.maxBatch());
        } catch (IllegalArgumentException e) {
            throw new UserError("--model " + e.getMessage());
        }
        SummarizerEngine engine = new SummarizerEngine(summarizer, publicName(modelArg), config.maxBatch());
        try {
            err.printf(java.util.Locale.ROOT, "resumo serve: warmed up in %.1f s (kernels compiled, decode weights prepared)%n",
                    engine.warmUp().seconds());
        } catch (RuntimeException e) {
            // An optimisation, not a precondition: requests report their own errors.
            err.println("resumo serve: warm-up failed (" + e + "); serving anyway, the first requests will be slower");
        }
        server.engineReady(engine);
        err.println("resumo serve: ready at " + server.uri());
        stopped.await();
        return 0;
    }

    /**
     * The model's name in every answer and on the page: a hub id as given, a local folder by its
     * own name only — the full path would tell every client how this machine's disks are laid out.
     */
    static String publicName(String modelArg) {
        Path local;
        try {
            local = Path.of(modelArg);
        } catch (java.nio.file.InvalidPathException e) {
            return modelArg;
        }
        if (!java.nio.file.Files.isDirectory(local)) return modelArg;
        Path name = local.toAbsolutePath().normalize().getFileName();
        return name == null ? "model" : name.toString();
    }

    /**
     * Starts listening; a failure blames the host when it does not resolve or is not an address of
     * this machine, and the port when it is taken (or otherwise refused).
     */
    static ResumoServer listen(ServeConfig config) {
        try {
            java.net.InetAddress.getByName(config.host());
        } catch (java.net.UnknownHostException e) {
            throw new UserError("--host " + config.host() + ": cannot resolve this address (" + e.getMessage() + ")");
        }
        try {
            return ResumoServer.start(config, null);
        } catch (java.net.BindException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("already in use") || why.contains("Permission denied")) {
                throw new UserError("--port " + config.port() + ": cannot listen on " + config.host() + " (" + why + ")");
            }
            throw new UserError("--host " + config.host() + ": cannot listen on this address (" + why + ")");
        } catch (IOException e) {
            throw new UserError("--port " + config.port() + ": cannot listen on " + config.host() + " (" + e.getMessage() + ")");
        }
    }

    static ServeConfig config(CommandLine line) {
        List<String> tokens = ApiTokens.read(line.getOptionValue("token-file"), System.getenv("RESUMO_API_TOKENS"));
        try {
            return new ServeConfig(line.getOptionValue("host", ServeConfig.DEFAULT_HOST),
                    FlagValues.intValue(line, "port", ServeConfig.DEFAULT_PORT, 0), tokens,
                    FlagValues.longValue(line, "max-body-bytes", ServeConfig.DEFAULT_MAX_BODY_BYTES),
                    FlagValues.intValue(line, "max-queue", ServeConfig.DEFAULT_MAX_QUEUE, 1),
                    FlagValues.intValue(line, "max-batch", ServeConfig.DEFAULT_MAX_BATCH, 1),
                    FlagValues.longValue(line, "max-wait-ms", ServeConfig.DEFAULT_MAX_WAIT_MS),
                    seconds(line, "timeout", ServeConfig.DEFAULT_TIMEOUT_MS),
                    !line.hasOption("no-truncate"),
                    FlagValues.intValue(line, "max-new-tokens-limit", ServeConfig.DEFAULT_MAX_NEW_TOKENS_LIMIT, 1),
                    FlagValues.intValue(line, "max-beams-limit", ServeConfig.DEFAULT_MAX_BEAMS_LIMIT, 1),
                    FlagValues.intValue(line, "max-texts", ServeConfig.DEFAULT_MAX_TEXTS, 1),
                    seconds(line, "shutdown-grace", ServeConfig.DEFAULT_SHUTDOWN_GRACE_MS),
                    FlagValues.intValue(line, "max-connections", ServeConfig.DEFAULT_MAX_CONNECTIONS, 1),
                    seconds(line, "idle-timeout", ServeConfig.DEFAULT_IDLE_TIMEOUT_MS));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static long seconds(CommandLine line, String flag, long fallbackMs) {
        float s = FlagValues.floatValue(line, flag, fallbackMs / 1000f);
        if (s <= 0 && !flag.equals("shutdown-grace")) throw new UserError("--" + flag + ": must be > 0 seconds, got " + s);
        if (s < 0) throw new UserError("--" + flag + ": must be ≥ 0 seconds, got " + s);
        // Every such duration ends up as int milliseconds (socket timeouts among them): about 24.8 days at most.
        if (s * 1000.0 > Integer.MAX_VALUE) {
            throw new UserError("--" + flag + ": at most " + Integer.MAX_VALUE / 1000 + " seconds, got " + line.getOptionValue(flag));
        }
        return Math.round(s * 1000.0);
    }
}
