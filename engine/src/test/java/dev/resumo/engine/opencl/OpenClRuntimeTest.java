package dev.resumo.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.backend.DeviceMemoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Program cache, build-error reporting, device selection errors and the GEMM tuning cache. */
@Tag("opencl")
class OpenClRuntimeTest {
    @Test
    void kernelsAreBuiltOncePerDeviceAndOptions() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        assertSame(rt.kernel("elementwise.cl", "scale", ""), rt.kernel("elementwise.cl", "scale", ""), "cached kernel");
        assertSame(rt, OpenClRuntime.forDevice(rt.info().selector()), "one runtime per device");
    }

    /**
     * The optimizer program must not contract a·b + c into a mad and must ask for correctly rounded
     * division and sqrt where the device offers them: on an H200 the default 2.5/3 ulp let AdamW
     * drift from the CPU (ClOptimizerTest.adamwFirstMomentFormsMatchTheCpu failed there, not on PoCL).
     */
    @Test
    void optimizerKernelsAreBuiltForExactArithmetic() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        String exact = rt.arithmeticOptions("optim.cl");
        assertFalse(exact.contains("-cl-mad-enable"), exact);
        boolean offered = OpenClDevices.correctlyRoundedDivideSqrt(OpenClDevices.handle(rt.info()));
        assertEquals(offered, exact.contains("-cl-fp32-correctly-rounded-divide-sqrt"), exact);
        assertTrue(rt.arithmeticOptions("elementwise.cl").contains("-cl-mad-enable"), "other programs keep mad");
        // and the program builds with those options on this device
        assertNotNull(rt.kernel("optim.cl", "adamw", OpenClBackend.ROW_OPTIONS));
    }

    @Test
    void buildErrorNamesTheKernelFileAndCarriesTheCompilerLog() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        KernelBuildException e = assertThrows(KernelBuildException.class,
                () -> rt.kernel("broken_for_test.cl", "broken", ""));
        assertTrue(e.getMessage().contains("broken_for_test.cl"), e.getMessage());
        assertTrue(e.getMessage().contains("undeclared_variable"), "compiler log in the message: " + e.getMessage());
    }

    @Test
    void kernelProfileCountsLaunchesAndDeviceTimePerKernel() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        org.jocl.cl_command_queue queue = org.jocl.CL.clCreateCommandQueue(rt.context(), OpenClDevices.handle(rt.info()),
                org.jocl.CL.CL_QUEUE_PROFILING_ENABLE, null);
        ClBuffer b = rt.allocate(1 << 16);
        try {
            KernelProfile profile = new KernelProfile();
            org.jocl.cl_kernel fill = rt.kernel("elementwise.cl", "fill", "");
            synchronized (rt) { // the kernel object carries its arguments: no launch of the runtime in between
                for (int i = 0; i < 3; i++) {
                    org.jocl.CL.clSetKernelArg(fill, 0, org.jocl.Sizeof.cl_int, org.jocl.Pointer.to(new int[] {1 << 16}));
                    org.jocl.CL.clSetKernelArg(fill, 1, org.jocl.Sizeof.cl_mem, org.jocl.Pointer.to(b.mem));
                    org.jocl.CL.clSetKernelArg(fill, 2, org.jocl.Sizeof.cl_int, org.jocl.Pointer.to(new int[] {0}));
                    org.jocl.CL.clSetKernelArg(fill, 3, org.jocl.Sizeof.cl_float, org.jocl.Pointer.to(new float[] {i}));
                    org.jocl.CL.clEnqueueNDRangeKernel(queue, fill, 1, null, new long[] {1 << 16}, new long[] {64}, 0, null,
                            profile.track(fill, null));
                }
                org.jocl.CL.clFinish(queue);
                rt.forgetArgs(fill); // its arguments were set here, not by the runtime
            }
            profile.collect();
            String report = profile.report(rt.info().name());
            assertTrue(report.contains("3 launches"), report);
            assertTrue(report.lines().anyMatch(l -> l.matches("fill\\s+3\\s.*")), "a row for the fill kernel with 3 launches: " + report);
            assertTrue(rt.profileReport().startsWith("OpenCL kernel profile: off"), "off unless the property is set");
        } finally {
            b.close();
            org.jocl.CL.clReleaseCommandQueue(queue);
        }
    }

    @Test
    void smallOutputsTakeTheSmallestTilesSoEveryComputeUnitGetsWork() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        GemmParams tuned = new GemmParams(32, 32, 16, 2, 2);
        int units = rt.info().computeUnits();
        assertEquals(GemmParams.CANDIDATES.get(0), ClGemm.forOutput(rt, tuned, 8, 32, units - 1),
                "fewer 32x32 work-groups than compute units");
        assertEquals(tuned, ClGemm.forOutput(rt, tuned, 8, 32 * units, 1), "one work-group per compute unit is enough");
        GemmParams vector = new GemmParams(32, 64, -1, 4, 8);
        assertEquals(vector, ClGemm.forOutput(rt, vector, 1, 1, 1), "CPU devices keep their vector kernel");
    }

    @Test
    void outputsTooSmallForTheTunedTilesTakeTheLargestTilesThatFillTheDevice() {
        // No device needed: 132 compute units (an H200), every candidate fits.
        GemmParams big = new GemmParams(128, 128, 16, 8, 8);
        // 2048×512: 64 groups of 128×128, 128 of 128×64 / 64×128, 256 of 64×64 (the 4×4 block has
        // more threads per group than the 8×8 one).
        assertEquals(new GemmParams(64, 64, 16, 4, 4), ClGemm.forOutput(big, 2048, 512, 1, 132, p -> true));
        // 2048×2048: 256 groups of the tuned tiles: kept.
        assertEquals(big, ClGemm.forOutput(big, 2048, 2048, 1, 132, p -> true));
        // 8×512: nothing reaches 132 groups: the smallest tiles (the most groups there are).
        assertEquals(GemmParams.CANDIDATES.get(0), ClGemm.forOutput(big, 8, 512, 1, 132, p -> true));
        // A device whose local memory takes no 64×64 tile: the next size down that fills it.
        assertEquals(new GemmParams(32, 32, 16, 2, 2),
                ClGemm.forOutput(big, 2048, 512, 1, 132, p -> p.tsm() * p.tsn() <= 32 * 32));
    }

    /**
     * A buffer over CL_DEVICE_MAX_MEM_ALLOC_SIZE is refused before the driver sees it, with one line
     * naming the device, the size and the limit. It used to be a bare
     * "org.jocl.CLException: CL_INVALID_BUFFER_SIZE". (PoCL allows 8 GiB in one buffer, beyond any
     * int-sized tensor, so the test asks the runtime's long-sized allocate; nothing is allocated.)
     */
    @Test
    void aBufferOverTheDevicesLargestAllocationIsAOneLineErrorWithTheSizes() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        long floats = rt.maxAllocBytes() / 4 + 1;
        DeviceMemoryException e = assertThrows(DeviceMemoryException.class, () -> rt.allocate(floats));
        String m = e.getMessage();
        assertTrue(m.startsWith("OpenCL device " + rt.info().selector() + " (" + rt.info().name() + "): cannot allocate a buffer of "), m);
        assertTrue(m.contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE) is " + String.format(java.util.Locale.ROOT, "%.1f MiB",
                rt.maxAllocBytes() / 1048576.0)), m);
        assertFalse(m.contains("\n"), "one line: " + m);
        assertEquals(0, rt.allocate(3).download().length - 3, "the runtime still allocates afterwards");
    }

    /**
     * A dropped buffer's device memory serves the next request of its size (ClBufferPool), with the
     * new owner's contents: zeros from allocate, its own data after a kernel wrote it. Without the
     * pool each request created a buffer (on an H200, host time 3x the kernels' in greedy decoding).
     */
    @Test
    void droppedBuffersAreReusedForTheNextOfTheirSize() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        int n = 12_345; // a size no other test here asks for
        ClBuffer first = rt.upload(new float[n]);
        rt.fill(first, 0, n, 7f);
        org.jocl.cl_mem mem = first.mem;
        first.close();
        long[] before = rt.poolHitsAndMisses();
        ClBuffer second = rt.allocate(n);
        assertSame(mem, second.mem, "the dropped buffer is handed out again");
        assertEquals(before[0] + 1, rt.poolHitsAndMisses()[0], "counted as a hit");
        float[] values = second.download();
        for (float v : values) assertEquals(0f, v, "allocate zeroes a reused buffer");
        ClBuffer third = rt.allocate(n);
        assertFalse(third.mem == mem, "a buffer in use is not handed out twice");
        second.close();
        third.close();
    }

    /**
     * Two threads allocating while device garbage is collected, one of them inside a synchronized
     * runtime method (as the split-K scratch buffer once did): with a lock around the collection, the holder's
     * finish() waited for the runtime's monitor and the other thread for that lock — a deadlock.
     * Every allocation collects here (thresholds 0), so the two meet on most iterations.
     */
    @Test
    void allocatingThreadsDoNotDeadlockWhileGarbageIsCollected() throws Exception {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        rt.collectionThresholds(0, 0);
        long collectionsBefore = rt.collections.get();
        try {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
                // Buffers stay live until the end: each allocation must raise the live bytes past the
                // last collection's mark (thresholds 0) to collect again.
                java.util.List<ClBuffer> kept = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
                Thread holder = new Thread(() -> {
                    for (int i = 0; i < 15; i++) {
                        synchronized (rt) {
                            kept.add(rt.allocate(16));
                        }
                    }
                });
                holder.setDaemon(true);
                holder.start();
                for (int i = 0; i < 15; i++) kept.add(rt.allocate(16));
                holder.join();
                kept.forEach(ClBuffer::close);
            });
            long collected = rt.collections.get() - collectionsBefore;
            assertTrue(collected >= 10, "the allocations collected garbage (" + collected + " times)");
        } finally {
            rt.collectionThresholds(rt.info().globalMemBytes() / 4, rt.info().globalMemBytes() / 4);
        }
    }

    /**
     * A constant buffer fetched for a launch stays valid when the cache starts over before that
     * launch and a drain comes in between (another thread's, or the cleaner's every 512 releases):
     * the reset used to free its whole generation at the next drain, and the kernel read freed memory.
     */
    @Test
    void aConstantBufferOutlivesTheCacheResetThatSetsItAside() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        int[] mine = {424_242, 7, 9};
        org.jocl.cl_mem fetched = rt.constInts(mine);
        // Exactly one reset: it comes once the cache holds CONSTANTS_CAP entries, and fewer are added after it.
        for (int i = 0; i < OpenClRuntime.CONSTANTS_CAP; i++) rt.constInts(new int[] {-1, i, 31_337});
        rt.finish();
        int[] back = new int[mine.length];
        org.jocl.CL.clEnqueueReadBuffer(rt.queue(), fetched, org.jocl.CL.CL_TRUE, 0, (long) back.length * Integer.BYTES,
                org.jocl.Pointer.to(back), 0, null, null);
        org.junit.jupiter.api.Assertions.assertArrayEquals(mine, back);
    }

    /** Out-of-memory statuses from the driver become DeviceMemoryException; any other CLException stays as it is. */
    @Test
    void outOfMemoryStatusesBecomeDeviceMemoryErrors() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        for (int status : new int[] {org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE, org.jocl.CL.CL_OUT_OF_RESOURCES}) {
            RuntimeException e = rt.memoryError(new org.jocl.CLException("driver", status), "launching an OpenCL kernel");
            assertTrue(e instanceof DeviceMemoryException, "status " + status + ": " + e);
            assertTrue(e.getMessage().contains("out of memory launching an OpenCL kernel (" + org.jocl.CL.stringFor_errorCode(status)
                    + "; live tensors hold "), e.getMessage());
        }
        org.jocl.CLException other = new org.jocl.CLException("driver", org.jocl.CL.CL_INVALID_KERNEL_ARGS);
        assertSame(other, rt.memoryError(other, "launching an OpenCL kernel"));
    }

    @Test
    void unknownDevicesAreClearErrors() {
        OpenClAvailable.backend();
        assertTrue(assertThrows(OpenClUnavailableException.class, () -> OpenClDevices.select("opencl:9:9"))
                .getMessage().contains("does not exist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpenClDevices.select("opencl:x"))
                .getMessage().contains("opencl:PLATFORM:DEVICE"));
    }

    @Test
    void tuningResultIsReadFromThePerDeviceCache(@TempDir Path home) throws Exception {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        String saved = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            Path cache = GemmTuning.cacheFile(rt.info());
            assertTrue(cache.startsWith(home));
            Files.createDirectories(cache.getParent());
            Files.writeString(cache, "32,32,16,2,2\n");
            assertEquals(new GemmParams(32, 32, 16, 2, 2), GemmTuning.paramsFor(rt, System.out));
        } finally {
            System.setProperty("user.home", saved);
        }
    }

    @Test
    void gemmParamsRoundTripAndValidate() {
        for (GemmParams p : GemmParams.CANDIDATES) assertEquals(p, GemmParams.decode(p.encode()));
        assertThrows(IllegalArgumentException.class, () -> new GemmParams(30, 32, 16, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> GemmParams.decode("1,2,3"));
    }
}
