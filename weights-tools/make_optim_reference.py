"""Reference values for the engine's optimizers, clipping and lr schedules (parity tests).

Runs transformers.optimization.Adafactor (several modes), torch.optim.AdamW,
torch.nn.utils.clip_grad_norm_ and HF lr schedules on small seeded random tensors (1-D, 2-D, 3-D)
and writes engine/src/test/resources/optim/optim_reference.json. Every float is a float32 value
written as the shortest decimal that reads back to the same float32.

    .venv/bin/python weights-tools/make_optim_reference.py [OUT.json]
"""
import json
import os
import sys

import torch
import transformers
from transformers.optimization import (Adafactor, get_inverse_sqrt_schedule,
                                       get_linear_schedule_with_warmup)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "engine", "src", "test", "resources", "optim", "optim_reference.json")
SHAPES = {"vector": [7], "matrix": [6, 5], "wide": [8, 16], "cube": [2, 3, 4]}
STEPS = 5

MODES = {
    "adafactor_default": lambda ps: Adafactor(ps, lr=None, scale_parameter=True, relative_step=True,
                                              warmup_init=False),
    "adafactor_lr1e-3": lambda ps: Adafactor(ps, lr=1e-3, scale_parameter=False, relative_step=False,
                                             warmup_init=False),
    "adafactor_warmup_init": lambda ps: Adafactor(ps, lr=None, scale_parameter=True, relative_step=True,
                                                  warmup_init=True),
    "adafactor_beta1_wd": lambda ps: Adafactor(ps, lr=None, scale_parameter=True, relative_step=True,
                                               warmup_init=False, beta1=0.9, weight_decay=0.01),
    "adamw_lr1e-3_wd0.01": lambda ps: torch.optim.AdamW(ps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                                                        weight_decay=0.01),
}


def floats(t):
    # float32 -> Python float is exact; repr is the shortest text that round-trips the double,
    # which parses back to the same float32.
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    g = torch.Generator().manual_seed(20261125)
    init = {k: torch.randn(s, generator=g) * 0.5 for k, s in SHAPES.items()}
    # Gradients of varied scale per step, so clipping and the RMS terms are exercised.
    grads = [{k: torch.randn(s, generator=g) * (0.1 * (i + 1)) for k, s in SHAPES.items()}
             for i in range(STEPS)]
    ref = {"torch": torch.__version__, "transformers": transformers.__version__,
           "shapes": SHAPES, "init": {k: floats(v) for k, v in init.items()},
           "grads": [{k: floats(v) for k, v in gs.items()} for gs in grads], "cases": {}}
    for mode, make in MODES.items():
        params = {k: v.clone().requires_grad_(True) for k, v in init.items()}
        opt = make(list(params.values()))
        after = []
        for i in range(STEPS):
            for k, p in params.items():
                p.grad = grads[i][k].clone()
            opt.step()
            after.append({k: floats(p) for k, p in params.items()})
        ref["cases"][mode] = after

    clip = {}
    for max_norm in (1.0, 100.0):
        gs = [grads[STEPS - 1][k].clone() for k in SHAPES]
        holders = []
        for t in gs:
            h = torch.zeros_like(t, requires_grad=True)
            h.grad = t
            holders.append(h)
        total = torch.nn.utils.clip_grad_norm_(holders, max_norm)
        clip[str(max_norm)] = {"total_norm": float(total), "clipped": {k: floats(h.grad) for k, h in zip(SHAPES, holders)}}
    ref["clip"] = clip

    def lrs(make, n):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=1.0)
        sched = make(opt)
        vals = []
        for _ in range(n):
            vals.append(sched.get_last_lr()[0])
            opt.step()
            sched.step()
        return vals

    ref["schedules"] = {
        "linear_warmup10_total50": lrs(lambda o: get_linear_schedule_with_warmup(o, 10, 50), 60),
        "inverse_sqrt_warmup10": lrs(lambda o: get_inverse_sqrt_schedule(o, 10), 60),
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(ref, f, separators=(",", ":"))
    print("wrote", out, os.path.getsize(out), "bytes")


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
