package dev.resumo.engine.opencl;

import dev.resumo.engine.backend.DeviceBuffer;
import java.lang.ref.Cleaner;
import org.jocl.cl_mem;

/**
 * A float32 buffer resident on an OpenCL device. Host copies happen only through
 * {@link #download} / {@link #read}. The device memory is freed by {@link #close} or, for the
 * many intermediates autograd drops, once the buffer is unreachable (a {@link Cleaner} hands it to
 * the runtime, which keeps it for the next buffer of its size or frees it after the queue has
 * drained past its last use).
 */
public final class ClBuffer implements DeviceBuffer {
    private static final Cleaner CLEANER = Cleaner.create();

    final OpenClRuntime runtime;
    final cl_mem mem;
    private final long size;
    private final Cleaner.Cleanable cleanable;

    ClBuffer(OpenClRuntime runtime, cl_mem mem, long size) {
        this.runtime = runtime;
        this.mem = mem;
        this.size = size;
        long bytes = Math.max(1, size) * 4L;
        runtime.allocated(bytes);
        this.cleanable = CLEANER.register(this, () -> runtime.recycle(mem, bytes));
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
        cleanable.clean();
    }
}
