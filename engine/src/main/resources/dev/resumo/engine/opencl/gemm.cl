// SGEMM: C[M×N] (+)= op(A)[M×K] · op(B)[K×N], row-major, one batch slot per get_group_id(2)
// (its A and B start at aOffsets/bOffsets[slot], its C at cOffset + slot·M·N).
// Work-item dim 0 runs along the columns of C, so neighbouring items read neighbouring B values
// and write neighbouring C values (coalesced on GPUs, vectorised by PoCL on CPUs).
// Compile-time parameters, chosen per device by the tuning run:
//   TRANS_A, TRANS_B  layout flags (A stored K×M / B stored N×K when set)
//   TSM, TSN          the block of C one work-group computes (rows × cols)
//   TSK               depth of the local-memory tiles of A and B (gemm only)
//   WPTM, WPTN        register block of C per work-item (rows × cols)
//   SPLIT_K           gemm only: get_group_id(2) picks a depth chunk [z·kLen, z·kLen + kLen) of one
//                     product (batch 1) instead of a batch slot, and C slot z receives that chunk's
//                     partial product; gemm_splitk_sum adds the slots (see ClGemm)
#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)
#define THREADS (RTSM * RTSN)

// How a kernel writes its product v into C (its `epilogue` argument; ClGemm's EPILOGUE_*): stored,
// added onto C (accumulating GEMMs: gradients, split-K sums), or stored through a ReLU. The ReLU
// epilogue is a feed-forward's first product and its activation in one launch instead of two:
// 6 launches fewer per decoder step and per encoder pass of PTT5-small (6+6 ReLU layers). The
// ReLU is elementwise.cl's (NaN kept), applied to the same float the product would have stored,
// so the fused result has the unfused bits. EPI_RESIDUAL stores R + the product (R the kernel's
// residual argument, laid out as C): a sublayer's output projection and the residual add in one
// launch, the float add the add kernel makes. gemm_skinny.cl takes it in a decode step of ≤ 8
// rows; here it serves wider decodes, which would otherwise add with a launch of their own.
#define EPI_STORE 0
#define EPI_ADD 1
#define EPI_RELU 2
#define EPI_RESIDUAL 3
#define RELU(v) ((v) > 0.0f || isnan(v) ? (v) : 0.0f)
// Element `at` of C (and R) receives v.
#define WRITE_C(at, v) C[at] = epilogue == EPI_ADD ? C[at] + (v) : epilogue == EPI_RELU ? RELU(v) \
                             : epilogue == EPI_RESIDUAL ? R[at] + (v) : (v)

#if TRANS_A
#define A_AT(i, p) A[(p) * M + (i)]
#else
#define A_AT(i, p) A[(i) * K + (p)]
#endif
#if TRANS_B
#define B_AT(p, j) B[(j) * K + (p)]
#else
#define B_AT(p, j) B[(p) * N + (j)]
#endif

