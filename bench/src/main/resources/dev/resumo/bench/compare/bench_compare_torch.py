"""PyTorch side of `resumo bench compare`: times the same T5 workloads as
dev.resumo.bench.compare.T5Workloads on the same checkpoint and prints one JSON object.

Usage: python bench_compare_torch.py --model DIR --threads T --repeats N [--workloads train,greedy1,...]
       [--device cpu|cuda]   (cuda: the GPU side of `resumo bench compare --device opencl`)

The model directory is the one Resumo wrote (config.json + model.safetensors, HF names), so both
sides load identical weights. Inputs use the same id rule as the Java side. EOS stopping is
disabled by min_new_tokens = max_new_tokens = 64 on both sides. Generation asks for the dynamic
K/V cache explicitly: transformers 5.24's default path for T5 was 5-10x slower here (greedy batch
1: ~10 s instead of ~1.5 s for 64 tokens), which would flatter Resumo. Each workload resets the peak
resident set (/proc/self/clear_refs) first and reports VmHWM after it.
"""
import argparse
import json

from bench_compare_common import NEW_TOKENS, SOURCE, TARGET, TRAIN_BATCH, ids, peak_mib, reset_peak, timed


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--workloads", default="greedy1,greedy8,beam4,train")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    a = p.parse_args()

    import torch
    import transformers
    from transformers import T5ForConditionalGeneration
    from transformers.optimization import Adafactor

    torch.set_num_threads(a.threads)
    if a.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: this torch build sees no CUDA device")
    dev = torch.device(a.device)
    sync = torch.cuda.synchronize if a.device == "cuda" else (lambda: None)
    model = T5ForConditionalGeneration.from_pretrained(a.model, torch_dtype=torch.float32).to(dev)
    vocab = model.config.vocab_size
    results = {}
    for name in a.workloads.split(","):
        if name == "train":
            model.train()
            for m in model.modules():  # dropout off, as on the Java side
                if isinstance(m, torch.nn.Dropout):
                    m.p = 0.0
            opt = Adafactor(model.parameters(), lr=1e-3, relative_step=False, scale_parameter=False, warmup_init=False)
            x = torch.tensor(ids(TRAIN_BATCH * SOURCE, vocab, 0)).view(TRAIN_BATCH, SOURCE).to(dev)
            y = torch.tensor(ids(TRAIN_BATCH * TARGET, vocab, 1)).view(TRAIN_BATCH, TARGET).to(dev)
            mask = torch.ones_like(x)

            def step():
                loss = model(input_ids=x, attention_mask=mask, labels=y).loss
                loss.backward()
                opt.step()
                opt.zero_grad(set_to_none=True)

            reset_peak()
            med, best = timed("torch", name, a.repeats, step, sync)
            results[name] = {"seconds": med, "best_seconds": best, "units": TRAIN_BATCH, "peak_rss_mib": peak_mib()}
            model.eval()
        elif name in ("greedy1", "greedy8", "beam4"):
            batch = 8 if name == "greedy8" else 1
            beams = 4 if name == "beam4" else 1
            x = torch.tensor(ids(batch * SOURCE, vocab, 2)).view(batch, SOURCE).to(dev)
            mask = torch.ones_like(x)

            def gen():
                with torch.inference_mode():
                    out = model.generate(input_ids=x, attention_mask=mask, num_beams=beams, do_sample=False,
                                         max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS, early_stopping=False,
                                         cache_implementation="dynamic")
                if out.shape[1] != NEW_TOKENS + 1:
                    raise SystemExit(f"{name}: generated {out.shape[1] - 1} tokens, expected {NEW_TOKENS}")

            reset_peak()
            med, best = timed("torch", name, a.repeats, gen, sync)
            results[name] = {"seconds": med, "best_seconds": best, "units": batch * NEW_TOKENS, "peak_rss_mib": peak_mib()}
        else:
            raise SystemExit(f"unknown workload {name}")
    print(json.dumps({"torch": torch.__version__, "transformers": transformers.__version__,
                      "threads": torch.get_num_threads(), "device": a.device, "results": results}))


if __name__ == "__main__":
    main()
