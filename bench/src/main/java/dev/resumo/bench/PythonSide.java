package dev.resumo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Python side of a side-by-side benchmark: a virtual environment made on first use, and a
 * script shipped in the jar run with its Python. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed
 * for that process only, so its BLAS picks its own kernel for this CPU (they slow current numpy
 * and PyTorch; tests and CI never change them).
 */
public final class PythonSide {
    /** Python, the venv or the script could not be used; the message says what failed. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message);
        }
    }

    private PythonSide() {}

    /**
     * The venv's python, after creating the venv and installing {@code packages} when
     * {@code python -c "import <modules>"} fails there.
     */
    public static Path ensureVenv(Path venv, String modules, List<String> packages, String who, PrintStream log)
            throws Unavailable {
        Path python = venv.resolve("bin").resolve("python");
        try {
            if (Files.isExecutable(python) && exec(log, false, 120, python.toString(), "-c", "import " + modules) == 0) {
                return python;
            }
            log.println(who + ": setting up the Python environment at " + venv + " (once)...");
            String base = System.getenv().getOrDefault("RESUMO_PYTHON", "python3");
            if (exec(log, true, 300, base, "-m", "venv", venv.toString()) != 0) {
                throw new Unavailable("'" + base + " -m venv " + venv + "' failed (is python3 with the venv module installed?)");
            }
            List<String> pip = new ArrayList<>(List.of(python.toString(), "-m", "pip", "install", "--quiet"));
            pip.addAll(packages);
            if (exec(log, true, 3600, pip.toArray(String[]::new)) != 0) {
                throw new Unavailable("'pip install " + String.join(" ", packages) + "' into " + venv + " failed (no network to PyPI?)");
            }
            return python;
        } catch (IOException e) {
            throw new Unavailable("could not run Python (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    /**
     * An interpreter the user already has (a conda env, a system PyTorch), used as it is: nothing is
     * installed into it. Fails with what is missing when {@code python -c "import <modules>"} fails.
     */
    public static Path existing(Path python, String modules, String who, PrintStream log) throws Unavailable {
        if (!Files.isExecutable(python)) throw new Unavailable(who + ": --python " + python + " is not an executable file");
        try {
            if (exec(log, true, 120, python.toString(), "-c", "import " + modules) != 0) {
                throw new Unavailable(who + ": --python " + python + " cannot import " + modules
                        + " (install them there, or leave out --python to use a venv made for the benchmark)");
            }
            return python;
        } catch (IOException e) {
            throw new Unavailable("could not run " + python + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    /**
     * Copies {@code script} (a resource next to {@code owner}) into a scripts folder, runs it with
     * {@code args} and the extra environment, and returns what it printed on stdout (its stderr
     * goes to ours, for progress lines).
     */
    public static String runScript(Path python, Class<?> owner, String script, List<String> args, Map<String, String> env,
                                   int timeoutMinutes) throws Unavailable {
        return runScript(python, owner, script, List.of(), args, env, timeoutMinutes);
    }

    /** As above, with Python modules the script imports (resources next to {@code owner}) copied beside it. */
    public static String runScript(Path python, Class<?> owner, String script, List<String> modules, List<String> args,
                                   Map<String, String> env, int timeoutMinutes) throws Unavailable {
        try {
            Process p = startScript(python, owner, script, modules, args, env);
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new Unavailable(script + " did not finish in " + timeoutMinutes + " minutes");
            }
            if (p.exitValue() != 0) throw new Unavailable(script + " exited with status " + p.exitValue());
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Unavailable("could not run Python (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    /**
     * Starts the script as {@link #runScript} runs it (same copies, same environment, its stderr
     * to ours) and returns the process, for a script that talks over its stdin and stdout.
     */
    public static Process startScript(Path python, Class<?> owner, String script, List<String> modules, List<String> args,
                                      Map<String, String> env) throws Unavailable {
        for (String module : modules) copyResource(owner, module);
        Path copy = copyResource(owner, script);
        List<String> command = new ArrayList<>(List.of(python.toString(), copy.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        dropJvmSignalChaining(pb.environment());
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new Unavailable("could not run Python (" + e.getMessage() + ")");
        }
    }

    /**
     * The script copied into this process's scripts folder under the temp directory (not into the
     * interpreter's own tree: with --python that may be a system or shared installation).
     */
    private static Path copyResource(Class<?> owner, String name) throws Unavailable {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) throw new Unavailable(name + " is missing from the jar");
            Path copy = scriptsDir().resolve(name);
            Files.write(copy, in.readAllBytes());
            copy.toFile().deleteOnExit();
            return copy;
        } catch (IOException e) {
            throw new Unavailable("could not copy " + name + " to a scripts folder (" + e.getMessage() + ")");
        }
    }

    private static Path scripts;

    private static synchronized Path scriptsDir() throws IOException {
        if (scripts == null) {
            scripts = Files.createTempDirectory("resumo-bench-scripts-");
            scripts.toFile().deleteOnExit(); // after the files registered later (reverse order)
        }
        return scripts;
    }

    /**
     * The JVM's signal-chaining library (bin/resumo preloads it for OpenCL, see bin/java-env) is for
     * JVMs: Python and pip run without it, as they would from a shell.
     */
    private static void dropJvmSignalChaining(Map<String, String> env) {
        String preload = env.get("LD_PRELOAD");
        if (preload == null) return;
        String kept = java.util.Arrays.stream(preload.split(":")).filter(p -> !p.endsWith("/libjsig.so"))
                .collect(java.util.stream.Collectors.joining(":"));
        if (kept.isEmpty()) env.remove("LD_PRELOAD");
        else env.put("LD_PRELOAD", kept);
    }

    private static int exec(PrintStream log, boolean showOutput, int timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        dropJvmSignalChaining(pb.environment());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (showOutput && p.exitValue() != 0) log.print(new String(out, StandardCharsets.UTF_8));
        return p.exitValue();
    }
}
