"""CTranslate2 side of `resumo bench compare --ctranslate2`: times the generation workloads of
dev.resumo.bench.compare.T5Workloads with CTranslate2 (the fastest CPU T5 runtime we know) on the
same checkpoint, fp32, and prints one JSON object in the format of bench_compare_torch.py.

Usage: python bench_compare_ct2.py --model DIR --threads T --repeats N [--workloads greedy1,greedy8,beam4]

The checkpoint Resumo wrote (config.json + model.safetensors) has no tokenizer, and CTranslate2's
converter reads its vocabulary from one; ids are all that matter here, so the converter gets a
word-level tokenizer whose token i is "t<i>" (0-2 are <pad>, </s>, <unk> as in T5). The converted
model is kept in DIR/ctranslate2-float32 and converted again when model.safetensors is newer.
Inputs use the same id rule as the Java side; min = max decoding length = 64 (no EOS stop).
CTranslate2 runs with intra_threads = T, one translator thread, compute_type float32 (the same
arithmetic precision as both other columns). Training is not measured (CTranslate2 is inference only).
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

from bench_compare_common import NEW_TOKENS, SOURCE, ids, peak_mib, reset_peak, timed


def token(i):
    return ("<pad>", "</s>", "<unk>")[i] if i < 3 else f"t{i}"


def convert(model_dir, out_dir, vocab):
    weights = os.path.join(model_dir, "model.safetensors")
    done = os.path.join(out_dir, "model.bin")
    if os.path.exists(done) and os.path.getmtime(done) >= os.path.getmtime(weights):
        return
    import ctranslate2
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    staging = tempfile.mkdtemp(prefix="resumo-ct2-")
    try:
        for name in ("config.json", "model.safetensors"):
            os.symlink(os.path.abspath(os.path.join(model_dir, name)), os.path.join(staging, name))
        words = Tokenizer(models.WordLevel(vocab={token(i): i for i in range(vocab)}, unk_token="<unk>"))
        words.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
        PreTrainedTokenizerFast(tokenizer_object=words, pad_token="<pad>", eos_token="</s>",
                                unk_token="<unk>").save_pretrained(staging)
        print(f"ctranslate2: converting {model_dir} to {out_dir} (once)", file=sys.stderr, flush=True)
        ctranslate2.converters.TransformersConverter(staging).convert(out_dir, force=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def open_translator(model_dir, threads):
    """(ctranslate2, translator, vocab): the checkpoint converted once, fp32, intra_threads = threads."""
    import ctranslate2

    with open(os.path.join(model_dir, "config.json")) as f:
        vocab = json.load(f)["vocab_size"]
    out_dir = os.path.join(model_dir, "ctranslate2-float32")
    convert(model_dir, out_dir, vocab)
    translator = ctranslate2.Translator(out_dir, device="cpu", inter_threads=1, intra_threads=threads,
                                        compute_type="float32")
    return ctranslate2, translator, vocab


def workload(translator, vocab, name):
    """(work, units) of a generation workload; None for training (not an inference runtime's job)."""
    if name not in ("greedy1", "greedy8", "beam4"):
        return None
    batch = 8 if name == "greedy8" else 1
    beams = 4 if name == "beam4" else 1
    x = ids(batch * SOURCE, vocab, 2)
    source = [[token(t) for t in x[b * SOURCE:(b + 1) * SOURCE]] for b in range(batch)]

    def gen():
        out = translator.translate_batch(source, beam_size=beams, max_decoding_length=NEW_TOKENS,
                                         min_decoding_length=NEW_TOKENS)
        lengths = [len(r.hypotheses[0]) for r in out]
        if any(n != NEW_TOKENS for n in lengths):
            raise SystemExit(f"{name}: generated {lengths} tokens, expected {NEW_TOKENS}")

    return gen, batch * NEW_TOKENS


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--workloads", default="greedy1,greedy8,beam4")
    a = p.parse_args()

    ctranslate2, translator, vocab = open_translator(a.model, a.threads)
    results = {}
    for name in a.workloads.split(","):
        w = workload(translator, vocab, name)
        if w is None:
            continue  # training: not an inference runtime's job
        gen, units = w
        reset_peak()
        med, best = timed("ct2", name, a.repeats, gen)
        results[name] = {"seconds": med, "best_seconds": best, "units": units, "peak_rss_mib": peak_mib()}
    print(json.dumps({"ctranslate2": ctranslate2.__version__, "threads": a.threads, "results": results}))


if __name__ == "__main__":
    main()
