#!/usr/bin/env python3
"""Seeded fuzz of Resumo's model-file readers and writers against the Python references.

Reference: safetensors 0.8 (safetensors.torch.load_file), torch 2.15 (torch.load, weights_only),
transformers 5.24 (T5ForConditionalGeneration.from_pretrained). Resumo: weights-tools/
CheckpointFuzzProbe.java (one JVM, one request line per case).

Categories (each case is built in a scratch folder, then read by both sides):
  st-valid      safetensors files written by safetensors.torch.save_file: every dtype Resumo reads
                (F32 F16 BF16 F64 I64 I32 I16 I8 U8 BOOL), 16-bit values drawn as random bit patterns
                (NaN payloads, subnormals, infinities), 0-d scalars, empty tensors, random metadata
  st-crafted    hand-written safetensors bytes: header padding, data in another order than the
                header, metadata forms, duplicate names, overlaps, holes, out-of-range offsets, truncation,
                wrong sizes, huge declared shapes and header lengths, bad UTF-8
  torch         torch.save zip and legacy files: shared storages, transposed/sliced/offset/expanded
                views, every storage dtype; and the same files truncated or with storages removed
  folder        transformers save_pretrained of tiny random T5s (v1.0 relu tied, v1.1 gated-gelu untied,
                tie true/false), single file (names under the "transformer." prefix or not), sharded
                (small max_shard_size) or pytorch_model.bin; broken shard indexes (missing shard, name
                twice, name in the wrong shard, name missing, a stale copy in a second shard)
  resave        Resumo loads a folder and saves it (F32, BF16); transformers loads that with no
                missing/unexpected keys and the values torch would have (BF16: torch's rounding)

Verdicts: "ok" (both accept, every value bit-identical) or "both-refuse" (reference refuses, Resumo
refuses with a one-line message naming the file); anything else is printed as a MISMATCH.

  /work/venv-compare/bin/python weights-tools/fuzz_checkpoint_parity.py --seed 1 --cases 200
"""
import argparse
import hashlib
import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import warnings
import zipfile

import numpy as np

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TQDM_DISABLE", "1")
import torch
from safetensors.torch import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

TORCH_DTYPES = {
    "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}


def sha(t):
    a = t.detach().contiguous().to(torch.float32).numpy().astype("<f4")
    # Every NaN hashes as 0x7fc00000: torch's own f16->f32 keeps a NaN's payload on its vectorized
    # path and returns 0x7fffffff on its scalar one (small tensors), so payloads are not a contract.
    a = a.view("<u4").copy()
    a[np.isnan(a.view("<f4"))] = 0x7fc00000
    return hashlib.sha256(a.tobytes()).hexdigest()


def describe(tensors):
    return {k: [list(v.shape), sha(v)] for k, v in tensors.items()}


def random_tensor(rng, dtype_name, shape):
    dt = TORCH_DTYPES[dtype_name]
    n = int(np.prod(shape)) if shape else 1
    g = np.random.default_rng(rng.randrange(1 << 30))
    if dtype_name in ("F16", "BF16"):
        bits = g.integers(0, 1 << 16, size=n, dtype=np.uint16).astype(np.int16)
        return torch.from_numpy(bits).view(dt).reshape(shape).clone()
    if dtype_name == "F32":
        return torch.from_numpy(g.standard_normal(n).astype(np.float32)).reshape(shape)
    if dtype_name == "F64":
        return torch.from_numpy(g.standard_normal(n) * 10.0 ** g.integers(-50, 50, size=n)).reshape(shape)
    if dtype_name == "BOOL":
        return torch.from_numpy(g.integers(0, 2, size=n).astype(bool)).reshape(shape)
    info = torch.iinfo(dt)
    lo, hi = (info.min, info.max) if dtype_name != "I64" else (-(1 << 40), 1 << 40)
    return torch.from_numpy(g.integers(lo, hi, size=n, endpoint=True)).to(dt).reshape(shape)


def random_shape(rng):
    r = rng.random()
    if r < 0.1:
        return []
    if r < 0.2:
        return [rng.randint(0, 3) for _ in range(rng.randint(1, 3))][:-1] + [0]
    return [rng.randint(1, 7) for _ in range(rng.randint(1, 3))]


# ---------------------------------------------------------------- safetensors

def st_valid(rng, d):
    tensors = {}
    for i in range(rng.randint(0, 6)):
        name = rng.choice(["w", "layer.%d.weight" % i, "émbed.%d" % i, "a/b.%d" % i, "x" * rng.randint(1, 300)])
        tensors[name + str(i)] = random_tensor(rng, rng.choice(list(TORCH_DTYPES)), random_shape(rng))
    meta = rng.choice([None, {}, {"format": "pt"}, {"format": "pt", "note": "ünï\"\\\n" * rng.randint(1, 50)}])
    path = os.path.join(d, "valid.safetensors")
    save_file(tensors, path, metadata=meta)
    return "safetensors", path


def raw_st(path, header, data, header_len=None, pad=b""):
    hb = header if isinstance(header, bytes) else json.dumps(header).encode()
    hb += pad
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb) if header_len is None else header_len))
        f.write(hb)
        f.write(data)


