// Attention of one new query per row over cached keys and values (incremental decoding), fused:
// one work-group per (row, head) computes scores q·k (NOT scaled: T5 folds 1/sqrt(d_kv) into q)
// plus bias and mask, the softmax and the weighted sum of values, and writes that head's context
// into out [rows, heads·dKv], the layout the output projection takes. One launch replaces six.
// Positions go in chunks of DA_WG, one item per position for the scores; the softmax is online
// (a running max and sum, earlier partial sums rescaled when the max grows), so any length fits.
// Offsets and strides are in floats (see Backend.decodeAttention); biasPosStride may be negative.
// All items reach every barrier (no early return: see rows.cl's softmax_rows).
//
// The weighted sum splits a chunk's positions into DA_WG / d_kv interleaved parts (4 for T5's
// d_kv 64), each item one (part, dim) pair, and adds the parts once at the end; reads of a value
// row are coalesced across the dims. Why: the first kernel (64 items, every item walking all
// positions of its 64-position chunk for one dim) took 39.5 µs a launch on an H200, 35% of greedy
// batch 8's kernel time; this one took 20.1 µs (session 24, kernel profile).
// DA_WG, a power of two set at build time (OpenClBackend), also bounds d_kv.

#define GROUP_WG DA_WG
#include "group_reduce.cl"

// With hasNew (a decoder's self-attention) the group first copies its head's newest
// key and value (position length-1) from the fused q|k|v projection into the cache; the barrier's
// global fence makes those writes visible to the group's other items, which then read every
// position from the cache (the same bits as the copy, no branch in the inner loops). The
// KV-cache write costs no launch of its own: 6 fewer per PTT5-small decode step.
__kernel __attribute__((reqd_work_group_size(DA_WG, 1, 1)))
void decode_attention(const int heads, const int dKv, const int length,
                      __global const float* newKv, const int newKeysOff, const int newValuesOff, const int newRowStride,
                      const int hasNew,
                      __global const float* q, const int qOff, const int qRowStride,
                      __global float* k, const int kOff, __global float* v, const int vOff,
                      const int rowStride, const int posStride,
                      __global const float* bias, const int biasOff, const int biasHeadStride, const int biasPosStride,
                      const int hasBias,
                      __global const float* mask, const int maskOff, const int maskRowStride, const int hasMask,
                      __global float* out) {
    __local float qs[DA_WG];
    __local float w[DA_WG];
    __local float scratch[DA_WG];
    const int g = get_group_id(0), l = get_local_id(0);
    const int r = g / heads, h = g % heads;
    const long kRow = kOff + (long) r * rowStride + h * dKv;
    const long vRow = vOff + (long) r * rowStride + h * dKv;
    for (int d = l; d < dKv; d += DA_WG) qs[d] = q[qOff + (long) r * qRowStride + h * dKv + d];
    if (hasNew) {
        const long last = (long) (length - 1) * posStride;
        const long newRow = (long) r * newRowStride + h * dKv;
        for (int d = l; d < dKv; d += DA_WG) {
            k[kRow + last + d] = newKv[newKeysOff + newRow + d];
            v[vRow + last + d] = newKv[newValuesOff + newRow + d];
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
    // Weighted-sum roles: part `part` of `parts` takes positions part, part + parts, ... of a
    // chunk, for dim dv. Items past parts * dKv (d_kv not dividing DA_WG) only score.
    const int parts = DA_WG / dKv;
    const int part = l / dKv, dv = l % dKv;
    float acc = 0.0f, m = -INFINITY, sum = 0.0f;
    for (int p0 = 0; p0 < length; p0 += DA_WG) {
        const int p = p0 + l;
        float s = -INFINITY;
        if (p < length) {
            __global const float* key = k + kRow + (long) p * posStride;
            float dot = 0.0f;
#pragma unroll 8
            for (int d = 0; d < dKv; d++) dot = fma(qs[d], key[d], dot);
            float add = 0.0f; // bias + mask first, then the score: the host's order
            if (hasBias) add = bias[biasOff + h * biasHeadStride + p * biasPosStride];
            if (hasMask) add += mask[maskOff + (long) r * maskRowStride + p];
            s = dot + add;
        }
        const float top = fmax(m, group_max(s, scratch));
        const float e = s == -INFINITY ? 0.0f : exp(s - top);
        const float rescale = m == -INFINITY ? 0.0f : exp(m - top);
        w[l] = e;
        sum = sum * rescale + group_sum(e, scratch); // its barriers also publish w to the group
        m = top;
        if (part < parts) {
            const int n = min(DA_WG, length - p0);
            __global const float* val = v + vRow + (long) p0 * posStride + dv;
            float a = 0.0f;
#pragma unroll 4
            for (int j = part; j < n; j += parts) a = fma(w[j], val[(long) j * posStride], a);
            acc = acc * rescale + a;
        }
        // The next chunk writes w only after group_max's barriers, which every item reaches after
        // reading this chunk's w above.
    }
    scratch[l] = part < parts ? acc : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (l < dKv) {
        float total = 0.0f;
        for (int i = 0; i < parts; i++) total += scratch[i * dKv + l];
        const float inv = sum == 0.0f ? 0.0f : 1.0f / sum; // every score -inf: zeros, as softmax_rows does
        out[(long) r * heads * dKv + h * dKv + l] = total * inv;
    }
}
