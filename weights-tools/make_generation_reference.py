"""Token ids (and beam scores) transformers' generate() gives with the settings summarizers use.

Reads each golden tiny model (../shared/golden/<name>: model + the 4 inputs of
generate.safetensors, 40 tokens each, no padding), runs generate() with every setting below and
writes t5/src/test/resources/generation-reference/<name>.json: per run the generate() keyword
arguments, which inputs, the ids of each returned sequence (up to and including its first </s>:
the fill after it differs between greedy and beam search and carries nothing), the beam scores
(sequences_scores) for beam search, and the smallest margin that decided the run (see margins()).
Only ids, scores and settings are written, never the model or its inputs: the test reads those
from ../shared itself.

Inputs: "golden" is the golden batch as it is; "padded" cuts its rows to PADDED_LENGTHS (row r
keeps its first PADDED_LENGTHS[r] - 1 tokens and ends in </s>, then pad 0, mask 0), so the batch
has padding as real batches do.

EOS: a random tiny model practically never picks </s> (id 1), so with eos 1 every hypothesis runs
to max_new_tokens and length_penalty, early_stopping and min_new_tokens change nothing. Each
setting on the padded batch therefore also runs with generate(eos_token_id=STAND_IN_EOS[name]): a
token the model does pick often, found by trying the model's likeliest tokens and keeping one
under which early_stopping True, False and "never" and the length penalties give different
outputs. The Java test gives the same id to the model's config.

generation_config.json: the FILE_SETTINGS runs read their settings the way a checkpoint ships them
(GenerationConfig.from_pretrained of a folder holding that file); the test writes the same text
to a file and reads it with Resumo's GenerationConfig.load.

Margins: a run whose deciding gap (see Margins) is tiny would compare arithmetic noise, not
semantics; the test refuses runs below its tolerance, so pick other settings if one shows up.

    .venv-compare/bin/python weights-tools/make_generation_reference.py [--shared ../shared]
"""
import argparse
import json
import math
import os
import tempfile

import torch
from safetensors.torch import load_file
from transformers import GenerationConfig, T5ForConditionalGeneration

# name -> generate() keyword arguments (besides the inputs). repetition_penalty > 1 divides a
# previously generated token's positive score and multiplies its negative one; < 1 does the reverse.
# These run on the golden batch as it is (the first reference runs; kept as they were).
GOLDEN_SETTINGS = {
    "greedy_rep2.5": dict(do_sample=False, num_beams=1, max_new_tokens=16, repetition_penalty=2.5),
    "greedy_rep0.7": dict(do_sample=False, num_beams=1, max_new_tokens=16, repetition_penalty=0.7),
    "beam4_rep2.5": dict(do_sample=False, num_beams=4, max_new_tokens=16, length_penalty=1.0,
                         early_stopping=True, repetition_penalty=2.5),
    "beam4_rep0.7": dict(do_sample=False, num_beams=4, max_new_tokens=16, length_penalty=1.0,
                         early_stopping=True, repetition_penalty=0.7),
    "greedy": dict(do_sample=False, num_beams=1, max_new_tokens=16),
    "beam4": dict(do_sample=False, num_beams=4, max_new_tokens=16, length_penalty=1.0, early_stopping=True),
}


def beam(n=4, lp=1.0, es=False, **kw):
    return dict(do_sample=False, num_beams=n, max_new_tokens=16, length_penalty=lp, early_stopping=es, **kw)


def beam_sample(top_k, temperature, lp, es, top_p=1.0, min_new_tokens=1, **kw):
    return dict(do_sample=True, num_beams=2, max_new_tokens=16, top_k=top_k, top_p=top_p, temperature=temperature,
                length_penalty=lp, early_stopping=es, min_new_tokens=min_new_tokens, **kw)


def greedy(**kw):
    return dict(do_sample=False, num_beams=1, max_new_tokens=16, **kw)


