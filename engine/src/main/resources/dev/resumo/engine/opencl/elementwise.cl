// Elementwise and broadcast ops. Strided operands are described by a small int array
// ("layout"): [rank, shape[rank], aStrides[rank], bStrides[rank], dstStrides[rank]], so one
// kernel covers every broadcast, transpose and slice; the host coalesces dims first.
#define OP_ADD 0
#define OP_SUB 1
#define OP_MUL 2
#define OP_DIV 3

inline int strided_offset(int idx, __global const int* lay, int which) {
    const int rank = lay[0];
    __global const int* shape = lay + 1;
    __global const int* strides = lay + 1 + rank * (1 + which);
    int off = 0;
    for (int d = rank - 1; d >= 0; d--) {
        int n = shape[d];
        off += (idx % n) * strides[d];
        idx /= n;
    }
    return off;
}

// out[i] = a[..] op b[..]; out contiguous. layout strides: 0 = a, 1 = b.
__kernel void binary(const int op, const int n, __global const int* lay,
                     __global const float* a, const int aOff, __global const float* b, const int bOff,
                     __global float* out, const int outOff) {
    int i = get_global_id(0);
    if (i >= n) return;
    float x = a[aOff + strided_offset(i, lay, 0)];
    float y = b[bOff + strided_offset(i, lay, 1)];
    float r;
    switch (op) {
        case OP_ADD: r = x + y; break;
        case OP_SUB: r = x - y; break;
        case OP_MUL: r = x * y; break;
        default:     r = x / y; break;
    }
    out[outOff + i] = r;
}

// Strided copy: layout strides 0 = src, 1 = dst.
__kernel void copy_strided(const int n, __global const int* lay,
                           __global const float* src, const int srcOff, __global float* dst, const int dstOff) {
    int i = get_global_id(0);
    if (i >= n) return;
    dst[dstOff + strided_offset(i, lay, 1)] = src[srcOff + strided_offset(i, lay, 0)];
}

__kernel void fill(const int n, __global float* x, const int off, const float v) {
    int i = get_global_id(0);
    if (i < n) x[off + i] = v;
}

__kernel void scale(const int n, __global const float* x, const int xOff, const float s,
                    __global float* out, const int outOff) {
    int i = get_global_id(0);
    if (i < n) out[outOff + i] = x[xOff + i] * s;
}

// dst[i] += src[i] (gradient accumulation).
__kernel void add_into(const int n, __global float* dst, const int dstOff, __global const float* src, const int srcOff) {
    int i = get_global_id(0);
    if (i < n) dst[dstOff + i] += src[srcOff + i];
}

__kernel void relu(const int n, __global const float* x, const int xOff, __global float* out) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = x[xOff + i];
    out[i] = v > 0.0f || isnan(v) ? v : 0.0f; // NaN stays NaN, as Math.max and torch.relu keep it (fmax drops it)
}

__kernel void relu_backward(const int n, __global const float* x, const int xOff,
                            __global const float* g, const int gOff, __global float* dx) {
    int i = get_global_id(0);
    if (i < n) dx[i] = x[xOff + i] > 0.0f ? g[gOff + i] : 0.0f;
}

#define GELU_C 0.7978845608028654f
#define GELU_A 0.044715f

// tanh(u) rounded to float is exactly ±1 from |u| = 13·ln 2 ≈ 9.01 on (1 − tanh u < 2^-25, half
// the spacing below 1), but PoCL 3.1's tanh returns ±(1 − 2^-24) there, ±inf included: gelu(-1000)
// came out -3e-5 instead of -0, and the backward's (1 − t²)·x³ term turned that one ulp into
// gelu'(1000) = 7.4 instead of 1 (6e36 at 1e15). Saturating explicitly gives the correctly
// rounded value on any device.
inline float gelu_tanh(float u) {
    return fabs(u) >= 9.1f ? copysign(1.0f, u) : tanh(u);
}

__kernel void gelu(const int n, __global const float* x, const int xOff, __global float* out) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = x[xOff + i];
    float t = gelu_tanh(GELU_C * (v + GELU_A * v * v * v));
    out[i] = 0.5f * v * (1.0f + t);
}

__kernel void gelu_backward(const int n, __global const float* x, const int xOff,
                            __global const float* g, const int gOff, __global float* dx) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = x[xOff + i];
    float t = gelu_tanh(GELU_C * (v + GELU_A * v * v * v));
    float d = 0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * GELU_C * (1.0f + 3.0f * GELU_A * v * v);
    dx[i] = d * g[gOff + i];
}

// Exact GELU (HF "gelu"): x·Φ(x) with Φ(x) = erfc(-x/√2)/2, which keeps its precision in the tail.
__kernel void gelu_erf(const int n, __global const float* x, const int xOff, __global float* out) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = x[xOff + i];
    out[i] = v * 0.5f * erfc(-v * M_SQRT1_2_F);
}

// d/dx x·Φ(x) = Φ(x) + x·φ(x)
__kernel void gelu_erf_backward(const int n, __global const float* x, const int xOff,
                                __global const float* g, const int gOff, __global float* dx) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = x[xOff + i];
    float d = 0.5f * erfc(-v * M_SQRT1_2_F) + v * 0.3989422804014327f * exp(-0.5f * v * v);
    dx[i] = d * g[gOff + i];
}

// SiLU / swish: x·σ(x)
__kernel void silu(const int n, __global const float* x, const int xOff, __global float* out) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = x[xOff + i];
    out[i] = v / (1.0f + exp(-v));
}

// d/dx x·σ(x) = σ(x)(1 + x(1 - σ(x)))
__kernel void silu_backward(const int n, __global const float* x, const int xOff,
                            __global const float* g, const int gOff, __global float* dx) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = x[xOff + i];
    float s = 1.0f / (1.0f + exp(-v));
    dx[i] = s * (1.0f + v * (1.0f - s)) * g[gOff + i];
}

// The backward of broadcasting: dst (contiguous, dstN elements) = sum of g over the dims where
// dst was broadcast. layout: [rank, gShape[rank], gStrides[rank], dstShape[rank] (1 on reduced dims)].
__kernel void sum_to(const int dstN, __global const int* lay,
                     __global const float* g, const int gOff, __global float* dst) {
    int o = get_global_id(0);
    if (o >= dstN) return;
    const int rank = lay[0];
    __global const int* gShape = lay + 1;
    __global const int* gStrides = lay + 1 + rank;
    __global const int* dShape = lay + 1 + 2 * rank;
    int base = 0, rem = o, reduceCount = 1;
    for (int d = rank - 1; d >= 0; d--) {
        int n = dShape[d];
        base += (rem % n) * gStrides[d];
        rem /= n;
        if (n == 1) reduceCount *= gShape[d];
    }
    float s = 0.0f;
    for (int r = 0; r < reduceCount; r++) {
        int off = base, rr = r;
        for (int d = rank - 1; d >= 0; d--) {
            if (dShape[d] != 1) continue;
            int n = gShape[d];
            off += (rr % n) * gStrides[d];
            rr /= n;
        }
        s += g[gOff + off];
    }
    dst[o] = s;
}
