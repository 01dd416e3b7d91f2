"""torch.log_softmax of peaked rows: the log-probabilities beam search ranks (NextTokenScoresTest).

Each row has one top logit and the rest `gap` below it (with a small spread), for several vocab
sizes and gaps: from gaps where the float32 sum of exp(x - max) is 1 + a few ulps to gaps where
it is exactly 1 and the top token's log-probability is exactly 0. Writes
t5/src/test/resources/generation-reference/log-softmax-peaked.json: per row its logits' recipe
(vocab, gap, seed), the logits themselves, and torch's log-probabilities, as float32 text.

    /work/venv-compare/bin/python weights-tools/make_log_softmax_reference.py
"""
import json
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "t5", "src", "test", "resources", "generation-reference",
                   "log-softmax-peaked.json")


def f32(t):
    """float32 values as their shortest round-trip text (Java reads them with Float.parseFloat)."""
    return [repr(np.float32(v)).removeprefix("np.float32(").removesuffix(")") for v in t.numpy()]


def main():
    rows = []
    for vocab in (40, 160):
        for gap in (5.0, 15.0, 17.0, 18.0, 22.0):
            g = torch.Generator().manual_seed(int(vocab * 100 + gap))
            x = -gap - torch.rand(vocab, generator=g)  # others within [gap, gap + 1) below the top
            x[vocab // 3] = 3.25
            x = x + 1.5
            lp = torch.log_softmax(x, dim=-1)
            rows.append({"vocab": vocab, "gap": gap, "top": vocab // 3, "logits": f32(x), "log_softmax": f32(lp)})
    with open(OUT, "w") as f:
        f.write(json.dumps({"torch": torch.__version__, "rows": rows}) + "\n")


if __name__ == "__main__":
    main()