# The options summarizers use, on the padded batch, each with the model's </s> and a stand-in.
# early_stopping: True stops an input at num_beams finished hypotheses; False (transformers'
# default) once the best running beam, scored at its current length, cannot beat the worst
# finished one; "never" scores it at max length instead when length_penalty > 0.
PADDED_SETTINGS = {
    "greedy_nrng3": greedy(no_repeat_ngram_size=3),
    "greedy_min8": greedy(min_new_tokens=8),
    "greedy_minlen9": greedy(min_length=9),
    "greedy_nrng2_min8": greedy(no_repeat_ngram_size=2, min_new_tokens=8),
    # with the stand-in end, plain greedy + no_repeat_ngram_size 3 ends after 4 tokens (t5-v1_0-tiny)
    # and 7 (t5-v1_1-tiny, row 0): a minimum of just that many must move the end
    "greedy_nrng3_min4": greedy(no_repeat_ngram_size=3, min_new_tokens=4),
    "greedy_nrng3_min7": greedy(no_repeat_ngram_size=3, min_new_tokens=7),
    "beam4_lp1_esT": beam(lp=1.0, es=True),
    "beam4_lp1_esF": beam(lp=1.0, es=False),
    "beam4_lp1_never": beam(lp=1.0, es="never"),
    "beam4_lp0.6_esT": beam(lp=0.6, es=True),
    "beam4_lp0.6_esF": beam(lp=0.6, es=False),
    "beam4_lp2_esT": beam(lp=2.0, es=True),
    "beam4_lp2_esF": beam(lp=2.0, es=False),
    "beam4_lp2_never": beam(lp=2.0, es="never"),
    "beam4_lp0_never": beam(lp=0.0, es="never"),
    "beam4_lp-0.5_never": beam(lp=-0.5, es="never"),
    "beam4_nrng3_lp1_esT": beam(lp=1.0, es=True, no_repeat_ngram_size=3),
    "beam4_nrng3_lp1_esF": beam(lp=1.0, es=False, no_repeat_ngram_size=3),
    "beam4_nrng3_lp1_never": beam(lp=1.0, es="never", no_repeat_ngram_size=3),
    "beam4_nrng3_lp2_never": beam(lp=2.0, es="never", no_repeat_ngram_size=3),
    "beam4_min8_lp1_esF": beam(lp=1.0, es=False, min_new_tokens=8),
    "beam4_minlen9_lp0.6_esT": beam(lp=0.6, es=True, min_length=9),
    "beam4_nrs4_lp1_esF": beam(lp=1.0, es=False, num_return_sequences=4),
    "beam3_nrs2_lp2_never": beam(n=3, lp=2.0, es="never", num_return_sequences=2),
    "beam4_nrng3_lp2_min8_esF": beam(lp=2.0, es=False, no_repeat_ngram_size=3, min_new_tokens=8),
    "beam4_nrng3_lp2_min8_esT": beam(lp=2.0, es=True, no_repeat_ngram_size=3, min_new_tokens=8),
    "beam4_nrng3_lp2_min8_nrs2_never": beam(lp=2.0, es="never", no_repeat_ngram_size=3, min_new_tokens=8,
                                            num_return_sequences=2),
    "beam4_nrng3_rep1.3_lp0.6_nrs3_esF": beam(lp=0.6, es=False, no_repeat_ngram_size=3, repetition_penalty=1.3,
                                              num_return_sequences=3),
    # Beam sampling where the draw is forced (see BEAM_SAMPLE_NOTE): top_k 1 or 2 leaves each beam two
    # tokens (min_tokens_to_keep 2 raises top_k 1 to 2, and keeps 2 under top_p 0.5), so 2 beams offer
    # exactly the 4 continuations multinomial draws; min_new_tokens 1 keeps </s> out of the first step,
    # where only beam 0 is alive and torch fills the draw with zero-probability pairs of its choosing.
    "beamsample2_k1_t0.7_min1_lp1_esF": beam_sample(top_k=1, temperature=0.7, lp=1.0, es=False),
    "beamsample2_k2_p0.5_t1.3_min1_lp0.6_esT": beam_sample(top_k=2, top_p=0.5, temperature=1.3, lp=0.6, es=True),
    "beamsample2_k2_nrs2_min1_lp2_never": beam_sample(top_k=2, temperature=1.0, lp=2.0, es="never",
                                                      num_return_sequences=2),
    "beamsample2_k1_nrng3_rep1.3_min3_esF": beam_sample(top_k=1, temperature=0.5, lp=1.0, es=False, min_new_tokens=3,
                                                        no_repeat_ngram_size=3, repetition_penalty=1.3),
    # Sampling with num_return_sequences (one beam): transformers decodes each input that many times,
    # copies consecutive. top_k 1 forces every draw (min_tokens_to_keep is 1 with one beam), so the
    # copies are the same whatever the seed; what is compared is their layout and count.
    "sample_k1_nrs3": dict(do_sample=True, num_beams=1, max_new_tokens=16, top_k=1, top_p=1.0, temperature=1.0,
                           num_return_sequences=3),
    "sample_k1_t0.5_nrng3_rep1.3_min3_nrs2": dict(do_sample=True, num_beams=1, max_new_tokens=16, top_k=1, top_p=1.0,
                                                  temperature=0.5, no_repeat_ngram_size=3, repetition_penalty=1.3,
                                                  min_new_tokens=3, num_return_sequences=2),
}

