package dev.resumo.tokenizer;

import java.util.Arrays;

/** A growing byte buffer reused across calls (public fields: it lives inside hot loops). */
final class ByteSink {
    byte[] bytes;
    int length;

    ByteSink(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    void reset() {
        length = 0;
    }

    void ensureFree(int n) {
        if (bytes.length - length < n) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
    }

    void append(byte b) {
        if (length == bytes.length) bytes = Arrays.copyOf(bytes, bytes.length * 2);
        bytes[length++] = b;
    }

    void append(byte[] src, int from, int to) {
        ensureFree(to - from);
        System.arraycopy(src, from, bytes, length, to - from);
        length += to - from;
    }
}