def entry(dtype, shape, begin, end):
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}


def st_crafted(rng, d):
    path = os.path.join(d, "crafted.safetensors")
    f32 = lambda n: np.arange(n, dtype="<f4").tobytes()
    kind = rng.randrange(22)
    if kind == 0:  # spaces (and other whitespace) after the JSON
        raw_st(path, {"a": entry("F32", [2], 0, 8)}, f32(2), pad=rng.choice([b" " * rng.randint(0, 9), b"\n", b"\t  ", b"\x00"]))
    elif kind == 1:  # whitespace before the JSON
        raw_st(path, b" " + json.dumps({"a": entry("F32", [2], 0, 8)}).encode(), f32(2))
    elif kind == 2:  # data stored in the opposite order to the header
        raw_st(path, {"a": entry("F32", [2], 8, 16), "b": entry("F32", [2], 0, 8)}, f32(4))
    elif kind == 3:  # metadata forms
        meta = rng.choice([None, {}, {"k": 1}, {"k": None}, {"k": ["x"]}, [], "s", {"k": {"n": "v"}}])
        raw_st(path, {"__metadata__": meta, "a": entry("F32", [1], 0, 4)}, f32(1))
    elif kind == 4:  # duplicate names
        hb = b'{"a":' + json.dumps(entry("F32", [1], 0, 4)).encode() + b',"a":' + json.dumps(entry("F32", [1], 4, 8)).encode() + b"}"
        raw_st(path, hb, f32(2))
    elif kind == 5:  # overlapping ranges
        raw_st(path, {"a": entry("F32", [2], 0, 8), "b": entry("F32", [2], 4, 12)}, f32(3))
    elif kind == 6:  # the same range twice
        raw_st(path, {"a": entry("F32", [2], 0, 8), "b": entry("F32", [2], 0, 8)}, f32(2))
    elif kind == 7:  # out of range
        raw_st(path, {"a": entry("F32", [4], 0, 16)}, f32(rng.randint(0, 3)))
    elif kind == 8:  # truncated valid file
        save_file({"a": torch.ones(rng.randint(1, 40)), "b": torch.zeros(3, dtype=torch.bfloat16)}, path)
        data = open(path, "rb").read()
        open(path, "wb").write(data[:rng.randrange(len(data))])
    elif kind == 9:  # bytes after the last tensor
        raw_st(path, {"a": entry("F32", [1], 0, 4)}, f32(1) + b"\0" * rng.randint(1, 8))
    elif kind == 10:  # size mismatch for the dtype
        dt = rng.choice(["F16", "BF16", "F64", "I64", "BOOL"])
        raw_st(path, {"a": entry(dt, [3], 0, 12)}, f32(3))
    elif kind == 11:  # a huge declared shape whose byte count overflows or is enormous
        dims = rng.choice([[1 << 31, 1 << 31], [1 << 62, 4], [1 << 40], [1 << 33, 0], [0, 1 << 40], [1 << 64]])
        raw_st(path, {"a": entry("F32", dims, 0, 8)}, f32(2))
    elif kind == 12:  # header length huge / beyond the file / zero
        raw_st(path, {"a": entry("F32", [1], 0, 4)}, f32(1), header_len=rng.choice([0, 1 << 40, (1 << 64) - 1, 99_999_999, 200_000_000]))
    elif kind == 13:  # not UTF-8, or a BOM
        raw_st(path, rng.choice([b"\xef\xbb\xbf{}", b'{"\xff":1}', b"{\x00}"]), b"")
    elif kind == 14:  # negative / fractional / string offsets and shapes
        bad = rng.choice([[-1, 3], [0.0, 4.0], ["0", "4"], [0, 4, 8], [0], None])
        raw_st(path, {"a": {"dtype": "F32", "shape": [1], "data_offsets": bad}}, f32(1))
    elif kind == 15:
        bad = rng.choice([[-1], [1.0], ["1"], None, 1, [[1]]])
        raw_st(path, {"a": {"dtype": "F32", "shape": bad, "data_offsets": [0, 4]}}, f32(1))
    elif kind == 16:  # unknown / lower-case dtype, extra fields
        raw_st(path, {"a": {"dtype": rng.choice(["f32", "F128", "C64", "F8_E4M3", "U64", "F4"]), "shape": [1], "data_offsets": [0, 4]}}, f32(1))
    elif kind == 17:  # empty tensors at the end, start and middle
        raw_st(path, {"e0": entry("F32", [0], 0, 0), "a": entry("F32", [1], 0, 4), "e1": entry("BF16", [2, 0], 4, 4),
                      "b": entry("F16", [2], 4, 8), "e2": entry("I64", [0, 5], 8, 8)}, f32(2))
    elif kind == 18:  # empty header
        raw_st(path, rng.choice([b"{}", b"{}       ", b"{\"__metadata__\":{}}"]), b"")
    elif kind == 19:  # a big header (many tensors)
        n = rng.randint(2000, 20000)
        raw_st(path, {"t%d" % i: entry("F16", [1], 2 * i, 2 * i + 2) for i in range(n)}, np.arange(n, dtype="<f2").tobytes())
    elif kind == 20:  # header not an object / a scalar tensor with data
        raw_st(path, rng.choice([b"[]", b"null", b'{"a": 1}', b'{"a": {}}']), b"")
    else:  # 0-d scalars of every dtype
        tensors = {k: random_tensor(rng, k, []) for k in TORCH_DTYPES}
        save_file(tensors, path)
    return "safetensors", path


