package dev.resumo.engine.opencl;

import static org.jocl.CL.*;

import dev.resumo.engine.TuningProperty;
import dev.resumo.engine.backend.DeviceMemoryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * One OpenCL device in use: its context, an in-order queue, and the programs built for it.
 * Programs are compiled once per (source, options) — keyed by the SHA-256 of both — and kept for
 * the life of the runtime; runtimes are shared per device through {@link #forDevice}. A build
 * failure throws {@link KernelBuildException} with the kernel file and the compiler's log.
 *
 * <p>Several threads may drive one runtime (`resumo batch` runs Beam's worker threads over one
 * shared model): each launch sets its kernel's arguments and enqueues it under the runtime's lock,
 * and an op that spans several launches keeps its intermediates in buffers of its own, never in
 * runtime state another thread's op could change between them (OpenClThreadsTest).
 */
public final class OpenClRuntime implements AutoCloseable {
    private static final Map<String, OpenClRuntime> BY_DEVICE = new ConcurrentHashMap<>();

    private final DeviceInfo info;
    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final Map<String, cl_program> programs = new HashMap<>();
    /**
     * Kernels by file, then options, then name: looked up at every launch, so no key is built
     * (the "file|options|name" string it was cost a concatenation and a hash per launch, ~14% of
     * the Java samples of a device decode on PoCL, DeviceDecodeHostCostProbe).
     */
    private final Map<String, Map<String, Map<String, cl_kernel>>> kernels = new HashMap<>();
    /** Small per-launch buffers (offsets, layouts, ids) freed once the queue has drained past them. */
    private final java.util.List<cl_mem> pendingRelease = new java.util.ArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong liveBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Device time per kernel when {@code -Dresumo.opencl.profile=true}, else null. */
    private final KernelProfile profile = KernelProfile.ENABLED ? new KernelProfile() : null;
    private boolean closed;
    /** Kernels enqueued so far (always counted: one increment per launch, under the launch lock). */
    private long launches;

    private OpenClRuntime(DeviceInfo info) {
        this.info = info;
        this.device = OpenClDevices.handle(info);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, OpenClDevices.platformHandle(info));
        this.context = clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        @SuppressWarnings("deprecation") // OpenCL 1.2 entry point: works on every ICD, 2.x ones included
        cl_command_queue q = clCreateCommandQueue(context, device, profile == null ? 0 : CL_QUEUE_PROFILING_ENABLE, null);
        this.queue = q;
        this.maxAllocBytes = OpenClDevices.maxAllocBytes(device);
        this.correctlyRoundedDivideSqrt = OpenClDevices.correctlyRoundedDivideSqrt(device);
        this.pool = new ClBufferPool(TuningProperty.longValue("resumo.opencl.poolBytes", info.globalMemBytes() / 4, 0, Long.MAX_VALUE));
        this.collectStep = info.globalMemBytes() / 4;
        this.collectAt = collectStep;
        if (profile != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.print(profileReport())));
        }
    }

    /** The shared runtime of a device ("opencl" or "opencl:P:D"). */
    public static OpenClRuntime forDevice(String spec) {
        DeviceInfo info = OpenClDevices.select(spec);
        return BY_DEVICE.computeIfAbsent(info.selector(), k -> new OpenClRuntime(info));
    }

    public DeviceInfo info() {
        return info;
    }

    cl_context context() {
        return context;
    }

    cl_command_queue queue() {
        return queue;
    }

    // ---- buffers ----

    public ClBuffer allocate(long floats) {
        ClBuffer b = create(floats);
        if (floats > 0) fill(b, 0, floats, 0f);
        return b;
    }

    private ClBuffer create(long floats) {
        long bytes = Math.max(1, floats) * Sizeof.cl_float;
        cl_mem m = pool.take(bytes);
        return new ClBuffer(this, m != null ? m : createBuffer(CL_MEM_READ_WRITE, bytes, null), floats);
    }

    /**
     * Dropped tensors' buffers for reuse (ClBufferPool). At most a quarter of the device's memory
     * sits there unless -Dresumo.opencl.poolBytes says otherwise (0 turns reuse off: every buffer is
     * created and released, as before the pool, for A/B timing).
     */
    private final ClBufferPool pool;

    /** A dropped tensor's buffer (its cleaner calls this): kept for reuse, or released. */
    void recycle(cl_mem m, long bytes) {
        liveBytes.addAndGet(-bytes);
        for (cl_mem r : pool.offer(m, bytes)) releaseLater(r);
    }

    /** Buffer reuse so far: {requests served from the pool, requests that created a buffer}. */
    public long[] poolHitsAndMisses() {
        return pool.hitsAndMisses();
    }

    /** CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT in the device's single-precision config. */
    private final boolean correctlyRoundedDivideSqrt;

    /** CL_DEVICE_MAX_MEM_ALLOC_SIZE: the largest single buffer the device allows. */
    private final long maxAllocBytes;

    public long maxAllocBytes() {
        return maxAllocBytes;
    }

    /**
     * clCreateBuffer, with a request the device cannot hold turned into a
     * {@link DeviceMemoryException} that names the device, the size and the limit. Without it the
     * user saw a bare "org.jocl.CLException: CL_INVALID_BUFFER_SIZE" and a stack trace.
     */
    private cl_mem createBuffer(long flags, long bytes, Pointer host) {
        if (bytes > maxAllocBytes) {
            throw new DeviceMemoryException(device() + ": cannot allocate a buffer of " + mib(bytes)
                    + ": the device's largest buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE) is " + mib(maxAllocBytes)
                    + "; use a smaller batch or sequence length, or another device", null);
        }
        for (boolean retried = false; ; retried = true) {
            try {
                return clCreateBuffer(context, flags, bytes, host, null);
            } catch (CLException e) {
                RuntimeException error = memoryError(e, "allocating a buffer of " + mib(bytes));
                if (retried || !(error instanceof DeviceMemoryException) || pool.freeBytes() == 0) throw error;
            }
            releaseFreeBuffers(); // the pool's free buffers may be what the device is missing
        }
    }

    /** A CLException that says the device ran out of memory as a DeviceMemoryException; others unchanged. */
    RuntimeException memoryError(CLException e, String doing) {
        int status = e.getStatus();
        if (status != CL_MEM_OBJECT_ALLOCATION_FAILURE && status != CL_OUT_OF_RESOURCES && status != CL_OUT_OF_HOST_MEMORY
                && status != CL_INVALID_BUFFER_SIZE) {
            return e;
        }
        return new DeviceMemoryException(device() + ": out of memory " + doing + " (" + CL.stringFor_errorCode(status)
                + "; live tensors hold " + mib(liveBytes()) + " of " + mib(info.globalMemBytes())
                + "); use a smaller batch or sequence length, or another device", e);
    }

    private String device() {
        return "OpenCL device " + info.selector() + " (" + info.name() + ")";
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /**
     * Tests set {@code -Dresumo.opencl.poison=true}: uninitialized buffers are then filled with NaN,
     * so an op that leaves part of its output unwritten fails the CPU comparison instead of passing
     * on memory that happened to be zero.
     */
    private static final boolean POISON = Boolean.getBoolean("resumo.opencl.poison");

    /** A buffer whose contents are undefined (NaN under poisoning): for outputs written in full. */
    public ClBuffer allocateUninitialized(long floats) {
        ClBuffer b = create(floats);
        if (POISON && floats > 0) {
            fill(b, 0, floats, Float.NaN);
            synchronized (this) {
                launches--; // the tests' poison is no op's work: launch counts stay those of a real run
            }
        }
        return b;
    }

    public ClBuffer upload(float[] data) {
        return upload(data, 0, data.length);
    }

    public ClBuffer upload(float[] data, int off, int n) {
        if (n == 0) return create(0);
        // Copied at creation (CL_MEM_COPY_HOST_PTR): no queue command, so no wait for queued kernels.
        cl_mem mem = createBuffer(CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) n * Sizeof.cl_float,
                Pointer.to(data).withByteOffset((long) off * Sizeof.cl_float));
        return new ClBuffer(this, mem, n);
    }

    /** Key of the constant cache: an int[] compared by content. */
    private record IntsKey(int[] values, int hash) {
        IntsKey(int[] values) {
            this(values, java.util.Arrays.hashCode(values));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IntsKey k && k.hash == hash && java.util.Arrays.equals(k.values, values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Map<IntsKey, cl_mem> constants = new HashMap<>();
    /** The generation of constants the last reset set aside, released at the next reset. */
    private final java.util.List<cl_mem> retiredConstants = new java.util.ArrayList<>();
    /** Entries after which the constant cache starts over. */
    static final int CONSTANTS_CAP = 8192;

    /**
     * A read-only int buffer for small launch metadata that repeats every step (strided layouts,
     * batch offsets): uploaded once per distinct content and kept (bounded: past
     * {@link #CONSTANTS_CAP} entries the cache starts over). A caller uses the buffer after this
     * returns — ClGemm fetches two, then launches — so a reset cannot free what it sets aside at
     * the next drain: another thread's drain (the cleaner's, every 512 releases) could come between
     * a fetch and its launch, and the kernel would read freed memory. The set-aside generation is
     * released at the reset after, once {@link #CONSTANTS_CAP} more layouts have been made.
     */
    synchronized cl_mem constInts(int[] values) {
        IntsKey key = new IntsKey(values.clone());
        cl_mem m = constants.get(key);
        if (m != null) return m;
        if (constants.size() >= CONSTANTS_CAP) {
            pendingRelease.addAll(retiredConstants);
            retiredConstants.clear();
            retiredConstants.addAll(constants.values());
            constants.clear();
        }
        m = uploadInts(values);
        constants.put(key, m);
        return m;
    }

    /** An int buffer (ids, labels, batch offsets, layouts); read-only for the kernels, copied at creation. */
    public cl_mem uploadInts(int[] data) {
        if (data.length == 0) return createBuffer(CL_MEM_READ_ONLY, Sizeof.cl_int, null);
        return createBuffer(CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) data.length * Sizeof.cl_int, Pointer.to(data));
    }

    void write(ClBuffer b, long dstOff, float[] src, int srcOff, int n) {
        if (n == 0) return;
        clEnqueueWriteBuffer(queue, b.mem, CL_TRUE, dstOff * Sizeof.cl_float, (long) n * Sizeof.cl_float,
                Pointer.to(src).withByteOffset((long) srcOff * Sizeof.cl_float), 0, null, null);
    }

    void read(ClBuffer b, long srcOff, float[] dst, int dstOff, int n) {
        if (n == 0) return;
        finish();
        clEnqueueReadBuffer(queue, b.mem, CL_TRUE, srcOff * Sizeof.cl_float, (long) n * Sizeof.cl_float,
                Pointer.to(dst).withByteOffset((long) dstOff * Sizeof.cl_float), 0, null, null);
    }

    void fill(ClBuffer b, long off, long n, float value) {
        launch1d(kernel("elementwise.cl", "fill", ""), n, (int) n, b, (int) off, value);
    }

    /** Waits for every queued command. */
    public synchronized void finish() {
        clFinish(queue);
        if (profile != null) profile.collect();
        pendingRelease.forEach(org.jocl.CL::clReleaseMemObject);
        pendingRelease.clear();
    }

    /**
     * Frees a launch's small argument buffer after the queue has run past it. (Releasing right
     * after the enqueue is legal OpenCL, but PoCL 3.1 then frees memory a queued kernel still
     * reads — seen as heap corruption — so the release waits for the next drain.)
     */
    synchronized void releaseLater(cl_mem m) {
        pendingRelease.add(m);
        if (pendingRelease.size() >= 512) finish();
    }

    /**
     * Live bytes past which the next allocation first asks the JVM to collect: intermediates are
     * freed by their cleaners, which the host heap alone would rarely trigger (a training step
     * allocates megabytes of heap and gigabytes of device memory). Set a quarter of the device's
     * memory above what a collection left live, so the garbage found at once fits the pool (also a
     * quarter) and is reused instead of released. Why not the half it was: 70 GB of garbage at once
     * on an H200, then thousands of releases, each 512 a queue drain, took several training steps
     * from 0.06 s to 0.3-1.4 s (bench compare --device opencl, warm-ups and timed runs).
     */
    private volatile long collectAt;
    /** How far above what a collection left live the next one comes: a quarter of the device. */
    private volatile long collectStep;

    /** Collections of device garbage so far (tests). */
    final java.util.concurrent.atomic.AtomicLong collections = new java.util.concurrent.atomic.AtomicLong();

    /** Tests: collect when live bytes pass {@code at}, then every {@code step} bytes. */
    void collectionThresholds(long at, long step) {
        collectStep = step;
        collectAt = at;
    }

    /**
     * Set while one thread collects; others go on without waiting. A lock here deadlocked: a thread
     * allocating inside a synchronized runtime method (the split-K scratch buffer once did) waited
     * for it while its holder, in finish(), waited for the runtime's monitor.
     */
    private final java.util.concurrent.atomic.AtomicBoolean collecting = new java.util.concurrent.atomic.AtomicBoolean();

    /** Counts a new buffer; past {@link #collectAt}, collects unreachable buffers first (see there). */
    void allocated(long bytes) {
        if (liveBytes.addAndGet(bytes) <= collectAt || !collecting.compareAndSet(false, true)) return;
        try {
            collections.incrementAndGet();
            System.gc();
            try {
                Thread.sleep(20); // the cleaners run on their own thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finish();
            long live = liveBytes.get();
            // Past half the device in live tensors, the pool's free buffers go back too: the next
            // quarter of garbage and the pool's quarter would not both fit beside them.
            if (live > info.globalMemBytes() / 2) releaseFreeBuffers();
            collectAt = live + collectStep;
        } finally {
            collecting.set(false);
        }
    }

    /** Releases every buffer the pool keeps, once the queue has drained past their last use. */
    private void releaseFreeBuffers() {
        for (cl_mem m : pool.drain()) releaseLater(m);
        finish();
    }

    /** Bytes held by live tensor buffers on this device. */
    public long liveBytes() {
        return liveBytes.get();
    }

    // ---- programs and kernels ----

    /** The kernel {@code name} from resource {@code file} built with {@code options} (cached). */
    public synchronized cl_kernel kernel(String file, String name, String options) {
        Map<String, cl_kernel> byName = kernels.computeIfAbsent(file, f -> new HashMap<>())
                .computeIfAbsent(options, o -> new HashMap<>());
        cl_kernel k = byName.get(name);
        if (k != null) return k;
        cl_program program = program(file, options);
        try {
            k = clCreateKernel(program, name, null);
        } catch (CLException e) {
            throw new IllegalStateException("OpenCL kernel '" + name + "' not found in " + file + ": " + e.getMessage(), e);
        }
        byName.put(name, k);
        return k;
    }

    private cl_program program(String file, String options) {
        String source = source(file);
        String key = sha256(source + "\0" + options);
        cl_program program = programs.get(key);
        if (program != null) return program;
        program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device}, options + " " + arithmeticOptions(file), null, null);
        } catch (CLException e) {
            throw new KernelBuildException(file, options, info.name(), buildLog(program));
        }
        programs.put(key, program);
        return program;
    }

    /**
     * Programs whose results must match the CPU's float32 operations exactly: the optimizer updates,
     * written in torch's operation order (optim.cl). Everything else may contract a·b + c into a mad.
     */
    private static final java.util.Set<String> EXACT_ARITHMETIC = java.util.Set.of("optim.cl");

    /**
     * Build options for a program's arithmetic. OpenCL lets float32 division be 2.5 ulp off and sqrt
     * 3 ulp unless asked for correct rounding; NVIDIA's driver uses that latitude, so AdamW's
     * p + (s·m) / (sqrt(v)/c + eps) drifted 4 ulp from the CPU in three steps on an H200 (PoCL rounds
     * correctly anyway, which is why only the GPU showed it). The exact programs get correctly
     * rounded division and sqrt where the device offers them, and no mad contraction, which the
     * CPU side (Java) never does either.
     */
    String arithmeticOptions(String file) {
        if (!EXACT_ARITHMETIC.contains(file)) return "-cl-mad-enable";
        return correctlyRoundedDivideSqrt ? "-cl-fp32-correctly-rounded-divide-sqrt" : "";
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, StandardCharsets.UTF_8).trim();
    }

    /**
     * A kernel file with its {@code #include "x.cl"} lines replaced by those files (once each):
     * OpenCL compilers resolve includes only against -I folders on disk, and these sources live in
     * the jar. Shared helpers (group_reduce.cl) are included this way.
     */
    private static String source(String file) {
        StringBuilder out = new StringBuilder();
        java.util.Set<String> included = new java.util.HashSet<>();
        for (String line : resource(file).split("\n", -1)) {
            java.util.regex.Matcher m = INCLUDE.matcher(line);
            if (!m.matches()) {
                out.append(line).append('\n');
            } else if (included.add(m.group(1))) {
                out.append(resource(m.group(1))).append('\n');
            }
        }
        return out.toString();
    }

    private static final java.util.regex.Pattern INCLUDE = java.util.regex.Pattern.compile("\\s*#include\\s+\"([\\w.]+\\.cl)\"\\s*");

    private static String resource(String file) {
        try (InputStream in = OpenClRuntime.class.getResourceAsStream(file)) {
            if (in == null) throw new IllegalStateException("OpenCL source " + file + " is missing from the engine jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read OpenCL source " + file, e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- launches ----

    /** Runs a 1-D kernel over n items (rounded up to whole groups of 64; kernels bound-check). */
    public synchronized void launch1d(cl_kernel k, long n, Object... args) {
        if (n <= 0) return;
        setArgs(k, args);
        long local = 64;
        long global = (n + local - 1) / local * local;
        enqueue(k, 1, new long[] {global}, new long[] {local}, null);
        launches++;
    }

    /** Runs a kernel with explicit global and local sizes (rows of work-groups, GEMM tiles). */
    public synchronized void launch(cl_kernel k, long[] global, long[] local, Object... args) {
        launch(null, k, global, local, args);
    }

    /** As above; the kernel profile counts it under {@code label} (e.g. a GEMM's shape) when not null. */
    public synchronized void launch(String label, cl_kernel k, long[] global, long[] local, Object... args) {
        for (long g : global) if (g <= 0) return;
        setArgs(k, args);
        enqueue(k, global.length, global, local, label);
        launches++;
    }

    /**
     * A GPU driver may allocate a buffer's memory only when a kernel first uses it: running out then
     * shows at the launch, as a DeviceMemoryException like an allocation's.
     */
    private void enqueue(cl_kernel k, int dims, long[] global, long[] local, String label) {
        try {
            clEnqueueNDRangeKernel(queue, k, dims, null, global, local, 0, null, event(k, label));
        } catch (CLException e) {
            throw memoryError(e, "launching an OpenCL kernel");
        }
    }

    /**
     * Kernels enqueued on this device so far, profile or not: a decode step's cost on a GPU is
     * mostly its launch count (~50 µs each on an H200 when the host feeds the queue), so callers
     * report launches per generated token from the difference of two readings.
     */
    public synchronized long launches() {
        return launches;
    }

    /** Whether the kernel profile is on (callers skip building labels when it is not). */
    public boolean profiling() {
        return profile != null;
    }

    /** The profiling event of a launch (null when the profile is off). */
    private org.jocl.cl_event event(cl_kernel k, String label) {
        return profile == null ? null : profile.track(k, label);
    }

    /**
     * The kernel profile so far (device time per kernel, launches, share of the wall time), or a
     * line saying how to turn it on; printed to standard error at exit when profiling is on.
     */
    public synchronized String profileReport() {
        if (profile == null) return "OpenCL kernel profile: off (run with -Dresumo.opencl.profile=true)\n";
        if (!closed) {
            clFinish(queue);
            profile.collect();
        }
        return profile.report(info.name());
    }

    /**
     * The arguments each kernel object holds now (a kernel keeps its arguments between launches):
     * values, and buffers by their cl_mem object, which holds no device memory and is new for every
     * buffer, so a later buffer at the same address is never mistaken for an earlier one. Skipping
     * unchanged arguments saves about half the JNI calls of a launch (each ~0.5 µs), and a decoder
     * step is hundreds of launches. Every argument must go through {@link #setArgs}.
     */
    private final Map<cl_kernel, Object[]> lastArgs = new java.util.IdentityHashMap<>();

    /**
     * One scalar argument's value on its way to clSetKernelArg, which copies it before returning
     * (OpenCL: "the argument data pointed to by arg_value is copied"), so the arrays are reused
     * under the launch lock. A Pointer.to(new int[] {v}) per argument (JOCL wraps it in an
     * IntBuffer) was ~11% of the Java samples of a device decode on PoCL and ~200 B of heap per
     * argument set (LaunchOverheadProbe, DeviceDecodeHostCostProbe).
     */
    private final int[] intArg = new int[1];
    private final float[] floatArg = new float[1];
    private final Pointer intArgPointer = Pointer.to(intArg);
    private final Pointer floatArgPointer = Pointer.to(floatArg);

    private void setArgs(cl_kernel k, Object... args) {
        Object[] last = lastArgs.get(k);
        if (last == null || last.length < args.length) {
            last = last == null ? new Object[args.length] : java.util.Arrays.copyOf(last, args.length);
            lastArgs.put(k, last);
        }
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            Object key = a instanceof ClBuffer b ? b.mem : a;
            if (key instanceof cl_mem ? last[i] == key : key.equals(last[i])) continue;
            switch (a) {
                case Integer v -> {
                    intArg[0] = v;
                    clSetKernelArg(k, i, Sizeof.cl_int, intArgPointer);
                }
                case Float v -> {
                    floatArg[0] = v;
                    clSetKernelArg(k, i, Sizeof.cl_float, floatArgPointer);
                }
                case Boolean v -> {
                    intArg[0] = v ? 1 : 0;
                    clSetKernelArg(k, i, Sizeof.cl_int, intArgPointer);
                }
                case ClBuffer b -> clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(b.mem));
                case cl_mem m -> clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
                default -> throw new IllegalArgumentException("kernel argument " + i + " has unsupported type " + a.getClass());
            }
            last[i] = key;
        }
    }

    /** For code that set a kernel's arguments itself (a test): the next launch sets them all. */
    synchronized void forgetArgs(cl_kernel k) {
        lastArgs.remove(k);
    }

    static void release(cl_mem m) {
        clReleaseMemObject(m);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        if (profile != null) {
            clFinish(queue);
            profile.collect();
        }
        closed = true;
        kernels.values().forEach(byOptions -> byOptions.values().forEach(byName -> byName.values().forEach(org.jocl.CL::clReleaseKernel)));
        lastArgs.clear();
        programs.values().forEach(org.jocl.CL::clReleaseProgram);
        kernels.clear();
        programs.clear();
        constants.values().forEach(org.jocl.CL::clReleaseMemObject);
        constants.clear();
        retiredConstants.forEach(org.jocl.CL::clReleaseMemObject);
        retiredConstants.clear();
        clFinish(queue);
        pool.drain().forEach(org.jocl.CL::clReleaseMemObject);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
        BY_DEVICE.remove(info.selector());
    }
}
