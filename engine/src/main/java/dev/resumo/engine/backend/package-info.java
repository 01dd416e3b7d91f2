/**
 * The backend boundary: {@link dev.resumo.engine.backend.Backend} is the op set (GEMM, broadcast
 * arithmetic, strided copies, reductions, softmax, RMS norm, embedding gather/scatter,
 * cross-entropy) over a backend's own {@link dev.resumo.engine.backend.DeviceBuffer}s.
 *
 * <p>A {@link dev.resumo.engine.Tensor} lives either in a Java array (the CPU path, unchanged) or
 * in a device buffer ({@code tensor.to(backend)}: uploaded once, resident afterwards). Every op in
 * {@link dev.resumo.engine.Ops} checks its inputs once and, for device tensors, runs the same op
 * and the same autograd recording through the backend (package-private {@code DeviceOps}); values
 * reach the host only through {@code toArray()}, {@code item()} and {@code get()}. Implementations:
 * {@link dev.resumo.engine.backend.CpuBackend} (the Vector API kernels, used to test the others)
 * and {@link dev.resumo.engine.opencl.OpenClBackend} (JOCL); a TornadoVM backend would be a third.
 * {@link dev.resumo.engine.backend.DeviceSelector} maps the CLI's --device values to a backend.
 */
package dev.resumo.engine.backend;
