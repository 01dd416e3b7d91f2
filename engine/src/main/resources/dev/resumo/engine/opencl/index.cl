// Embedding gather and its backward (scatter-add), and the KV-cache friendly row copies.

// out[i, j] = table[ids[i], j].
__kernel void gather_rows(const int count, const int d, __global const float* table, const int tableOff,
                          __global const int* ids, __global float* out) {
    long id = get_global_id(0);
    if (id >= (long) count * d) return;
    int i = id / d, j = id % d;
    out[id] = table[tableOff + (long) ids[i] * d + j];
}

// dst[ids[i], j] += src[i, j]; one item per column, ids in order: no atomics, deterministic
// (repeated ids add in the same order as on the CPU).
__kernel void scatter_add_rows(const int count, const int d, __global const float* src, const int srcOff,
                               __global const int* ids, __global float* dst) {
    int j = get_global_id(0);
    if (j >= d) return;
    for (int i = 0; i < count; i++) dst[(long) ids[i] * d + j] += src[srcOff + (long) i * d + j];
}
