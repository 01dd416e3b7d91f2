"""Token ids transformers' generate() gives with settings the golden files do not cover.

Reads each golden tiny model (../shared/golden/<name>: model + the 4 padded inputs of
generate.safetensors), runs generate() with the settings below and writes the ids, the settings
and the smallest top-1/top-2 margin of the processed scores along each path to
t5/src/test/resources/generation-reference/<name>.json. Only the generated ids and the settings
are written (not the model or its inputs): the test reads those from ../shared itself.

    .venv-compare/bin/python weights-tools/make_generation_reference.py [--shared ../shared]
"""
import argparse
import json
import os

import torch
from safetensors.torch import load_file
from transformers import T5ForConditionalGeneration

# name -> generate() keyword arguments (besides the inputs). repetition_penalty > 1 divides a
# previously generated token's positive score and multiplies its negative one; < 1 does the reverse.
SETTINGS = {
    "greedy_rep2.5": dict(do_sample=False, num_beams=1, max_new_tokens=16, repetition_penalty=2.5),
    "greedy_rep0.7": dict(do_sample=False, num_beams=1, max_new_tokens=16, repetition_penalty=0.7),
    "beam4_rep2.5": dict(do_sample=False, num_beams=4, max_new_tokens=16, length_penalty=1.0,
                         early_stopping=True, repetition_penalty=2.5),
    "beam4_rep0.7": dict(do_sample=False, num_beams=4, max_new_tokens=16, length_penalty=1.0,
                         early_stopping=True, repetition_penalty=0.7),
    "greedy": dict(do_sample=False, num_beams=1, max_new_tokens=16),
    "beam4": dict(do_sample=False, num_beams=4, max_new_tokens=16, length_penalty=1.0, early_stopping=True),
}


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
        out = {"source": f"golden/{name} generate.safetensors inputs", "transformers": __import__("transformers").__version__,
               "torch": torch.__version__, "runs": {}}
        for key, kw in SETTINGS.items():
            with torch.no_grad():
                res = model.generate(input_ids=ids, attention_mask=mask, output_scores=True,
                                     return_dict_in_generate=True, **kw)
            margin = min((s.topk(2, dim=-1).values[:, 0] - s.topk(2, dim=-1).values[:, 1]).min().item()
                         for s in res.scores)
            out["runs"][key] = {"generate": kw, "ids": res.sequences.tolist(), "min_top2_margin": margin}
            print(f"{name} {key}: margin {margin:.4g}; row 0 {res.sequences[0].tolist()}")
        with open(os.path.join(args.out, name + ".json"), "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
