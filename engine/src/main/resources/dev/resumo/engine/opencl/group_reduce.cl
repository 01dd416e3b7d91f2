// Work-group reductions over GROUP_WG items (a power of two, #defined by the file that includes
// this one: rows.cl's ROW_WG, decode_attention.cl's DA_WG). Every item must call them: they
// hold barriers. Tree sums in local memory, in a fixed order (results do not depend on timing).

inline float group_sum(float v, __local float* scratch) {
    int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = GROUP_WG / 2; s > 0; s >>= 1) {
        if (l < s) scratch[l] += scratch[l + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

inline float group_max(float v, __local float* scratch) {
    int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = GROUP_WG / 2; s > 0; s >>= 1) {
        if (l < s) scratch[l] = fmax(scratch[l], scratch[l + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}
