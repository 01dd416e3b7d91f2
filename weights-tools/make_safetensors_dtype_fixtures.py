"""Writes the safetensors fixtures of the dtypes transformers can save beyond float32/16, bf16 and
the integers, into engine/src/test/resources/safetensors/ (SafetensorsDtypeTest reads them):

  float8.safetensors   "e4m3" F8_E4M3 [256] and "e5m2" F8_E5M2 [256]: every bit pattern 0x00..0xff
                       of torch.float8_e4m3fn and torch.float8_e5m2 (in that order), and beside them
                       "e4m3.float32" / "e5m2.float32" F32 [256], what torch's .float() gives for each
                       (exact: every float8 value is a float32). Resumo refused F8 tensors
                       ("conversion from F8_E4M3 is not supported"); a T5 saved with float8 weights
                       loads in transformers with dtype=float32 as exactly these values.
  complex.safetensors  "z" C64 [2] (torch.complex64, which save_file writes as "C64") and "real" F32 [3].
                       Resumo said 'unknown dtype "C64"' and refused the whole file; it must open it,
                       load "real", and refuse "z" naming the file, the tensor and the dtype.

Run: /work/venv-compare/bin/python weights-tools/make_safetensors_dtype_fixtures.py
(torch 2.15, safetensors 0.8)
"""
import os

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "src", "test", "resources", "safetensors")


def main():
    os.makedirs(OUT, exist_ok=True)
    patterns = torch.arange(256, dtype=torch.uint8)
    e4m3 = patterns.clone().view(torch.float8_e4m3fn)
    e5m2 = patterns.clone().view(torch.float8_e5m2)
    save_file({"e4m3": e4m3, "e5m2": e5m2, "e4m3.float32": e4m3.float(), "e5m2.float32": e5m2.float()},
              os.path.join(OUT, "float8.safetensors"), metadata={"format": "pt"})
    save_file({"z": torch.tensor([1 + 2j, -0.5 + 0.25j], dtype=torch.complex64), "real": torch.tensor([1.0, -2.0, 0.5])},
              os.path.join(OUT, "complex.safetensors"), metadata={"format": "pt"})
    for name in ("float8.safetensors", "complex.safetensors"):
        print(name, os.path.getsize(os.path.join(OUT, name)))


if __name__ == "__main__":
    main()
