"""Differential fuzz: Resumo's tokenizer against sentencepiece and transformers' T5Tokenizer.

    bin/test -q -o -DskipTests -Dmaven.test.skip=true install      # builds cli/target/resumo.jar
    PYTHON=/path/to/venv/bin/python
    $PYTHON weights-tools/fuzz_tokenizer_parity.py [--spiece ../shared/models/ptt5-portuguese-vocab/spiece.model]
        [--per-category 300] [--seed 1] [--char-pairs] [--no-cli] [--report FILE]

Generates thousands of inputs in named categories (Portuguese with every accent, NFC/NFD mixes, NFKC
compatibility characters, every kind of whitespace, control characters, emoji sequences, other scripts,
unknown runs, characters outside the BMP, 1,000+ character words, digit/punctuation runs, the literal
special-token texts, the empty string, random id sequences for decode) and compares, per input:
  spm_ids, spm_pieces, spm_decoded, spm_normalized   against sentencepiece (EncodeAsIds, IdToPiece, DecodeIds, Normalize)
  hf_ids, hf_ids_noeos, pieces, hf_decoded,          against transformers' T5Tokenizer (tokenizers backend; in
  hf_truncated (max_length=1 + length % 12)          transformers 5 T5TokenizerFast is the same class, both are run)
through weights-tools/TokenizerFuzzProbe.java (kept open, one JSON line per input), and the same
texts through `bin/resumo tokenize --input` / `detokenize --input` (ids, pieces, decoded text).
Every mismatch is minimized (delta debugging on code points) to a short input and printed; exit 1
if any. Needs sentencepiece, transformers, tokenizers and protobuf (transformers' converter reads
spiece.model with it); no torch.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SPIECE = os.path.join(ROOT, "..", "shared", "models", "ptt5-portuguese-vocab", "spiece.model")

TEXT_FIELDS = ["spm_ids", "spm_pieces", "spm_decoded", "spm_normalized", "hf_ids", "hf_ids_noeos", "pieces", "hf_decoded",
               "hf_truncated"]
ID_FIELDS = ["spm_decoded", "hf_decoded"]

# ---------------------------------------------------------------- inputs

WORDS = ("o a os as de do da dos das em no na que com por para um uma é não mais como mas ao à às "
         "casa cidade governo presidente eleição ação coração informação notícia jornal mundo pôr "
         "dia ano tempo vez país estado público política economia saúde educação trabalho avô avó "
         "disse afirmou segundo ontem hoje amanhã novo nova grande pequeno primeiro último lá já "
         "São Paulo Rio Brasil Brasília ministro reforma imposto dinheiro real dólar Ângela Érica "
         "Ícaro Ônibus Úrsula ÁGUA AÇÚCAR pinguim lingüiça (antigo) têm vêem crê pão mãe irmã órgão "
         "útil fácil difícil câmara pêssego côco vovô Luís Conceição Gonçalves Assunção").split()
ACCENTS = "áàâãäéèêëíìîïóòôõöúùûüçñÁÀÂÃÄÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑªº"
COMBINING = ["\u0300", "\u0301", "\u0302", "\u0303", "\u0308", "\u0327", "\u030a", "\u030c", "\u0323", "\u0331"]
COMPAT = (list("ﬁﬂﬀﬃﬄﬅﬆ²³¹⁰⁴⁵⁹₀₁₂①②⑳⑴⒈㈠㊀½¼¾⅓ℌℍℕ™℃℉№℡Ⅻⅻ㎏㎞㍱㋿ſµΩÅK…‥") +
          [chr(c) for c in range(0xFF01, 0xFF5F)] + [chr(c) for c in range(0xFF61, 0xFF9F)] +
          ["\u00a8", "\u00af", "\u00b4", "\u00b8", "\u02dc", "\u2033", "\u2057", "\u01c4", "\u01c6", "\u0132",
           "\u1e9b\u0323", "\u3131", "\u3164", "\uffa0", "\U0001d400", "\U0001d7ce", "\U0001f100", "\U0001f130"])
WHITESPACE = [" ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002",
              "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029",
              "\u202f", "\u205f", "\u3000", "\u0085", "\u180e", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
              "\u00ad", "\u034f", "\u061c", "\u200e", "\u200f"]
CONTROL = [chr(c) for c in list(range(0, 32)) + list(range(0x7f, 0xa0))] + ["\ufff9", "\ufffa", "\ufffb", "\ufffc",
                                                                           "\ufffd", "\ufffe", "\uffff", "\ue000"]
EMOJI = ["😀", "👍", "👍🏽", "👍🏿", "👩‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇧🇷", "🇵🇹", "❤️", "❤︎", "1️⃣", "#️⃣", "🧑🏽‍🚀",
         "👁‍🗨", "🫠", "☺", "✌🏻", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "\u200d", "\ufe0f", "🏽"]
SCRIPTS = list("中文日本語漢字한국어조선말ひらがなカタカナ") + list("العربيةمرحبا") + list("עבריתשלום") + \
    list("हिन्दीไทยРусскийΕλληνικάქართულიአማርኛ") + ["\u0627\u0644\u0644\u0647", "\ufdfa", "\u0e33", "\u1100\u1161\u11a8"]
NON_BMP = ["\U00010000", "\U0001F600", "\U00020000", "\U0002A6D6", "\U0001D11E", "\U000E0041", "\U000E0001",
           "\U000F0000", "\U0010FFFD", "\U0001F9D1", "\U00013000", "\U0001D538", "\U0001D7D8", "\U00010400"]
PUNCT = list("0123456789.,;:!?-–—'\"()[]{}<>/\\|@#$%^&*_+=~`«»“”‘’„¿¡§¶†‡•·°×÷±≠≤≥∞€£¥¢")
SPECIALS = ["</s>", "<pad>", "<unk>", "<extra_id_0>", "<extra_id_1>", "<extra_id_99>", "<extra_id_100>",
            "<extra_id_-1>", "<extra_id_00>", "<EXTRA_ID_0>", "<s>", "</s", "<extra_id_", "< /s>", "<<unk>>",
            "</s></s>", "<pad><pad>", "▁", "▁▁", "<0x41>", "<mask>"]


def pt_sentence(rng, n=None):
    n = n or rng.randint(1, 14)
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.4:
        words.insert(rng.randrange(n + 1), "".join(rng.choice(ACCENTS) for _ in range(rng.randint(1, 5))))
    return " ".join(words) + rng.choice(["", ".", "!", "?", ",", "..."])


def mix(rng, pool, n_lo=1, n_hi=12, word_p=0.4):
    """Random pool items with Portuguese words between them."""
    out = []
    for _ in range(rng.randint(n_lo, n_hi)):
        out.append(rng.choice(pool) if rng.random() > word_p else rng.choice(WORDS))
        if rng.random() < 0.3:
            out.append(" ")
    return "".join(out)


def nfd_mixed(rng):
    s = pt_sentence(rng)
    chars = []
    for ch in s:
        r = rng.random()
        if r < 0.4:
            chars.append(unicodedata.normalize("NFD", ch))
        elif r < 0.45:
            chars.append(ch + rng.choice(COMBINING))  # extra or odd mark
        else:
            chars.append(ch)
    if rng.random() < 0.2:
        chars.insert(0, rng.choice(COMBINING))  # mark with no base
    if rng.random() < 0.2:
        chars.append(" " + "".join(rng.choice(COMBINING) for _ in range(rng.randint(1, 4))))
    return "".join(chars)


def whitespace(rng):
    parts = []
    for _ in range(rng.randint(1, 10)):
        parts.append("".join(rng.choice(WHITESPACE) for _ in range(rng.randint(0, 4))))
        if rng.random() < 0.7:
            parts.append(rng.choice(WORDS))
    return "".join(parts)


def unknown_runs(rng):
    # characters PTT5 lacks (rare CJK, scripts, symbols) in runs next to known text
    rare = [chr(c) for c in (0x4E42, 0x9F98, 0x0F40, 0x1200, 0x13A0, 0x2603, 0x2654, 0x16A0, 0xA000, 0x0D05)]
    parts = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.6:
            parts.append("".join(rng.choice(rare + SCRIPTS + NON_BMP) for _ in range(rng.randint(1, 6))))
        else:
            parts.append(rng.choice(WORDS))
        parts.append(rng.choice(["", " ", "  ", "\u00a0", "-"]))
    return "".join(parts)


def long_word(rng):
    n = rng.randint(1000, 3000)
    kind = rng.randrange(5)
    if kind == 0:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyzáéçãõ") for _ in range(n))
    if kind == 1:
        return (rng.choice(WORDS) * n)[:n]
    if kind == 2:
        return "".join(rng.choice("0123456789") for _ in range(n))
    if kind == 3:
        return "".join(rng.choice(SCRIPTS + EMOJI + NON_BMP) for _ in range(n // 3))
    return rng.choice(WORDS) + " " + "x" * n + " " + rng.choice(WORDS)


def digits_punct(rng):
    return "".join(rng.choice(PUNCT) if rng.random() < 0.85 else rng.choice([" ", rng.choice(WORDS)])
                   for _ in range(rng.randint(1, 40)))


def specials(rng):
    parts = []
    for _ in range(rng.randint(1, 8)):
        parts.append(rng.choice(SPECIALS + ["<extra_id_%d>" % rng.randint(0, 105)]) if rng.random() < 0.6
                     else rng.choice(WORDS))
        parts.append(rng.choice(["", " ", "  ", "\n", "\t", "\u00a0", "x"]))
    return "".join(parts)


def empty_like(rng):
    return rng.choice(["", " ", "  ", "\n", "\t", "\u3000", "\u200b", "\u00a0", "\ufeff", "\x00", " \n ", "▁"]) * rng.randint(0, 3)


def random_unicode(rng):
    out = []
    for _ in range(rng.randint(1, 20)):
        c = rng.choice([rng.randint(0x20, 0x2FF), rng.randint(0x300, 0x3000), rng.randint(0x3000, 0xD7FF),
                        rng.randint(0xE000, 0xFFFD), rng.randint(0x10000, 0x10FFFF)])
        out.append(chr(c))
        if rng.random() < 0.2:
            out.append(" ")
    return "".join(out)


ALL = ([w + " " for w in WORDS] + list(ACCENTS) + COMBINING + COMPAT + WHITESPACE + CONTROL + EMOJI + SCRIPTS
       + NON_BMP + PUNCT + SPECIALS)

TEXT_CATEGORIES = {
    "portuguese": lambda r: pt_sentence(r, r.randint(1, 40)),
    "nfd_mixed": nfd_mixed,
    "nfkc_compat": lambda r: mix(r, COMPAT),
    "whitespace": whitespace,
    "control": lambda r: mix(r, CONTROL + WHITESPACE),
    "emoji": lambda r: mix(r, EMOJI),
    "scripts": lambda r: mix(r, SCRIPTS, word_p=0.2),
    "unknown_runs": unknown_runs,
    "non_bmp": lambda r: mix(r, NON_BMP + COMPAT[-4:]),
    "long_word": long_word,
    "digits_punct": digits_punct,
    "special_literals": specials,
    "empty_like": empty_like,
    "random_unicode": random_unicode,
    "random_mix": lambda r: mix(r, ALL, 1, 30, 0.2),
}


def generate(seed, per_category, char_pairs):
    rng = random.Random(seed)
    out = [("empty_like", "")]
    for name, make in TEXT_CATEGORIES.items():
        n = per_category // 10 if name == "long_word" else per_category
        out += [(name, make(rng)) for _ in range(n)]
    if char_pairs:
        # Every character of planes 0, 1 and 14 after a NBSP (a character with a charsmap rule) and
        # before one: shows which characters the normalizers glue to their neighbour (grapheme
        # clusters: marks, SpacingMark letters, Hangul, prepend characters, emoji modifiers, tags).
        for c in list(range(0x20, 0xD800)) + list(range(0xE000, 0x20000)) + list(range(0xE0000, 0xE01F0)):
            out += [("char_pairs", "\u00a0" + chr(c)), ("char_pairs", chr(c) + "\u00a0x")]
    return out


def random_id_rows(rng, n, vocab):
    special = [0, 1, 2, vocab - 1, vocab - 100, 32000]
    rows = []
    for _ in range(n):
        rows.append([rng.choice(special) if rng.random() < 0.25 else rng.randrange(3, 32000)
                     for _ in range(rng.randint(0, 20))])
    return rows

# ---------------------------------------------------------------- references


class Reference:
    def __init__(self, spiece):
        import sentencepiece as spm
        from transformers import T5Tokenizer, T5TokenizerFast
        self.sp = spm.SentencePieceProcessor(model_file=spiece)
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(spiece, os.path.join(tmp, "spiece.model"))
            self.hf = T5Tokenizer.from_pretrained(tmp)
            self.fast = T5TokenizerFast.from_pretrained(tmp)

    def text(self, t):
        sp, hf = self.sp, self.hf
        ids = sp.encode(t)
        hf_ids = hf(t).input_ids
        return {"spm_ids": ids, "spm_pieces": [sp.id_to_piece(i) for i in ids], "spm_decoded": sp.decode(ids),
                "spm_normalized": sp.normalize(t), "hf_ids": hf_ids,
                "hf_ids_noeos": hf(t, add_special_tokens=False).input_ids,
                "pieces": hf.convert_ids_to_tokens(hf_ids), "hf_decoded": hf.decode(hf_ids, skip_special_tokens=True),
                # what a training row gets (Java's code units = Python's UTF-16 length, for the same max_length)
                "hf_truncated": hf(t, max_length=1 + len(t.encode("utf-16-le")) // 2 % 12, truncation=True).input_ids}

    def ids(self, ids):
        try:
            spm_decoded = self.sp.decode(ids)
        except IndexError:
            spm_decoded = "error"
        return {"spm_decoded": spm_decoded, "hf_decoded": self.hf.decode(ids, skip_special_tokens=True)}

    def hf_fast_disagrees(self, t):
        return self.hf(t).input_ids != self.fast(t).input_ids


class Probe:
    """TokenizerFuzzProbe.java kept open: one JSON line in, one out."""

    def __init__(self, spiece, jar):
        self.proc = subprocess.Popen(
            ["java", "--add-modules", "jdk.incubator.vector", "-cp", jar,
             os.path.join(HERE, "TokenizerFuzzProbe.java"), spiece],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, encoding="utf-8")

    def ask(self, row):
        self.proc.stdin.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()

# ---------------------------------------------------------------- comparison and minimizing


def differing(want, got, fields):
    if "error" in got:
        return ["error"]
    return [f for f in fields if want[f] != got.get(f)]


def minimize(text, field, ref, probe, budget=3000):
    """Delta debugging over code points: the shortest input found on which `field` still differs."""
    calls = [0]

    def fails(s):
        calls[0] += 1
        got = probe.ask({"text": s})
        return "error" in got if field == "error" else ref.text(s)[field] != got.get(field)

    cur = list(text)
    n = 2
    while len(cur) >= 2 and calls[0] < budget:
        chunk = max(1, len(cur) // n)
        reduced = False
        for i in range(0, len(cur), chunk):
            cand = cur[:i] + cur[i + chunk:]
            if cand and fails("".join(cand)):
                cur, n, reduced = cand, max(n - 1, 2), True
                break
        if not reduced:
            if chunk == 1:
                break
            n = min(len(cur), n * 2)
    return "".join(cur)


def run_cli(texts, spiece, want_rows):
    """`resumo tokenize --input` and `detokenize --input` on every text: ids, pieces, decoded text."""
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        inp, ids_in = os.path.join(tmp, "in.jsonl"), os.path.join(tmp, "ids.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for t in texts:
                f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
        with open(ids_in, "w", encoding="utf-8") as f:
            for w in want_rows:
                f.write(json.dumps({"ids": w["hf_ids"]}) + "\n")
        resumo = os.path.join(ROOT, "bin", "resumo")
        tok = subprocess.run([resumo, "tokenize", "--tokenizer", spiece, "--input", inp], capture_output=True,
                             encoding="utf-8")
        det = subprocess.run([resumo, "detokenize", "--tokenizer", spiece, "--input", ids_in], capture_output=True,
                             encoding="utf-8")
        for name, proc in (("tokenize", tok), ("detokenize", det)):
            if proc.returncode != 0:
                bad.append(("cli " + name, "exit %d: %s" % (proc.returncode, proc.stderr.strip()[-300:])))
        tok_rows = [json.loads(l) for l in tok.stdout.splitlines()]
        det_rows = [json.loads(l) for l in det.stdout.splitlines()]
        if len(tok_rows) != len(texts) or len(det_rows) != len(texts):
            bad.append(("cli rows", "tokenize %d, detokenize %d rows for %d texts" % (len(tok_rows), len(det_rows), len(texts))))
        for t, w, g, d in zip(texts, want_rows, tok_rows, det_rows):
            if g["ids"] != w["hf_ids"] or g["pieces"] != w["pieces"] or d["text"] != w["hf_decoded"]:
                bad.append(("cli", t))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spiece", default=DEFAULT_SPIECE)
    ap.add_argument("--jar", default=os.path.join(ROOT, "cli", "target", "resumo.jar"))
    ap.add_argument("--per-category", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-cli", action="store_true", help="skip the bin/resumo tokenize/detokenize pass")
    ap.add_argument("--char-pairs", action="store_true", help="also every character of planes 0, 1, 14 next to a NBSP (260k inputs)")
    ap.add_argument("--report", help="also write every minimized mismatch here as JSON lines")
    args = ap.parse_args()
    spiece = os.path.abspath(args.spiece)
    ref, probe = Reference(spiece), Probe(spiece, args.jar)

    inputs = generate(args.seed, args.per_category, args.char_pairs)
    counts, mismatches, hf_vs_fast = {}, [], 0
    want_rows = []
    for cat, text in inputs:
        want, got = ref.text(text), probe.ask({"text": text})
        want_rows.append(want)
        hf_vs_fast += ref.hf_fast_disagrees(text)
        c = counts.setdefault(cat, [0, 0])
        c[0] += 1
        bad = differing(want, got, TEXT_FIELDS)
        if bad:
            c[1] += 1
            mismatches.append((cat, text, bad))
    id_rows = random_id_rows(random.Random(args.seed + 1), args.per_category, len(ref.hf))
    c = counts.setdefault("decode_random_ids", [0, 0])
    for ids in id_rows:
        c[0] += 1
        bad = differing(ref.ids(ids), probe.ask({"ids": ids}), ID_FIELDS)
        if bad:
            c[1] += 1
            mismatches.append(("decode_random_ids", ids, bad))

    print("%-20s %7s %10s" % ("category", "inputs", "mismatch"))
    for cat, (n, m) in counts.items():
        print("%-20s %7d %10d" % (cat, n, m))
    print("%-20s %7d %10d" % ("total", sum(n for n, _ in counts.values()), len(mismatches)))
    print("T5Tokenizer vs T5TokenizerFast disagreements: %d (same class in transformers 5)" % hf_vs_fast)

    seen, report = set(), []
    for cat, text, bad in mismatches:
        field = bad[0]
        if cat == "decode_random_ids":
            key = (cat, field)
            if key in seen:
                continue
            seen.add(key)
            report.append({"category": cat, "field": field, "ids": text, "want": ref.ids(text)[field],
                           "got": probe.ask({"ids": text}).get(field)})
            continue
        small = minimize(text, field, ref, probe)
        if (field, small) in seen:
            continue
        seen.add((field, small))
        got = probe.ask({"text": small})
        report.append({"category": cat, "field": field, "text": small,
                       "want": ref.text(small)[field] if field != "error" else None,
                       "got": got.get(field, got.get("error"))})
    for r in report:
        print("MISMATCH " + json.dumps(r, ensure_ascii=True))

    if not args.no_cli:
        texts = [t for _, t in inputs]
        cli_bad = run_cli(texts, spiece, want_rows)
        print("CLI tokenize/detokenize: %d texts, %d mismatches" % (len(texts), len(cli_bad)))
        for what, t in cli_bad[:20]:
            print("CLI MISMATCH %s %s" % (what, json.dumps(t, ensure_ascii=True)[:300]))
        report += [{"category": "cli", "field": w, "text": t} for w, t in cli_bad]
    probe.close()
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            for r in report:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
