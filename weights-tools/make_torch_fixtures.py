"""Makes the small torch.save fixtures the Java TorchCheckpoint tests read.

Writes into engine/src/test/resources/torch/:
  state_dict.bin          torch.save of a state dict: float32/float16/bfloat16/float64/int64 tensors,
                          a transposed (non-contiguous) view, a sliced view with a storage offset,
                          a 0-dim tensor, an nn.Parameter, and weights tied to one storage
                          (an embedding and an lm_head, as in T5 v1.0).
  state_dict.safetensors  its twin: every tensor as a contiguous float32 copy (the values Java must get).
  malicious.bin           a torch-style zip whose data.pkl calls os.system (hand-written opcodes).
                          It is only written, never loaded by Python.
  legacy_state_dict.bin   the same state dict in torch's legacy (pre-1.6, non-zip) format.
  legacy.bin              a bare pickle that is no torch file at all, which the loader must refuse clearly.

Run: .venv/bin/python weights-tools/make_torch_fixtures.py   (needs torch and safetensors)
"""
import io
import os
import pickle
import zipfile

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "engine", "src", "test", "resources", "torch")


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(6, 4)
        self.proj = torch.nn.Linear(4, 3)
        self.lm_head = torch.nn.Linear(4, 6, bias=False)
        self.lm_head.weight = self.embed.weight  # tied: one storage, two names


def state_dict():
    torch.manual_seed(0)
    sd = Tiny().state_dict()  # an OrderedDict carrying _metadata (pickled with BUILD)
    base = torch.randn(4, 5)
    sd["view.transposed"] = base.t()                      # strides (1, 5), not contiguous
    sd["view.slice"] = base[1:3, 2:]                      # storage offset 7, strides (5, 1)
    sd["dtype.half"] = torch.randn(2, 3).half()
    sd["dtype.bfloat16"] = torch.randn(3, 2).bfloat16()
    sd["dtype.double"] = torch.randn(3, dtype=torch.float64)
    sd["dtype.long"] = torch.arange(5, dtype=torch.int64) * 3 - 4
    sd["scalar"] = torch.tensor(2.5)
    sd["param"] = torch.nn.Parameter(torch.randn(2, 2))
    return sd


def malicious_pickle():
    # Protocol 2 opcodes spelled out: GLOBAL 'os system', the argument tuple, REDUCE, STOP.
    command = b"touch /tmp/resumo-pickle-was-executed"
    return (b"\x80\x02" + b"cos\nsystem\n" + b"X" + len(command).to_bytes(4, "little") + command
            + b"\x85" + b"R" + b".")


def main():
    os.makedirs(OUT, exist_ok=True)
    sd = state_dict()
    torch.save(sd, os.path.join(OUT, "state_dict.bin"))
    torch.save(sd, os.path.join(OUT, "legacy_state_dict.bin"), _use_new_zipfile_serialization=False)
    twin = {k: v.detach().to(torch.float32).contiguous().clone() for k, v in sd.items()}
    save_file(twin, os.path.join(OUT, "state_dict.safetensors"), metadata={"format": "pt"})

    with zipfile.ZipFile(os.path.join(OUT, "malicious.bin"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("malicious/data.pkl", malicious_pickle())
        z.writestr("malicious/byteorder", "little")
        z.writestr("malicious/version", "3\n")

    with open(os.path.join(OUT, "legacy.bin"), "wb") as f:
        pickle.dump({"weight": [1.0, 2.0]}, f, protocol=2)

    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))


if __name__ == "__main__":
    main()
