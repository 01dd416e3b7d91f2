"""Encode throughput of the Python sentencepiece package (its C++ encoder), for `resumo bench tokenizer`.

    python bench_sentencepiece.py MODEL TEXTS.json SECONDS
TEXTS.json is a JSON list of strings. Prints one JSON object: mb_per_s (UTF-8 MB of input per second),
passes, seconds (CPU time of this process, as the Java side counts its thread's CPU time, so a
busy shared machine does not skew the ratio), version. One thread, ids only, the same texts.
"""
import json
import sys
import time

import sentencepiece as spm

model, texts_path, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
with open(texts_path, encoding="utf-8") as f:
    texts = json.load(f)
nbytes = sum(len(t.encode("utf-8")) for t in texts)
sp = spm.SentencePieceProcessor(model_file=model)
warm_until = time.process_time() + min(2.0, seconds / 2)
while time.process_time() < warm_until:
    sp.encode(texts, num_threads=1)
passes = 0
start = time.process_time()
while True:
    sp.encode(texts, num_threads=1)
    passes += 1
    elapsed = time.process_time() - start
    if elapsed >= seconds:
        break
print(json.dumps({"mb_per_s": passes * nbytes / elapsed / 1e6, "passes": passes, "seconds": elapsed,
                  "version": spm.__version__}))
