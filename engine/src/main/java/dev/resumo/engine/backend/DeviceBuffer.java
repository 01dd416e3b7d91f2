package dev.resumo.engine.backend;

/**
 * Storage of floats owned by one {@link Backend}: a Java array for the CPU backend, a device
 * allocation for OpenCL (a TornadoVM backend would hold its own kind). Offsets passed to ops are
 * counted in floats.
 */
public interface DeviceBuffer extends AutoCloseable {
    long size();

    @Override
    void close();
}
