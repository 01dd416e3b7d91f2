package dev.resumo.engine.opencl;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clSetKernelArg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The host's cost of one kernel launch, in the calling thread (CPU time and heap allocated per
 * launch, from com.sun.management.ThreadMXBean): the raw JOCL enqueue of a trivial 20-argument
 * kernel (launch_probe.cl) against {@link OpenClRuntime#launch} of the same kernel with its
 * arguments as Java objects. Prints figures (bench/README.md, "Host cost of an OpenCL launch");
 * asserts only that the launches were made. Slow: run with
 * {@code -Dresumo.test.excludedGroups= -Dtest=LaunchOverheadProbe}.
 */
@Tag("slow")
@Tag("opencl")
class LaunchOverheadProbe {
    private static final int LAUNCHES = 20_000;
    /** Queue drains: as often as the runtime's own (every 512 pending releases), so PoCL's queue stays short. */
    private static final int DRAIN_EVERY = 512;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private interface Loop {
        void launch(int i);
    }

    @Test
    void hostCostPerLaunch() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        cl_kernel k = rt.kernel("launch_probe.cl", "probe", "");
        cl_command_queue queue = rt.queue();
        ClBuffer[] bufs = new ClBuffer[10];
        for (int i = 0; i < bufs.length; i++) bufs[i] = rt.allocate(4096);
        long[] global = {64}, local = {64};

        // The two argument lists alternate, as a kernel's launches alternate between layers
        // (other weights and activations); ints above 127 so boxing allocates as in a real step.
        Object[][] lists = {args(bufs, 0, 1000), args(bufs, 5, 2000)};
        Pointer[][] raw = {rawArgs(lists[0]), rawArgs(lists[1])};
        setAll(k, raw[0]);
        rt.forgetArgs(k);
        report("raw clEnqueueNDRangeKernel, arguments set once", rt, i ->
                clEnqueueNDRangeKernel(queue, k, 1, null, global, local, 0, null, null));
        report("raw clSetKernelArg x20 (prebuilt Pointers) + enqueue", rt, i -> {
            setAll(k, raw[i & 1]);
            clEnqueueNDRangeKernel(queue, k, 1, null, global, local, 0, null, null);
        });
        rt.forgetArgs(k);
        report("OpenClRuntime.launch, same 20 args each launch", rt, i ->
                rt.launch(k, new long[] {64}, new long[] {64}, lists[0]));
        report("OpenClRuntime.launch, 3 of 20 args change (boxed anew)", rt, i ->
                rt.launch(k, new long[] {64}, new long[] {64}, 1000 + (i & 1), 1001, 1002 + (i & 1), 1003, 1004, 1005, 1006,
                        1007, 1008, 1009, 1010, 1011, 1012, 1013 + (i & 1), 0.5f, bufs[0], bufs[1], bufs[2], bufs[3], bufs[4]));
        report("OpenClRuntime.launch, all 20 args change (two lists alternate)", rt, i ->
                rt.launch(k, new long[] {64}, new long[] {64}, lists[i & 1]));
        report("OpenClRuntime.launch1d, 20 args boxed per call, all change", rt, i -> {
            int base = (i & 1) == 0 ? 1000 : 2000;
            int b = (i & 1) == 0 ? 0 : 5;
            rt.launch1d(k, 64, base, base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, base + 7, base + 8, base + 9,
                    base + 10, base + 11, base + 12, base + 13, base + 0.5f, bufs[b], bufs[b + 1], bufs[b + 2], bufs[b + 3], bufs[b + 4]);
        });
        rt.finish();
        for (ClBuffer b : bufs) b.close();
    }

    private static Object[] args(ClBuffer[] bufs, int firstBuffer, int base) {
        Object[] a = new Object[20];
        for (int i = 0; i < 14; i++) a[i] = base + i;
        a[14] = base + 0.5f;
        for (int i = 0; i < 5; i++) a[15 + i] = bufs[firstBuffer + i];
        return a;
    }

    private static Pointer[] rawArgs(Object[] args) {
        Pointer[] p = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            p[i] = switch (args[i]) {
                case Integer v -> Pointer.to(new int[] {v});
                case Float v -> Pointer.to(new float[] {v});
                case ClBuffer b -> Pointer.to(b.mem);
                default -> throw new IllegalArgumentException(String.valueOf(args[i]));
            };
        }
        return p;
    }

    private static void setAll(cl_kernel k, Pointer[] p) {
        for (int i = 0; i < p.length; i++) clSetKernelArg(k, i, i < 15 ? Sizeof.cl_int : Sizeof.cl_mem, p[i]);
    }

    /** Three warm-up rounds, then five timed; prints the median round's figures per launch. */
    private static void report(String what, OpenClRuntime rt, Loop loop) {
        int rounds = 8, warm = 3;
        double[] wall = new double[rounds], cpu = new double[rounds], bytes = new double[rounds];
        long tid = Thread.currentThread().threadId();
        long counted = rt.launches();
        for (int r = 0; r < rounds; r++) {
            rt.finish();
            long w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime(), a0 = THREADS.getThreadAllocatedBytes(tid);
            for (int i = 0; i < LAUNCHES; i++) {
                loop.launch(i);
                if (i % DRAIN_EVERY == DRAIN_EVERY - 1) clFinish(rt.queue());
            }
            clFinish(rt.queue());
            wall[r] = (System.nanoTime() - w0) / 1e3 / LAUNCHES;
            cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / LAUNCHES;
            bytes[r] = (double) (THREADS.getThreadAllocatedBytes(tid) - a0) / LAUNCHES;
        }
        counted = rt.launches() - counted;
        // the runtime's launches are counted; the raw loops bypass it
        assertEquals(what.startsWith("raw") ? 0 : (long) rounds * LAUNCHES, counted, what + ": launches made");
        System.out.printf("%-66s wall %6.2f us  thread CPU %6.2f us  heap %6.0f B  per launch%n", what,
                median(wall, warm), median(cpu, warm), median(bytes, warm));
    }

    private static double median(double[] v, int skip) {
        double[] t = Arrays.copyOfRange(v, skip, v.length);
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
