"""Differential fuzz: Resumo's logits processors and sampling warpers against transformers'.

Draws random score rows (normal at scales 1e-3..1e4, quantised rows full of ties, all-equal rows,
one dominant token, -inf entries up to all but one, float32 edge values: ±0, subnormals, ±3.4e38,
±inf), random decoder histories (the decoder start token, then tokens from a small alphabet so
n-grams repeat), and random settings, edge values included: repetition_penalty (off, 1e-3 .. 1e3),
no_repeat_ngram_size 0-4, min_new_tokens, and with do_sample temperature 1e-6 .. 1e4, top_k 0, 1,
= vocab, > vocab, top_p 1e-8 .. 1.0. Some rows are log-softmaxed first, as beam search feeds its
processors. Settings are written as short decimals (what a user types; Java parses them to float32
as the CLI does, Python passes the double as generate() gets it) or float32-exact values.

transformers' side is the LogitsProcessorList that generate() itself builds for those settings
(_prepare_generation_config, _prepare_special_tokens, _prepare_generated_length,
_get_logits_processor: RepetitionPenalty -> NoRepeatNGram -> MinLength -> MinNewTokensLength ->
Temperature -> TopK -> TopP, min_tokens_to_keep 1 as for num_beams 1), then softmax as _sample
does. Resumo's side is LogitsProcessorFuzzDriver (test scope): NextTokenScores.applyProcessors,
warpForSampling and the probabilities sample() draws from, in one JVM.

Compared per case:
  processed  after the processors: bit-identical (each is one float32 multiply/divide or a -inf
             mask, the same operation on both sides);
  survivors  which tokens are still finite after the warpers: identical, except where top-p's
             cut is decided by rounding: the disputed token's float32 cumulative probability
             (transformers') lies within --cut-tol of 1 - top_p (the two sides round the softmax
             and its cumulative sum differently, ~1e-7);
  warped     the surviving scores: bit-identical (temperature is one float32 division);
  probs      what is sampled from: |p_resumo - p_hf| <= --prob-tol * max(p_hf, 1e-30) (torch's
             float32 softmax against Resumo's double-accumulated one: a few float32 ulps).
A row transformers cannot sample from (its softmax has NaN, so torch.multinomial raises) must be
one Resumo refuses too (NextTokenScores.undefinedDistribution; Generator stops with an error).

Mismatching cases are written to --regressions (a JSON array in LogitsProcessorFuzzDriver's
format plus transformers' results) for LogitsProcessorRegressionTest.

    bin/test -q -o -DskipTests -Dmaven.test.skip=true install           # cli/target/resumo.jar
    CP=cli/target/resumo.jar
    javac -nowarn --add-modules jdk.incubator.vector -d /tmp/lp-classes -cp "$CP" \\
        t5/src/test/java/dev/resumo/t5/generate/LogitsProcessorFuzzDriver.java
    /work/venv-compare/bin/python weights-tools/fuzz_logits_processors.py --cases 20000 --seed 1
"""
import argparse
import collections
import json
import math
import os
import random
import subprocess
import sys
import warnings

import numpy as np
import torch
from transformers import T5Config, T5ForConditionalGeneration
from transformers.utils import logging as hf_logging

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
JVM_FLAGS = ["--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
             "--sun-misc-unsafe-memory-access=allow"]
F32_MAX = float(np.finfo(np.float32).max)
F32_TINY = float(np.float32(1e-45))  # smallest subnormal

hf_logging.set_verbosity_error()
warnings.filterwarnings("ignore")


def f32(x):
    return float(np.float32(x))


def random_row(rng, n):
    style = rng.choice(["normal", "normal", "ties", "equal", "peaked", "neg_inf", "one_left", "edge", "huge"])
    scale = rng.choice([1e-3, 1.0, 1.0, 5.0, 30.0, 1e4])
    row = [rng.gauss(0, scale) for _ in range(n)]
    if style == "ties":
        step = rng.choice([0.5, 1.0, scale])
        row = [round(v / step) * step for v in row]
    elif style == "equal":
        row = [rng.choice([0.0, -1.0, 3.5, -1e4])] * n
    elif style == "peaked":
        row[rng.randrange(n)] = rng.choice([20.0, 50.0, 100.0, 1e4])
    elif style == "neg_inf":
        for i in range(n):
            if rng.random() < rng.choice([0.1, 0.5, 0.9]):
                row[i] = -math.inf
    elif style == "one_left":
        keep = rng.randrange(n)
        row = [v if i == keep else -math.inf for i, v in enumerate(row)]
    elif style == "edge":
        for i in range(n):
            if rng.random() < 0.4:
                row[i] = rng.choice([0.0, -0.0, F32_TINY, -F32_TINY, 1e-38, F32_MAX, -F32_MAX, 1e30, -1e30])
    elif style == "huge":
        row = [rng.choice([1.0, -1.0]) * rng.choice([1e20, 1e30, 3e38]) * rng.random() for _ in range(n)]
    if rng.random() < 0.03:
        row[rng.randrange(n)] = math.inf
    return [f32(v) for v in row], style


