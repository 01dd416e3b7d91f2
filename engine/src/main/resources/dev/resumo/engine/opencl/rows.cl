// Row-wise kernels: one work-group of ROW_WG items per row, tree reductions in local memory.
// Covers reductions, softmax (the mask is added by the broadcast kernel first), RMS norm, the
// fused log-softmax cross-entropy (decode attention has its own file, decode_attention.cl).
// ROW_WG is a power of two, set at build time.

#define GROUP_WG ROW_WG
#include "group_reduce.cl"
#include "rms.cl"

// out[row] = sum of x[off + row*n .. + n). Used for sum over all (rows = 1) and over the last axis.
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void sum_rows(const int n, __global const float* x, const int off, __global float* out, const int outOff) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0), l = get_local_id(0);
    __global const float* row = x + off + (long) r * n;
    float s = 0.0f;
    for (int i = l; i < n; i += ROW_WG) s += row[i];
    s = group_sum(s, scratch);
    if (l == 0) out[outOff + r] = s;
}

// out[row] = sum of squares of x[off + row*n .. + n) (gradient norms).
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void sum_sq_rows(const int n, __global const float* x, const int off, __global float* out, const int outOff) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0), l = get_local_id(0);
    __global const float* row = x + off + (long) r * n;
    float s = 0.0f;
    for (int i = l; i < n; i += ROW_WG) s += row[i] * row[i];
    s = group_sum(s, scratch);
    if (l == 0) out[outOff + r] = s;
}

// x viewed as [outer, len, inner]: out[o, i] = sum_k x[o, k, i]; one item per output.
__kernel void sum_axis(const int outer, const int len, const int inner,
                       __global const float* x, const int off, __global float* out) {
    int id = get_global_id(0);
    if (id >= outer * inner) return;
    int o = id / inner, i = id % inner;
    __global const float* p = x + off + (long) o * len * inner + i;
    float s = 0.0f;
    for (int k = 0; k < len; k++) s += p[k * inner];
    out[id] = s;
}

// In place; a row whose max is -inf becomes zeros (the engine's softmax contract). No early
// return: PoCL 3.1 miscompiles a return between work-group barriers (the host heap gets corrupted).
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void softmax_rows(const int n, __global float* z) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0), l = get_local_id(0);
    __global float* row = z + (long) r * n;
    float m = -INFINITY;
    for (int i = l; i < n; i += ROW_WG) m = fmax(m, row[i]);
    m = group_max(m, scratch);
    const int dead = m == -INFINITY;
    float s = 0.0f;
    for (int i = l; i < n; i += ROW_WG) {
        float e = dead ? 0.0f : exp(row[i] - m);
        row[i] = e;
        s += e;
    }
    s = group_sum(s, scratch);
    float inv = dead ? 0.0f : 1.0f / s;
    for (int i = l; i < n; i += ROW_WG) row[i] *= inv;
}

// dz = y * (g - sum(g * y)) per row.
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void softmax_backward_rows(const int n, __global const float* y, __global const float* g, const int gOff,
                           __global float* dz) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0), l = get_local_id(0);
    long base = (long) r * n;
    float dot = 0.0f;
    for (int i = l; i < n; i += ROW_WG) dot += g[gOff + base + i] * y[base + i];
    dot = group_sum(dot, scratch);
    for (int i = l; i < n; i += ROW_WG) dz[base + i] = y[base + i] * (g[gOff + base + i] - dot);
}

// y = x * r * w * outScale with r = 1/sqrt(mean(x^2) + eps); invRms[row] = r (for the backward).
// outScale is 1 for a layer norm (exact) and the tied lm_head's input scale where the norm runs
// apart from the lm_head's product (a decode of more rows than gemm_skinny takes). The arithmetic
// is rms.cl's, shared with add_rms_norm and gemm_skinny's normed prologue (the same bits).
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void rms_norm(const int d, const float eps, __global const float* x, const int xOff,
              __global const float* w, const int wOff, const float outScale, __global float* out,
              __global float* invRms) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0), l = get_local_id(0);
    __global const float* row = x + xOff + (long) r * d;
    float ss = 0.0f;
    for (int i = l; i < d; i += ROW_WG) ss = rms_sq_step(ss, row[i]);
    ss = group_sum(ss, scratch);
    float inv = rms_inverse(ss, d, eps);
    if (l == 0) invRms[r] = inv;
    for (int i = l; i < d; i += ROW_WG) out[(long) r * d + i] = rms_normed(row[i], inv, w[wOff + i], outScale);
}

