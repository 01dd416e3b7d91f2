// The RMS norm's arithmetic, one source for every kernel that normalises a row: rows.cl's
// rms_norm and add_rms_norm, and gemm_skinny.cl's normed prologue (the norm computed inside the
// product that reads it, a launch fewer per norm in a decode step). The same operations in the
// same order give the same bits, so a fused product equals the norm kernel followed by the plain
// product. ROW_WG (rows.cl's work-group, a power of two) is #defined by the including file.

// One item's running Σx² over its share of a row (items l = 0..ROW_WG-1 each take x[l + ROW_WG·i]
// in order). An explicit fma, not ss + x·x: the programs build with -cl-mad-enable, under which a
// compiler may contract that into an fma in one kernel and leave it in another.
inline float rms_sq_step(float ss, float x) {
    return fma(x, x, ss);
}

// 1 / sqrt(mean(x²) + eps) from a row's Σx² over d values.
inline float rms_inverse(float ss, int d, float eps) {
    return 1.0f / sqrt(ss / d + eps);
}

// A normed value: x · inverse · w, then the output scale (1 leaves it exact; the tied lm_head's
// d_model^-0.5 after the decoder's final norm otherwise), left to right as the scale kernel after
// the norm would.
inline float rms_normed(float x, float inv, float w, float outScale) {
    return x * inv * w * outScale;
}

// The inverses of rows 0..M-1 (M ≤ the first dim of sq) of x [M × d] into inv[], computed by a
// work-group of `items` items of any count, this one numbered `item`, as rows.cl computes them
// with a ROW_WG-item group per row: "virtual item" (r, l) sums row r's share l in order, then
// each row's ROW_WG partials are added by group_sum's tree (l += l + s for s = ROW_WG/2 .. 1).
// Every item must call it (barriers).
inline void rms_inverses(int M, int d, float eps, __global const float* x, int item, int items,
                         __local float (*sq)[ROW_WG], __local float* inv) {
    for (int v = item; v < M * ROW_WG; v += items) {
        int r = v / ROW_WG, l = v % ROW_WG;
        float ss = 0.0f;
        for (int i = l; i < d; i += ROW_WG) ss = rms_sq_step(ss, x[(long) r * d + i]);
        sq[r][l] = ss;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_WG / 2; s > 0; s >>= 1) {
        for (int v = item; v < M * s; v += items) {
            int r = v / s, l = v % s;
            sq[r][l] += sq[r][l + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int r = item; r < M; r += items) inv[r] = rms_inverse(sq[r][0], d, eps);
    barrier(CLK_LOCAL_MEM_FENCE);
}
