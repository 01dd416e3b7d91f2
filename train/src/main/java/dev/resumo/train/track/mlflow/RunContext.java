package dev.resumo.train.track.mlflow;

/**
 * Facts about where a run happens, recorded as MLflow tags.
 *
 * @param engineVersion Resumo's version
 * @param threads compute threads in use (after resolving "0 = all cores")
 * @param device what computes, e.g. "cpu" or an OpenCL device name
 */
public record RunContext(String engineVersion, int threads, String device) {}