// sum = x + delta and out = rms_norm(sum) * w: a residual add and the next T5 layer norm (every
// sublayer adds its output to the stream, which the next sublayer, or the final norm, normalises
// first) in one launch instead of two (binary + rms_norm). Saves a launch per sublayer: 18 per
// decoder step and 12 per encoder pass of PTT5-small (6+6 layers). The add is the binary kernel's
// float add; Σsum² is summed in rms_norm's order. Inference only (no invRms for a backward).
// outScale multiplies the normed value last, as the scale kernel would after rms_norm (the same
// float product; 1 leaves it exact): the tied lm_head's d_model^-0.5 after the decoder's final
// norm, one launch fewer per decode step. A device decode step of ≤ 8 rows no longer uses this
// kernel: the add is in the output projection's epilogue and the norm in the next product's
// prologue (gemm_skinny.cl); the encoder passes and wider decodes still do.
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void add_rms_norm(const int d, const float eps, __global const float* x, const int xOff,
                  __global const float* delta, const int deltaOff, __global const float* w, const int wOff,
                  const float outScale, __global float* sum, __global float* out) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0), l = get_local_id(0);
    const long base = (long) r * d;
    float ss = 0.0f;
    for (int i = l; i < d; i += ROW_WG) {
        float s = x[xOff + base + i] + delta[deltaOff + base + i];
        sum[base + i] = s; // read back below by this same item: no barrier needed
        ss = rms_sq_step(ss, s);
    }
    ss = group_sum(ss, scratch);
    float inv = rms_inverse(ss, d, eps);
    for (int i = l; i < d; i += ROW_WG) out[base + i] = rms_normed(sum[base + i], inv, w[wOff + i], outScale);
}

// dx_j = r g_j w_j - r^3 x_j / d * sum_i g_i w_i x_i.
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void rms_norm_backward_x(const int d, __global const float* x, const int xOff, __global const float* w, const int wOff,
                         __global const float* g, const int gOff, __global const float* invRms, __global float* dx) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0), l = get_local_id(0);
    long base = (long) r * d;
    float dot = 0.0f;
    for (int i = l; i < d; i += ROW_WG) dot += g[gOff + base + i] * w[wOff + i] * x[xOff + base + i];
    dot = group_sum(dot, scratch);
    float inv = invRms[r];
    float c = inv * inv * inv * dot / d;
    for (int i = l; i < d; i += ROW_WG) dx[base + i] = inv * g[gOff + base + i] * w[wOff + i] - c * x[xOff + base + i];
}

// dw_j = sum over rows of g_j x_j r; one item per column (rows run serially: deterministic).
__kernel void rms_norm_backward_w(const int rows, const int d, __global const float* x, const int xOff,
                                  __global const float* g, const int gOff, __global const float* invRms,
                                  __global float* dw) {
    int j = get_global_id(0);
    if (j >= d) return;
    float s = 0.0f;
    for (int r = 0; r < rows; r++) s += x[xOff + (long) r * d + j] * g[gOff + (long) r * d + j] * invRms[r];
    dw[j] = s;
}

// Per counted row: lse[r] = log sum exp z[r], loss[r] = (1 - eps)(lse[r] - z[r, label]) +
// eps * mean_v(lse[r] - z[r, v]) with eps = smoothing (label smoothing; 0 skips the mean's pass);
// ignored rows get 0 (their items still run the reductions: no early return between barriers, see
// softmax_rows; the label, -100, is never used as an index; smoothing is a kernel argument, so every
// item of a group takes the same branch).
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void cross_entropy(const int v, __global const float* z, const int zOff, __global const int* labels,
                   const int ignoreIndex, const float smoothing, __global float* lse, __global float* loss) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0), l = get_local_id(0);
    int label = labels[r];
    const int ignored = label == ignoreIndex;
    __global const float* row = z + zOff + (long) r * v;
    float m = -INFINITY;
    for (int i = l; i < v; i += ROW_WG) m = fmax(m, row[i]);
    m = group_max(m, scratch);
    float s = 0.0f;
    for (int i = l; i < v; i += ROW_WG) s += exp(row[i] - m);
    s = group_sum(s, scratch);
    float ls = m + log(s);
    float below = 0.0f; // sum of lse - z over the row: non-negative terms, no cancellation
    if (smoothing != 0.0f) {
        for (int i = l; i < v; i += ROW_WG) below += ls - row[i];
        below = group_sum(below, scratch);
    }
    if (l == 0) {
        float nll = ignored ? 0.0f : ls - row[label];
        lse[r] = ignored ? 0.0f : ls;
        loss[r] = ignored ? 0.0f : smoothing == 0.0f ? nll : (1.0f - smoothing) * nll + smoothing * (below / v);
    }
}

// dz[r] = scale * (softmax(z[r]) - (1 - eps) onehot(label) - eps / v), eps = smoothing; 0 on ignored rows.
__kernel void cross_entropy_backward(const int rows, const int v, __global const float* z, const int zOff,
                                     __global const int* labels, const int ignoreIndex, const float smoothing,
                                     __global const float* lse, const float scale, __global float* dz) {
    long id = get_global_id(0);
    if (id >= (long) rows * v) return;
    int r = id / v, c = id % v;
    int label = labels[r];
    if (label == ignoreIndex) { dz[id] = 0.0f; return; }
    float p = exp(z[zOff + id] - lse[r]);
    dz[id] = scale * (p - (c == label ? 1.0f - smoothing : 0.0f) - smoothing / v);
}
