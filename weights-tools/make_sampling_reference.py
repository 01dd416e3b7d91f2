"""The scores transformers samples from after its sampling warpers, on fixed score vectors.

Token ids drawn by sampling cannot match torch's random generator, but the distribution they are
drawn from can: this script takes a few fixed float32 score rows (ties, -inf entries, a dominant
token, large magnitudes) and runs them through the warpers generate() itself builds for
do_sample=True (GenerationMixin._get_logits_processor: TemperatureLogitsWarper, then
TopKLogitsWarper, then TopPLogitsWarper, min_tokens_to_keep=1 as for num_beams=1), and writes the
input rows, the settings and the warped rows to
t5/src/test/resources/generation-reference/sampling-warpers.json (-inf written as null; min_cut_distance null when top-p is off).

Also written per case: the smallest distance between a cumulative probability of the sorted row
and top-p's cut (1 - top_p), ignoring exact hits (designed ties such as 0.25 + 0.25 = 0.5, which
are exact in float32 and double alike): a tiny distance would make the kept set depend on how the
softmax is rounded, and the test checks the recorded distance is not that small.

    .venv-compare/bin/python weights-tools/make_sampling_reference.py
"""
import argparse
import json
import math
import os

import torch
from transformers import GenerationConfig, T5Config, T5ForConditionalGeneration

NEG = float("-inf")

# name -> (score row, temperature, top_k, top_p). top_k 0 = off, top_p 1.0 = off, as in generate().
CASES = {
    "plain_k3": ([1.0, 5.0, 3.0, 2.0, 0.0, -1.0], 1.0, 3, 1.0),
    "topk_ties_with_kth": ([1.0, 5.0, 3.0, 3.0, 0.0, 3.0], 1.0, 2, 1.0),
    "topk_larger_than_vocab": ([0.5, -0.25, 2.0, 1.0], 1.0, 10, 1.0),
    "topk_equals_vocab": ([0.5, -0.25, 2.0, 1.0], 1.0, 4, 1.0),
    "topk_with_neg_inf": ([NEG, NEG, 1.0, 0.5], 1.0, 3, 1.0),
    "topk_1": ([0.5, 2.0, 2.0, 1.0], 1.0, 1, 1.0),
    "topp_1_is_off": ([0.0, 0.0, 0.0, 0.0, -20.0], 1.0, 0, 1.0),
    "topp_exact_tie_at_cut": ([0.0, 0.0, 0.0, 0.0], 1.0, 0, 0.5),
    "topp_exact_tie_quarter": ([0.0, 0.0, 0.0, 0.0], 1.0, 0, 0.75),
    "topp_tiny_keeps_best": ([3.0, 2.0, 1.0, 0.0], 1.0, 0, 0.01),
    "topp_ties_partly_cut": ([1.0, 0.0, 0.0, 0.0, 0.0], 1.0, 0, 0.6),
    "topp_ties_interleaved": ([0.0, 1.0, 0.0, 1.0, 0.0], 1.0, 0, 0.5),
    "topp_085": ([3.0, 2.0, 1.0, 0.0], 1.0, 0, 0.85),
    "topp_with_neg_inf": ([2.0, NEG, 1.0, NEG, 0.0, -1.0], 1.0, 0, 0.9),
    "temperature_07": ([1.5, -2.0, 0.25, 3.0, 3.0], 0.7, 0, 1.0),
    "temperature_13_k2_p09": ([1.5, -2.0, 0.25, 3.0, 2.9, -7.0], 1.3, 2, 0.9),
    "temperature_06_k4_p08": ([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], 0.6, 4, 0.8),
    "dominant_token": ([40.0, 0.0, -1.0, -3.0, 1.0], 1.0, 50, 0.95),
    "large_magnitudes": ([1.0e30, -1.0e30, 3.0e29, 0.0, -5.0], 2.0, 3, 0.9),
    "all_equal_k_default": ([-1.0] * 8, 1.0, 50, 0.9),
}


def warpers(temperature, top_k, top_p):
    """The processor list generate() builds for these sampling settings (no other processor is on)."""
    cfg = T5Config(vocab_size=8, d_model=8, d_kv=4, d_ff=8, num_layers=1, num_heads=2)
    model = T5ForConditionalGeneration(cfg)
    gc = GenerationConfig(do_sample=True, num_beams=1, temperature=temperature, top_k=top_k, top_p=top_p,
                          eos_token_id=1, pad_token_id=0)
    procs = model._get_logits_processor(generation_config=gc, input_ids_seq_length=1, device="cpu")
    names = [type(p).__name__ for p in procs]
    expected = [n for n, on in (("TemperatureLogitsWarper", temperature != 1.0), ("TopKLogitsWarper", top_k != 0),
                                ("TopPLogitsWarper", top_p < 1.0)) if on]
    assert names == expected, f"generate() builds {names}, expected {expected}"
    return procs


def cut_distance(row, top_p):
    """Smallest |cumsum(softmax(sorted row)) - (1 - top_p)| over inexact hits, inf when top_p is off."""
    if top_p >= 1.0:
        return math.inf
    s = torch.sort(row, descending=False).values
    cum = s.softmax(dim=-1).cumsum(dim=-1)
    d = (cum - torch.tensor(1 - top_p, dtype=torch.float32)).abs()
    d = d[d > 0]
    return d.min().item() if d.numel() else math.inf


def encode(values):
    return [None if v == NEG else v for v in values]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "t5", "src", "test", "resources",
                                                  "generation-reference", "sampling-warpers.json"))
    args = ap.parse_args()
    out = {"transformers": __import__("transformers").__version__, "torch": torch.__version__,
           "order": "TemperatureLogitsWarper -> TopKLogitsWarper -> TopPLogitsWarper (min_tokens_to_keep=1)",
           "cases": {}}
    for name, (values, temperature, top_k, top_p) in CASES.items():
        row = torch.tensor([values], dtype=torch.float32)
        warped = row.clone()
        for p in warpers(temperature, top_k, top_p):
            warped = p(torch.zeros((1, 1), dtype=torch.long), warped)
        after_k = row / temperature if temperature != 1.0 else row
        if top_k:
            after_k = after_k.masked_fill(after_k < torch.topk(after_k, min(top_k, after_k.shape[-1]))[0][..., -1:], NEG)
        out["cases"][name] = {
            "scores": encode(row[0].tolist()), "temperature": temperature, "top_k": top_k, "top_p": top_p,
            "warped": encode(warped[0].tolist()),
            "min_cut_distance": None if math.isinf(d := cut_distance(after_k[0], top_p)) else d,
        }
        print(f"{name}: {encode(warped[0].tolist())}")
    cases = out.pop("cases")
    with open(args.out, "w") as f:  # one line per case keeps the file small and diffable
        head = json.dumps(out, indent=1, allow_nan=False)[:-2]
        body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, allow_nan=False)}" for k, v in cases.items())
        f.write(f"{head},\n \"cases\": {{\n{body}\n }}\n}}\n")


if __name__ == "__main__":
    main()
