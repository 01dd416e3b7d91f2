"""Differential fuzz: Resumo's generation against transformers' generate() on random tiny T5s.

Makes random tiny T5 checkpoints (v1.0/PTT5 layout: ReLU, tied embeddings, decoder output scaled;
v1.1: gated-gelu, untied lm_head; a few vocabulary sizes, 1-3 layers, d_model 32-64, bucket and
max-distance variants) in HF layout under --work, draws random generate() settings (greedy; beam
search with num_beams 2-6, length_penalty, early_stopping true/false/"never",
num_return_sequences; min_new_tokens, max_new_tokens, no_repeat_ngram_size 1-4,
repetition_penalty 0.5-2.0, prompt lookup; combinations) on padded batches of different lengths,
runs them through transformers and through Resumo (one JVM: GenerationFuzzDriver, a test-scope
class), and prints every mismatch with its settings, then a shrunk case where one still fails.

EOS: a random model practically never picks id 1, so every model's config names as eos a token
that its greedy decode emits after a few steps (different models: different points): sequences
end early, and length_penalty, early_stopping and min_new_tokens matter.

Near-ties: each run records the smallest gap between scores whose order decided it (greedy:
top-1 minus top-2 of the processed scores; beam search: make_generation_reference.Margins). A
mismatch in a run decided by less than --tie (default 1e-5 for greedy, 1e-4 for beam sums, whose
float32 sums of ~16 log-probabilities differ between the two by up to ~2e-5) is counted as a tie,
not a bug; so are ids where generate() in float64 decides differently from float32, and beam
scores within what the model's measured float32 logit error allows (see float32_noise): large
init scales make some models' float32 logits off by 1e-3 and more, transformers' own included. Sampling is not fuzzed here (different random generators; SamplingWarpersParityTest
compares the warped distributions instead).

    /work/venv-compare/bin/python weights-tools/fuzz_generation_parity.py --cases 400 --seed 1 \
        --classes /tmp/fuzz-classes      # where GenerationFuzzDriver was compiled (see README)
"""
import argparse
import collections
import copy
import json
import os
import random
import subprocess
import sys

import torch
import transformers
from transformers import T5Config, T5ForConditionalGeneration

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_generation_reference import Margins  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
JVM_FLAGS = ["--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
             "--sun-misc-unsafe-memory-access=allow"]


