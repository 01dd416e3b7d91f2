"""A whole fine-tuning run with transformers' Seq2SeqTrainer doing the work of one `resumo train`,
timed phase by phase (the transformers side of bench/README.md's "A whole fine-tuning run against
transformers' Seq2SeqTrainer").

Same work as

    bin/resumo train --model MODEL --tokenizer SPM --dataset temario.jsonl --max-source-length 256
        --max-target-length 64 --batch-size 8 --eval-batch-size 8 --lr 1e-3 --max-grad-norm 1.0
        --max-steps 30 --max-new-tokens 64 --threads 2 --output-dir DIR

- model: a T5 checkpoint folder (config.json + model.safetensors), dropout as its config says;
- tokenizer: T5Tokenizer on the spiece.model; "summarize: " before every text; sources cut at 256
  tokens, summaries at 64 (</s> kept last, as both sides truncate);
- rows: the dataset's own split column (train / validation), as Resumo's DatasetLoader uses it
  when any row carries one (it also drops duplicate texts; TeMário has none);
- training: batch 8, Adafactor lr 1e-3 constant (scale_parameter, relative_step, warmup_init
  False: the Trainer's "adafactor"), max_grad_norm 1.0, fp32, seed 42, STEPS steps, a log line
  every 10 steps, a checkpoint (weights + optimizer) at the last step, two kept;
- one evaluation at the end on the validation rows: eval loss, greedy generation of at most 64 new
  tokens (batch 8), ROUGE-1/2/L/Lsum F1 with Unicode-aware tokens (Resumo's Portuguese scorer keeps
  accented letters; rouge_score's default would drop them);
- the final model saved with its tokenizer.

Prints one JSON object: seconds per phase, the total, and the counts that show the work matched
(training tokens, generated tokens). Run with 2 threads as Resumo's --threads 2:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=2 .venv-compare/bin/python \
        weights-tools/finetune_compare_hf.py --model MODEL --spiece SPM --dataset temario.jsonl --out DIR

Needs torch, transformers 5.24, accelerate, sentencepiece, protobuf, rouge_score.
"""
import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402

import torch  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402
from transformers import (DataCollatorForSeq2Seq, Seq2SeqTrainer, Seq2SeqTrainingArguments,  # noqa: E402
                          T5ForConditionalGeneration, T5Tokenizer)

PREFIX = "summarize: "


class UnicodeWords:
    """rouge_score tokenizer: lower-cased runs of Unicode letters and digits ("não" stays one word)."""

    def tokenize(self, text):
        return re.findall(r"[^\W_]+", text.lower())