# BEAM_SAMPLE_NOTE: transformers draws beam sampling's 2·num_beams continuations with torch.multinomial
# (without replacement), then sorts them by score. When the warpers leave exactly 2·num_beams pairs a
# positive probability, every draw takes all of them, whatever the random generator: ids and scores
# are then comparable with Resumo's exactly. run() checks it by generating under two torch seeds.

# generation_config.json files (as a checkpoint would ship them) -> generate(generation_config=
# GenerationConfig.from_pretrained(folder holding that file)); the test loads the same text with
# Resumo's GenerationConfig.load. On the padded batch, with the model's </s> and the stand-in.
FILE_SETTINGS = {
    "file_beam4_lp2_never_nrng3_min8_nrs2": {"num_beams": 4, "length_penalty": 2.0, "early_stopping": "never",
                                             "no_repeat_ngram_size": 3, "min_new_tokens": 8, "max_new_tokens": 16,
                                             "num_return_sequences": 2},
    "file_beam4_lp0.6_esT_minlen9_maxlen17": {"num_beams": 4, "length_penalty": 0.6, "early_stopping": True,
                                              "min_length": 9, "max_length": 17},
    "file_beam4_nrng3_maxlen17_defaults": {"num_beams": 4, "no_repeat_ngram_size": 3, "max_length": 17},
    "file_greedy_minnew8_over_minlen5_nrng2": {"max_length": 17, "min_length": 5, "min_new_tokens": 8,
                                               "no_repeat_ngram_size": 2},
    "file_beam3_maxnew16_over_maxlen40_rep1.3": {"max_new_tokens": 16, "max_length": 40, "num_beams": 3,
                                                 "repetition_penalty": 1.3, "early_stopping": False},
    "file_sample_k1_nrs2": {"do_sample": True, "top_k": 1, "num_return_sequences": 2, "max_new_tokens": 16},
}

PADDED_LENGTHS = [40, 31, 22, 13]
STAND_IN_EOS = {"t5-v1_0-tiny": 18432, "t5-v1_1-tiny": 7181}


def padded(ids, eos, pad):
    out = torch.full_like(ids, pad)
    mask = torch.zeros_like(ids)
    for r, n in enumerate(PADDED_LENGTHS):
        out[r, :n - 1] = ids[r, :n - 1]
        out[r, n - 1] = eos
        mask[r, :n] = 1
    return out, mask


