package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkersTest {
    @AfterEach
    void restore() {
        Workers.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void everyIndexRunsExactlyOnceOverManyCalls() {
        Workers.setThreads(3);
        for (int n : new int[] {1, 2, 3, 7, 100, 1001}) {
            for (int call = 0; call < 200; call++) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                Workers.parallelFor(n, 1, (start, end) -> {
                    for (int i = start; i < end; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n);
            }
        }
    }

    @Test
    void parallelForChunksRunsExactlyTheChunksAskedFor() {
        Workers.setThreads(2);
        for (int[] c : new int[][] {{24, 2}, {24, 4}, {7, 3}, {3, 8}, {1000, 8}}) {
            int n = c[0], chunks = c[1];
            AtomicInteger calls = new AtomicInteger();
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            Workers.parallelForChunks(n, chunks, (start, end) -> {
                calls.incrementAndGet();
                for (int i = start; i < end; i++) hits.incrementAndGet(i);
            });
            assertEquals(Math.min(n, chunks), calls.get(), n + " indices in " + chunks + " chunks");
            for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n);
        }
    }

    @Test
    void gemmColumnChunksAreTheSameNumberPerThread() {
        // PTT5-base's 768 columns are 24 slivers of 32 (AVX-512): two chunks for two threads, not three.
        int slivers768 = 768 / GemmMicroKernel.NR;
        assertEquals(0, GemmPlan.columnChunks(slivers768, 2) % 2);
        assertEquals(0, GemmPlan.columnChunks(slivers768, 3) % 3);
        for (int slivers : new int[] {1, 16, 24, 64, 96, 1004}) {
            for (int t = 1; t <= 4; t++) {
                int chunks = GemmPlan.columnChunks(slivers, t);
                assertEquals(0, chunks % t, slivers + " slivers, " + t + " threads: " + chunks + " chunks");
                assertTrue(chunks <= 4 * t, "at most four chunks per thread");
            }
        }
    }

    @Test
    void workIsSharedAndChunksRespectTheGrain() {
        Workers.setThreads(2);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger smallest = new AtomicInteger(Integer.MAX_VALUE);
        for (int call = 0; call < 50; call++) {
            Workers.parallelFor(1000, 100, (start, end) -> {
                seen.add(Thread.currentThread());
                smallest.accumulateAndGet(end - start, Math::min);
                long spin = System.nanoTime() + 200_000; // long enough for the worker to wake
                while (System.nanoTime() < spin) Thread.onSpinWait();
            });
        }
        assertTrue(smallest.get() >= 100, "a chunk of " + smallest.get() + " is below the grain of 100");
        assertEquals(2, seen.size(), "threads used: " + seen);
        assertTrue(seen.contains(Thread.currentThread()), "the caller takes part");
    }

    @Test
    void exceptionReachesTheCallerAndThePoolStillWorks() {
        Workers.setThreads(2);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Workers.parallelFor(64, 1, (start, end) -> {
                    if (start <= 40 && 40 < end) throw boom;
                }));
        assertSame(boom, thrown);
        AtomicInteger sum = new AtomicInteger();
        Workers.parallelFor(64, 1, (start, end) -> sum.addAndGet(end - start));
        assertEquals(64, sum.get(), "the next call runs every index");
    }

    @Test
    void nestedCallsRunWithoutDeadlock() {
        Workers.setThreads(2);
        AtomicInteger inner = new AtomicInteger();
        Workers.parallelFor(8, 1, (start, end) -> {
            for (int i = start; i < end; i++) {
                Workers.parallelFor(100, 1, (s, e) -> inner.addAndGet(e - s));
            }
        });
        assertEquals(800, inner.get());
    }

    @Test
    void concurrentCallersBothFinish() throws Exception {
        Workers.setThreads(2);
        AtomicInteger total = new AtomicInteger();
        Runnable many = () -> {
            for (int call = 0; call < 300; call++) {
                Workers.parallelFor(50, 1, (s, e) -> total.addAndGet(e - s));
            }
        };
        Thread other = new Thread(many);
        other.start();
        many.run();
        other.join(30_000);
        assertEquals(2 * 300 * 50, total.get());
    }

    @Test
    void oneThreadRunsOnTheCaller() {
        Workers.setThreads(1);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        Workers.parallelFor(1000, 1, (start, end) -> seen.add(Thread.currentThread()));
        assertEquals(Set.of(Thread.currentThread()), seen);
        assertEquals(1, Workers.threads());
    }

    @Test
    void rejectsZeroThreads() {
        assertThrows(IllegalArgumentException.class, () -> Workers.setThreads(0));
    }
}