def sentences(text):
    return "\n".join(s for s in re.split(r"(?<=[.!?])\s+|\n+", text.strip()) if s)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--spiece", required=True)
    p.add_argument("--dataset", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-source", type=int, default=256)
    p.add_argument("--max-target", type=int, default=64)
    p.add_argument("--max-new-tokens", type=int, default=64)
    p.add_argument("--batch", type=int, default=8)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    phases = {"startup (interpreter + imports)": time.perf_counter() - T0}
    mark = time.perf_counter()

    def lap(name):
        nonlocal mark
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - mark
        mark = now

    model = T5ForConditionalGeneration.from_pretrained(a.model)
    # The folder of the spiece.model: T5Tokenizer(vocab_file=...) in transformers 5 builds a 104-piece
    # placeholder vocabulary; from_pretrained converts the SentencePiece model (needs protobuf).
    tokenizer = T5Tokenizer.from_pretrained(os.path.dirname(os.path.abspath(a.spiece)))
    lap("load model + tokenizer")

    rows = [json.loads(line) for line in open(a.dataset, encoding="utf-8") if line.strip()]
    train_rows = [r for r in rows if r.get("split") == "train"]
    eval_rows = [r for r in rows if r.get("split") == "validation"]

    def features(rs):
        enc = tokenizer([PREFIX + r["text"] for r in rs], max_length=a.max_source, truncation=True,
                        text_target=[r["summary"] for r in rs], max_target_length=a.max_target)
        return [{"input_ids": enc["input_ids"][i], "labels": enc["labels"][i]} for i in range(len(rs))]

    train, evaluation = features(train_rows), features(eval_rows)
    lap("read + tokenize dataset")

    args = Seq2SeqTrainingArguments(
        output_dir=os.path.join(a.out, "checkpoints"), max_steps=a.steps, per_device_train_batch_size=a.batch,
        per_device_eval_batch_size=a.batch, optim="adafactor", learning_rate=1e-3, lr_scheduler_type="constant",
        weight_decay=0.0, max_grad_norm=1.0, seed=42, logging_steps=10, save_strategy="steps", save_steps=a.steps,
        save_total_limit=2, eval_strategy="no", predict_with_generate=True, report_to="none", use_cpu=True,
        dataloader_num_workers=0)
    trainer = Seq2SeqTrainer(model=model, args=args, train_dataset=train, eval_dataset=evaluation,
                             data_collator=DataCollatorForSeq2Seq(tokenizer, model=model),
                             processing_class=tokenizer, compute_metrics=None)
    lap("trainer setup")

    # Phases inside train() and evaluate(), timed by wrapping what the Trainer calls.
    inner = {"checkpoint write": 0.0, "logging": 0.0, "eval generation": 0.0}
    generated = [0]

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                inner[name] += time.perf_counter() - t
        return wrapper

    trainer._save_checkpoint = timed("checkpoint write", trainer._save_checkpoint)
    trainer.log = timed("logging", trainer.log)
    plain_generate = model.generate

    def generate(*args, **kwargs):
        t = time.perf_counter()
        out = plain_generate(*args, **kwargs)
        inner["eval generation"] += time.perf_counter() - t
        generated[0] += int((out[:, 1:] != tokenizer.pad_token_id).sum())
        return out

    model.generate = generate

    trainer.train()
    lap("train()")
    phases["training steps"] = phases.pop("train()") - inner["checkpoint write"] - inner["logging"]
    phases["logging"] = inner["logging"]
    phases["checkpoint write"] = inner["checkpoint write"]
    mark = time.perf_counter()

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], tokenizer=UnicodeWords())
    rouge_seconds = [0.0]

    def rouge(pred):
        t = time.perf_counter()
        ids = [[i for i in seq if i >= 0] for seq in pred.predictions]
        texts = tokenizer.batch_decode(ids, skip_special_tokens=True)
        scores = [scorer.score(sentences(r["summary"]), sentences(t_)) for r, t_ in zip(eval_rows, texts)]
        out = {k: sum(s[k].fmeasure for s in scores) / len(scores) for k in scores[0]}
        rouge_seconds[0] += time.perf_counter() - t
        return out

    trainer.compute_metrics = rouge
    metrics = trainer.evaluate(max_new_tokens=a.max_new_tokens, num_beams=1, do_sample=False)
    lap("evaluate()")
    phases["eval generation"] = inner["eval generation"]
    phases["eval ROUGE (decode + score)"] = rouge_seconds[0]
    phases["eval loss (+ evaluate() overhead)"] = phases.pop("evaluate()") - inner["eval generation"] - rouge_seconds[0]
    mark = time.perf_counter()

    final = os.path.join(a.out, "model")
    trainer.save_model(final)
    tokenizer.save_pretrained(final)
    lap("final model save")

    phases["total (in process)"] = time.perf_counter() - T0
    print(json.dumps({"phases": {k: round(v, 3) for k, v in phases.items()},
                      "train_loss": trainer.state.log_history[-2].get("loss") if len(trainer.state.log_history) > 1 else None,
                      "eval": {k: round(v, 4) for k, v in metrics.items() if k.startswith("eval_")},
                      "train_tokens": sum(len(f["input_ids"]) + len(f["labels"]) for f in train),
                      "generated_tokens": generated[0]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