class Margins:
    """The smallest gap between scores whose order decided the run, collected during generate().

    Greedy: top-1 minus top-2 of the processed scores of every row and step. Beam search: per
    input and step, the gaps between consecutive ones of the 2·num_beams + 1 best accumulated
    continuations (which ones run on and which finish), between consecutive finished hypotheses
    among the num_beams + 1 best after merging (which are kept, in which order), and between the
    best running beam's hypothetical score and the worst finished one (the early-stopping test).
    Gaps between -inf values and between -1e9-penalised placeholders decide nothing and are left out.
    """

    def __init__(self, model):
        self.min = math.inf
        self.model = model
        for name in ("_get_top_k_continuations", "_update_finished_beams", "_check_early_stop_heuristic"):
            setattr(model, name, getattr(self, name.lstrip("_")))

    def gaps(self, values, count):
        top = values.topk(min(count, values.shape[-1]), dim=-1).values
        for row in top:
            real = row[row > -1.0e8]
            if real.numel() > 1:
                self.min = min(self.min, (real[:-1] - real[1:]).min().item())

    def get_top_k_continuations(self, **kw):
        self.gaps(kw["accumulated_log_probs"], kw["beams_to_keep"] + 1)
        return type(self.model)._get_top_k_continuations(self.model, **kw)

    def update_finished_beams(self, **kw):
        # transformers' merge, recomputed to see the scores it ranks (see _update_finished_beams)
        just_finished = kw["next_token_hits_stopping_criteria"] & kw["top_num_beam_mask"][None, :]
        new = kw["topk_log_probs"] / ((kw["cur_len"] + 1 - kw["decoder_prompt_len"]) ** kw["length_penalty"])
        full = torch.all(kw["is_sent_finished"], axis=-1, keepdims=True) & (kw["early_stopping"] is True)
        usable = just_finished & ~full & kw["is_early_stop_heuristic_unsatisfied"]
        old = torch.where(kw["is_sent_finished"], kw["beam_scores"], -math.inf)
        self.gaps(torch.cat((old, torch.where(usable, new, -math.inf)), dim=1), kw["num_beams"] + 1)
        return type(self.model)._update_finished_beams(self.model, **kw)

    def check_early_stop_heuristic(self, **kw):
        lp = kw["length_penalty"]
        length = (kw["max_length"] if kw["early_stopping"] == "never" and lp > 0.0 else kw["cur_len"]) \
            - kw["decoder_prompt_len"]
        best = kw["running_beam_scores"][:, 0] / (length ** lp)
        worst = kw["beam_scores"].min(dim=1).values
        all_finished = kw["is_sent_finished"].all(dim=1) & kw["is_early_stop_heuristic_unsatisfied"][:, 0]
        if all_finished.any() and kw["early_stopping"] is not True:  # True stops a full input regardless
            self.min = min(self.min, (best - worst)[all_finished].abs().min().item())
        return type(self.model)._check_early_stop_heuristic(**kw)


