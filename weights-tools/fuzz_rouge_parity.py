#!/usr/bin/env python3
"""Differential fuzz of Resumo's ROUGE against Google's rouge_score package.

Reference: rouge_score.RougeScorer in the four settings make_rouge_reference.py uses
(classic / classic_stem: its default tokenizer without/with nltk's Porter stemmer; pt / pt_stem:
tokenizer=PortugueseTokenizer from make_rouge_reference.py, without/with nltk's Portuguese
Snowball). Resumo: weights-tools/RougeFuzzProbe.java (one JVM, one JSON line per pair).

Compared per pair and setting:
  tokens      prediction and reference tokens, exactly (the Java tokenizer on the whole text)
  scores      rouge1, rouge2, rougeL, rougeLsum precision/recall/fmeasure of RougeScorer on the
              texts as given, |diff| <= 1e-12. Both sides compute the same integer ratios and
              2PR/(P+R) in IEEE doubles, so they should be bit-identical; 1e-12 only leaves room
              for a different but equivalent operation order, any counting slip is >= 1e-4.
  corpus      CorpusRouge.score, the path `resumo rouge`/eval/baseline/train take: for
              rouge-score tokenization every figure against rouge_score (the texts are not
              touched); for pt rouge1/rouge2/rougeL, since pt first splits sentences for
              ROUGE-Lsum (SentenceSplitter, Resumo's documented addition with no Python twin),
              which must not change the other three; and pt ROUGE-Lsum too when neither text
              holds a character the splitter can break at other than "\n" (SPLITTER_BREAKS).
Characters Python 3.11's Unicode 14 leaves unassigned are never generated: the JDK (Unicode 16)
assigns some of them, so such characters differ by Unicode version, not by implementation.

Needs rouge-score and nltk. From the repository root, after building cli/target/resumo.jar:

    /work/venv-parity-rouge/bin/python weights-tools/fuzz_rouge_parity.py --pairs 3000 --seed 1

Prints per-category counts and every mismatch shrunk to a short pair; exit 1 if any.
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_rouge_reference import PORTER_WORDS, PortugueseTokenizer, TYPES  # noqa: E402
from nltk.stem import porter  # noqa: E402
from nltk.stem.snowball import SnowballStemmer  # noqa: E402
from rouge_score import rouge_scorer, tokenize as rs_tokenize  # noqa: E402

SETTINGS = ["classic", "classic_stem", "pt", "pt_stem"]
TOLERANCE = 1e-12

WORDS = """governo anunciou pacote bilhões saúde inflação oficial março segundo não é possível prever
resultado eleição eleições cientista político ação ações nação nações coração corações mãe mães pão
pães irmã irmãs órgão órgãos razão razões informação informações português portuguesa café avó avô
você três está estão também já até após há média índice público pública econômico econômica histórico
lingüiça agüentar cinqüenta tranqüilo freqüência pingüim argüição quilômetros saída país países raízes
crianças adolescentes idosos vacinação prioridade jornalista jornalistas brasileiros brasileiras
carreira carreiras universidade possibilidade sociologia evolução ciência ciências capitalismo notícias
rapidamente felizmente amigavelmente falaríamos cantássemos eram ônibus tarifa moradores protesto
polícia suspeitos investigação continua ministério informou julho dólar real valorização tecnologia
funcionários empresa empresas milhares água energia transporte desafios cidades técnico torcida estádio
produção safra conab parlamentares orçamento votação indígenas lideranças demarcação brasília
açúcar maçã caça faça começo preço preços força esforço cabeça calça moço moça lençol ação
o a os as de do da dos das em no na nos nas um uma e ou que se por para com sem sob""".split()

CLITICS = ["fá-lo", "fê-la", "disse-lhe", "disse-lhes", "vê-se", "dá-se-lhe", "fazê-lo-ia", "dir-se-ia",
           "amá-la-emos", "guarda-chuva", "guarda-chuvas", "bem-vindo", "pé-de-meia", "segunda-feira",
           "terça-feira", "beija-flor", "anti-inflamatório", "micro-ondas", "ex-presidente", "pró-reitor",
           "vice-presidente", "quebra-cabeças", "sem-terra", "recém-nascido", "mandá-los-ão"]
APOSTROPHES = ["d'água", "d’água", "dʼágua", "d`água", "d´água", "caixa-d'água", "pau-d'arco",
               "Sant'Ana", "Sant’Ana", "n'A Bola", "copo-d’água", "galinha-d'angola", "'tá", "o'", "rock'n'roll"]
NUMBERS = ["1.234,56", "3,5", "0,45%", "12%", "12 %", "R$ 3,5", "R$3.500,00", "US$ 1", "€ 20", "20€", "£5", "¥100",
           "1º", "2ª", "3.º", "4.ª", "nº 5", "n.º 7", "N° 12", "38,7 °C", "38,7°C", "−5", "-5", "+3", "1/2", "½",
           "¾", "²", "10²", "km²", "2020", "1998-2003", "10h30", "10:30", "2.500.000", "1,5 mil", "5ª-feira",
           "Ⅻ", "ⅻ", "١٢٣", "１２３", "٣,٥", "0,5‰", "‰", "#1", "§ 2º", "art. 5º", "3x4", "4K", "1e-9", "π", "∞"]
QUOTES = ['"', "'", "“", "”", "‘", "’", "«", "»", "„", "‹", "›", "`", "´", "″", "′", "「", "」", "〝", "〞", "‚", "ʼ", "ˮ"]
EMOJI = ["😀", "👍🏽", "👨\u200d👩\u200d👧", "🇧🇷", "❤️", "1️⃣", "#️⃣", "✅", "🔥🔥", "☕", "⚽\ufe0f", "🏳️\u200d🌈", "🙂x", "a😀b"]
CJK = ["中文", "北京大学", "日本語のテキスト", "カタカナ", "한국어", "ภาษาไทย", "हिन्दी", "العربية", "עברית", "Ελλάδα",
       "ΟΔΟΣ", "ΟΔΟΣ.", "Σ", "ΣΑΣ ΣΑΣ", "русский", "ǅemal", "ǄEMAL", "ﬁnal", "straße", "STRAẞE", "İstanbul", "ıi",
       "Kelvin", "Åström", "ŉ", "ΐ", "ᾼ", "ﬀ",
       # Greek final sigma: lowercasing depends on the neighbours (case-ignorable ones skipped)
       "ΑΣ'Α", "ΑΣ\u00adΑ", "Α\u0301Σ", "ΑΣ\u0301", "1Σ", "ΑΣ-Β", "ΑΣ.Β", "Σ'", "'Σ", "ΑΣ\u200bΒ", "ΑΣΑ"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u200e", "\u200f", "\u202a", "\u2066",
              "\u034f", "\u180e", "\ufffd", "\x00", "\x7f", "\x9f", "\ue000", "\U000f0000"]
SPACES = [" ", "\u00a0", "\u2007", "\u202f", "\u3000", "\u1680", "\u2000", "\u200a", "\u205f", "\u2028", "\u2029",
          "\u0085", "\x0b", "\x0c", "\x1c", "\x1f", "\t", "\r\n", "\r", "\n", "\n\n", "  "]
STEM_SUFFIXES = ["amentos", "imentos", "adoras", "adores", "aço~es", "ações", "uções", "ências", "ência", "logias", "mente",
                 "idades", "idade", "ivas", "ivos", "ismo", "istas", "ável", "ível", "ante", "eira", "eiras", "íssimo",
                 "aríamos", "eríamos", "iríamos", "ássemos", "êssemos", "íssemos", "aremos", "ávamos", "ariam",
                 "assem", "ados", "idas", "ando", "endo", "indo", "ara", "era", "ira", "ão", "ões", "ã", "õ", "e",
                 "é", "ê", "ç", "gue", "ci", "ciu", "i", "o", "os", "a", "as"]
STEM_ROOTS = ["govern", "nacion", "qu", "ae", "a", "tr", "cant", "fal", "lingü", "agü", "pingü", "aç", "coraç", "irm", "m",
              "pa", "p", "çç", "áé", "ú", "qü", "gü", "ção", "x"]
SENTENCE_END = [".", "!", "?", "…", "...", "?!", ".\"", ".”", ".)", ";", ":", ""]


def nfd(s):
    return unicodedata.normalize("NFD", s)


def recase(rng, w):
    r = rng.random()
    return w.upper() if r < 0.2 else w.title() if r < 0.35 else w


def renorm(rng, w):
    return nfd(w) if rng.random() < 0.4 else w


def word(rng):
    return renorm(rng, recase(rng, rng.choice(WORDS)))


def sentence(rng, pool, k):
    return " ".join(pool(rng) for _ in range(k))


def stem_word(rng):
    w = (rng.choice(STEM_ROOTS) + rng.choice(STEM_SUFFIXES)).replace("a~", "ã").replace("o~", "õ")
    return renorm(rng, recase(rng, w))


def assigned(ch):
    return unicodedata.category(ch) != "Cn"


def random_char(rng):
    while True:
        cp = rng.choice([rng.randrange(0x20, 0x250), rng.randrange(0x250, 0x3000), rng.randrange(0x3000, 0x10000),
                         rng.randrange(0x10000, 0x20000)])
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        if assigned(ch):
            return ch


def mixed(rng, extras, k):
    parts = []
    for _ in range(k):
        r = rng.random()
        parts.append(rng.choice(extras) if r < 0.4 else word(rng))
        parts.append(rng.choice([" ", " ", " ", "", rng.choice(SPACES)]))
    return "".join(parts)


def perturb(rng, text):
    """A prediction that shares much with the reference: drop/duplicate/swap words, re-case, re-normalize."""
    toks = text.split(" ")
    out = []
    for t in toks:
        r = rng.random()
        if r < 0.15:
            continue
        if r < 0.25:
            out.append(t)
        if r < 0.35:
            t = t.upper() if rng.random() < 0.5 else t.lower()
        if r > 0.9:
            t = nfd(t) if rng.random() < 0.5 else unicodedata.normalize("NFC", t)
        out.append(t)
    if len(out) > 2 and rng.random() < 0.5:
        i, j = rng.randrange(len(out)), rng.randrange(len(out))
        out[i], out[j] = out[j], out[i]
    return " ".join(out)


def multi_sentence(rng, pool):
    lines = []
    for _ in range(rng.randint(1, 5)):
        sents = [sentence(rng, pool, rng.randint(0, 8)) + rng.choice(SENTENCE_END) for _ in range(rng.randint(1, 3))]
        lines.append(" ".join(s[:1].upper() + s[1:] for s in sents))
    seps = ["\n", "\n", "\n\n", "\r\n", "\r", " \n ", "\n...\n", "\u2028"]
    return "".join(line + rng.choice(seps) for line in lines)[: -1 if rng.random() < 0.5 else None]


def repeated(rng):
    vocab = rng.sample(["o", "a", "de", "que", "não", "é", "ação", "ações", "nação", "x"], rng.randint(1, 4))
    return "".join(rng.choice(vocab) + rng.choice([" ", " ", " ", "\n"]) for _ in range(rng.randint(0, 30)))


def category_text(rng, cat):
    if cat == "accents_case_nfc_nfd":
        return sentence(rng, word, rng.randint(1, 15))
    if cat == "clitics_hyphens":
        return mixed(rng, CLITICS + [nfd(c) for c in CLITICS], rng.randint(1, 10))
    if cat == "apostrophes":
        return mixed(rng, APOSTROPHES, rng.randint(1, 10))
    if cat == "numbers_currency_ordinals":
        return mixed(rng, NUMBERS, rng.randint(1, 12))
    if cat == "quotes":
        return "".join(rng.choice(QUOTES) + word(rng) + rng.choice(QUOTES + [" ", " "]) for _ in range(rng.randint(1, 8)))
    if cat == "emoji":
        return mixed(rng, EMOJI, rng.randint(1, 10))
    if cat == "cjk_scripts_special_case":
        return mixed(rng, CJK, rng.randint(1, 10))
    if cat == "zero_width_controls":
        return "".join(word(rng)[: rng.randint(1, 12)] + "".join(rng.choice(ZERO_WIDTH) for _ in range(rng.randint(0, 2)))
                       + rng.choice(["", " "]) for _ in range(rng.randint(1, 10)))
    if cat == "unicode_spaces_newlines":
        return "".join(word(rng) + "".join(rng.choice(SPACES) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 10)))
    if cat == "empty_whitespace":
        return rng.choice(["", " ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u200b", "...", "!!! ???", "\u3000", "-", "–",
                           "\n \n", "''", "\ufeff", "\u0301", "\u0301\u0301", "°", "a", "é", nfd("é")])
    if cat == "long":
        return multi_sentence(rng, word) * rng.randint(1, 2) + sentence(rng, word, rng.randint(100, 400))
    if cat == "repeated_tokens_lcs_ties":
        return repeated(rng)
    if cat == "multi_sentence_lsum":
        return multi_sentence(rng, word)
    if cat == "stemmer":
        return sentence(rng, stem_word, rng.randint(1, 15))
    if cat == "random_unicode":
        return "".join(rng.choice([word(rng) + " ", random_char(rng), random_char(rng) + random_char(rng) + " "])
                       for _ in range(rng.randint(1, 12)))
    if cat == "ascii_punctuation":
        return "".join(rng.choice(["_", "__init__", "a_b", "x.y", "e-mail", "C++", "C#", "@user", "#tag", "http://a.b/c?d=e",
                                   "ab12cd", "3.14", "1,5", word(rng), word(rng), rng.choice(PORTER_WORDS).upper(),
                                   rng.choice(PORTER_WORDS), rng.choice(PORTER_WORDS) + "ção"]) + rng.choice([" ", "", ",", ".", "\n"])
                       for _ in range(rng.randint(1, 12)))
    raise ValueError(cat)


CATEGORIES = ["accents_case_nfc_nfd", "clitics_hyphens", "apostrophes", "numbers_currency_ordinals", "quotes", "emoji",
              "cjk_scripts_special_case", "zero_width_controls", "unicode_spaces_newlines", "empty_whitespace", "long",
              "repeated_tokens_lcs_ties", "multi_sentence_lsum", "stemmer", "random_unicode", "ascii_punctuation"]


def make_pair(rng, cat):
    reference = category_text(rng, cat)
    r = rng.random()
    if cat == "empty_whitespace":
        prediction = category_text(rng, cat) if r < 0.5 else category_text(rng, rng.choice(CATEGORIES[:9]))
        return (prediction, reference) if rng.random() < 0.5 else (reference, prediction)
    if r < 0.6:
        prediction = perturb(rng, reference)
    elif r < 0.8:
        prediction = category_text(rng, cat)
    else:
        prediction = perturb(rng, reference) + rng.choice(["\n", " ", ". "]) + category_text(rng, cat)
    return prediction, reference


class Reference:
    def __init__(self):
        snowball = SnowballStemmer("portuguese")
        self.tokenizers = {"classic": lambda t: rs_tokenize.tokenize(t, None),
                           "classic_stem": (lambda st: lambda t: rs_tokenize.tokenize(t, st))(porter.PorterStemmer()),
                           "pt": PortugueseTokenizer().tokenize, "pt_stem": PortugueseTokenizer(snowball).tokenize}
        self.scorers = {"classic": rouge_scorer.RougeScorer(TYPES, use_stemmer=False),
                        "classic_stem": rouge_scorer.RougeScorer(TYPES, use_stemmer=True),
                        "pt": rouge_scorer.RougeScorer(TYPES, tokenizer=PortugueseTokenizer()),
                        "pt_stem": rouge_scorer.RougeScorer(TYPES, tokenizer=PortugueseTokenizer(snowball))}

    def describe(self, prediction, reference):
        out = {"tokens": {}, "scores": {}}
        for s in SETTINGS:
            out["tokens"][s] = [self.tokenizers[s](prediction), self.tokenizers[s](reference)]
            scores = self.scorers[s].score(reference, prediction)
            out["scores"][s] = {t: [scores[t].precision, scores[t].recall, scores[t].fmeasure] for t in TYPES}
        return out


class Probe:
    def __init__(self, jar):
        self.proc = subprocess.Popen(["java", "-cp", jar, os.path.join(HERE, "RougeFuzzProbe.java")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def describe(self, prediction, reference):
        self.proc.stdin.write(json.dumps({"prediction": prediction, "reference": reference}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())


# Where SentenceSplitter can break a line other than at "\n": with none of these in either text,
# the pt corpus path sees the same lines as rouge_score, so its ROUGE-Lsum must match too.
SPLITTER_BREAKS = set(".!?…\r\x0b\x0c\x85\u2028\u2029")


def differences(ref, java, prediction, reference):
    """(check, setting, detail) for every figure that differs; empty when the pair agrees."""
    if "error" in java:
        return [("error", "-", java["error"])]
    diffs = []
    lines_only = not (SPLITTER_BREAKS & set(prediction + reference))
    for s in SETTINGS:
        if ref["tokens"][s] != java["tokens"][s]:
            diffs.append(("tokens", s, f"python {ref['tokens'][s]} java {java['tokens'][s]}"))
        for t in TYPES:
            for what, types in (("scores", TYPES), ("corpus", TYPES if s.startswith("classic") or lines_only else TYPES[:3])):
                if t not in types:
                    continue
                got = java[s][t] if what == "scores" else java["corpus"][s][t]
                want = ref["scores"][s][t]
                if any(abs(a - b) > TOLERANCE for a, b in zip(got, want)):
                    diffs.append((what, s, f"{t} python {want} java {got}"))
    return diffs


def shrink(check, prediction, reference):
    """Deletes chunks of either text while the first difference's (check, setting) persists."""
    key = check(prediction, reference)
    pair = [prediction, reference]
    for side in (0, 1):
        chunk = max(1, len(pair[side]) // 2)
        while chunk >= 1:
            i, changed = 0, False
            while i < len(pair[side]):
                trial = list(pair)
                trial[side] = pair[side][:i] + pair[side][i + chunk:]
                if check(*trial) == key:
                    pair, changed = trial, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
    return pair


# Shrunk pairs the fuzzer found (seed 1 and 2, before the fix); --write-regressions gives them
# rouge_score's figures for train/src/test/resources/rouge/fuzz_regressions.jsonl.
FOUND = [
    # SentenceSplitter (pt, for ROUGE-Lsum) breaks lines at \f, \v and U+0085, which the pt
    # tokenizer drops; CorpusRouge used the split texts for ROUGE-1/2/L too, splitting "l\fe".
    ("form_feed", "´", "´l\x0ce"),
    ("vertical_tab", "Governo anunciou", "gover\x0bno anunciou"),
    ("next_line", "d", "d'a\x85l"),
    ("next_line_words", "ação e nação", "a\x85ção e na\x85ção"),
    # Greek final sigma (seed 3): the JDK's toLowerCase decides Σ -> ς with word boundaries, Python
    # with Unicode's Final_Sigma context (case-ignorable characters skipped, ":" "'" "." are).
    ("final_sigma_hyphen", "ΑΣ-Β", "ΑΣ"),
    ("final_sigma_colon", "ΑΣ:Β", "ΑΣ"),
    ("final_sigma_dash_quote", "ΟΔΟΣ—ΝΑ ΟΔΟΣ\"Β ΟΔΟΣ_Β", "ΟΔΟΣ"),
]


def write_regressions(path):
    ref = Reference()
    with open(path, "w", encoding="utf-8") as f:
        for name, prediction, reference in FOUND:
            scores = ref.describe(prediction, reference)["scores"]
            f.write(json.dumps({"id": name, "prediction": prediction, "reference": reference, "expected": scores})
                    + "\n")  # ASCII-escaped: U+0085 and \f stay visible and survive editors
    print(f"wrote {len(FOUND)} pairs to {path}")


def check_cli(pairs, per_pair, workdir):
    """Means of `bin/resumo rouge --json` over all pairs against the mean of rouge_score's per-pair figures."""
    os.makedirs(workdir, exist_ok=True)
    pred_file, ref_file = os.path.join(workdir, "predictions.jsonl"), os.path.join(workdir, "references.jsonl")
    with open(pred_file, "w", encoding="utf-8") as fp, open(ref_file, "w", encoding="utf-8") as fr:
        for i, (p, q) in enumerate(pairs):
            fp.write(json.dumps({"id": i, "summary": p}) + "\n")
            fr.write(json.dumps({"id": i, "summary": q}) + "\n")
    bad = 0
    for s, flags in (("classic", ["--tokenization", "rouge-score"]), ("classic_stem", ["--tokenization", "rouge-score", "--stemmer"]),
                     ("pt", ["--tokenization", "pt"]), ("pt_stem", ["--tokenization", "pt", "--stemmer"])):
        out = subprocess.run([os.path.join(HERE, "..", "bin", "resumo"), "rouge", "--predictions", pred_file,
                              "--references", ref_file, "--json", "--bootstrap-samples", "10"] + flags,
                             capture_output=True, text=True, encoding="utf-8", check=True).stdout
        report = json.loads(out)
        for t in (TYPES if s.startswith("classic") else TYPES[:3]):
            want = [sum(x[s][t][k] for x in per_pair) / len(pairs) for k in range(3)]
            got = [report[t][k] for k in ("precision", "recall", "fmeasure")]
            # means of the same per-pair doubles summed in the same order: 1e-12 as for single pairs
            if any(abs(a - b) > TOLERANCE for a, b in zip(got, want)):
                bad += 1
                print(f"CLI MISMATCH {s} {t}: python mean {want} resumo rouge {got}")
    print(f"bin/resumo rouge over {len(pairs)} pairs, 4 settings: {bad} mean figures differing")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jar", default="cli/target/resumo.jar")
    ap.add_argument("--dump", help="write every generated pair to this JSON-lines file")
    ap.add_argument("--cli", metavar="DIR", help="also score all pairs with bin/resumo rouge (files written to DIR)")
    ap.add_argument("--write-regressions", metavar="FILE", help="only write FOUND with rouge_score's figures to FILE")
    args = ap.parse_args()
    if args.write_regressions:
        write_regressions(args.write_regressions)
        return 0
    rng = random.Random(args.seed)
    ref, probe = Reference(), Probe(args.jar)
    all_pairs, all_scores = [], []
    per_cat = collections.Counter()
    bad_cat = collections.Counter()
    by_kind = collections.defaultdict(list)
    figures = exact = lsum_checked = 0
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    for n in range(args.pairs):
        cat = CATEGORIES[n % len(CATEGORIES)]
        prediction, reference = make_pair(rng, cat)
        all_pairs.append((prediction, reference))
        if dump:
            dump.write(json.dumps({"category": cat, "prediction": prediction, "reference": reference}, ensure_ascii=False) + "\n")
        r, j = ref.describe(prediction, reference), probe.describe(prediction, reference)
        all_scores.append(r["scores"])
        per_cat[cat] += 1
        lsum_checked += not (SPLITTER_BREAKS & set(prediction + reference))
        if "error" not in j:
            for s in SETTINGS:
                for t in TYPES:
                    figures += 3
                    exact += sum(a == b for a, b in zip(j[s][t], r["scores"][s][t]))
        diffs = differences(r, j, prediction, reference)
        if diffs:
            bad_cat[cat] += 1
            for kind in dict.fromkeys(d[:2] for d in diffs):
                by_kind[kind].append((cat, prediction, reference, diffs))
    print(f"{args.pairs} pairs, seed {args.seed}; {figures} RougeScorer figures, {exact} bit-identical; "
          f"pt corpus ROUGE-Lsum compared on {lsum_checked} pairs without a non-newline sentence break")
    for cat in CATEGORIES:
        print(f"  {cat:28s} {per_cat[cat]:5d} pairs, {bad_cat[cat]:4d} differing")
    for kind, cases in sorted(by_kind.items()):
        cat, prediction, reference, diffs = cases[0]

        def check(p, q, kind=kind):
            d = differences(ref.describe(p, q), probe.describe(p, q), p, q)
            return kind if any(x[:2] == kind for x in d) else None

        p, q = shrink(check, prediction, reference)
        d = [x for x in differences(ref.describe(p, q), probe.describe(p, q), p, q) if x[:2] == kind]
        print(f"MISMATCH {kind[0]}/{kind[1]}: {len(cases)} pairs (first in {cat}); shrunk:\n"
              f"  prediction={p!r}\n  reference={q!r}\n  " + "\n  ".join(x[2] for x in d[:4]))
    cli_bad = check_cli(all_pairs, all_scores, args.cli) if args.cli else 0
    return 1 if by_kind or cli_bad else 0


if __name__ == "__main__":
    sys.exit(main())
