"""numpy's float32 GEMM GFLOP/s at the shapes `resumo bench gemm` measures, for a side-by-side table.

Usage: python numpy_gemm.py --shapes 2048x512x512:NT,512x512x32128:NN --repeats 10
A shape is MxKxN:LAYOUT with LAYOUT in NN, NT, TN, TT (T = that operand is stored transposed;
numpy hands the transposed view to BLAS sgemm, no copy). Prints one JSON object: numpy version,
the BLAS libraries threadpoolctl reports (which kernel, how many threads) and, per shape, the
median and best GFLOP/s after a warm-up. Thread counts come from OPENBLAS_NUM_THREADS /
OMP_NUM_THREADS, set by the caller.
"""
import argparse
import json
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_info


def measure(m, k, n, layout, repeats, rng):
    a = rng.standard_normal((k, m) if layout[0] == "T" else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if layout[1] == "T" else (k, n), dtype=np.float32)
    op_a = a.T if layout[0] == "T" else a
    op_b = b.T if layout[1] == "T" else b
    c = np.empty((m, n), dtype=np.float32)
    for _ in range(3):
        np.matmul(op_a, op_b, out=c)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        np.matmul(op_a, op_b, out=c)
        times.append(time.perf_counter() - t0)
    flops = 2.0 * m * n * k
    return flops / statistics.median(times) / 1e9, flops / min(times) / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", required=True, help="comma-separated MxKxN:LAYOUT")
    parser.add_argument("--repeats", type=int, default=10, help="timed runs per shape (default: 10)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    results = []
    for spec in args.shapes.split(","):
        dims, layout = spec.split(":")
        m, k, n = (int(v) for v in dims.split("x"))
        median, best = measure(m, k, n, layout, args.repeats, rng)
        results.append({"shape": dims, "layout": layout, "gflops_median": median, "gflops_best": best})
    keys = ("user_api", "internal_api", "version", "architecture", "num_threads", "threading_layer")
    blas = [{key: lib.get(key) for key in keys} for lib in threadpool_info()]
    print(json.dumps({"numpy": np.__version__, "blas": blas, "results": results}))


if __name__ == "__main__":
    main()
