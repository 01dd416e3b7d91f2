"""The PyTorch workloads of `resumo bench compare`, shared by the one-shot script
(bench_compare_torch.py) and the paired worker (bench_compare_torch_worker.py), so both time the
same calls as dev.resumo.bench.compare.T5Workloads.

Generation asks for the dynamic K/V cache explicitly: transformers 5.24's default path for T5 was
5-10x slower here (greedy batch 1: ~10 s instead of ~1.5 s for 64 tokens), which would flatter Resumo.
EOS stopping is disabled by min_new_tokens = max_new_tokens = 64 on both sides.
"""
from bench_compare_common import NEW_TOKENS, SOURCE, TARGET, TRAIN_BATCH, ids

def load(model_dir, threads, device):
    """(torch, transformers, the model on `device`, sync); threads set before anything runs."""
    import torch
    import transformers
    from transformers import T5ForConditionalGeneration

    torch.set_num_threads(threads)
    if device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: this torch build sees no CUDA device")
    model = T5ForConditionalGeneration.from_pretrained(model_dir, torch_dtype=torch.float32).to(torch.device(device))
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    return torch, transformers, model, sync


def workload(torch, model, name):
    """(work, units, done): one run of the workload, its units (examples or new tokens), and what to
    call after its last run (the training step puts the model back in eval mode)."""
    dev = next(model.parameters()).device
    vocab = model.config.vocab_size
    if name == "train":
        from transformers.optimization import Adafactor

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

        return step, TRAIN_BATCH, model.eval
    if name in ("greedy1", "greedy8", "beam4"):
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

        return gen, batch * NEW_TOKENS, lambda: None
    raise SystemExit(f"unknown workload {name}")
