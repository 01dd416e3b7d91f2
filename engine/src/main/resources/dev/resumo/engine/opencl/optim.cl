// Optimizer updates on the device (float32, same operation order as the CPU optimizers).

// AdamW (torch.optim.AdamW): decoupled decay, bias-corrected moments.
// torch's CPU order, as AdamW.java: lerp_ is one fma, m + w1*(g - m) for a weight below 0.5 and
// g + (w1 - 1)*(g - m) otherwise (smallWeight; w1Coeff is w1 or w1 - 1); addcmul_ is
// fma(w2*g, g, v*b2); addcdiv_ is p + (negStepSize*m) / denom.
__kernel void adamw(const int n, __global float* p, __global const float* g, __global float* m, __global float* v,
                    const float decay, const float w1Coeff, const int smallWeight, const float b2, const float w2,
                    const float negStepSize, const float bc2Sqrt, const float eps) {
    int j = get_global_id(0);
    if (j >= n) return;
    float gj = g[j];
    float pj = p[j] * decay;
    float mj = fma(w1Coeff, gj - m[j], smallWeight ? m[j] : gj);
    float vj = fma(w2 * gj, gj, v[j] * b2);
    m[j] = mj;
    v[j] = vj;
    float denom = sqrt(vj) / bc2Sqrt + eps;
    p[j] = pj + (negStepSize * mj) / denom;
}

// Adafactor, factored case, one matrix [rows, cols] per batch slot (group id 1).
// Step 1: row state <- keep*row + mix*mean_c(g^2 + eps1) (one work-group per row).
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void adafactor_rows(const int rows, const int cols, __global const float* g, const float eps1,
                    const float keep, const float mix, __global float* rowState) {
    __local float scratch[ROW_WG];
    int r = get_group_id(0), b = get_group_id(1), l = get_local_id(0);
    __global const float* gr = g + ((long) b * rows + r) * cols;
    float s = 0.0f;
    for (int c = l; c < cols; c += ROW_WG) s += gr[c] * gr[c] + eps1;
    scratch[l] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int st = ROW_WG / 2; st > 0; st >>= 1) {
        if (l < st) scratch[l] += scratch[l + st];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (l == 0) {
        int ri = b * rows + r;
        rowState[ri] = fma(mix, scratch[0] / cols, rowState[ri] * keep);
    }
}

// Step 2: col state <- keep*col + mix*mean_r(g^2 + eps1) (one item per column and batch slot).
__kernel void adafactor_cols(const int rows, const int cols, const int batches, __global const float* g,
                             const float eps1, const float keep, const float mix, __global float* colState) {
    int id = get_global_id(0);
    if (id >= batches * cols) return;
    int b = id / cols, c = id % cols;
    __global const float* gb = g + (long) b * rows * cols + c;
    float s = 0.0f;
    for (int r = 0; r < rows; r++) s += gb[(long) r * cols] * gb[(long) r * cols] + eps1;
    colState[id] = fma(mix, s / rows, colState[id] * keep);
}

// Step 2 for tall gradients, in two launches: one item per (matrix, chunk of COL_CHUNK rows,
// column) sums its chunk into partial[(b·chunks + chunk)·cols + c], then one item per column adds
// its chunks in order and updates colState. adafactor_cols's one item per column walked all rows
// alone: 45 µs a call on the H200 with 512 columns (4.5 ms of a 72 ms training step), and the
// tied embedding's 32128 rows were a single pass of 512 items.
__kernel void adafactor_col_partials(const int rows, const int cols, const int batches, const int chunk,
                                     __global const float* g, const float eps1, __global float* partial) {
    long id = get_global_id(0);
    int chunks = (rows + chunk - 1) / chunk;
    if (id >= (long) batches * chunks * cols) return;
    int c = id % cols;
    int ch = (id / cols) % chunks;
    int b = id / ((long) chunks * cols);
    int r0 = ch * chunk, r1 = min(rows, r0 + chunk);
    __global const float* gb = g + (long) b * rows * cols + c;
    float s = 0.0f;
    for (int r = r0; r < r1; r++) s += gb[(long) r * cols] * gb[(long) r * cols] + eps1;
    partial[id] = s;
}

__kernel void adafactor_cols_finish(const int rows, const int cols, const int batches, const int chunks,
                                    __global const float* partial, const float keep, const float mix,
                                    __global float* colState) {
    int id = get_global_id(0);
    if (id >= batches * cols) return;
    int b = id / cols, c = id % cols;
    __global const float* pb = partial + (long) b * chunks * cols + c;
    float s = 0.0f;
    for (int ch = 0; ch < chunks; ch++) s += pb[(long) ch * cols];
    colState[id] = fma(mix, s / rows, colState[id] * keep);
}

