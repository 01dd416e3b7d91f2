package dev.resumo.engine;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reuses the float arrays (and the byte arrays of dropout masks) of one training step's
 * intermediate tensors in the next step — and, for a forward without autograd, one block's arrays
 * in the next block (T5Stack opens a scope per block on a pool that lives for the call).
 *
 * <p>Why: a PTT5-small step (batch 8, 256 + 64 tokens) makes ~2.4 GB of activations and
 * gradients. Fresh arrays are zeroed by the JVM on the allocating thread while the workers wait —
 * measured 230-240 ms per 2.4 GB here, ~13% of the step — and the heap grows by that much before
 * each collection. Inside {@link #open() a scope}, the ops whose kernels write every element of
 * their output take arrays from this pool instead ({@link #uninitialized}); a few that add into
 * their output take zero-filled ones ({@link #zeroed}). Closing the scope returns every array
 * handed out in it to the pool; the next step with the same shapes gets the same arrays back.
 *
 * <p>Within a step the reverse pass gives arrays back as soon as they are consumed ({@code
 * Autograd.backward}: an intermediate tensor's own gradient and its output once its node has run;
 * the attention probabilities and dropout masks after their backward), so the gradients of the
 * later layers reuse them: the pool holds about the forward's activations rather than everything
 * the step made (PTT5-small step: peak RSS 3.8-3.9 → 2.4-2.8 GB, PyTorch 2.3 GB; no change in time).
 *
 * <p>The contract: nothing made inside a scope may be read after the scope closes and the next one
 * starts allocating, except what was {@link #escape escaped}; and the tensors of a graph may not be
 * read after its backward (its outputs' arrays are reused by then). Leaf gradients are escaped when a
 * tensor adopts an array as its gradient ({@code Tensor.accumulateFreshGrad}), so parameters keep
 * their gradients across steps and micro-batches. A scope binds to the thread that opened it, and
 * ops on other threads (or outside any scope) allocate as before. Small arrays (under {@link
 * #MIN_FLOATS}) are not pooled: the JVM's thread-local allocation costs less than the bookkeeping.
 *
 * <p>Varied shapes (training on real data: each batch padded to its own longest row, so nearly
 * every step has a new shape): a request takes the shortest free array at least as long as asked
 * for, and new arrays are made at a size class ({@link #classLength}: eight per octave, at most
 * 12.5% unused), so a tensor may sit on an array longer than its size. Every kernel is given the
 * tensor's size, never an array's length; an array that leaves the pool for code that may go by
 * its length is copied to an exact one ({@code Tensor.accumulateFreshGrad}: leaf gradients). A
 * shorter step thus runs in the arrays of a longer one and keeps them; a longer step than any
 * before allocates what does not fit. Free arrays the closing scope did not take are dropped, so
 * the pool holds at most one step's arrays. Measured with {@code bench train --shape small
 * --varied-lengths --steps 20} (2 cores, source lengths jumping between 11 and 256 tokens from one
 * step to the next): pooled by exact length, 70.8% of the requests were served, the steps
 * allocated ~453 MiB each and dropped 10.6 GB in all, peak RSS 3.8-3.9 GB with {@link
 * #collectingAfter} at 1 GiB (6.8 GB without); size classes alone served 74.1% (the lengths rarely
 * fall in one class); with the shortest-fit reuse 100%, 14-28 MiB allocated a step, nothing
 * dropped, peak RSS 3.6 GB with or without the collections, 4.6-5.1 against 4.0-4.6 examples/s.
 * The pool is then 1179 MiB, as at the fixed 256-token shape (1217 MiB pooled by exact length: a
 * request whose own class is all in use takes a longer free array instead of a new one).
 */
public final class StepBuffers {
    /** Arrays shorter than this are allocated normally. */
    static final int MIN_FLOATS = 1 << 12;
    /**
     * {@code -Dresumo.stepBuffers=false}: scopes still open and close, but every array is new and
     * nothing is kept between steps — for a run that must give memory back between steps (the
     * pool keeps about a step's forward activations) at the cost of the zeroing.
     */
    private static final boolean ENABLED = !"false".equals(System.getProperty("resumo.stepBuffers"));
    private static final ThreadLocal<StepBuffers> ACTIVE = new ThreadLocal<>();

    /** Free arrays by length: those handed out in the last finished scope and not taken again yet. */
    private TreeMap<Integer, ArrayDeque<float[]>> free = new TreeMap<>();
    /** The same for byte arrays (dropout keep masks). */
    private TreeMap<Integer, ArrayDeque<byte[]>> freeBytes = new TreeMap<>();
    /**
     * Arrays (float[] or byte[]) handed out in the open scope (recycled when it closes unless
     * escaped), each with the length it was asked for (its own length is that of its class).
     */
    private final IdentityHashMap<Object, Integer> inUse = new IdentityHashMap<>();
    /** Arrays of this scope given back early ({@link #releaseNow}) and not taken again yet: they sit in a free map. */
    private final IdentityHashMap<Object, Boolean> released = new IdentityHashMap<>();
    /** Every array handed out in the open scope, in order ({@link #mark}, {@link #releaseTakenSince}). */
    private final java.util.ArrayList<Object> taken = new java.util.ArrayList<>();
    private final boolean poison;
    /** Dropped bytes after which {@link #recycle} asks for a collection; 0: never (see {@link #collectingAfter}). */
    private long collectAfterBytes;
    private Runnable collector = System::gc;
    private long droppedSinceCollection;
    private long droppedBytes;
    private long collections;
    private boolean open;
    private long requests;
    private long reused;
    private long releasedEarly;

    /** A pool whose recycled arrays keep their old contents (ops overwrite them). */
    public StepBuffers() {
        this(false);
    }

    /**
     * With {@code poison}, recycled arrays are filled with NaN when a scope closes, so an op that
     * reads an element it did not write (a wrong {@link #uninitialized} call site, or a tensor kept
     * across steps) turns the result into NaN instead of silently reusing old values. For tests.
     */
    public StepBuffers(boolean poison) {
        this.poison = poison;
    }

    /**
     * Asks the JVM for a full collection each time the arrays this pool dropped (free arrays of
     * the last step that the next step did not ask for: another shape) add up to {@code bytes}
     * since the last one; 0 turns it off. For training on varied lengths, where nearly every
     * step has a new shape.
     *
     * <p>Why: the dropped arrays are humongous objects (G1, 1 MB regions) that only a collection
     * reclaims, and the few small objects a step allocates (~10 MiB) start a young collection
     * rarely, so G1 grew the heap by the ~450 MiB each step dropped, to its limit (`bench train
     * --varied-lengths --steps 20`, PTT5-small: peak RSS 5.5-7.2 GB, against ~3 GB at a fixed
     * shape). A full collection of this heap (large primitive arrays, nothing to trace in them, not
     * moved) paused 20-45 ms, one every 2-3 steps of 1-3 s; with it at 1 GiB the peak was 4.1 GB.
     * A concurrent cycle instead (-XX:+ExplicitGCInvokesConcurrent) paused longer and kept more
     * (5.2 GB), as did G1's periodic collections ({@code -XX:G1PeriodicGCInterval}: 4.0-4.5 GB, but
     * a cycle every second at fixed shapes too). At a fixed shape nothing is dropped, so nothing is
     * collected. -XX:+DisableExplicitGC turns the request into nothing.
     *
     * <p>Since a request takes any free array long enough (see the class comment) the varied-lengths
     * bench drops nothing once its longest shape has run (peak RSS 3.6 GB with or without this);
     * arrays are dropped now only by a step longer than every array left, e.g. lengths that keep
     * growing (a curriculum, the first steps of a run), where this still bounds the heap.
     */
    public StepBuffers collectingAfter(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("StepBuffers: collection threshold must be >= 0, got " + bytes);
        this.collectAfterBytes = bytes;
        return this;
    }

    /** What a collection request runs (System.gc by default); tests count the calls. */
    StepBuffers collector(Runnable collector) {
        this.collector = collector;
        return this;
    }

    /** Bytes of pooled arrays dropped so far because the next step did not ask for their lengths. */
    public long droppedBytes() {
        return droppedBytes;
    }

    /** Collections requested because of {@link #collectingAfter}. */
    public long collections() {
        return collections;
    }

    /** Binds this pool to the calling thread until the scope closes. */
    public Scope open() {
        if (!ENABLED) return new Scope(); // binds nothing: uninitialized/zeroed allocate as outside a scope
        if (open) throw new IllegalStateException("StepBuffers: a scope of this pool is already open");
        if (ACTIVE.get() != null) throw new IllegalStateException("StepBuffers: this thread already has an open scope");
        open = true;
        ACTIVE.set(this);
        return new Scope();
    }

    /** An open scope; close it when the step's tensors are no longer needed. */
    public final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {}

        @Override
        public void close() {
            if (closed || !ENABLED) return;
            closed = true;
            ACTIVE.remove();
            open = false;
            recycle();
        }
    }

    /**
     * An array for n floats whose contents are undefined: the caller writes every one of the first
     * n before anything reads it. From the calling thread's open scope, else a new array. One from
     * a scope may be longer than n ({@link #classLength}): use n, never its length.
     */
    public static float[] uninitialized(int n) {
        StepBuffers pool = n < MIN_FLOATS ? null : ACTIVE.get();
        return pool == null ? new float[n] : pool.take(n, false);
    }

    /**
     * An array whose first n floats are zeros (for ops that add into their output), from the open
     * scope when there is one (then maybe longer than n, as {@link #uninitialized}).
     */
    public static float[] zeroed(int n) {
        StepBuffers pool = n < MIN_FLOATS ? null : ACTIVE.get();
        return pool == null ? new float[n] : pool.take(n, true);
    }

    /** Whether the calling thread has an open scope (of any pool). */
    public static boolean scopeOpen() {
        return ACTIVE.get() != null;
    }

    /** Whether scopes recycle arrays at all ({@code -Dresumo.stepBuffers=false} turns that off). */
    public static boolean enabled() {
        return ENABLED;
    }

    /**
     * n bytes with undefined contents (the caller writes every one): dropout's keep masks, a
     * quarter of the memory of float masks. From the calling thread's open scope (maybe longer
     * than n, as {@link #uninitialized}), else new.
     */
    public static byte[] uninitializedBytes(int n) {
        StepBuffers pool = n < MIN_FLOATS ? null : ACTIVE.get();
        return pool == null ? new byte[n] : pool.takeBytes(n);
    }

    /** A point in the open scope's hand-outs (see {@link #releaseTakenSince}); inert outside a scope. */
    record Mark(StepBuffers pool, int position) {}

    /** Where this thread's open scope stands now. */
    static Mark mark() {
        StepBuffers pool = ACTIVE.get();
        return new Mark(pool, pool == null ? 0 : pool.taken.size());
    }

    /**
     * Gives back every array handed out since {@code mark} and still in use, except those in
     * {@code keep}: the intermediates of a forward whose graph was not kept (a checkpointed
     * function's first pass; nothing made in it is read again but its outputs). Without this they
     * would stay taken until the scope closes, and checkpointing would save no memory inside a
     * training step. Nothing happens when the scope that made the mark is no longer this thread's.
     */
    static void releaseTakenSince(Mark mark, java.util.Set<Object> keep) {
        StepBuffers pool = ACTIVE.get();
        if (pool == null || pool != mark.pool()) return;
        for (int i = mark.position(); i < pool.taken.size(); i++) {
            Object a = pool.taken.get(i);
            if (!keep.contains(a) && pool.inUse.remove(a) != null) pool.pushReleased(a);
        }
    }

    /** {@link #releaseNow(float[])} for a byte array of the open scope. */
    static void releaseNow(byte[] array) {
        giveBack(array);
    }

    /**
     * Gives an array {@link #escape escaped} earlier back to this thread's open scope once its owner
     * is done with it: it is recycled when the scope closes, like the scope's own arrays. For
     * T5Stack's per-block pools, where each block's output escapes its scope and is dead once the
     * next block has read it — without this every block after the first allocated its output anew
     * (greedy batch 8: 2 × 4 MiB per encoder block). Outside a scope, nothing happens.
     */
    public static void readmit(float[] array) {
        StepBuffers pool = ACTIVE.get();
        if (pool == null || array == null || array.length < MIN_FLOATS) return;
        pool.inUse.putIfAbsent(array, array.length);
    }

    /** What poisoning writes into recycled byte arrays: neither 0 nor 1, so a mask read before it is drawn shows. */
    static final byte POISON_BYTE = 0x55;

    /**
     * Takes an array out of the open scope's recycling: it stays valid after the scope closes. It
     * keeps its length, which may exceed the tensor's size: engine ops read size() elements, but
     * an array handed to code that may go by its length (a leaf's gradient, which optimizers and
     * {@code Parameter}s fill and update whole) must be an exact copy instead — see {@code
     * Tensor.accumulateFreshGrad}.
     */
    public static void escape(float[] array) {
        StepBuffers pool = ACTIVE.get();
        if (pool != null) pool.inUse.remove(array);
    }

    /**
     * Gives an array of the open scope back before the scope ends, for the rest of the step to
     * reuse: the caller knows nothing reads it again (the reverse pass, once an intermediate
     * tensor's gradient and output are consumed). Arrays not from this thread's open scope are
     * ignored. With poisoning the array is filled with NaN here.
     */
    static void releaseNow(float[] array) {
        giveBack(array);
    }

    /** releaseNow for either kind of array. */
    private static void giveBack(Object array) {
        StepBuffers pool = ACTIVE.get();
        if (pool == null || array == null || pool.inUse.remove(array) == null) return;
        pool.pushReleased(array);
    }

    /**
     * {@link #releaseNow(float[])} when the array was handed out in this thread's open scope for
     * exactly {@code size} floats (a tensor of that size covers all of it, not a part), else nothing.
     */
    static void releaseIfWhole(float[] array, int size) {
        StepBuffers pool = ACTIVE.get();
        if (pool == null || array == null) return;
        Integer asked = pool.inUse.get(array);
        if (asked == null || asked != size) return;
        pool.inUse.remove(array);
        pool.pushReleased(array);
    }

    /** An array taken out of {@link #inUse} goes to the free lists for the rest of the scope. */
    private void pushReleased(Object array) {
        if (poison) poisonFill(array);
        pushFree(array, free, freeBytes);
        released.put(array, Boolean.TRUE);
        releasedEarly++;
    }

    /** Arrays given back during scopes by {@link #releaseNow} (reused within the same step). */
    public long releasedEarly() {
        return releasedEarly;
    }

    /** Arrays requested in scopes, and how many of them were recycled ones (the rest were new). */
    public long requests() {
        return requests;
    }

    public long reused() {
        return reused;
    }

    /** Bytes of the arrays handed out in the open scope and not given back yet (tests: what checkpointing saves). */
    long inUseBytes() {
        long bytes = 0;
        for (Object a : inUse.keySet()) bytes += a instanceof float[] f ? 4L * f.length : ((byte[]) a).length;
        return bytes;
    }

    /** Bytes held for the next step. */
    public long pooledBytes() {
        long bytes = 0;
        for (ArrayDeque<float[]> d : free.values()) for (float[] a : d) bytes += 4L * a.length;
        for (ArrayDeque<byte[]> d : freeBytes.values()) for (byte[] a : d) bytes += a.length;
        return bytes;
    }

    /** Drops every pooled array (for the garbage collector). */
    public void clear() {
        free = new TreeMap<>();
        freeBytes = new TreeMap<>();
    }

    private float[] take(int n, boolean zero) {
        int length = classLength(n);
        float[] a = reuse(free, length);
        if (a == null) {
            a = new float[length];
        } else if (zero) {
            Arrays.fill(a, 0, n, 0f); // the caller reads and writes the first n only
        }
        inUse.put(a, n);
        taken.add(a);
        return a;
    }

    private byte[] takeBytes(int n) {
        int length = classLength(n);
        byte[] a = reuse(freeBytes, length);
        if (a == null) a = new byte[length];
        inUse.put(a, n);
        taken.add(a);
        return a;
    }

    /**
     * The length of the arrays that serve a request for n elements: n rounded up to the next of
     * eight steps per octave (n in (2^e, 2^(e+1)] goes up to a multiple of 2^(e-3)), so at most
     * 12.5% of an array is unused. Exact when rounding would pass the largest array Java allows.
     */
    static int classLength(int n) {
        if (n <= 16) return n;
        int e = 31 - Integer.numberOfLeadingZeros(n - 1); // 2^e < n <= 2^(e+1), e >= 4
        long step = 1L << (e - 3);
        long rounded = (n + step - 1) / step * step;
        return rounded > Integer.MAX_VALUE - 8 ? n : (int) rounded;
    }

    /**
     * The shortest free array of at least the given (class) length from {@code pool}, or null;
     * counts the request (and the reuse).
     */
    private <T> T reuse(TreeMap<Integer, ArrayDeque<T>> pool, int length) {
        requests++;
        Map.Entry<Integer, ArrayDeque<T>> shortest = pool.ceilingEntry(length);
        if (shortest == null) return null;
        T a = shortest.getValue().poll();
        if (shortest.getValue().isEmpty()) pool.remove(shortest.getKey()); // the next ceiling must find arrays
        reused++;
        released.remove(a);
        return a;
    }

    private static void poisonFill(Object array) {
        if (array instanceof float[] f) Arrays.fill(f, Float.NaN);
        else Arrays.fill((byte[]) array, POISON_BYTE);
    }

    /** Puts a float[] or byte[] on the free list of its length in the matching map. */
    private static void pushFree(Object array, Map<Integer, ArrayDeque<float[]>> floats,
                                 Map<Integer, ArrayDeque<byte[]>> bytes) {
        if (array instanceof float[] f) {
            floats.computeIfAbsent(f.length, k -> new ArrayDeque<>()).push(f);
        } else {
            byte[] b = (byte[]) array;
            bytes.computeIfAbsent(b.length, k -> new ArrayDeque<>()).push(b);
        }
    }

    /**
     * The arrays of the scope just closed become the free pool; free arrays nobody asked for in
     * that scope are dropped, so the pool follows the shapes of the latest step.
     */
    private void recycle() {
        TreeMap<Integer, ArrayDeque<float[]>> next = new TreeMap<>();
        TreeMap<Integer, ArrayDeque<byte[]>> nextBytes = new TreeMap<>();
        for (Object a : inUse.keySet()) {
            if (poison) poisonFill(a);
            pushFree(a, next, nextBytes);
        }
        for (Object a : released.keySet()) pushFree(a, next, nextBytes);
        long dropped = unclaimedBytes();
        inUse.clear();
        released.clear();
        taken.clear();
        free = next;
        freeBytes = nextBytes;
        droppedBytes += dropped;
        droppedSinceCollection += dropped;
        if (collectAfterBytes > 0 && droppedSinceCollection >= collectAfterBytes) {
            droppedSinceCollection = 0;
            collections++;
            collector.run(); // after the old free lists are let go, so this collection reclaims them
        }
    }

    /**
     * Bytes in the free lists that the closing scope did not take (arrays it gave back early sit
     * there too but move to the next pool): garbage once the lists are replaced.
     */
    private long unclaimedBytes() {
        long bytes = 0;
        for (ArrayDeque<float[]> d : free.values()) for (float[] a : d) if (!released.containsKey(a)) bytes += 4L * a.length;
        for (ArrayDeque<byte[]> d : freeBytes.values()) for (byte[] a : d) if (!released.containsKey(a)) bytes += a.length;
        return bytes;
    }
}
