"""The probabilities transformers samples from, on a few fixed rows, for SamplingDistributionTest.

fuzz_logits_processors.py checks that Resumo's processed and warped scores equal transformers';
this script gives the Java side what it needs to check that the tokens Resumo *draws* follow the
distribution those scores define: a handful of fixed float32 score rows (vocabularies of 30-200,
seeded normal logits), each with a decoder history and sampling settings (temperature 0.7 and
1.5, top_k 5, top_p 0.9, a combination of the three, a repetition penalty on a history, every
processor at once), run through the processor list generate() itself builds (fuzz_logits_processors.HF:
RepetitionPenalty -> NoRepeatNGram -> MinNewTokensLength -> Temperature -> TopK -> TopP, min_tokens_to_keep 1)
and softmaxed in float32 as GenerationMixin._sample does before torch.multinomial. Written per
case, in LogitsProcessorFuzzDriver's case format: the row, the history and settings, and
"hf_probs" (0 where transformers can never draw the token).

Also printed per case, to size the test's draw count N: how far (chi-square divergence
sum((q - p)^2 / p) over p's support) the distribution of a broken sampler lies from p, for the
breakages the test must catch: temperature skipped, the draw shifted by one token, the top-k/top-p
cut skipped, the repetition penalty skipped. At N draws the chi-square statistic of such a sampler
is about N times that divergence.

    /work/venv-compare/bin/python weights-tools/make_sampling_distribution_reference.py
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fuzz_logits_processors import HF  # noqa: E402  generate()'s own processor list

NEG = float("-inf")


def row(seed, n, scale):
    """Seeded normal logits, float32-exact."""
    return [float(np.float32(v)) for v in np.random.default_rng(seed).normal(0.0, scale, n)]


def top(values, k):
    """The ids of the k largest values (a history built from tokens the penalty visibly moves)."""
    return [int(i) for i in np.argsort(values)[::-1][:k]]


def cases():
    out = {}
    r = row(1, 40, 1.5)
    out["temperature_0.7"] = {"scores": r, "seq": [0], "eos": 1, "do_sample": True, "temperature": 0.7, "top_k": 0}
    r = row(2, 40, 1.5)
    out["temperature_1.5"] = {"scores": r, "seq": [0], "eos": 1, "do_sample": True, "temperature": 1.5, "top_k": 0}
    r = row(3, 200, 1.0)
    out["top_k_5"] = {"scores": r, "seq": [0], "eos": 1, "do_sample": True, "top_k": 5}
    r = row(4, 100, 2.0)
    out["top_p_0.9"] = {"scores": r, "seq": [0], "eos": 1, "do_sample": True, "top_k": 0, "top_p": 0.9}
    r = row(5, 150, 2.0)
    out["temperature_0.7_top_k_20_top_p_0.9"] = {"scores": r, "seq": [0], "eos": 1, "do_sample": True,
                                                 "temperature": 0.7, "top_k": 20, "top_p": 0.9}
    r = row(6, 60, 1.5)
    hist = top(r, 6) + top([-v for v in r], 2)  # positive scores divided, negative multiplied
    out["repetition_penalty_1.5"] = {"scores": r, "seq": [0] + hist + hist[:3], "eos": 1, "repetition_penalty": 1.5,
                                     "do_sample": True, "top_k": 0}
    # Every processor: the bigram "7 3" already occurred and the history ends in 7, so 3 is banned;
    # 5 tokens generated < min_new_tokens 6, so </s> (1, given the top score) is banned; the penalty
    # lowers 7, 15 and 10 (the 3rd, 4th and 5th scores), which stay among top-k's 10.
    r = row(7, 30, 1.5)
    r[1] = 5.0
    r[3] = 4.0
    out["all_processors"] = {"scores": r, "seq": [0, 7, 3, 15, 10, 7], "eos": 1, "repetition_penalty": 2.0,
                             "no_repeat_ngram_size": 2, "min_new_tokens": 6, "do_sample": True,
                             "temperature": 1.5, "top_k": 10, "top_p": 0.95}
    return out


def divergence(q, p):
    """sum((q - p)^2 / p) over p > 0, inf when q puts mass where p has none."""
    if any(qi > 0 and pi == 0 for qi, pi in zip(q, p)):
        return math.inf
    return sum((qi - pi) ** 2 / pi for qi, pi in zip(q, p) if pi > 0)


def breakages(hf, c, p):
    """A broken sampler's distribution for each breakage that applies to the case."""
    out = {}
    if c.get("temperature", 1.0) != 1.0:
        out["no temperature"] = hf.run({**c, "temperature": 1.0})["probs"]
    if c.get("top_k", 0) or c.get("top_p", 1.0) < 1.0:
        out["no top-k/top-p"] = hf.run({**c, "top_k": 0, "top_p": 1.0})["probs"]
    if c.get("repetition_penalty", 1.0) != 1.0:
        out["no penalty"] = hf.run({**c, "repetition_penalty": 1.0})["probs"]
    out["shifted by one"] = p[-1:] + p[:-1]  # token i drawn where i - 1 should be
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "t5", "src", "test", "resources",
                                                  "generation-reference", "sampling-distribution.json"))
    args = ap.parse_args()
    hf = HF()
    out = {"transformers": __import__("transformers").__version__, "torch": torch.__version__,
           "made_by": "weights-tools/make_sampling_distribution_reference.py",
           "hf_probs": "torch.softmax of the row after generate()'s processors and warpers, float32, as _sample "
                       "draws from it"}
    body = []
    for name, c in cases().items():
        ref = hf.run(c)
        p = ref["probs"]
        cut = [d for d in (ref.get("cut") or []) if d is not None]
        # A cumulative probability this close to top-p's cut could land on either side by rounding.
        assert not cut or min(cut) > 1e-5, f"{name}: top-p cut within {min(cut)}; pick another row"
        kept = sum(1 for v in p if v > 0)
        div = {k: divergence(q, p) for k, q in breakages(hf, c, p).items()}
        print(f"{name}: vocab {len(p)}, {kept} tokens kept, processors {ref['names']}, "
              f"divergence of a broken sampler: " + ", ".join(f"{k} {v:.3g}" for k, v in div.items()))
        body.append(f"  {json.dumps({'name': name, **c, 'hf_probs': p}, allow_nan=False)}")
    with open(args.out, "w") as f:  # one line per case keeps the file small and diffable
        head = json.dumps(out, indent=1, allow_nan=False)[:-2]
        f.write(head + ',\n "cases": [\n' + ",\n".join(body) + "\n ]\n}\n")


if __name__ == "__main__":
    main()