// Step 3: u = rsqrt(row / mean(row)) * rsqrt(col) * g; rowMean[b] computed by sum_rows / rows.
__kernel void adafactor_factored_update(const int rows, const int cols, const int batches,
                                        __global const float* g, __global const float* rowState,
                                        __global const float* colState, __global const float* rowSums,
                                        __global float* u) {
    long id = get_global_id(0);
    if (id >= (long) batches * rows * cols) return;
    int c = id % cols;
    int r = (id / cols) % rows;
    int b = id / ((long) rows * cols);
    float rowMean = rowSums[b] / rows;
    float rowFactor = 1.0f / sqrt(rowState[b * rows + r] / rowMean);
    float colFactor = 1.0f / sqrt(colState[b * cols + c]);
    u[id] = rowFactor * colFactor * g[id];
}

// Unfactored (vectors): v <- keep*v + mix*(g^2 + eps1); u = rsqrt(v) * g.
__kernel void adafactor_full_update(const int n, __global const float* g, const float eps1,
                                    const float keep, const float mix, __global float* v, __global float* u) {
    int j = get_global_id(0);
    if (j >= n) return;
    float gj = g[j];
    float vj = fma(mix, gj * gj + eps1, v[j] * keep);
    v[j] = vj;
    u[j] = (1.0f / sqrt(vj)) * gj;
}

// Tree sum of one work-group's values; the result is in scratch[0] for every item after it.
void group_sum(__local float* scratch, int l) {
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int st = ROW_WG / 2; st > 0; st >>= 1) {
        if (l < st) scratch[l] += scratch[l + st];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

// out[slot] = sum of x^2, or of x when `squares` is 0 (the second stage below), by one
// work-group: for small parameters, and to add up the partial sums. The host reads nothing:
// later kernels take it from the buffer.
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void sum_squares(const int n, __global const float* x, __global float* out, const int slot, const int squares) {
    __local float scratch[ROW_WG];
    int l = get_local_id(0);
    float s = 0.0f;
    if (squares) for (int i = l; i < n; i += ROW_WG) s += x[i] * x[i];
    else for (int i = l; i < n; i += ROW_WG) s += x[i];
    scratch[l] = s;
    group_sum(scratch, l);
    if (l == 0) out[slot] = scratch[0];
}

// First stage for large parameters: work-group g writes partial[g], the sum of x^2 over the
// elements g*ROW_WG + l + k*(global size). One work-group alone reading a 16M-element embedding
// took milliseconds per call on a GPU (the whole device idle but one multiprocessor).
__kernel __attribute__((reqd_work_group_size(ROW_WG, 1, 1)))
void sum_squares_partial(const int n, __global const float* x, __global float* partial) {
    __local float scratch[ROW_WG];
    int l = get_local_id(0);
    long stride = get_global_size(0);
    float s = 0.0f;
    for (long i = get_global_id(0); i < n; i += stride) s += x[i] * x[i];
    scratch[l] = s;
    group_sum(scratch, l);
    if (l == 0) partial[get_group_id(0)] = scratch[0];
}

// Final Adafactor step: clip u to RMS <= clipThreshold, scale by the step lr (relative step and
// parameter scaling from the parameter's RMS in stats[0]; the update's sum of squares in stats[1]),
// optional first moment, weight decay, then p -= delta. As in HF on torch: when the parameter's RMS
// scales the lr, the lr is a float32 tensor and the decay factor a float32 product; otherwise the
// lr is a Python float and the host passes it, and -weight_decay * lr, each rounded once from double.
__kernel void adafactor_apply(const int n, __global float* p, __global float* u, __global float* m,
                              __global const float* stats, const float relLr, const int scaleParameter,
                              const float eps2, const float clipThreshold, const int useBeta1, const float beta1,
                              const float weightDecay, const float plainLr, const float plainDecay) {
    int j = get_global_id(0);
    if (j >= n) return;
    float paramRms = sqrt(stats[0]) / sqrt((float) n);
    int tensorLr = scaleParameter && paramRms > eps2;
    float stepLr = tensorLr ? paramRms * relLr : plainLr;
    float uRms = sqrt(stats[1]) / sqrt((float) n);
    float clip = fmax(uRms / clipThreshold, 1.0f);
    float uj = (u[j] / clip) * stepLr;
    float delta = uj;
    if (useBeta1) {
        float mj = fma(1.0f - beta1, uj, m[j] * beta1);
        m[j] = mj;
        delta = mj;
    }
    float pj = p[j];
    if (weightDecay != 0.0f) pj = fma(tensorLr ? -weightDecay * stepLr : plainDecay, pj, pj);
    p[j] = pj - delta;
}
