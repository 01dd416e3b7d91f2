#!/usr/bin/env python3
"""Round trip: a model saved by Resumo loads in transformers and gives the same logits.

Runs the slow JUnit test RoundTripExportTest (t5 module), which saves random T5s through
T5Checkpoint.save -- ReLU + tied (T5 v1.0 / PTT5 layout) and gated-GELU + untied (v1.1), each
stored F32 and BF16 -- and writes next to each model the logits Resumo computes, after loading
the saved files, for a fixed padded batch. This script then loads every model directory with
T5ForConditionalGeneration.from_pretrained (float32), runs the same batch, and prints the largest
absolute logits difference. Extra model directories written by Resumo (e.g. the model/ folder of
a `resumo train` or `resumo demo` run) can be checked too with --model DIR.

Usage (from the repository root, with a venv holding torch + transformers):
    python weights-tools/check_roundtrip.py [--out DIR] [--model DIR ...] [--skip-java]
Exit status 1 when any difference exceeds --tolerance.
"""
import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import T5ForConditionalGeneration

ROOT = Path(__file__).resolve().parent.parent


def run_java_export(out: Path, models: list) -> None:
    cmd = [str(ROOT / "bin" / "test"), "-q", "-pl", "t5", "-am",
           "-Dtest=RoundTripExportTest", "-Dsurefire.failIfNoSpecifiedTests=false",
           "-Dresumo.test.excludedGroups=", f"-Dresumo.roundtrip.dir={out}"]
    if models:
        cmd.append("-Dresumo.roundtrip.models=" + ",".join(str(Path(m).resolve()) for m in models))
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def compare(model_dir: Path, export: Path) -> float:
    saved = load_file(str(export / "resumo_logits.safetensors"))
    model = T5ForConditionalGeneration.from_pretrained(str(model_dir), torch_dtype=torch.float32)
    model.eval()
    with torch.no_grad():
        logits = model(input_ids=saved["input_ids"].long(),
                       attention_mask=saved["attention_mask"].long(),
                       decoder_input_ids=saved["decoder_input_ids"].long()).logits
    expected = saved["logits"]
    if tuple(logits.shape) != tuple(expected.shape):
        raise SystemExit(f"{model_dir}: transformers logits {tuple(logits.shape)} vs Resumo {tuple(expected.shape)}")
    return (logits - expected).abs().max().item(), expected.abs().max().item()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, help="folder for the exported models (default: a new temp folder)")
    p.add_argument("--model", action="append", default=[], help="also check this Resumo model directory")
    p.add_argument("--skip-java", action="store_true", help="reuse an earlier export in --out")
    # Both sides compute in float32 with different summation orders (blocked GEMM vs MKL); logits
    # of these models are O(1..10), so 1e-3 absolute is far above rounding noise and far below any
    # layout bug (a wrong scale, tie or activation moves logits by O(1)).
    p.add_argument("--tolerance", type=float, default=1e-3, help="max abs logits difference (default: 1e-3)")
    args = p.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="resumo-roundtrip-"))
    if not args.skip_java:
        run_java_export(out, args.model)
    worst = 0.0
    checked = 0
    for export in sorted(d for d in out.iterdir() if (d / "resumo_logits.safetensors").exists()):
        ref = export / "model_dir.txt"
        model_dir = Path(ref.read_text().strip()) if ref.exists() else export
        err, scale = compare(model_dir, export)
        print(f"{export.name:28s} max |logits diff| = {err:.3e}  (max |logit| {scale:.2f})  {model_dir}")
        worst = max(worst, err)
        checked += 1
    if checked == 0:
        raise SystemExit(f"{out}: no exported models found")
    ok = worst <= args.tolerance
    print(f"{checked} models checked; worst {worst:.3e} {'<=' if ok else '>'} tolerance {args.tolerance:g}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
