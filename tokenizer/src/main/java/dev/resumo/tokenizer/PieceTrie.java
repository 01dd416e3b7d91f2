package dev.resumo.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A byte-level trie over pieces' UTF-8 spellings. Edges live in one open-addressing hash table keyed
 * by {@code node << 8 | byte}, so a step is one multiply, one or two array reads and no objects; the
 * root's 256 edges are a plain array because every position of every text starts there.
 */
final class PieceTrie {
    static final int ROOT = 0;

    private final int[] rootChild = new int[256];
    private int[] edgeKeys;
    private int[] edgeChild;
    private int mask;
    private int[] nodeValue;
    private int nodes = 1;
    private int edges;

    PieceTrie(int expectedBytes) {
        Arrays.fill(rootChild, -1);
        int capacity = Integer.highestOneBit(Math.max(64, expectedBytes * 2)) << 1;
        edgeKeys = new int[capacity];
        Arrays.fill(edgeKeys, -1);
        edgeChild = new int[capacity];
        mask = capacity - 1;
        nodeValue = new int[Math.max(16, expectedBytes + 1)];
        Arrays.fill(nodeValue, -1);
    }

    /** Adds {@code key} with {@code value}; an existing key keeps its first value (like SentencePiece). */
    void put(String key, int value) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int node = ROOT;
        for (byte b : bytes) {
            int next = child(node, b);
            if (next < 0) next = addChild(node, b);
            node = next;
        }
        if (nodeValue[node] < 0) nodeValue[node] = value;
    }

    /** The node reached from {@code node} by {@code b}, or -1. */
    int child(int node, byte b) {
        if (node == ROOT) return rootChild[b & 0xFF];
        int key = node << 8 | (b & 0xFF);
        int h = mix(key) & mask;
        int[] keys = edgeKeys;
        while (true) {
            int k = keys[h];
            if (k == key) return edgeChild[h];
            if (k == -1) return -1;
            h = (h + 1) & mask;
        }
    }

    /** The value stored at {@code node}, or -1 when no key ends there. */
    int value(int node) {
        return nodeValue[node];
    }

    /** For each node, its edges as sorted {@code label << 23 | child} entries (for compiling). */
    int[][] childrenByNode() {
        int[] counts = new int[nodes];
        for (int b = 0; b < 256; b++) if (rootChild[b] >= 0) counts[ROOT]++;
        for (int k : edgeKeys) if (k != -1) counts[k >>> 8]++;
        int[][] out = new int[nodes][];
        for (int n = 0; n < nodes; n++) out[n] = new int[counts[n]];
        int[] fill = new int[nodes];
        for (int b = 0; b < 256; b++) if (rootChild[b] >= 0) out[ROOT][fill[ROOT]++] = b << 23 | rootChild[b];
        for (int i = 0; i < edgeKeys.length; i++) {
            int k = edgeKeys[i];
            if (k != -1) out[k >>> 8][fill[k >>> 8]++] = (k & 0xFF) << 23 | edgeChild[i];
        }
        for (int[] e : out) Arrays.sort(e); // labels sit in bits 23..30, so signed order is label order
        return out;
    }

    /** Length of the longest key that is a prefix of {@code s[pos..end)}, or 0. */
    int longestPrefix(byte[] s, int pos, int end) {
        int node = ROOT;
        int best = 0;
        for (int i = pos; i < end; i++) {
            node = child(node, s[i]);
            if (node < 0) break;
            if (nodeValue[node] >= 0) best = i + 1 - pos;
        }
        return best;
    }

    private int addChild(int node, byte b) {
        int created = nodes++;
        if (created >= nodeValue.length) {
            int old = nodeValue.length;
            nodeValue = Arrays.copyOf(nodeValue, old * 2);
            Arrays.fill(nodeValue, old, nodeValue.length, -1);
        }
        if (created >= 1 << 23) throw new IllegalStateException("vocabulary too large for the piece trie");
        if (node == ROOT) {
            rootChild[b & 0xFF] = created;
            return created;
        }
        if (2 * (edges + 1) > edgeKeys.length) grow();
        insertEdge(node << 8 | (b & 0xFF), created);
        edges++;
        return created;
    }

    private void insertEdge(int key, int child) {
        int h = mix(key) & mask;
        while (edgeKeys[h] != -1) h = (h + 1) & mask;
        edgeKeys[h] = key;
        edgeChild[h] = child;
    }

    private void grow() {
        int[] oldKeys = edgeKeys;
        int[] oldChild = edgeChild;
        edgeKeys = new int[oldKeys.length * 2];
        Arrays.fill(edgeKeys, -1);
        edgeChild = new int[oldKeys.length * 2];
        mask = edgeKeys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1) insertEdge(oldKeys[i], oldChild[i]);
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B1;
        return h ^ (h >>> 15);
    }
}
