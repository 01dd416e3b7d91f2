package dev.resumo.train.track.mlflow;

/**
 * Facts about where a run happens, recorded as MLflow tags.
 *
 * @param engineVersion Resumo's version
 * @param threads compute threads in use (after resolving "0 = all cores")
 * @param device what computes, e.g. "cpu" or an OpenCL device name
 */
public record RunContext(String engineVersion, int threads, String device) {
    /** Where the CLI's build records Resumo's version (present in the fat jar). */
    private static final String VERSION_RESOURCE = "dev/resumo/cli/version.properties";

    /** This JVM's context: the version the build recorded ("unknown" outside the jar), the threads given, the CPU. */
    public static RunContext current(int threads) {
        return new RunContext(recordedVersion(), threads, "cpu (" + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.arch") + ")");
    }

    public static String recordedVersion() {
        ClassLoader loader = RunContext.class.getClassLoader();
        try (java.io.InputStream in = loader.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) return "unknown";
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
