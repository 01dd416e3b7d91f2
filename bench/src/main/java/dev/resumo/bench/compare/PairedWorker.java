package dev.resumo.bench.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.bench.PythonSide;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker of `bench compare --paired`: a Python process (bench_compare_torch_worker.py for
 * PyTorch, bench_compare_ct2_worker.py for CTranslate2) that keeps the model loaded and runs one
 * workload run each time it is asked, so its runs can alternate with Resumo's. One command per
 * line on its stdin, one JSON reply per line on its stdout (the protocol is described in
 * bench_compare_worker.py, the loop both scripts run). While Resumo runs, the worker blocks reading its stdin; while the worker runs,
 * this side blocks waiting for the reply.
 */
public final class PairedWorker implements AutoCloseable {
    /** The worker died, answered an error, did not answer in time or printed something else; a one-line message. */
    public static final class Failed extends Exception {
        public Failed(String message) {
            super(message);
        }
    }

    /**
     * What `prepare` answers: the workload's units (examples or new tokens) and its warm-up run's
     * seconds; {@code skipped} when the side does not run the workload (CTranslate2 does not train).
     */
    public record Prepared(double units, double warmupSeconds, boolean skipped) {}

    /** How long one reply may take: loading torch and the model, or one run of the base model's training step. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(20);

    private static final String END = "\u0000end"; // put on the queue when the worker's stdout closes
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Duration timeout;
    private final String versions;
    private final String side;

    /**
     * Talks to an already started worker and waits for its "ready" line.
     *
     * @param side "PyTorch" or "CTranslate2", for messages
     * @param timeout the longest wait for any one reply
     */
    PairedWorker(String side, Process process, Duration timeout) throws Failed {
        this.side = side;
        this.process = process;
        this.timeout = timeout;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) replies.add(line);
            } catch (IOException e) {
                // the stream broke: the same as the worker closing it
            } finally {
                replies.add(END);
            }
        }, "torch-worker-replies");
        reader.setDaemon(true);
        reader.start();
        JsonNode ready;
        try {
            ready = await("start");
        } catch (Failed e) {
            process.destroyForcibly();
            throw e;
        }
        if (!ready.path("ready").asBoolean(false)) {
            process.destroyForcibly();
            throw new Failed(side + " worker: expected its ready line at start, got " + ready);
        }
        versions = ready.has("ctranslate2")
                ? "ctranslate2 " + ready.path("ctranslate2").asText("?") + ", " + ready.path("threads").asText("?") + " threads, fp32"
                : "torch " + ready.path("torch").asText("?") + ", transformers " + ready.path("transformers").asText("?")
                        + ", " + ready.path("threads").asText("?") + " threads";
    }

    /** Starts bench_compare_torch_worker.py with {@code python} (which imports torch and transformers). */
    public static PairedWorker torch(Path python, Path modelDir, int threads, String torchDevice) throws Failed {
        return start("PyTorch", python, "bench_compare_torch_worker.py",
                List.of("bench_compare_common.py", "bench_compare_worker.py", "bench_compare_torch_workloads.py"),
                List.of("--model", modelDir.toString(), "--threads", Integer.toString(threads), "--device", torchDevice), threads);
    }

    /**
     * Starts bench_compare_ct2_worker.py with {@code python} (which imports ctranslate2; converting
     * the checkpoint the first time also needs transformers, tokenizers and torch).
     */
    public static PairedWorker ctranslate2(Path python, Path modelDir, int threads) throws Failed {
        return start("CTranslate2", python, "bench_compare_ct2_worker.py", List.of("bench_compare_common.py", "bench_compare_worker.py", "bench_compare_ct2.py"),
                List.of("--model", modelDir.toString(), "--threads", Integer.toString(threads)), threads);
    }

    private static PairedWorker start(String side, Path python, String script, List<String> modules, List<String> args, int threads)
            throws Failed {
        Process p;
        try {
            p = PythonSide.startScript(python, PairedWorker.class, script, modules, args,
                    Map.of("OMP_NUM_THREADS", Integer.toString(threads), "TOKENIZERS_PARALLELISM", "false"));
        } catch (PythonSide.Unavailable e) {
            throw new Failed(side + " worker: " + e.getMessage());
        }
        return new PairedWorker(side, p, DEFAULT_TIMEOUT);
    }

    /** "PyTorch" or "CTranslate2". */
    public String side() {
        return side;
    }

    /** "torch X, transformers Y, T threads" (or CTranslate2's version), from the ready line. */
    public String versions() {
        return versions;
    }

    /** Builds the workload's inputs, resets the worker's peak resident set and runs its one warm-up. */
    public Prepared prepare(String workload) throws Failed {
        JsonNode r = ask("prepare " + workload);
        if (workload.equals(r.path("skipped").asText(null))) return new Prepared(0, Double.NaN, true);
        if (!workload.equals(r.path("prepared").asText(null)) || !r.path("units").isNumber()) {
            throw unexpected("prepare " + workload, r);
        }
        return new Prepared(r.path("units").asDouble(), r.path("warmup_seconds").asDouble(Double.NaN), false);
    }

    /** One timed run of the prepared workload, seconds as the worker measured them (the pipe's latency left out). */
    public double run() throws Failed {
        JsonNode r = ask("run");
        if (!r.path("seconds").isNumber()) throw unexpected("run", r);
        return r.path("seconds").asDouble();
    }

    /** Ends the workload: the worker's peak resident set (VmHWM, MiB) since its prepare. */
    public double finish() throws Failed {
        JsonNode r = ask("finish");
        if (!r.path("peak_rss_mib").isNumber()) throw unexpected("finish", r);
        return r.path("peak_rss_mib").asDouble();
    }

    /** Asks the worker to quit; kills it if it has not within 10 s (or is stuck mid-run). */
    @Override
    public void close() {
        try {
            commands.write("quit\n");
            commands.flush();
            commands.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode ask(String command) throws Failed {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw died(command);
        }
        return await(command);
    }

    private JsonNode await(String command) throws Failed {
        String line;
        try {
            line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new Failed(side + " worker: interrupted waiting for its answer to '" + command + "'");
        }
        if (line == null) {
            process.destroyForcibly();
            throw new Failed(String.format(java.util.Locale.ROOT, side + " worker: no answer to '%s' in %.1f s (stopped it)",
                    command, timeout.toMillis() / 1000.0));
        }
        if (line.equals(END)) throw died(command);
        JsonNode reply;
        try {
            reply = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            reply = null;
        }
        if (reply == null || !reply.isObject()) {
            process.destroyForcibly();
            throw new Failed(side + " worker: answered '" + command + "' with '" + abbreviate(line) + "', not a JSON reply");
        }
        if (reply.has("error")) {
            throw new Failed(side + " worker failed at '" + command + "': " + abbreviate(reply.path("error").asText()));
        }
        return reply;
    }

    private Failed died(String command) {
        String status;
        try {
            status = process.waitFor(5, TimeUnit.SECONDS) ? "status " + process.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "unknown status";
        }
        return new Failed(side + " worker exited (" + status + ") before answering '" + command + "' (its stderr is above)");
    }

    private Failed unexpected(String command, JsonNode reply) {
        process.destroyForcibly();
        return new Failed(side + " worker: unexpected answer to '" + command + "': " + abbreviate(reply.toString()));
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 200 ? one : one.substring(0, 200) + "…";
    }
}
