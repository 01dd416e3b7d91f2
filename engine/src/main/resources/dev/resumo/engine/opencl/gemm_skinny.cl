// C[M×N] (+)= A[M×K] · Bᵀ for few rows (M ≤ SK_MAXM), B stored N×K: a decoder step's products
// (x·Wᵀ for 1 to 8 sequences, the per-head q·Kᵀ). The tiled gemm gives such a product a handful
// of work-groups that each walk all of K (an 8×512×512 step took ~39 µs on an H200); here each
// work-group takes SK_COLS columns and splits K over SK_LANES items, which read B along k in
// coalesced runs, and a tree sum in local memory adds the lanes. One batch slot per group dim 2,
// as in gemm.cl.
// SK_LANES and SK_COLS come from the build options (ClGemm: -Dresumo.opencl.skinnyLanes/Cols).
//
// A device decode step is bound by its kernel launches, not their run time (an H200 spent ~25 µs
// of host time per launch against ~12 µs of kernel), so the residual stream's RMS norm runs in
// this kernel's prologue and the residual add in its epilogue (one launch per product, none for
// the norm and the add: 11 launches per decoder layer → 8):
//  - normed != 0: A is the raw stream x and the product uses rmsNorm(x)·w·outScale, computed as
//    rows.cl's rms_norm / add_rms_norm compute it (the same Σx² order, inverse and products:
//    rms.cl), so the result has the bits of the norm kernel followed by the plain product. Every
//    work-group recomputes Σx² of its ≤ 8 rows (≤ 8·d floats, next to the 8·d of B it reads).
//  - epilogue EPI_RESIDUAL: C = R + product, the float add of add_rms_norm's x + delta.
#ifndef SK_LANES
#define SK_LANES 32
#endif
#ifndef SK_COLS
#define SK_COLS 8
#endif
#define SK_MAXM 8
#define SK_ITEMS (SK_LANES * SK_COLS)
// The epilogue argument as in gemm.cl: 0 stores, 1 adds onto C, 2 stores through a ReLU (a
// decoder step's feed-forward product and its activation in one launch: 6 fewer per step),
// 3 stores R + the product (a sublayer's output projection and the residual add).
#define EPI_ADD 1
#define EPI_RELU 2
#define EPI_RESIDUAL 3

// ROW_WG (rms.cl's) comes from the build options (ClGemm).
#include "rms.cl"

__kernel __attribute__((reqd_work_group_size(SK_LANES, SK_COLS, 1)))
void gemm_skinny_nt(const int M, const int N, const int K,
                    __global const float* Abase, __global const int* aOffsets,
                    __global const float* Bbase, __global const int* bOffsets,
                    __global float* Cbase, const int cOffset, const int epilogue,
                    __global const float* R, const int rOffset,
                    const int normed, __global const float* normW, const int normWOff, const float eps,
                    const float outScale) {
    __local float part[SK_COLS][SK_MAXM][SK_LANES];
    __local float rowSq[SK_MAXM][ROW_WG];
    __local float rowInv[SK_MAXM];
    const int batch = get_group_id(2);
    __global const float* A = Abase + aOffsets[batch];
    __global float* C = Cbase + cOffset + batch * M * N;
    const int lane = get_local_id(0), col = get_local_id(1);
    const int j = get_global_id(1);
    float acc[SK_MAXM];
    for (int m = 0; m < SK_MAXM; m++) acc[m] = 0.0f;
    if (normed) { // uniform over the launch: every item takes the barriers below
        rms_inverses(M, K, eps, A, col * SK_LANES + lane, SK_ITEMS, rowSq, rowInv);
        float inv[SK_MAXM];
        for (int m = 0; m < SK_MAXM; m++) inv[m] = m < M ? rowInv[m] : 0.0f;
        if (j < N) {
            __global const float* b = Bbase + bOffsets[batch] + (long) j * K;
            __global const float* w = normW + normWOff;
            for (int k = lane; k < K; k += SK_LANES) {
                float bv = b[k], wk = w[k];
                for (int m = 0; m < SK_MAXM; m++) {
                    if (m < M) acc[m] = fma(rms_normed(A[m * K + k], inv[m], wk, outScale), bv, acc[m]);
                }
            }
        }
    } else if (j < N) {
        __global const float* b = Bbase + bOffsets[batch] + (long) j * K;
        for (int k = lane; k < K; k += SK_LANES) {
            float bv = b[k];
            for (int m = 0; m < SK_MAXM; m++) {
                if (m < M) acc[m] = fma(A[m * K + k], bv, acc[m]);
            }
        }
    }
    for (int m = 0; m < SK_MAXM; m++) part[col][m][lane] = acc[m];
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = SK_LANES / 2; s > 0; s >>= 1) {
        if (lane < s) {
            for (int m = 0; m < SK_MAXM; m++) part[col][m][lane] += part[col][m][lane + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (j < N && lane < M) { // lane m writes row m of this column
        float v = part[col][lane][0];
        const long at = (long) lane * N + j;
        __global float* c = C + at;
        *c = epilogue == EPI_ADD ? *c + v
           : epilogue == EPI_RELU ? (v > 0.0f || isnan(v) ? v : 0.0f)
           : epilogue == EPI_RESIDUAL ? R[rOffset + batch * M * N + at] + v
           : v;
    }
}