def random_history(rng, n):
    alphabet = rng.sample(range(n), min(n, rng.choice([1, 2, 3, 5, n])))
    return [0] + [rng.choice(alphabet) for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 15, 30]))]


def decimal(rng, choices, lo, hi):
    """A user-typed decimal from choices, or a random float32-exact value in [lo, hi]."""
    return rng.choice(choices) if rng.random() < 0.7 else f32(rng.uniform(lo, hi))


def random_case(rng):
    n = rng.choice([2, 3, 5, 8, 17, 50, 97, 256, 600])
    row, style = random_row(rng, n)
    seq = random_history(rng, n)
    c = {"scores": row, "seq": seq, "eos": rng.randrange(n), "style": style}
    if rng.random() < 0.5:
        c["repetition_penalty"] = decimal(rng, [0.5, 0.8, 1.1, 1.2, 1.3, 2.0, 1e-3, 1e3], 0.05, 5.0)
    if rng.random() < 0.4:
        c["no_repeat_ngram_size"] = rng.randint(1, 4)
    if rng.random() < 0.4:
        c["min_new_tokens"] = rng.randint(0, len(seq) + 1)
    if rng.random() < 0.65:
        c["do_sample"] = True
        if rng.random() < 0.7:
            c["temperature"] = decimal(rng, [1e-6, 1e-3, 0.1, 0.5, 0.7, 0.9, 1.5, 2.0, 10.0, 1e4], 0.05, 3.0)
        c["top_k"] = rng.choice([0, 0, 1, 2, 5, 50, n - 1, n, n + 10, rng.randint(1, n)])
        if rng.random() < 0.7:
            c["top_p"] = decimal(rng, [1e-8, 1e-6, 0.01, 0.1, 0.3, 0.5, 0.75, 0.9, 0.92, 0.95, 0.999, 1.0], 1e-4, 1.0)
    elif rng.random() < 0.4:
        # beam search runs the processors on log-probabilities (torch's log_softmax, given to both)
        c["scores"] = torch.log_softmax(torch.tensor([row]), dim=-1)[0].tolist()
        c["style"] += "+log_softmax"
    return c


