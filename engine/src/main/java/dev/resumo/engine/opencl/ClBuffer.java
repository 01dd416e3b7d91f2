package dev.resumo.engine.opencl;

import dev.resumo.engine.backend.DeviceBuffer;
import org.jocl.cl_mem;

/**
 * A float32 buffer resident on an OpenCL device. Host copies happen only through
 * {@link #download} / {@link #write}; release with {@link #close} (or let the runtime go).
 */
public final class ClBuffer implements DeviceBuffer {
    final OpenClRuntime runtime;
    final cl_mem mem;
    private final long size;
    private boolean released;

    ClBuffer(OpenClRuntime runtime, cl_mem mem, long size) {
        this.runtime = runtime;
        this.mem = mem;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    /** All values, copied to the host. */
    public float[] download() {
        float[] out = new float[(int) size];
        runtime.read(this, 0, out, 0, out.length);
        return out;
    }

    public void read(long off, float[] dst, int dstOff, int n) {
        runtime.read(this, off, dst, dstOff, n);
    }

    public void write(long off, float[] src, int srcOff, int n) {
        runtime.write(this, off, src, srcOff, n);
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            OpenClRuntime.release(mem);
        }
    }
}