def from_file(content):
    """transformers' GenerationConfig read from a generation_config.json holding content."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "generation_config.json"), "w") as f:
            json.dump(content, f)
        return GenerationConfig.from_pretrained(d)


def run(model, ids, mask, kw, eos, file_content=None):
    if kw.get("do_sample"):
        # A forced draw (BEAM_SAMPLE_NOTE) gives the same result under any seed: check two.
        first = run_seeded(model, ids, mask, kw, eos, file_content, seed=0)
        second = run_seeded(model, ids, mask, kw, eos, file_content, seed=1)
        assert first == second, f"sampling {kw} depends on the random draw: not a forced setting"
        if kw.get("num_beams", 1) == 1:
            # top_k 1 keeps one finite score a step, so the scores show no gap: the draw is the argmax
            # of the processed logits (temperature scales them, the order stays), whose smallest gap is
            # greedy decoding's under the same processors.
            as_greedy = {k: v for k, v in kw.items() if k not in ("do_sample", "top_k", "top_p", "temperature",
                                                                 "num_return_sequences")}
            first["min_margin"] = run_seeded(model, ids, mask, dict(as_greedy, do_sample=False), eos, None,
                                             seed=0)["min_margin"]
        return first
    return run_seeded(model, ids, mask, kw, eos, file_content, seed=0)


def run_seeded(model, ids, mask, kw, eos, file_content, seed):
    torch.manual_seed(seed)
    margins = Margins(model)
    with torch.no_grad():
        if file_content is None:
            res = model.generate(input_ids=ids, attention_mask=mask, output_scores=True, return_dict_in_generate=True,
                                 eos_token_id=eos, **kw)
        else:
            config = from_file(file_content)
            config.eos_token_id = eos
            config.output_scores = config.return_dict_in_generate = True
            res = model.generate(input_ids=ids, attention_mask=mask, generation_config=config)
    if res.get("sequences_scores") is None:
        margins.min = min((s.topk(2, dim=-1).values[:, 0] - s.topk(2, dim=-1).values[:, 1]).min().item()
                          for s in res.scores)
    rows = []
    for row in res.sequences.tolist():
        end = row.index(eos, 1) + 1 if eos in row[1:] else len(row)
        rows.append(row[:end])
    out = {"ids": rows, "min_margin": margins.min}
    if res.get("sequences_scores") is not None:
        out["sequences_scores"] = res.sequences_scores.tolist()
    for name in ("_get_top_k_continuations", "_update_finished_beams", "_check_early_stop_heuristic"):
        delattr(model, name)
    return out


def compact(obj):
    """JSON with one line per run (the ids and scores of a run on that line): small and diffable."""
    runs = obj.pop("runs")
    head = json.dumps(obj, indent=1)[:-2]
    body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, allow_nan=False)}" for k, v in runs.items())
    return f"{head},\n \"runs\": {{\n{body}\n }}\n}}\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "t5", "src", "test",
                                                  "resources", "generation-reference"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in ("t5-v1_0-tiny", "t5-v1_1-tiny"):
        d = os.path.join(args.shared, "golden", name)
        model = T5ForConditionalGeneration.from_pretrained(d, torch_dtype=torch.float32).eval()
        src = load_file(os.path.join(d, "generate.safetensors"))
        ids, mask = src["input_ids"].long(), src["attention_mask"].long()
        eos, pad = model.config.eos_token_id, model.config.pad_token_id
        pids, pmask = padded(ids, eos, pad)
        out = {"source": f"golden/{name} generate.safetensors inputs",
               "transformers": __import__("transformers").__version__, "torch": torch.__version__,
               "padded_lengths": PADDED_LENGTHS, "stand_in_eos": STAND_IN_EOS[name], "runs": {}}
        jobs = [(key, kw, "golden", ids, mask, eos) for key, kw in GOLDEN_SETTINGS.items()]
        for key, kw in list(PADDED_SETTINGS.items()) + list(FILE_SETTINGS.items()):
            jobs.append((key, kw, "padded", pids, pmask, eos))
            jobs.append((f"{key}@eos{STAND_IN_EOS[name]}", kw, "padded", pids, pmask, STAND_IN_EOS[name]))
        for key, kw, inputs, i, m, e in jobs:
            in_file = key.startswith("file_")
            res = run(model, i, m, kw, e, kw if in_file else None)
            out["runs"][key] = {"generation_config.json" if in_file else "generate": kw, "inputs": inputs,
                                "eos_token_id": e, **res}
            lengths = [len(r) - 1 for r in res["ids"]]
            print(f"{name} {key}: margin {res['min_margin']:.3g}; new tokens {lengths}")
        with open(os.path.join(args.out, name + ".json"), "w") as f:
            f.write(compact(out))


if __name__ == "__main__":
    main()