def random_model(rng, index, work, inits):
    """A random tiny T5 saved under work/m<index>; returns (folder, model, eos)."""
    v11 = rng.random() < 0.5
    d_model = rng.choice([32, 48, 64])
    heads = rng.choice([2, 4])
    buckets = rng.choice([8, 16, 32])
    cfg = T5Config(
        vocab_size=rng.choice([40, 97, 256, 600]), d_model=d_model, d_kv=rng.choice([8, 16]), d_ff=rng.choice([64, 96]),
        num_layers=rng.randint(1, 3), num_decoder_layers=rng.randint(1, 3), num_heads=heads,
        relative_attention_num_buckets=buckets,
        relative_attention_max_distance=rng.choice([buckets // 2 + 2, 20, 128]),
        feed_forward_proj="gated-gelu" if v11 else "relu", tie_word_embeddings=not v11,
        dropout_rate=0.0, initializer_factor=rng.choice(inits),
        pad_token_id=0, eos_token_id=1, decoder_start_token_id=0, is_encoder_decoder=True)
    torch.manual_seed(rng.randrange(1 << 30))
    model = T5ForConditionalGeneration(cfg).eval()
    # Peaked logits: a gain on the decoder's final layer norm scales the logits and nothing else.
    # (initializer_factor 4 peaks them too, but its activations grow so large through the stacks
    # that float32 logits carry errors of 1e-3 and more; see float32_noise.)
    gain = rng.choice([1.0, 4.0, 10.0])
    with torch.no_grad():
        model.decoder.final_layer_norm.weight.mul_(gain)
    # eos: one of the tokens the model emits most often greedily, from a few random inputs
    ids = torch.tensor([[rng.randrange(2, cfg.vocab_size) for _ in range(12)] for _ in range(4)])
    with torch.no_grad():
        out = model.generate(input_ids=ids, max_new_tokens=10, do_sample=False, num_beams=1, eos_token_id=1,
                             use_cache=False)[:, 1:].flatten().tolist()
    common = [t for t, _ in collections.Counter(t for t in out if t not in (0, 1)).most_common(3)] or [2]
    first = [t for t in out[::10] if t not in (0, 1)]  # the first generated tokens: eos at step 1
    eos = rng.choice(first if first and rng.random() < 0.3 else common)
    model.config.eos_token_id = eos
    model.generation_config.eos_token_id = eos
    d = os.path.join(work, f"m{index}")
    model.save_pretrained(d)
    desc = (f"{'v1.1' if v11 else 'v1.0'} vocab {cfg.vocab_size} d {d_model} h {heads} L {cfg.num_layers}+"
            f"{cfg.num_decoder_layers} buckets {buckets}/{cfg.relative_attention_max_distance} "
            f"init {cfg.initializer_factor} gain {gain} eos {eos}")
    return d, model, eos, desc


def random_inputs(rng, vocab, eos):
    """A padded batch: rows of different lengths, right padding (as T5 tokenizers pad), sometimes left."""
    batch = rng.choice([1, 1, 2, 3, 4])
    lengths = [rng.randint(1, 20) for _ in range(batch)]
    width = max(lengths)
    left = rng.random() < 0.15
    ids, mask = [], []
    for n in lengths:
        row = [rng.randrange(2, vocab) for _ in range(n - 1)] + [rng.choice([1, eos])]
        pad = [0] * (width - n)
        ids.append(pad + row if left else row + pad)
        mask.append([0] * (width - n) + [1] * n if left else [1] * n + [0] * (width - n))
    return ids, mask


def random_settings(rng):
    kw = dict(do_sample=False, max_new_tokens=rng.randint(1, 20))
    if rng.random() < 0.35:
        kw["num_beams"] = 1
        if rng.random() < 0.15:
            kw["prompt_lookup_num_tokens"] = rng.randint(1, 5)  # Resumo only: the same tokens as greedy
    else:
        n = rng.randint(2, 6)
        kw.update(num_beams=n, length_penalty=rng.choice([-1.0, -0.5, 0.0, 0.6, 1.0, 2.5]),
                  early_stopping=rng.choice([True, False, "never"]))
        if rng.random() < 0.4:
            kw["num_return_sequences"] = rng.randint(1, n)
    if rng.random() < 0.35:
        kw["min_new_tokens"] = rng.randint(0, kw["max_new_tokens"])
    elif rng.random() < 0.1:
        kw["min_length"] = rng.randint(0, kw["max_new_tokens"] + 1)  # counts the decoder start token
    if rng.random() < 0.35:
        kw["no_repeat_ngram_size"] = rng.randint(1, 4)
    if rng.random() < 0.35:
        kw["repetition_penalty"] = rng.choice([0.5, 0.8, 1.3, 2.0])
    return kw


def hf_run(model, ids, mask, kw, eos):
    """transformers' ids (each cut after its first eos), beam scores, and the deciding margin."""
    kw = {k: v for k, v in kw.items() if k != "prompt_lookup_num_tokens"}
    # transformers 5.24 sizes generate()'s key/value cache by num_layers (the encoder's depth): a
    # deeper decoder fails in cache.update, so such models recompute every prefix instead
    kw["use_cache"] = model.config.num_decoder_layers <= model.config.num_layers
    margins = Margins(model)
    try:
        with torch.no_grad():
            res = model.generate(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask), eos_token_id=eos,
                                 output_scores=True, output_logits=True, return_dict_in_generate=True, **kw)
    finally:
        for name in ("_get_top_k_continuations", "_update_finished_beams", "_check_early_stop_heuristic"):
            model.__dict__.pop(name, None)
    if res.get("sequences_scores") is None and res.scores:
        gaps = []
        for s in res.scores:
            top = s.topk(2, dim=-1).values
            real = top[:, 1] > -1e30  # a row with one finite score decides nothing
            if real.any():
                gaps.append((top[real, 0] - top[real, 1]).min().item())
        margins.min = min(gaps, default=float("inf"))
    rows = []
    for row in res.sequences.tolist():
        end = row.index(eos, 1) + 1 if eos in row[1:] else len(row)
        rows.append(row[:end])
    scores = res.sequences_scores.tolist() if res.get("sequences_scores") is not None else []
    scale = max((l.abs().max().item() for l in res.logits), default=0.0)
    return rows, scores, margins.min, scale


def resumo_run(cases, classes, work):
    """GenerationFuzzDriver over all cases in one JVM."""
    src, dst = os.path.join(work, "cases.json"), os.path.join(work, "out.json")
    with open(src, "w") as f:
        json.dump([{k: v for k, v in c.items() if not k.startswith("hf_")} for c in cases], f)
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
    cp = os.path.join(ROOT, "cli", "target", "resumo.jar") + os.pathsep + classes
    subprocess.run([java, *JVM_FLAGS, "-cp", cp, "dev.resumo.t5.generate.GenerationFuzzDriver", src, dst], check=True)
    with open(dst) as f:
        return json.load(f)


def compare(case, got):
    """None when Resumo agrees; else a description of the difference."""
    if "error" in got:
        return "Resumo failed: " + got["error"]
    if got["ids"] != case["hf_ids"]:
        for r, (a, b) in enumerate(zip(case["hf_ids"], got["ids"])):
            if a != b:
                return f"sequence {r}: transformers {a} vs Resumo {b}"
        return f"{len(case['hf_ids'])} sequences vs {len(got['ids'])}"
    if len(case["hf_scores"]) != len(got["scores"]):
        return f"{len(case['hf_scores'])} beam scores vs {len(got['scores'])}"
    for r, (a, b) in enumerate(zip(case["hf_scores"], got["scores"])):
        if abs(a - b) > SCORE_TOLERANCE * max(1.0, abs(a)):
            return f"beam score {r}: transformers {a} vs Resumo {b}"
    return None


# Beam scores agree to this (relative) without further checks; a larger difference is compared
# with transformers' own float32-vs-float64 difference (see float32_noise).
SCORE_TOLERANCE = 1e-5


def float32_noise(case, got, model64, eos, logit_error):
    """Why a difference is float32 rounding, or None when it is not. Ids: generate() run in float64
    decides differently from float32 (an ill-conditioned case). Beam scores (ids equal): each
    differs by at most 4 x steps x logit_error in summed log-probabilities, logit_error being the
    largest |Resumo - transformers| of the model's teacher-forced logits on probe inputs (see
    logit_errors): a log-probability moves by at most twice its logits' error, and a repetition
    penalty up to 2 doubles that; or, beyond that, no further from generate()'s float64 scores than
    transformers' float32 ones are. Some random models carry float32 logit errors of 1e-3 to 1e-2
    (transformers' own float32 against float64 as much): large activations in deep ReLU stacks."""
    if got.get("ids") != case["hf_ids"]:
        ids64, _, _, _ = hf_run(model64, case["ids"], case["mask"], case["generate"], eos)
        return "transformers float64 decides differently from float32" if ids64 != case["hf_ids"] else None
    lp = case["generate"].get("length_penalty", 1.0)
    scores64 = None
    for r, (seq, a, b) in enumerate(zip(case["hf_ids"], case["hf_scores"], got["scores"])):
        steps = max(1, len(seq) - 1)
        if abs(a - b) > SCORE_TOLERANCE * max(1.0, abs(a)) and abs(a - b) * steps ** lp > 4 * steps * logit_error:
            # an input the probes did not cover as badly: Resumo's score is no further from
            # float64's than transformers' float32 one is
            if scores64 is None:
                ids64, scores64, _, _ = hf_run(model64, case["ids"], case["mask"], case["generate"], eos)
                if ids64 != case["hf_ids"]:
                    return "transformers float64 decides differently from float32"
            if abs(b - scores64[r]) > abs(a - scores64[r]) + SCORE_TOLERANCE * max(1.0, abs(a)):
                return None
    return f"beam scores within float32 error (logits {logit_error:.2g})"


def logit_errors(models, rng, classes, work):
    """Per model: the largest |Resumo - transformers| teacher-forced logit over three random probes."""
    probes = []
    for d, model, _, _ in models:
        v = model.config.vocab_size
        for _ in range(3):
            ids = [[rng.randrange(2, v) for _ in range(rng.randint(3, 16))]]
            probes.append(dict(model=d, ids=ids, mask=[[1] * len(ids[0])], generate={},
                               decoder_ids=[0] + [rng.randrange(2, v) for _ in range(7)]))
    outs = resumo_run(probes, classes, work)
    err = collections.defaultdict(float)
    by_dir = {d: m for d, m, _, _ in models}
    for p, o in zip(probes, outs):
        with torch.no_grad():
            ref = by_dir[p["model"]](input_ids=torch.tensor(p["ids"]), decoder_input_ids=torch.tensor([p["decoder_ids"]]),
                                     use_cache=False).logits[0]
        err[p["model"]] = max(err[p["model"]], (torch.tensor(o["logits"]).view(ref.shape) - ref).abs().max().item())
    return err


def setting_names(kw):
    """The settings a case exercises, for the per-setting counts."""
    names = ["greedy" if kw.get("num_beams", 1) == 1 else f"beam{kw['num_beams']}"]
    if kw.get("prompt_lookup_num_tokens"):
        names.append("prompt_lookup")
    if kw.get("num_beams", 1) > 1:
        names += [f"lp{kw['length_penalty']}", f"es={kw['early_stopping']}"]
        if kw.get("num_return_sequences", 1) > 1:
            names.append("num_return_sequences>1")
    for k, short in (("min_new_tokens", "min_new_tokens"), ("min_length", "min_length"), ("no_repeat_ngram_size", "nrng"),
                     ("repetition_penalty", "rep")):
        if k in kw:
            names.append(short if k.startswith("min_") else f"{short}{kw[k]}")
    return names


def shrink_candidates(case):
    """Smaller versions of a failing case: one row, fewer options, fewer tokens, fewer beams."""
    kw = case["generate"]
    out = []
    if len(case["ids"]) > 1:
        for r in range(len(case["ids"])):
            c = copy.deepcopy(case)
            c["ids"], c["mask"] = [case["ids"][r]], [case["mask"][r]]
            out.append(c)
    for k in ("min_new_tokens", "min_length", "no_repeat_ngram_size", "repetition_penalty", "num_return_sequences",
              "prompt_lookup_num_tokens"):
        if k in kw:
            c = copy.deepcopy(case)
            del c["generate"][k]
            out.append(c)
    if kw["max_new_tokens"] > 1:
        c = copy.deepcopy(case)
        c["generate"]["max_new_tokens"] -= 1
        out.append(c)
    if kw.get("num_beams", 1) > 2 and kw.get("num_return_sequences", 1) < kw["num_beams"]:
        c = copy.deepcopy(case)
        c["generate"]["num_beams"] -= 1
        out.append(c)
    return out


def decided(case, tie):
    limit = tie if case["generate"].get("num_beams", 1) == 1 else 10 * tie
    return case["hf_margin"] > limit


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--models", type=int, default=12)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tie", type=float, default=1e-5)
    ap.add_argument("--work", default="/tmp/resumo-gen-fuzz")
    ap.add_argument("--classes", default="/tmp/fuzz-classes")
    ap.add_argument("--shrink-rounds", type=int, default=6)
    # initializer_factor choices: 1 keeps float32 logits within ~1e-5 of transformers (a strict
    # run: few differences need the float64 check); 2 and 4 make ill-conditioned models too
    ap.add_argument("--init", type=float, nargs="+", default=[1.0, 1.0, 2.0, 4.0])
    args = ap.parse_args()
    torch.set_num_threads(1)
    transformers.utils.logging.disable_progress_bar()
    rng = random.Random(args.seed)
    os.makedirs(args.work, exist_ok=True)
    models = [random_model(rng, i, args.work, args.init) for i in range(args.models)]
    errors = logit_errors(models, rng, args.classes, args.work)
    for d, _, _, desc in models:
        print(f"{os.path.basename(d)}: {desc}; logits within {errors[d]:.2g} of transformers")
    by_dir = {d: (m, eos, desc) for d, m, eos, desc in models}

    cases = []
    for _ in range(args.cases):
        d, model, eos, _ = rng.choice(models)
        ids, mask = random_inputs(rng, model.config.vocab_size, eos)
        kw = random_settings(rng)
        hf_ids, hf_scores, margin, scale = hf_run(model, ids, mask, kw, eos)
        cases.append(dict(model=d, ids=ids, mask=mask, generate=kw, hf_ids=hf_ids, hf_scores=hf_scores, hf_margin=margin,
                          hf_scale=scale))
    results = resumo_run(cases, args.classes, args.work)
    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump([dict(c, resumo=r) for c, r in zip(cases, results)], f)

    counts, bad, ties = collections.Counter(), collections.Counter(), collections.Counter()
    ended = sum(any(r[-1] == by_dir[c["model"]][1] for r in c["hf_ids"]) for c in cases)
    failures, doubles, n_ties = [], {}, 0
    for c, got in zip(cases, results):
        names = setting_names(c["generate"])
        counts.update(names)
        diff = compare(c, got)
        if diff is None:
            continue
        model, eos, desc = by_dir[c["model"]]
        why = None if decided(c, args.tie) else f"margin {c['hf_margin']:.2g}"
        if why is None:
            if c["model"] not in doubles:
                doubles[c["model"]] = copy.deepcopy(model).double()
            why = float32_noise(c, got, doubles[c["model"]], eos, errors[c["model"]])
        if why is not None:
            ties.update(names)
            n_ties += 1
            print(f"TIE ({why}) {c['generate']}: {diff}")
            continue
        bad.update(names)
        failures.append((c, diff))
        print(f"MISMATCH {os.path.basename(c['model'])} [{desc}] ids={c['ids']} mask={c['mask']}"
              f"\n  generate({c['generate']}) margin {c['hf_margin']:.3g}\n  {diff}")

    for c, diff in failures[:10]:  # shrink: keep any smaller variant that still mismatches
        for _ in range(args.shrink_rounds):
            cands = shrink_candidates(c)
            if not cands:
                break
            for k in cands:
                model, eos, _ = by_dir[k["model"]]
                k["hf_ids"], k["hf_scores"], k["hf_margin"], k["hf_scale"] = hf_run(model, k["ids"], k["mask"], k["generate"], eos)
            outs = resumo_run(cands, args.classes, args.work)
            still = [(k, compare(k, o), o) for k, o in zip(cands, outs)]
            still = [(k, d) for k, d, o in still if d is not None and decided(k, args.tie)
                     and float32_noise(k, o, doubles[k["model"]], by_dir[k["model"]][1], errors[k["model"]]) is None]
            if not still:
                break
            c, diff = still[0]
        print(f"SHRUNK {os.path.basename(c['model'])} ids={c['ids']} mask={c['mask']}\n  generate({c['generate']})"
              f" margin {c['hf_margin']:.3g}\n  {diff}")

    print(f"\n{len(cases)} cases, {ended} with an eos-ended sequence; {len(failures)} mismatches, "
          f"{n_ties} near-ties or float32 noise")
    for name in sorted(counts):
        print(f"  {name:28s} {counts[name]:5d} cases  {bad[name]:3d} mismatches  {ties[name]:3d} ties")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
