package dev.resumo.tokenizer;

import java.util.Arrays;

/** A growing int buffer reused across calls. */
final class IntList {
    int[] values;
    int size;

    IntList(int capacity) {
        values = new int[Math.max(8, capacity)];
    }

    void clear() {
        size = 0;
    }

    void add(int v) {
        if (size == values.length) values = Arrays.copyOf(values, values.length * 2);
        values[size++] = v;
    }

    int last() {
        return values[size - 1];
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
