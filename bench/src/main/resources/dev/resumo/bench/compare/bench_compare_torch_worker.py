"""PyTorch worker of `resumo bench compare --paired`: loads the model once, then runs one workload
run at a time when the Java side asks, so PyTorch and Resumo alternate run by run (the machine's
speed drifts up to 2x over minutes; adjacent runs see the same speed). Protocol: bench_compare_worker.py.
Workloads: bench_compare_torch_workloads.py, as the one-shot bench_compare_torch.py runs them.

Usage: python bench_compare_torch_worker.py --model DIR --threads T [--device cpu|cuda]
"""
import argparse

from bench_compare_worker import serve


def start():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    a = p.parse_args()

    from bench_compare_torch_workloads import load, workload

    torch, transformers, model, sync = load(a.model, a.threads, a.device)
    ready = {"torch": torch.__version__, "transformers": transformers.__version__, "threads": torch.get_num_threads(),
             "device": a.device}
    return ready, lambda name: workload(torch, model, name), sync


if __name__ == "__main__":
    serve("torch", start)