// Tiled: each work-group stages TSK-deep slices of A and B in local memory (zero-padded at the
// edges, so any M, N, K work); each work-item keeps a WPTM×WPTN block of C in registers.
__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void gemm(const int M, const int N, const int K,
          __global const float* Abase, __global const int* aOffsets,
          __global const float* Bbase, __global const int* bOffsets,
          __global float* Cbase, const int cOffset, const int epilogue, const int kLen,
          __global const float* Rbase, const int rOffset) {
#if SPLIT_K
    const int batch = 0;
    const int kBegin = get_group_id(2) * kLen, kEnd = min(K, kBegin + kLen);
    __global float* C = Cbase + cOffset + get_group_id(2) * M * N;
    __global const float* R = Rbase; // the chunks store partial products: no residual
#else
    const int batch = get_group_id(2);
    const int kBegin = 0, kEnd = K;
    __global float* C = Cbase + cOffset + batch * M * N;
    __global const float* R = Rbase + rOffset + batch * M * N;
#endif
    __global const float* A = Abase + aOffsets[batch];
    __global const float* B = Bbase + bOffsets[batch];

    const int tc = get_local_id(0), tr = get_local_id(1);
    const int tid = tr * RTSN + tc;
    const int col0 = get_group_id(0) * TSN, row0 = get_group_id(1) * TSM;

    // One float of padding per row of the tiles: the loads below write As[p][i] with consecutive
    // items on consecutive p (A stored M×K) — without it those addresses are TSM floats apart,
    // all in one local-memory bank (a 16-way conflict on every tile load with TSK = 16); with
    // it they are TSM + 1 apart, in different banks. Same for Bs with B stored N×K.
    __local float As[TSK][TSM + 1];
    __local float Bs[TSK][TSN + 1];
    float acc[WPTM][WPTN];
    for (int i = 0; i < WPTM; i++)
        for (int j = 0; j < WPTN; j++) acc[i][j] = 0.0f;

    for (int k0 = kBegin; k0 < kEnd; k0 += TSK) {
        for (int e = tid; e < TSM * TSK; e += THREADS) {
#if TRANS_A
            int i = e % TSM, p = e / TSM;   // consecutive items read consecutive i (stored K×M)
#else
            int p = e % TSK, i = e / TSK;   // consecutive items read consecutive p (stored M×K)
#endif
            int gi = row0 + i, gp = k0 + p;
            As[p][i] = (gi < M && gp < kEnd) ? A_AT(gi, gp) : 0.0f;
        }
        for (int e = tid; e < TSN * TSK; e += THREADS) {
#if TRANS_B
            int p = e % TSK, j = e / TSK;
#else
            int j = e % TSN, p = e / TSN;
#endif
            int gj = col0 + j, gp = k0 + p;
            Bs[p][j] = (gj < N && gp < kEnd) ? B_AT(gp, gj) : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TSK; p++) {
            float aReg[WPTM];
            for (int i = 0; i < WPTM; i++) aReg[i] = As[p][tr + i * RTSM];
            for (int j = 0; j < WPTN; j++) {
                float b = Bs[p][tc + j * RTSN];
                for (int i = 0; i < WPTM; i++) acc[i][j] = fma(aReg[i], b, acc[i][j]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < WPTM; i++) {
        int gi = row0 + tr + i * RTSM;
        if (gi >= M) continue;
        for (int j = 0; j < WPTN; j++) {
            int gj = col0 + tc + j * RTSN;
            if (gj >= N) continue;
            float v = acc[i][j];
            WRITE_C(gi * N + gj, v);
        }
    }
}

// Direct: no local memory and no barriers; each work-item streams its rows of A and columns of B
// from global memory (the caches do the tiling). Wins on CPU devices (PoCL), where barriers
// force register blocks out to memory.
__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void gemm_direct(const int M, const int N, const int K,
                 __global const float* Abase, __global const int* aOffsets,
                 __global const float* Bbase, __global const int* bOffsets,
                 __global float* Cbase, const int cOffset, const int epilogue, const int kLen,
                 __global const float* Rbase, const int rOffset) {
    const int batch = get_group_id(2);
    __global const float* A = Abase + aOffsets[batch];
    __global const float* B = Bbase + bOffsets[batch];
    __global float* C = Cbase + cOffset + batch * M * N;
    __global const float* R = Rbase + rOffset + batch * M * N;
    const int tc = get_local_id(0), tr = get_local_id(1);
    const int col0 = get_group_id(0) * TSN + tc, row0 = get_group_id(1) * TSM + tr;

    int rows[WPTM], cols[WPTN];   // clamped indices: edge items compute duplicates, never store them
    for (int i = 0; i < WPTM; i++) rows[i] = min(row0 + i * RTSM, M - 1);
    for (int j = 0; j < WPTN; j++) cols[j] = min(col0 + j * RTSN, N - 1);
    float acc[WPTM][WPTN];
    for (int i = 0; i < WPTM; i++)
        for (int j = 0; j < WPTN; j++) acc[i][j] = 0.0f;
    for (int p = 0; p < K; p++) {
        float aReg[WPTM];
        for (int i = 0; i < WPTM; i++) aReg[i] = A_AT(rows[i], p);
        for (int j = 0; j < WPTN; j++) {
            float b = B_AT(p, cols[j]);
            for (int i = 0; i < WPTM; i++) acc[i][j] = fma(aReg[i], b, acc[i][j]);
        }
    }
    for (int i = 0; i < WPTM; i++) {
        int gi = row0 + i * RTSM;
        if (gi >= M) continue;
        for (int j = 0; j < WPTN; j++) {
            int gj = col0 + j * RTSN;
            if (gj >= N) continue;
            float v = acc[i][j];
            WRITE_C(gi * N + gj, v);
        }
    }
}

// Vector: explicit float8 SIMD for CPU devices whose compilers do not vectorise across work-items.
// Each work-item owns WPTM consecutive rows of C. With B stored K×N (TRANS_B = 0) it owns 8
// consecutive columns and streams rows of B as float8; with B stored N×K (TRANS_B = 1) it owns
// WPTN consecutive columns and takes float8 dot products along K. No barriers, so items outside
// C may simply return.
__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void gemm_vec(const int M, const int N, const int K,
              __global const float* Abase, __global const int* aOffsets,
              __global const float* Bbase, __global const int* bOffsets,
              __global float* Cbase, const int cOffset, const int epilogue, const int kLen,
              __global const float* Rbase, const int rOffset) {
    const int batch = get_group_id(2);
    __global const float* A = Abase + aOffsets[batch];
    __global const float* B = Bbase + bOffsets[batch];
    __global float* C = Cbase + cOffset + batch * M * N;
    __global const float* R = Rbase + rOffset + batch * M * N;
    const int row0 = (get_group_id(1) * RTSM + get_local_id(1)) * WPTM;
#if !TRANS_B
    const int col = (get_group_id(0) * RTSN + get_local_id(0)) * 8;
    if (row0 >= M || col >= N) return;
    const int full = col + 8 <= N;
    int rows[WPTM];
    for (int i = 0; i < WPTM; i++) rows[i] = min(row0 + i, M - 1);
    float8 acc[WPTM];
    for (int i = 0; i < WPTM; i++) acc[i] = (float8)(0.0f);
    for (int p = 0; p < K; p++) {
        float8 b;
        if (full) {
            b = vload8(0, B + p * N + col);
        } else {
            float t[8];
            for (int j = 0; j < 8; j++) t[j] = col + j < N ? B[p * N + col + j] : 0.0f;
            b = vload8(0, t);
        }
        for (int i = 0; i < WPTM; i++) acc[i] = fma((float8)(A_AT(rows[i], p)), b, acc[i]);
    }
    for (int i = 0; i < WPTM; i++) {
        int r = row0 + i;
        if (r >= M) break;
        __global float* c = C + r * N + col;
        if (full) {
            float8 v = acc[i];
            if (epilogue == EPI_ADD) v += vload8(0, c);
            if (epilogue == EPI_RESIDUAL) v += vload8(0, R + r * N + col); // one add, commutative: R + v's bits
            if (epilogue == EPI_RELU) v = select((float8)(0.0f), v, (v > 0.0f) | isnan(v));
            vstore8(v, 0, c);
        } else {
            float t[8];
            vstore8(acc[i], 0, t);
            for (int j = 0; col + j < N; j++) WRITE_C(r * N + col + j, t[j]);
        }
    }
#else
    const int col0 = (get_group_id(0) * RTSN + get_local_id(0)) * WPTN;
    if (row0 >= M || col0 >= N) return;
    int rows[WPTM], cols[WPTN];
    for (int i = 0; i < WPTM; i++) rows[i] = min(row0 + i, M - 1);
    for (int j = 0; j < WPTN; j++) cols[j] = min(col0 + j, N - 1);
    float8 acc[WPTM][WPTN];
    for (int i = 0; i < WPTM; i++)
        for (int j = 0; j < WPTN; j++) acc[i][j] = (float8)(0.0f);
    const int k8 = K / 8 * 8;
    for (int p = 0; p < k8; p += 8) {
        float8 a[WPTM];
        for (int i = 0; i < WPTM; i++) {
#if TRANS_A
            a[i] = (float8)(A_AT(rows[i], p), A_AT(rows[i], p + 1), A_AT(rows[i], p + 2), A_AT(rows[i], p + 3),
                            A_AT(rows[i], p + 4), A_AT(rows[i], p + 5), A_AT(rows[i], p + 6), A_AT(rows[i], p + 7));
#else
            a[i] = vload8(0, A + rows[i] * K + p);
#endif
        }
        for (int j = 0; j < WPTN; j++) {
            float8 b = vload8(0, B + cols[j] * K + p);
            for (int i = 0; i < WPTM; i++) acc[i][j] = fma(a[i], b, acc[i][j]);
        }
    }
    for (int i = 0; i < WPTM; i++) {
        int r = row0 + i;
        if (r >= M) break;
        for (int j = 0; j < WPTN; j++) {
            int cc = col0 + j;
            if (cc >= N) break;
            float8 v = acc[i][j];
            float s = (v.s0 + v.s1) + (v.s2 + v.s3) + (v.s4 + v.s5) + (v.s6 + v.s7);
            for (int p = k8; p < K; p++) s = fma(A_AT(r, p), B_AT(p, cc), s);
            WRITE_C(r * N + cc, s);
        }
    }
#endif
}

// The split-K partial products (slots of M·N floats) added in slot order — a fixed order, so the
// result does not depend on timing — into C, onto it when accumulating, through the ReLU, or
// onto the residual R (R + the sum, as the unsplit kernels add R to their product).
__kernel void gemm_splitk_sum(const int mn, const int slots, __global const float* partial,
                              __global float* C, const int cOffset, const int epilogue,
                              __global const float* R, const int rOffset) {
    const int i = get_global_id(0);
    if (i >= mn) return;
    float s = epilogue == EPI_ADD ? C[cOffset + i] : 0.0f;
    for (int z = 0; z < slots; z++) s += partial[(long) z * mn + i];
    C[cOffset + i] = epilogue == EPI_RELU ? RELU(s) : epilogue == EPI_RESIDUAL ? R[rOffset + i] + s : s;
}
