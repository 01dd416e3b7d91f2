"""PyTorch side of `resumo bench compare`: times the same T5 workloads as
dev.resumo.bench.compare.T5Workloads on the same checkpoint and prints one JSON object.

Usage: python bench_compare_torch.py --model DIR --threads T --repeats N [--workloads train,greedy1,...]
       [--device cpu|cuda]   (cuda: the GPU side of `resumo bench compare --device opencl`)

The model directory is the one Resumo wrote (config.json + model.safetensors, HF names), so both
sides load identical weights. Inputs use the same id rule as the Java side; the workloads are those
of bench_compare_torch_workloads.py. Each workload resets the peak resident set
(/proc/self/clear_refs) first and reports VmHWM after it.
"""
import argparse
import json

from bench_compare_common import peak_mib, reset_peak, timed
from bench_compare_torch_workloads import load, workload


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--workloads", default="greedy1,greedy8,beam4,train")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    a = p.parse_args()

    torch, transformers, model, sync = load(a.model, a.threads, a.device)
    results = {}
    for name in a.workloads.split(","):
        work, units, done = workload(torch, model, name)
        reset_peak()
        med, best = timed("torch", name, a.repeats, work, sync)
        results[name] = {"seconds": med, "best_seconds": best, "units": units, "peak_rss_mib": peak_mib()}
        done()
    print(json.dumps({"torch": torch.__version__, "transformers": transformers.__version__,
                      "threads": torch.get_num_threads(), "device": a.device, "results": results}))


if __name__ == "__main__":
    main()
