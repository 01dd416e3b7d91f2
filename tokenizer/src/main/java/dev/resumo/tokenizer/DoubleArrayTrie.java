package dev.resumo.tokenizer;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A double-array trie over bytes, compiled from a {@link PieceTrie}: the transition from slot
 * {@code p} by byte {@code c} is slot {@code t = base(p) + c} when {@code check(t) == p}. Each slot's
 * base, check and value sit next to each other in one int array, so a step touches one cache line;
 * this is what makes the Viterbi's trie walks (most of encoding time) as fast as SentencePiece's
 * Darts-clone.
 */
final class DoubleArrayTrie {
    static final int ROOT = 0;
    private static final int STRIDE = 3; // base, check, value
    private final int[] slots;

    private DoubleArrayTrie(int[] slots) {
        this.slots = slots;
    }

    /** The slot reached from {@code p} by byte {@code b}, or -1. */
    int child(int p, byte b) {
        int[] s = slots;
        int t = s[p * STRIDE] + (b & 0xFF);
        int at = t * STRIDE + 1;
        return at < s.length && s[at] == p ? t : -1;
    }

    /** The value of slot {@code p} (a piece id), or -1. */
    int value(int p) {
        return slots[p * STRIDE + 2];
    }

    /** Finds the first free slot at or after an index in near-constant time (union-find with path halving). */
    private static final class FreeSlots {
        private int[] next;

        FreeSlots(int capacity) {
            next = new int[capacity + 1];
            for (int i = 0; i < next.length; i++) next[i] = i;
        }

        void use(int slot) {
            next[slot] = slot + 1;
        }

        /** The first free slot at or after {@code i}; may equal the capacity (the caller grows). */
        int next(int i) {
            if (i >= next.length) return i;
            while (next[i] != i) {
                next[i] = next[next[i]] ;
                i = next[i];
                if (i >= next.length - 1) return i;
            }
            return i;
        }

        void grow(int capacity) {
            int old = next.length;
            if (capacity + 1 <= old) return;
            next = Arrays.copyOf(next, capacity + 1);
            for (int i = old; i < next.length; i++) next[i] = i;
        }
    }

    static DoubleArrayTrie compile(PieceTrie trie) {
        int[][] children = trie.childrenByNode(); // per node: sorted (label << 23 | child) entries
        int capacity = Math.max(512, children.length * 2);
        int[] base = new int[capacity];
        int[] check = new int[capacity];
        int[] value = new int[capacity];
        Arrays.fill(check, -1);
        Arrays.fill(value, -1);
        check[ROOT] = ROOT;
        value[ROOT] = trie.value(PieceTrie.ROOT);
        int[] slotOf = new int[children.length];
        FreeSlots free = new FreeSlots(capacity);
        free.use(ROOT);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(PieceTrie.ROOT);
        while (!queue.isEmpty()) {
            int node = queue.poll();
            int p = slotOf[node];
            int[] kids = children[node];
            if (kids.length == 0) continue;
            int firstLabel = kids[0] >>> 23;
            int lastLabel = kids[kids.length - 1] >>> 23;
            // Try bases that put the first child on a free slot, in order, until all children fit.
            int b;
            for (int from = firstLabel + 1; ; from = b + firstLabel + 1) {
                b = free.next(from) - firstLabel;
                int needed = b + lastLabel + 1;
                if (needed > check.length) {
                    int grown = Math.max(needed, check.length * 2);
                    base = Arrays.copyOf(base, grown);
                    int old = check.length;
                    check = Arrays.copyOf(check, grown);
                    value = Arrays.copyOf(value, grown);
                    Arrays.fill(check, old, grown, -1);
                    Arrays.fill(value, old, grown, -1);
                    free.grow(grown);
                }
                boolean fits = true;
                for (int k : kids) {
                    if (check[b + (k >>> 23)] != -1) {
                        fits = false;
                        break;
                    }
                }
                if (fits) break;
            }
            base[p] = b;
            for (int k : kids) {
                int t = b + (k >>> 23);
                int child = k & 0x7FFFFF;
                check[t] = p;
                free.use(t);
                value[t] = trie.value(child);
                slotOf[child] = t;
                queue.add(child);
            }
        }
        int length = 0;
        for (int i = 0; i < check.length; i++) if (check[i] != -1) length = i + 1;
        int[] slots = new int[length * STRIDE];
        for (int i = 0; i < length; i++) {
            slots[i * STRIDE] = base[i];
            slots[i * STRIDE + 1] = check[i];
            slots[i * STRIDE + 2] = value[i];
        }
        return new DoubleArrayTrie(slots);
    }
}
