"""Reference fixtures for the Java tokenizer tests (run once; outputs are committed).

    .venv/bin/python weights-tools/make_tokenizer_fixtures.py [--ptt5 ../shared/models/ptt5-portuguese-vocab/spiece.model]

Writes under tokenizer/src/test/resources/dev/resumo/tokenizer/:
  small/spiece.model      a tiny unigram model trained here on text this script writes itself, with byte
                          fallback, user-defined pieces and a handful of custom normalization rules
  small/tokenizer.json    the same model converted by transformers' T5 converter (tokenizers backend)
  small_refs.jsonl        for fixed + random strings: sentencepiece ids/decode and HF T5Tokenizer ids/decode
  small/tokenizer_strip.json, small_strip_refs.jsonl
                          the same tokenizer.json plus added tokens with lstrip/rstrip, and its ids (tokenizers)
  ptt5_random_refs.jsonl  (with --ptt5) the same for the PTT5 vocabulary on random strings
Needs: sentencepiece, tokenizers, transformers (no torch).
"""
import argparse
import io
import json
import os
import random
import shutil
import tempfile

import sentencepiece as spm
from transformers import T5Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tokenizer", "src", "test", "resources", "dev", "resumo", "tokenizer")

WORDS = ("o a os as de do da dos das em no na que com por para um uma é não mais como mas ao "
         "casa cidade governo presidente eleição ação coração informação notícia jornal mundo "
         "dia ano tempo vez país estado público política economia saúde educação trabalho "
         "disse afirmou segundo ontem hoje amanhã novo nova grande pequeno primeiro último "
         "São Paulo Rio Brasil Brasília Lula ministro reforma imposto dinheiro real dólar").split()
FIXED = ["", " ", "  dois  espaços  ", "linha1\nlinha2\tcom tab", "Ação, coração e ÇÃO!",
         "ﬁnanças e Ａ Ｂ", "R$ 1.234,56", "custa R$10 <sep> fim", "emoji 😀 e chinês 中文",
         "<extra_id_0> texto <extra_id_99>", "x </s> y <pad> <unk>z", "reticências…", "a\u0301gua",
         "\u00a0espaço\u3000ideográfico", "zzzz qqqq wwww", "ÿ ñ ø"]
RULES = [  # source code points -> target code points (a custom precompiled charsmap)
    ("FB01", "66 69"), ("FF21", "41"), ("FF22", "42"), ("2026", "2E 2E 2E"), ("9", "20"), ("A", "20"),
    ("A0", "20"), ("3000", "20"), ("61 301", "E1"), ("65 301", "E9"), ("6F 302", "F4")]
ALPHABET = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?-'\"()$%")
            + list("áàâãéêíóôõúçÁÉÇÃÕ") + ["\u0301", "\u0303", "\u0327"] + list("中文日本語")
            + ["😀", "👍🏽", "🇧🇷"] + ["\t", "\n", "\r", "\u00a0", "\u2028", "\u3000", "\x00", "\x07", "\x1b"]
            + list("ﬁＡ①ｶ…ºª°×—") + [" "] * 12)


def training_text(rng):
    lines = []
    for _ in range(3000):
        n = rng.randint(4, 14)
        words = [rng.choice(WORDS) for _ in range(n)]
        if rng.random() < 0.3:
            words.insert(rng.randint(0, n), "R$ " + str(rng.randint(1, 9999)))
        lines.append(" ".join(words).capitalize() + rng.choice([".", "!", "?", ","]))
    return lines


def random_strings(rng, count):
    out = []
    for _ in range(count):
        n = rng.randint(0, 30)
        s = "".join(rng.choice(ALPHABET) if rng.random() < 0.5 else rng.choice(WORDS) + " " for _ in range(n))
        if rng.random() < 0.1:
            s += "<extra_id_%d>" % rng.randint(0, 99) + rng.choice(["", " ", "x"])
        out.append(s)
    return out


def references(sp, tok, texts):
    rows = []
    for t in texts:
        ids = sp.encode(t)
        hf = tok(t).input_ids
        rows.append({"text": t, "spm_ids": ids, "spm_decoded": sp.decode(ids), "hf_ids": hf,
                     "hf_decoded": tok.decode(hf, skip_special_tokens=True)})
    return rows


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def hf_tokenizer(model_dir):
    return T5Tokenizer.from_pretrained(model_dir)


def small_model(rng):
    small = os.path.join(OUT, "small")
    os.makedirs(small, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tsv = os.path.join(tmp, "rules.tsv")
        with open(tsv, "w") as f:
            for src, dst in RULES:
                f.write(src + "\t" + dst + "\n")
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(training_text(rng)), model_writer=model, model_type="unigram",
            vocab_size=420, byte_fallback=True, character_coverage=0.98, user_defined_symbols=["<sep>", "R$"],
            normalization_rule_tsv=tsv, pad_id=0, eos_id=1, unk_id=2, bos_id=-1, hard_vocab_limit=False,
            minloglevel=2)
        with open(os.path.join(small, "spiece.model"), "wb") as f:
            f.write(model.getvalue())
        tok = hf_tokenizer(small)
        tok.save_pretrained(tmp)
        shutil.copy(os.path.join(tmp, "tokenizer.json"), os.path.join(small, "tokenizer.json"))
    sp = spm.SentencePieceProcessor(model_file=os.path.join(small, "spiece.model"))
    write_jsonl(os.path.join(OUT, "small_refs.jsonl"), references(sp, tok, FIXED + random_strings(rng, 160)))


STRIP_TEXTS = ["a <mask> b", "a<mask>b", "a \t<mask>\n b", "<mask>", "  <mask>  ", "x <r>  y", "x  <l> y",
               "casa <mask><r><l> dia", "\u00a0<mask>\u3000cidade"]


def strip_variant():
    from tokenizers import AddedToken, Tokenizer
    small = os.path.join(OUT, "small")
    tok = Tokenizer.from_file(os.path.join(small, "tokenizer.json"))
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, rstrip=True, special=True),
                            AddedToken("<r>", rstrip=True, special=True)])
    tok.add_tokens([AddedToken("<l>", lstrip=True, special=False)])
    tok.save(os.path.join(small, "tokenizer_strip.json"))
    rows = []
    for t in STRIP_TEXTS:
        ids = tok.encode(t).ids
        rows.append({"text": t, "hf_ids": ids, "hf_decoded": tok.decode(ids, skip_special_tokens=True)})
    write_jsonl(os.path.join(OUT, "small_strip_refs.jsonl"), rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ptt5", help="PTT5 spiece.model: also write ptt5_random_refs.jsonl")
    args = ap.parse_args()
    rng = random.Random(20260525)
    small_model(rng)
    strip_variant()
    if args.ptt5:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(args.ptt5, os.path.join(tmp, "spiece.model"))
            tok = hf_tokenizer(tmp)
        sp = spm.SentencePieceProcessor(model_file=args.ptt5)
        write_jsonl(os.path.join(OUT, "ptt5_random_refs.jsonl"), references(sp, tok, random_strings(rng, 250)))


if __name__ == "__main__":
    main()
