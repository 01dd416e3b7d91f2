"""One text summarized by transformers from a cold start: the work of one `resumo summarize --text`.

Times the whole process from outside (e.g. `/usr/bin/time`): Python and torch/transformers imports,
model and tokenizer load, one generate() of exactly --new-tokens tokens (greedy, EOS banned so both
sides decode the same length). Prints the summary as JSON, as `resumo summarize` does.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=2 .venv-compare/bin/python \
        weights-tools/oneshot_summarize_hf.py --model DIR --tokenizer DIR_WITH_SPIECE --text "..."
"""
import argparse
import json

import torch
from transformers import T5ForConditionalGeneration, T5Tokenizer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="model folder (config.json + model.safetensors)")
    ap.add_argument("--tokenizer", required=True, help="folder holding spiece.model")
    ap.add_argument("--text", required=True)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model = T5ForConditionalGeneration.from_pretrained(args.model)
    # from_pretrained on the folder: T5Tokenizer(vocab_file=...) in transformers 5 builds a
    # placeholder vocabulary instead of reading spiece.model.
    tokenizer = T5Tokenizer.from_pretrained(args.tokenizer)
    inputs = tokenizer("summarize: " + args.text, return_tensors="pt", truncation=True, max_length=512)
    with torch.no_grad():
        out = model.generate(**inputs, max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens)
    print(json.dumps({"summary": tokenizer.decode(out[0], skip_special_tokens=True), "ids": out[0].tolist()}))


if __name__ == "__main__":
    main()