def st_reference(path):
    return describe(load_file(path))


# ---------------------------------------------------------------- torch.save

def torch_case(rng, d):
    path = os.path.join(d, "pytorch_model.bin")
    sd = {}
    base = random_tensor(rng, rng.choice(["F32", "F16", "BF16", "F64", "I64", "I32", "U8", "BOOL"]), [rng.randint(2, 6), rng.randint(2, 6)])
    sd["base"] = base
    for i in range(rng.randint(0, 5)):
        op = rng.randrange(7)
        if op == 0:
            sd["t%d" % i] = base.t()
        elif op == 1:
            sd["t%d" % i] = base[1:, ::2]
        elif op == 2:
            sd["t%d" % i] = base.view(-1)[rng.randint(0, 3):]
        elif op == 3:
            sd["t%d" % i] = base  # tied: the same tensor twice
        elif op == 4:
            sd["t%d" % i] = base[0].unsqueeze(0).expand(3, -1)  # stride 0
        elif op == 5:
            sd["t%d" % i] = base[0, 0]  # 0-d view
        else:
            sd["t%d" % i] = random_tensor(rng, rng.choice(list(TORCH_DTYPES)), random_shape(rng))
    if rng.random() < 0.05:
        # torch keeps an expansion a view; Resumo copies tensors out and refuses past 2^24 elements
        torch.save({"big": torch.ones(1).expand(1 << rng.randint(25, 30))}, path)
        return "torch", path, "broadcast view past Resumo's copy limit"
    legacy = rng.random() < 0.3
    if rng.random() < 0.3:
        sd = {k: torch.nn.Parameter(v, requires_grad=False) if v.is_floating_point() else v for k, v in sd.items()}
    torch.save(sd, path, _use_new_zipfile_serialization=not legacy)
    damage = rng.random()
    if damage < 0.15:
        data = open(path, "rb").read()
        open(path, "wb").write(data[:rng.randrange(1, len(data))])
    elif damage < 0.25 and not legacy:
        with zipfile.ZipFile(path) as z:
            items = [(i, z.read(i.filename)) for i in z.infolist()]
        drop = rng.choice([i.filename for i, _ in items if "/data/" in i.filename])
        with zipfile.ZipFile(path, "w") as z:
            for i, b in items:
                if i.filename != drop:
                    z.writestr(i, b)
    return "torch", path


