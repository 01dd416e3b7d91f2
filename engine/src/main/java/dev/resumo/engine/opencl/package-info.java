/**
 * The OpenCL backend (JOCL): {@link dev.resumo.engine.opencl.OpenClDevices} finds platforms and
 * devices, {@link dev.resumo.engine.opencl.OpenClRuntime} owns a device's context, queue and the
 * programs built for it (once per source and options; build failures carry the kernel file and
 * compiler log), {@link dev.resumo.engine.opencl.ClBuffer} is device memory,
 * {@link dev.resumo.engine.opencl.OpenClBackend} implements the op set with the kernels in
 * {@code resources/dev/resumo/engine/opencl/*.cl} (gemm, elementwise, rows, index, optim), and
 * {@link dev.resumo.engine.opencl.ClAdafactor} / {@link dev.resumo.engine.opencl.ClAdamW} update
 * device-resident parameters. GEMM tile sizes come from a per-device tuning run cached under
 * {@code ~/.cache/resumo/opencl/} ({@link dev.resumo.engine.opencl.GemmTuning}). Tested on CPUs
 * through PoCL.
 */
package dev.resumo.engine.opencl;
