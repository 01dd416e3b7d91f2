// A kernel that does (almost) nothing, with an argument list as long as a fused decode launch's
// (14 ints, a float, 5 buffers): LaunchOverheadProbe times the host's cost of launching it.
__kernel void probe(const int i0, const int i1, const int i2, const int i3, const int i4, const int i5, const int i6,
                    const int i7, const int i8, const int i9, const int i10, const int i11, const int i12, const int i13,
                    const float s, __global float* b0, __global const float* b1, __global const float* b2,
                    __global const float* b3, __global float* out) {
    if (get_global_id(0) == 0 && i0 < 0) out[0] = s + b1[i1] + b2[i2] + b3[i3] + b0[i4];
}
