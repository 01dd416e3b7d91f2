"""Writes the small regression fixtures that weights-tools/fuzz_checkpoint_parity.py's findings
became, into engine/src/test/resources/torch/ (TorchCheckpointTest reads them):

  broadcast_huge.bin          torch.save of {"big": torch.ones(1).expand(2**30)}: 1.5 KB on disk, a
                              4 GiB tensor once copied out. Resumo ran out of heap (stack trace);
                              it must refuse it with one line naming the file and the tensor.
  uint16.bin, complex.bin     torch.save of a uint16 tensor (written with _rebuild_tensor_v3) and of a
                              complex64 one (torch.ComplexFloatStorage): types Resumo does not read. It
                              called them "the file may be malicious"; the message must say the type.
  broadcast_small.bin         small stride-0 views (expand of a row, of a column, of a scalar), which
                              must still load, and broadcast_small.safetensors, their contiguous
                              float32 copies made by torch (the values Java must get, bit for bit).

Run: /work/venv-compare/bin/python weights-tools/make_checkpoint_fuzz_regressions.py
(torch 2.15, safetensors 0.8)
"""
import os

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "src", "test", "resources", "torch")


def main():
    torch.save({"big": torch.ones(1).expand(2 ** 30)}, os.path.join(OUT, "broadcast_huge.bin"))
    g = torch.Generator().manual_seed(7)
    row = torch.randn(1, 4, generator=g)
    column = torch.randn(3, 1, generator=g)
    small = {
        "row.expanded": row.expand(3, 4),            # stride (0, 1)
        "column.expanded": column.expand(3, 5),      # stride (1, 0)
        "scalar.expanded": torch.tensor(1.25).expand(2, 2),  # stride (0, 0)
        "row": row,
    }
    torch.save(small, os.path.join(OUT, "broadcast_small.bin"))
    twin = {k: v.contiguous().clone() for k, v in small.items()}
    save_file(twin, os.path.join(OUT, "broadcast_small.safetensors"), metadata={"format": "pt"})
    torch.save({"ids": torch.tensor([1, 2, 65535], dtype=torch.uint16)}, os.path.join(OUT, "uint16.bin"))
    torch.save({"z": torch.tensor([1 + 2j])}, os.path.join(OUT, "complex.bin"))
    for name in ("broadcast_huge.bin", "broadcast_small.bin", "broadcast_small.safetensors", "uint16.bin", "complex.bin"):
        print(name, os.path.getsize(os.path.join(OUT, name)))


if __name__ == "__main__":
    main()
