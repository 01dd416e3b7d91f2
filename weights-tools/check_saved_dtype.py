#!/usr/bin/env python3
"""Model folders saved by Resumo name their weights' dtype in config.json, and transformers loads them in it.

transformers 5 writes config.json's "dtype" (4.x wrote "torch_dtype") naming the dtype the weights
were saved in, and its from_pretrained(path), whose default dtype is "auto", loads a model in the
dtype the config names (only when the config names none does it look at the weights). For every
folder this prints config.json's dtype keys, the dtypes in model.safetensors' header, and the
model.dtype of AutoModelForSeq2SeqLM.from_pretrained(path) with no dtype argument; exit 1 when the
config names no dtype or another than the weights', or the model loads in another.

The folders: those RoundTripExportTest writes (as check_roundtrip.py runs it: random T5s saved by
T5Checkpoint.save in F32 and BF16), or an earlier export (--out DIR --skip-java), plus any --model DIR
(e.g. a `resumo train` run's model/).

    /work/venv-compare/bin/python weights-tools/check_saved_dtype.py [--out DIR] [--skip-java] [--model DIR ...]
"""
import argparse
import json
import struct
import sys
import tempfile
from pathlib import Path

import torch
from transformers import AutoModelForSeq2SeqLM

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_roundtrip import run_java_export  # noqa: E402

# safetensors header dtype -> torch dtype name (the spelling of config.json's "dtype")
SAFETENSORS_TO_TORCH = {"F32": "float32", "BF16": "bfloat16", "F16": "float16", "F64": "float64",
                        "F8_E4M3": "float8_e4m3fn", "F8_E5M2": "float8_e5m2"}


def weight_dtypes(folder: Path) -> set:
    with open(folder / "model.safetensors", "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    return {SAFETENSORS_TO_TORCH.get(v["dtype"], v["dtype"]) for k, v in header.items() if k != "__metadata__"}


def check(folder: Path) -> list:
    config = json.loads((folder / "config.json").read_text())
    named = config.get("dtype", config.get("torch_dtype"))
    weights = weight_dtypes(folder)
    model = AutoModelForSeq2SeqLM.from_pretrained(str(folder))
    loaded = str(model.dtype).removeprefix("torch.")
    print(f"{folder.name:24s} config dtype={config.get('dtype')!s:9s} torch_dtype={config.get('torch_dtype')!s:9s} "
          f"weights {sorted(weights)}  from_pretrained -> {loaded}")
    problems = []
    if named is None:
        problems.append("config.json names no dtype")
    elif {named} != weights:
        problems.append(f"config.json says {named}, the weights are {sorted(weights)}")
    if {loaded} != weights:
        problems.append(f"transformers loaded it as {loaded}, the weights are {sorted(weights)}")
    return [f"{folder}: {p}" for p in problems]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, help="folder for the exported models (default: a new temp folder)")
    p.add_argument("--skip-java", action="store_true", help="reuse an earlier export in --out")
    p.add_argument("--model", action="append", default=[], type=Path, help="also check this Resumo model directory")
    args = p.parse_args()
    torch.set_num_threads(1)
    folders = list(args.model)
    if not (args.skip_java and args.out is None):
        out = args.out or Path(tempfile.mkdtemp(prefix="resumo-dtype-"))
        if not args.skip_java:
            run_java_export(out, [])
        folders = sorted(d for d in out.iterdir() if (d / "model.safetensors").exists()) + folders
    if not folders:
        raise SystemExit("no model folders to check")
    problems = [q for f in folders for q in check(f)]
    for q in problems:
        print("PROBLEM", q)
    print(f"{len(folders)} folders checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
