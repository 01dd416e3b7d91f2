// Deliberately broken: OpenClRuntimeTest checks that the build error names this file and
// carries the compiler's log.
__kernel void broken(__global float* x) {
    x[0] = undeclared_variable;
}
