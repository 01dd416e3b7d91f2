package dev.resumo.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Test;

/** The caching allocator's bookkeeping (no device: cl_mem handles stand in for buffers). */
class ClBufferPoolTest {
    @Test
    void aReturnedBufferServesTheNextRequestOfItsSizeOnly() {
        ClBufferPool pool = new ClBufferPool(1 << 20);
        cl_mem a = new cl_mem();
        assertNull(pool.take(400), "empty pool");
        assertTrue(pool.offer(a, 400).isEmpty());
        assertNull(pool.take(404), "another size is not served");
        assertSame(a, pool.take(400));
        assertNull(pool.take(400), "handed out once");
        assertArrayEquals(new long[] {1, 3}, pool.hitsAndMisses());
        assertEquals(0, pool.freeBytes());
    }

    @Test
    void pastTheCapTheLeastRecentlyUsedSizeGoesFirst() {
        ClBufferPool pool = new ClBufferPool(1000);
        cl_mem old1 = new cl_mem(), old2 = new cl_mem(), recent = new cl_mem(), incoming = new cl_mem();
        pool.offer(old1, 300);
        pool.offer(old2, 300);
        pool.offer(recent, 200);
        assertNull(pool.take(999)); // a miss touches nothing
        List<cl_mem> evicted = pool.offer(incoming, 400); // 800 + 400 > 1000: one 300-byte buffer must go
        assertEquals(List.of(old1), evicted, "the oldest buffer of the least recently used size");
        assertEquals(900, pool.freeBytes());
        assertSame(incoming, pool.take(400));
        assertSame(recent, pool.take(200));
        assertSame(old2, pool.take(300));
    }

    @Test
    void aBufferAloneOverTheCapIsReleasedAndDrainEmptiesThePool() {
        ClBufferPool pool = new ClBufferPool(1000);
        cl_mem big = new cl_mem(), small = new cl_mem();
        assertEquals(List.of(big), pool.offer(big, 1001));
        pool.offer(small, 10);
        assertEquals(List.of(small), pool.drain());
        assertEquals(0, pool.freeBytes());
        assertNull(pool.take(10));
    }

    @Test
    void aCapOfZeroKeepsNothing() {
        ClBufferPool pool = new ClBufferPool(0);
        cl_mem m = new cl_mem();
        assertEquals(List.of(m), pool.offer(m, 4));
        assertNull(pool.take(4));
    }
}
