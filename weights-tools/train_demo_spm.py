"""Trains the demo SentencePiece model and writes the demo T5 config.

Input: train/src/main/resources/dev/resumo/train/demo/corpus.jsonl (weights-tools/make_demo_corpus.py).
Output, next to it:
  spiece.model  unigram, T5 ids (pad=0, eos=1, unk=2, no bos), nmt_nfkc normalization (so the
                precompiled charsmap is exercised), trained on every text (with the "summarize: "
                prefix the trainer adds) and summary of the corpus, all splits — the vocabulary is
                fixed before any split matters, as with a published tokenizer.
  config.json   a small T5 v1.0 layout (ReLU, tied lm_head) whose vocab_size is the spm size plus
                100 <extra_id_N> tokens, padded up to a multiple of 8 (as HF T5 checkpoints do).

    .venv/bin/python weights-tools/train_demo_spm.py [VOCAB_SIZE]
"""
import io
import json
import os
import sys

import sentencepiece as spm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "train", "src", "main", "resources", "dev", "resumo", "train", "demo")
PREFIX = "summarize: "
EXTRA_IDS = 100


def main():
    # 1400: close to the most this corpus supports (~1420 distinct pieces; ~1400 distinct words).
    vocab = int(sys.argv[1]) if len(sys.argv) > 1 else 1400
    with open(os.path.join(DEMO, "corpus.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    sentences = [PREFIX + r["text"] for r in rows] + [r["summary"] for r in rows]
    spm.set_random_generator_seed(1234)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=model, model_type="unigram", vocab_size=vocab,
        character_coverage=1.0, normalization_rule_name="nmt_nfkc", pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
        pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>", num_threads=1, minloglevel=2)
    path = os.path.join(DEMO, "spiece.model")
    with open(path, "wb") as f:
        f.write(model.getvalue())

    sp = spm.SentencePieceProcessor(model_file=path)
    size = sp.get_piece_size()
    assert (sp.pad_id(), sp.eos_id(), sp.unk_id(), sp.bos_id()) == (0, 1, 2, -1)
    padded = (size + EXTRA_IDS + 7) // 8 * 8
    config = {
        "architectures": ["T5ForConditionalGeneration"], "model_type": "t5", "is_encoder_decoder": True,
        "vocab_size": padded, "d_model": 128, "d_kv": 32, "d_ff": 512, "num_layers": 2,
        "num_decoder_layers": 2, "num_heads": 4, "relative_attention_num_buckets": 32,
        "relative_attention_max_distance": 128, "dropout_rate": 0.1, "layer_norm_epsilon": 1e-6,
        "initializer_factor": 1.0, "feed_forward_proj": "relu", "tie_word_embeddings": True,
        "pad_token_id": 0, "eos_token_id": 1, "decoder_start_token_id": 0,
    }
    with open(os.path.join(DEMO, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    lens = [len(sp.encode(s)) for s in sentences]
    print(f"spiece.model: {size} pieces, {os.path.getsize(path)} bytes; config vocab_size {padded}; "
          f"tokens per text max {max(lens[:len(rows)])}, per summary max {max(lens[len(rows):])}")
    print("example:", sp.encode_as_pieces(rows[0]["summary"]))


if __name__ == "__main__":
    main()
