package dev.resumo.engine.opencl;

/** An OpenCL program failed to build: names the kernel file, the options and the compiler log. */
public final class KernelBuildException extends RuntimeException {
    public KernelBuildException(String file, String options, String device, String log) {
        super("OpenCL kernel " + file + " failed to build on " + device + " (options: " + options + "):\n" + log);
    }
}