def torch_reference(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sd = torch.load(path, weights_only=True, map_location="cpu")
    return describe(sd)


# ---------------------------------------------------------------- T5 folders

def tiny_t5(rng):
    from transformers import T5Config, T5ForConditionalGeneration
    v11 = rng.random() < 0.5
    heads = rng.randint(1, 3)
    cfg = T5Config(vocab_size=rng.randint(20, 64), d_model=8 * rng.randint(1, 3), d_kv=rng.randint(2, 6), d_ff=rng.randint(8, 24),
                   num_layers=rng.randint(1, 2), num_decoder_layers=rng.randint(1, 3), num_heads=heads,
                   relative_attention_num_buckets=2 * rng.randint(2, 6), relative_attention_max_distance=rng.randint(8, 40),
                   feed_forward_proj="gated-gelu" if v11 else "relu", tie_word_embeddings=(not v11) if rng.random() < 0.8 else v11,
                   decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
    torch.manual_seed(rng.randrange(1 << 30))
    model = T5ForConditionalGeneration(cfg).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.5)
    return model


def folder_case(rng, d):
    model = tiny_t5(rng)
    out = os.path.join(d, "model")
    layout = rng.choice(["single", "sharded", "bin"])
    if layout == "bin":
        os.makedirs(out)
        model.config.save_pretrained(out)
        torch.save(model.state_dict(), os.path.join(out, "pytorch_model.bin"))
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.save_pretrained(out, max_shard_size="2KB" if layout == "sharded" else "5GB")
    single = os.path.join(out, "model.safetensors")
    if layout == "single" and rng.random() < 0.25:
        # names under T5's base_model_prefix ("transformer."), some or all: transformers strips it
        tensors = load_file(single)
        share = rng.choice([0.5, 1.0])
        save_file({("transformer." + k if rng.random() < share else k): v for k, v in tensors.items()}, single,
                  metadata={"format": "pt"})
    index = os.path.join(out, "model.safetensors.index.json")
    if layout == "sharded" and os.path.exists(index) and rng.random() < 0.4:
        idx = json.load(open(index))
        wm = idx["weight_map"]
        names = list(wm)
        fault = rng.randrange(5)
        if fault == 0:  # a missing shard
            os.remove(os.path.join(out, rng.choice(sorted(set(wm.values())))))
        elif fault == 1:  # a name listed twice (same shard): json keeps the last
            text = json.dumps(idx)
            n = rng.choice(names)
            text = text.replace('"weight_map": {', '"weight_map": {"%s": "%s", ' % (n, wm[n]), 1)
            open(index, "w").write(text)
        elif fault == 2:  # a name placed in the wrong shard
            shards = sorted(set(wm.values()))
            n = rng.choice(names)
            other = [s for s in shards if s != wm[n]]
            if other:
                wm[n] = other[0]
                json.dump(idx, open(index, "w"))
                # transformers reads every shard whole and ignores where the index says a name is;
                # Resumo refuses such an index on purpose (ShardIndexLoadingTest): a mismatched set.
                return "folder", out, "index places a tensor in the wrong shard"
        elif fault == 3:  # a name missing from the index
            del wm[rng.choice(names)]
            json.dump(idx, open(index, "w"))
        else:  # a stale copy of a tensor (other values) in a second shard
            shards = sorted(set(wm.values()))
            n = rng.choice(names)
            other = [s for s in shards if s != wm[n]]
            if other:
                stale = load_file(os.path.join(out, other[-1]))
                stale[n] = torch.zeros_like(model.state_dict()[n])
                save_file(stale, os.path.join(out, other[-1]), metadata={"format": "pt"})
                # transformers takes whichever copy it reads last; Resumo refuses the mixed set
                return "folder", out, "a tensor in two shards"
    return "folder", out


def folder_reference(path):
    from transformers import T5ForConditionalGeneration
    from transformers.utils import logging
    logging.set_verbosity_error()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, info = T5ForConditionalGeneration.from_pretrained(path, output_loading_info=True)
    problems = {k: v for k, v in info.items() if v and k in ("missing_keys", "unexpected_keys", "mismatched_keys")}
    if problems.get("missing_keys"):
        raise RuntimeError("transformers: missing keys %s" % sorted(problems["missing_keys"])[:3])
    return describe(model.state_dict())


# ---------------------------------------------------------------- driver

class Probe:
    def __init__(self):
        jar = os.path.join(ROOT, "cli", "target", "resumo.jar")
        self.proc = subprocess.Popen(["java", "-Xmx2g", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", jar,
                                      os.path.join(HERE, "CheckpointFuzzProbe.java")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def ask(self, *fields):
        self.proc.stdin.write("\t".join(fields) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())


def compare_tensors(ref, java, only_java_names=False):
    diffs = []
    for name, (shape, h) in java.items():
        if name not in ref:
            diffs.append("resumo has %s, reference does not" % name)
        elif ref[name][0] != shape:
            diffs.append("%s shape reference %s resumo %s" % (name, ref[name][0], shape))
        elif ref[name][1] != h:
            diffs.append("%s values differ" % name)
    if not only_java_names:
        diffs += ["reference has %s, resumo does not" % n for n in ref if n not in java]
    return diffs


def judge_error(path, java):
    msg = java["error"]
    problems = []
    if "\n" in msg:
        problems.append("multi-line message")
    if os.path.basename(path.rstrip("/")) not in msg:
        problems.append("message does not name the file")
    return problems


def resave_check(probe, src, d, dtype):
    from transformers import T5ForConditionalGeneration
    out = os.path.join(d, "resaved-" + dtype)
    java = probe.ask("resave", src, out, dtype)
    if "tensors" not in java:
        return ["resave failed: %s" % java]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, info = T5ForConditionalGeneration.from_pretrained(out, output_loading_info=True)
        ref = T5ForConditionalGeneration.from_pretrained(src)
    diffs = ["transformers %s: %s" % (k, v) for k, v in info.items() if v and k != "error_msgs" or (k == "error_msgs" and v)]
    if model.config.tie_word_embeddings != ref.config.tie_word_embeddings:
        diffs.append("tie_word_embeddings %s, source %s" % (model.config.tie_word_embeddings, ref.config.tie_word_embeddings))
    theirs = model.state_dict()
    for name, t in ref.state_dict().items():
        want = t if dtype == "F32" else t.to(torch.bfloat16)
        if name not in theirs:
            diffs.append("written folder lacks " + name)
        elif sha(theirs[name].to(want.dtype)) != sha(want):
            diffs.append("%s differs after the %s round trip" % (name, dtype))
    written = load_file(os.path.join(out, "model.safetensors"))
    if any(str(v.dtype) != ("torch.float32" if dtype == "F32" else "torch.bfloat16") for v in written.values()):
        diffs.append("written dtypes %s" % {str(v.dtype) for v in written.values()})
    return diffs


def torch_aliases(path):
    """Names that are the very same view as an earlier name (tied weights), as resumo convert drops them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sd = torch.load(path, weights_only=True, map_location="cpu")
    seen, aliases = set(), set()
    for k, v in sd.items():
        key = (v.untyped_storage().data_ptr(), v.storage_offset(), tuple(v.shape), tuple(v.stride()))
        if key in seen:
            aliases.add(k)
        seen.add(key)
    return aliases


def resumo_cli(*args):
    jar = os.path.join(ROOT, "cli", "target", "resumo.jar")
    return subprocess.run(["java", "-Xmx2g", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                           "-jar", jar] + list(args), capture_output=True, text=True, encoding="utf-8")


def convert_check(kind, path, d, ref, rng):
    """resumo convert: the written file loads in safetensors with the reference's values."""
    out = os.path.join(d, "converted.safetensors")
    dtype = rng.choice(["f32", "bf16"])
    keep_tied = kind == "torch" and rng.random() < 0.3
    r = resumo_cli("convert", "--input", path, "--output", out, "--dtype", dtype, *(["--keep-tied"] if keep_tied else []))
    if r.returncode != 0:
        return ["resumo convert failed (%d): %s" % (r.returncode, r.stderr.strip()[-300:])]
    written = load_file(out)
    want_dtype = torch.float32 if dtype == "f32" else torch.bfloat16
    diffs = []
    dropped = set(ref) - set(written)
    if kind == "torch" and not keep_tied:
        if dropped != torch_aliases(path):
            diffs.append("convert dropped %s, the tied names are %s" % (sorted(dropped), sorted(torch_aliases(path))))
    elif dropped:
        diffs.append("convert dropped %s" % sorted(dropped))
    src = load_file(path) if kind == "safetensors" else torch.load(path, weights_only=True, map_location="cpu")
    for name, t in written.items():
        # Resumo widens to float32 first, then rounds to bfloat16: float32 -> bfloat16 as torch rounds it.
        want = src[name].to(torch.float32).to(want_dtype)
        if t.dtype != want_dtype:
            diffs.append("%s written as %s" % (name, t.dtype))
        elif list(t.shape) != list(want.shape) or sha(t) != sha(want):
            diffs.append("%s differs after convert --dtype %s" % (name, dtype))
    return diffs


def rewrite_check(probe, path, d, rng):
    """Safetensors.write of what Resumo read: safetensors loads it with torch's float32 -> dtype rounding."""
    dtype = rng.choice(["F32", "BF16", "F16"])
    out = os.path.join(d, "rewritten.safetensors")
    java = probe.ask("rewrite", path, out, dtype)
    if "tensors" not in java:
        return ["rewrite failed: %s" % java]
    want_dtype = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}[dtype]
    try:
        written = load_file(out)
        from safetensors import safe_open
        with safe_open(out, "pt") as f:
            meta = f.metadata()
    except Exception as e:
        return ["safetensors cannot load Resumo's %s file: %s" % (dtype, e)]
    diffs = [] if meta == {"format": "pt", "note": "ünï\"\n"} else ["metadata came back as %r" % meta]
    src = load_file(path)
    if set(written) != set(src):
        diffs.append("names %s, source %s" % (sorted(written), sorted(src)))
    for name, t in src.items():
        want = t.to(torch.float32).to(want_dtype)
        got = written.get(name)
        if got is None or got.dtype != want_dtype or list(got.shape) != list(want.shape) or sha(got) != sha(want):
            diffs.append("%s differs after Safetensors.write as %s" % (name, dtype))
    return diffs


def cli_refusal_check(kind, path):
    """A file the readers refuse is one line on stderr from the CLI, no stack trace."""
    if kind == "folder":
        return []
    r = resumo_cli("convert", "--input", path, "--output", path + ".out.safetensors")
    lines = [l for l in r.stderr.splitlines() if l.strip() and not l.startswith("WARNING: Using incubator")]
    problems = []
    if r.returncode == 0:
        problems.append("resumo convert accepted a file the reader refuses")
    if len(lines) != 1 or "\tat " in r.stderr or "Exception" in r.stderr:
        problems.append("resumo convert stderr is not one line: %r" % r.stderr[-400:])
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--only", choices=["st-valid", "st-crafted", "torch", "folder"], default=None)
    ap.add_argument("--cli-share", type=float, default=0.1,
                    help="share of cases also run through resumo convert (one JVM start each)")
    ap.add_argument("--verbose", action="store_true", help="print both sides' refusal messages")
    ap.add_argument("--keep", help="copy each mismatching case into this folder")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    probe = Probe()
    makers = {"st-valid": (st_valid, st_reference), "st-crafted": (st_crafted, st_reference),
              "torch": (torch_case, torch_reference), "folder": (folder_case, folder_reference)}
    weights = {"st-valid": 3, "st-crafted": 4, "torch": 3, "folder": 1}
    counts = {}
    mismatches = 0
    for i in range(args.cases):
        cat = args.only or rng.choices(list(weights), weights=list(weights.values()))[0]
        make, reference = makers[cat]
        d = tempfile.mkdtemp(prefix="ckfuzz-")
        try:
            made = make(rng, d)
            kind, path = made[:2]
            stricter = made[2] if len(made) > 2 else None
            try:
                ref, ref_err = reference(path), None
            except Exception as e:  # the reference refuses
                ref, ref_err = None, "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
            java = probe.ask(kind, path)
            problems = []
            if "crash" in java:
                problems.append("resumo crashed: " + java["crash"])
            elif ref is None and "error" in java:
                problems += judge_error(path, java)
                verdict = "both-refuse"
            elif ref is None:
                problems.append("reference refuses (%s), resumo loads" % ref_err)
            elif "error" in java and stricter:
                problems += judge_error(path, java)
                verdict = "resumo-stricter"
            elif "error" in java:
                problems.append("reference loads, resumo refuses: " + java["error"])
            else:
                problems += compare_tensors(ref, java["tensors"], only_java_names=(kind == "folder"))
                verdict = "ok"
                if kind == "folder" and not problems and rng.random() < 0.5:
                    counts["check resave_check"] = counts.get("check resave_check", 0) + 1
                    problems += resave_check(probe, path, d, rng.choice(["F32", "BF16"]))
                if kind == "safetensors" and not problems and rng.random() < 0.5:
                    counts["check rewrite_check"] = counts.get("check rewrite_check", 0) + 1
                    problems += rewrite_check(probe, path, d, rng)
                if kind != "folder" and not problems and rng.random() < args.cli_share:
                    counts["check convert_check"] = counts.get("check convert_check", 0) + 1
                    problems += convert_check(kind, path, d, ref, rng)
            if "error" in java and not problems and rng.random() < args.cli_share:
                counts["check cli_refusal_check"] = counts.get("check cli_refusal_check", 0) + 1
                problems += cli_refusal_check(kind, path)
            if args.verbose and ref is None:
                print("refused case %d (%s)\n  reference: %s\n  resumo: %s" % (i, cat, ref_err, java.get("error")))
            key = cat + (" " + verdict if not problems else " MISMATCH")
            counts[key] = counts.get(key, 0) + 1
            if problems:
                mismatches += 1
                print("MISMATCH case %d (%s) %s\n  reference: %s\n  resumo: %s\n  %s" % (
                    i, cat, path, ref_err or "loads", json.dumps(java)[:400], "\n  ".join(problems[:5])))
                if args.keep:
                    dst = os.path.join(args.keep, "case-%d-%d" % (args.seed, i))
                    shutil.copytree(d, dst, dirs_exist_ok=True)
        finally:
            shutil.rmtree(d, ignore_errors=True)
    for k in sorted(counts):
        print("%-28s %d" % (k, counts[k]))
    print("seed %d: %d cases, %d mismatches" % (args.seed, args.cases, mismatches))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
