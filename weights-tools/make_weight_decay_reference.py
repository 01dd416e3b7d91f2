"""Reference values for Adafactor's weight decay alone, bit for bit (AdafactorWeightDecayTest).

transformers' Adafactor decays with p.add_(p, alpha=-weight_decay * lr). With a zero gradient the
update is exactly zero, so after each step the parameter is the decay alone and any difference in
how the factor -weight_decay * lr is rounded shows as a whole ulp. Cases cover the lr as a Python
float (fixed lr; parameter scaling where eps2 wins) and as a float32 tensor (parameter scaling
where the parameter's RMS wins), at lr/weight-decay pairs whose float32 and double products round
apart (lr 1e-3 with weight decay 0.01 is one). Writes
engine/src/test/resources/optim/adafactor_weight_decay.json: each parameter after every step as
float32 bit patterns.

    /work/venv-compare/bin/python weights-tools/make_weight_decay_reference.py [OUT.json]
"""
import json
import os
import sys

import torch
from transformers.optimization import Adafactor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "engine", "src", "test", "resources", "optim", "adafactor_weight_decay.json")
STEPS = 3
# 2-D (factored) and 1-D (unfactored) parameters; lengths past one vector and with a tail.
SHAPES = {"matrix": [4, 24], "vector": [37]}

CASES = {
    # lr a Python float: -wd * lr in double, rounded once to float32.
    "fixed_lr1e-3_wd0.01": dict(lr=1e-3, scale_parameter=False, relative_step=False, weight_decay=0.01, scale=0.5),
    "fixed_lr3e-4_wd0.1": dict(lr=3e-4, scale_parameter=False, relative_step=False, weight_decay=0.1, scale=0.5),
    "fixed_lr5e-4_wd0.05_beta1": dict(lr=5e-4, scale_parameter=False, relative_step=False, weight_decay=0.05,
                                      beta1=0.9, scale=0.5),
    # parameter scaling, the parameter's RMS below eps2 = 1e-3: lr = eps2 * lr, a Python float. (With the
    # relative step's 1e-2 the factor is ~1e-7 and no parameter value was found where its rounding shows.)
    "scaled_lr0.3_eps2_wins_wd0.1": dict(lr=0.3, scale_parameter=True, relative_step=False, weight_decay=0.1,
                                         scale=5e-4),
    # relative step with parameter scaling, the RMS wins: lr is a float32 tensor.
    "relative_rms_wins_wd0.01": dict(lr=None, scale_parameter=True, relative_step=True, weight_decay=0.01,
                                     scale=0.5),
}


def plain_lr(case):
    """The lr HF passes as a Python float, or None when it is a float32 tensor (the RMS wins)."""
    if not case["scale_parameter"]:
        return case["lr"]
    if case["scale"] < 1e-3:  # RMS below eps2 = 1e-3: lr = eps2 * lr
        return 1e-3 * case["lr"]
    return None


def discriminating(case, count, g):
    """Parameter values whose decayed value differs between the two ways of rounding the factor."""
    lr = plain_lr(case)
    if lr is None:
        return torch.empty(0)
    wd = case["weight_decay"]
    exact = -wd * lr
    float_product = float(torch.tensor(-wd, dtype=torch.float32) * torch.tensor(lr, dtype=torch.float32))
    assert float(torch.tensor(exact, dtype=torch.float32)) != float_product, "the pair must round apart"
    found, tried = [], 0
    # About one value in 10^5 (lr 1e-3) to one in 10^7 (lr 1e-5) differs: a bounded search.
    while sum(len(f) for f in found) < count and tried < 1 << 30:
        p = torch.randn(1 << 22, generator=g) * case["scale"]
        with torch.no_grad():
            differ = p.clone().add_(p, alpha=exact) != p.clone().add_(p, alpha=float_product)
        found.append(p[differ].clone())
        tried += len(p)
    out = torch.cat(found)[:count]
    assert len(out) > 0, "no discriminating value found"
    print(f"  {len(out)} discriminating values among {tried} tried")
    return out


def bits(t):
    return [int(x) for x in t.detach().contiguous().view(torch.int32).reshape(-1).tolist()]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    result = {"steps": STEPS, "shapes": SHAPES, "cases": {}}
    for name, case in CASES.items():
        print(name)
        g = torch.Generator().manual_seed(20261127)
        scale = case["scale"]
        params = {}
        for k, s in SHAPES.items():
            values = (torch.randn(s, generator=g) * scale).reshape(-1)
            special = discriminating(case, 4, g)
            values[:len(special)] = special
            params[k] = torch.nn.Parameter(values.reshape(s))
        kwargs = {k: v for k, v in case.items() if k != "scale"}
        opt = Adafactor(list(params.values()), warmup_init=False, **kwargs)
        entry = {"config": kwargs, "initial": {k: bits(p) for k, p in params.items()}, "after": []}
        for _ in range(STEPS):
            for p in params.values():
                p.grad = torch.zeros_like(p)
            opt.step()
            entry["after"].append({k: bits(p) for k, p in params.items()})
        result["cases"][name] = entry
    with open(out, "w") as f:
        json.dump(result, f)
        f.write("\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