class HF:
    """generate()'s own processor list for a case's settings, on a throwaway tiny T5."""

    def __init__(self):
        cfg = T5Config(vocab_size=8, d_model=8, d_kv=4, d_ff=8, num_layers=1, num_heads=2,
                       decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
        self.model = T5ForConditionalGeneration(cfg).eval()

    def processors(self, c):
        kw = dict(do_sample=c.get("do_sample", False), eos_token_id=c["eos"], max_new_tokens=64)
        for k in ("repetition_penalty", "no_repeat_ngram_size", "min_new_tokens", "temperature", "top_k", "top_p"):
            if k in c:
                kw[k] = c[k]
        if not kw["do_sample"]:
            kw["top_k"] = 0  # Resumo: top_k is a sampling setting; generate() leaves warpers out anyway
        m = self.model
        gc, mk = m._prepare_generation_config(None, **kw)
        m._prepare_special_tokens(gc, True, device="cpu", batch_size=1)
        enc = torch.zeros((1, 3), dtype=torch.long)
        gc = m._prepare_generated_length(gc, has_default_max_length=False, has_default_min_length=True,
                                         model_input_name="input_ids", input_ids_length=1, inputs_tensor=enc)
        procs = m._get_logits_processor(generation_config=gc, input_ids_seq_length=1, encoder_input_ids=enc,
                                        device="cpu", model_kwargs=mk)
        warper_names = ("TemperatureLogitsWarper", "TopKLogitsWarper", "TopPLogitsWarper")
        return ([p for p in procs if type(p).__name__ not in warper_names],
                [p for p in procs if type(p).__name__ in warper_names])

    def run(self, c):
        before, warpers = self.processors(c)
        ids = torch.tensor([c["seq"]])
        x = torch.tensor([c["scores"]], dtype=torch.float32)
        for p in before:
            x = p(ids, x)
        out = {"processed": x[0].tolist(), "names": [type(p).__name__ for p in before + warpers]}
        if c.get("do_sample"):
            for p in warpers:
                x = p(ids, x)
            out["warped"] = x[0].tolist()
            out["probs"] = torch.softmax(x, dim=-1)[0].tolist()
            out["cut"] = cut_positions(out["processed"], c)
        return out


def cut_positions(processed, c):
    """Per token: |transformers' float32 cumulative probability at it - (1 - top_p)| in top-p's sorted
    row (after temperature and top-k), or None when top-p is off."""
    top_p = c.get("top_p", 1.0)
    if top_p >= 1.0:
        return None
    x = torch.tensor([processed])
    t = c.get("temperature", 1.0)
    if t != 1.0:
        x = x / t
    k = c.get("top_k", 0)
    if k:
        x = x.masked_fill(x < torch.topk(x, min(k, x.shape[-1]))[0][..., -1:], -math.inf)
    s, order = torch.sort(x, descending=False)
    cum = s.softmax(dim=-1).cumsum(dim=-1)
    d = (cum - (1 - top_p)).abs()[0]
    dist = [None] * x.shape[-1]
    for rank, i in enumerate(order[0].tolist()):
        dist[i] = d[rank].item()
    return dist


def enc(values):
    return [("nan" if math.isnan(v) else "inf" if v > 0 else "-inf") if not math.isfinite(v) else v for v in values]


def dec(values):
    return [float(v) if isinstance(v, str) else v for v in values]


def same_bits(a, b):
    return all((math.isnan(x) and math.isnan(y)) or np.float32(x).tobytes() == np.float32(y).tobytes()
               for x, y in zip(a, b))


def resumo_run(cases, classes, work):
    src, dst = os.path.join(work, "lp-cases.json"), os.path.join(work, "lp-out.json")
    keys = ("scores", "seq", "eos", "repetition_penalty", "no_repeat_ngram_size", "min_new_tokens", "do_sample",
            "temperature", "top_k", "top_p")
    with open(src, "w") as f:
        json.dump([{k: (enc(c[k]) if k == "scores" else c[k]) for k in keys if k in c} for c in cases], f)
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
    cp = classes + os.pathsep + os.path.join(ROOT, "cli", "target", "resumo.jar")  # classes first: a recompiled NextTokenScores wins
    subprocess.run([java, *JVM_FLAGS, "-cp", cp, "dev.resumo.t5.generate.LogitsProcessorFuzzDriver", src, dst],
                   check=True)
    with open(dst) as f:
        return json.load(f)


def compare(c, hf, got, args, stats):
    """Problems found in one case (empty: it matches); updates stats."""
    if "error" in got:
        return [f"Resumo failed: {got['error']}"]
    problems = []
    if not same_bits(hf["processed"], dec(got["processed"])):
        bad = [i for i, (x, y) in enumerate(zip(hf["processed"], dec(got["processed"])))
               if not same_bits([x], [y])]
        problems.append(f"processed differs at {bad[:8]}: hf {[hf['processed'][i] for i in bad[:4]]} "
                        f"resumo {[dec(got['processed'])[i] for i in bad[:4]]}")
    if not c.get("do_sample"):
        return problems
    hw, rw = hf["warped"], dec(got["warped"])
    hs = {i for i, v in enumerate(hw) if v != -math.inf}
    rs = {i for i, v in enumerate(rw) if v != -math.inf}
    if hs != rs:
        diff = sorted(hs ^ rs)
        # a cumulative probability within cut_tol of the cut: which side it falls on is rounding
        near = hf["cut"] is not None and min(d for d in hf["cut"] if d is not None) <= args.cut_tol
        # torch.sort (CPU, stable=False) orders equal scores by libstdc++'s introsort for rows of
        # more than 16 (index order below that), so which of several tokens tied at the cut stay
        # is an artefact of torch's sort (another on CUDA); the kept multiset of scores, i.e. the
        # distribution up to renaming equal-score tokens, must still be the same.
        if sorted(hw[i] for i in hs) == sorted(rw[i] for i in rs):
            stats["tied_at_cut"] += 1
            return problems
        if near:
            stats["near_cut"] += 1
            stats["near_cut_max"] = max(stats["near_cut_max"], min(d for d in hf["cut"] if d is not None))
            return problems
        problems.append(f"survivors differ: only hf {sorted(hs - rs)[:8]}, only resumo {sorted(rs - hs)[:8]}"
                        + (f" (cut distance {[hf['cut'][i] for i in diff[:4]]})" if hf["cut"] else ""))
        return problems
    if not same_bits([hw[i] for i in hs], [rw[i] for i in hs]):
        problems.append("warped scores of the survivors differ")
    hp, rp = hf["probs"], dec(got["probs"])
    hf_cannot = any(not math.isfinite(p) for p in hp)
    if hf_cannot or got["undefined"] is not None:
        if hf_cannot and got["undefined"] is not None:
            stats["both_refuse"] += 1
            return problems
        problems.append(f"only {'transformers' if hf_cannot else 'Resumo'} finds no distribution to sample from "
                        f"(hf softmax {sorted(set(map(str, hp)))[:3]}, Resumo: {got['undefined']})")
        return problems
    worst = 0.0
    for x, y in zip(hp, rp):
        worst = max(worst, abs(x - y) / max(x, 1e-30))
    stats["prob_rel_max"] = max(stats["prob_rel_max"], worst)
    if worst > args.prob_tol:
        problems.append(f"probabilities differ by {worst:.3g} relative")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", default="/tmp/resumo-lp-fuzz")
    ap.add_argument("--classes", default="/tmp/lp-classes")
    ap.add_argument("--cut-tol", type=float, default=1e-6,
                    help="a survivor disagreement whose cumulative probability lies this close to top-p's cut is rounding")
    ap.add_argument("--prob-tol", type=float, default=1e-5)
    ap.add_argument("--regressions", default=None, help="write mismatching cases here (JSON)")
    ap.add_argument("--show", type=int, default=12)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = random.Random(args.seed)
    hf = HF()
    cases = [random_case(rng) for _ in range(args.cases)]
    refs = [hf.run(c) for c in cases]
    got = resumo_run(cases, args.classes, args.work)
    stats = collections.Counter(near_cut=0, both_refuse=0, tied_at_cut=0)
    stats["near_cut_max"] = 0.0
    stats["prob_rel_max"] = 0.0
    per_processor = collections.Counter()
    bad = []
    for c, h, g in zip(cases, refs, got):
        for name in h["names"]:
            per_processor[name] += 1
        problems = compare(c, h, g, args, stats)
        if problems:
            bad.append((c, h, problems))
    print(f"{len(cases)} cases; per processor (cases where generate() builds it): {dict(per_processor)}")
    print(f"styles: {dict(collections.Counter(c['style'] for c in cases))}")
    print(f"tokens tied at the top-p cut kept differently (same kept scores): {stats['tied_at_cut']}")
    print(f"top-p rounding ties (cut distance <= {args.cut_tol}): {stats['near_cut']}, largest {stats['near_cut_max']:.3g}")
    print(f"largest relative probability difference: {stats['prob_rel_max']:.3g} (tolerance {args.prob_tol})")
    print(f"rows neither can sample from (both refuse): {stats['both_refuse']}")
    print(f"mismatches: {len(bad)}")
    kinds = collections.Counter(p.split(":")[0].split(" (")[0] for _, _, ps in bad for p in ps)
    print(f"mismatch kinds: {dict(kinds)}")
    for c, h, ps in bad[:args.show]:
        short = {k: v for k, v in c.items() if k not in ("scores",)}
        sc = c["scores"] if len(c["scores"]) <= 8 else c["scores"][:8] + ["..."]
        print(f"- {short} scores {sc}\n    " + "\n    ".join(ps))
    if args.regressions:
        with open(args.regressions, "w") as f:
            json.dump([{**{k: (enc(v) if k == "scores" else v) for k, v in c.items()},
                        "hf_processed": enc(h["processed"]), **({"hf_warped": enc(h["warped"]), "hf_probs": enc(h["probs"])}
                                                                 if "warped" in h else {}),
                        "problems": ps} for c, h, ps in bad], f)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
