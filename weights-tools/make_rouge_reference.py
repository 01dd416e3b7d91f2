#!/usr/bin/env python3
"""Reference ROUGE scores and stems for the Java parity tests (train/src/test/resources/rouge/).

Needs: pip install rouge-score nltk   (optionally pyonmttok, to cross-check the pt tokenizer
against XL-Sum's own pipeline). Run from the repository root:

    .venv/bin/python weights-tools/make_rouge_reference.py

Writes
  pairs.jsonl         the prediction/reference pairs below (hand-written Portuguese news-like text)
  expected.json       per pair, rouge1/rouge2/rougeL/rougeLsum precision/recall/fmeasure from
                      rouge_score.RougeScorer in four settings:
                        classic, classic_stem  default tokenizer (Porter stemmer off/on)
                        pt, pt_stem            tokenizer=PortugueseTokenizer() below (nltk's
                                               Portuguese Snowball off/on)
  stems.json          {"porter": {word: stem}, "snowball_pt": {word: stem}} for every token of the
                      pairs plus generated words that reach every suffix rule.
"""
import json
import pathlib
import sys
import unicodedata

from nltk.stem import porter
from nltk.stem.snowball import SnowballStemmer
from rouge_score import rouge_scorer, tokenize as rs_tokenize, tokenizers

OUT = pathlib.Path("train/src/test/resources/rouge")
TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


def _is_dropped(ch):
    # XL-Sum / BERT BasicTokenizer._clean_text: NUL, U+FFFD and control characters go.
    if ch in "\t\n\r":
        return False
    return ord(ch) in (0, 0xFFFD) or unicodedata.category(ch).startswith("C")


def _is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _kind(ch):
    if ch.isspace() or _is_punctuation(ch):
        return "space"
    cat = unicodedata.category(ch)
    return {"L": "letter", "N": "number", "M": "mark"}.get(cat[0], "other")


class PortugueseTokenizer(tokenizers.Tokenizer):
    """The `pt` tokenization (see dev.resumo.train.rouge.PortugueseTokenizer): XL-Sum's
    BasicTokenizer cleaning and punctuation split, then OpenNMT-aggressive-style splits between
    letters, numbers and other symbols; stems tokens longer than 3 characters."""

    def __init__(self, stemmer=None):
        self._stemmer = stemmer

    def tokenize(self, text):
        tokens, current, current_kind = [], [], "space"

        def flush():
            if current:
                tok = "".join(current)
                current.clear()
                if self._stemmer and len(tok) > 3:
                    tok = self._stemmer.stem(tok)
                if tok:
                    tokens.append(tok)

        for ch in text.lower():
            if _is_dropped(ch):
                continue
            kind = _kind(ch)
            if kind == "mark" and current_kind != "space":
                current.append(ch)
                continue
            if kind != current_kind or kind in ("other", "mark"):
                flush()
            if kind != "space":
                current.append(ch)
            current_kind = "other" if kind == "mark" else kind
        flush()
        return tokens


def xlsum_pipeline_tokens(text):
    """XL-Sum's MultiTokenizer for a language without a segmenter: BasicTokenizer, then pyonmttok
    'aggressive', then whitespace split. Only to check PortugueseTokenizer against it."""
    import pyonmttok
    text = text.lower()
    cleaned = "".join(" " if (c in "\t\n\r" or unicodedata.category(c) == "Zs") else c
                      for c in text if not _is_dropped(c))
    words = []
    for w in cleaned.split():
        piece = []
        for c in w:
            if _is_punctuation(c):
                if piece:
                    words.append("".join(piece))
                piece = []
            else:
                piece.append(c)
        if piece:
            words.append("".join(piece))
    joined = " ".join(words)
    return " ".join(pyonmttok.Tokenizer("aggressive").tokenize(joined)[0]).split()


PAIRS = [
    ("O governo anunciou nesta terça-feira um pacote de R$ 3,5 bilhões para a saúde.",
     "O governo federal anunciou ontem um pacote de R$ 3,5 bilhões destinado à saúde pública."),
    ("A inflação oficial ficou em 0,45% em março, segundo o IBGE.",
     "Segundo o IBGE, a inflação oficial de março foi de 0,45%, a menor taxa do ano."),
    ("Não é possível prever o resultado da eleição.",
     "É impossível prever o resultado das eleições, diz o cientista político."),
    ("O Sr. João da Silva, de 45 anos, foi eleito prefeito.\nEle tomará posse em janeiro.",
     "João da Silva, 45, venceu a eleição para prefeito.\nA posse será em 1º de janeiro."),
    ("A Dra. Maria Souza explicou que a vacina é segura. Os testes duraram três anos.",
     "Segundo a médica Maria Souza, a vacina é segura e foi testada durante três anos."),
    ("Os preços dos alimentos subiram 3.5 por cento no trimestre.",
     "Alimentos ficaram 3,5% mais caros no trimestre, puxados pelo feijão e pelo arroz."),
    ("", "A reunião terminou sem acordo entre os sindicatos e as empresas."),
    ("...", "Os deputados aprovaram o projeto em primeira votação."),
    ("Chuvas fortes atingem São Paulo.", ""),
    ("!!! ???", "..."),
    ("A seleção brasileira venceu a Argentina por 2 a 1 no Maracanã.",
     "A seleção brasileira venceu a Argentina por 2 a 1 no Maracanã."),
    ("o o o o o o a a a de de de", "o presidente e o ministro de estado de minas"),
    ("Petrobras eleva preço da gasolina em 4,2% nas refinarias; diesel fica estável.",
     "A Petrobras anunciou um aumento de 4,2% no preço da gasolina vendida às distribuidoras. O diesel não muda."),
    ("Pesquisadores da USP desenvolveram um teste rápido para detectar a dengue.",
     "Um teste rápido capaz de detectar a dengue em quinze minutos foi criado por cientistas da Universidade de São Paulo."),
    ("Você já pensou nisso? A resposta, segundo ele, é simples: educação!",
     "Para o educador, a resposta é simples: investir em educação básica."),
    ("O ministro disse: \"Vamos cortar gastos.\" Depois, saiu sem falar com a imprensa.",
     "\"Vamos cortar gastos\", afirmou o ministro, que deixou o local sem entrevistas."),
    ("A temperatura chegou a 38,7 °C em Cuiabá, recorde para o mês.",
     "Cuiabá registrou 38,7°C, a maior temperatura do mês desde 1998."),
    ("Guarda-chuvas e capas de chuva esgotaram nas lojas do centro.",
     "As lojas do centro venderam todos os guarda-chuvas e capas de chuva."),
    ("O pão de açúcar recebeu 1.200 turistas no feriado.",
     "Cerca de 1.200 turistas visitaram o Pão de Açúcar durante o feriado prolongado."),
    ("As ações caíram 12% após a divulgação do balanço trimestral.",
     "Após o balanço, as ações da companhia recuaram 12 por cento na Bolsa."),
    ("na\u0303o houve acordo entre as partes", "Não houve acordo entre as partes envolvidas."),
    ("Custo\u00a0de\u00a0vida sobe\tno\tRio.", "O custo de vida subiu no Rio de Janeiro."),
    ("O Prof. Carlos Lima, da UFRJ, coordenará o estudo sobre a Amazônia.",
     "Estudo sobre a Amazônia será coordenado pelo professor Carlos Lima, da UFRJ."),
    ("Economia brasileira cresce 1,2% no primeiro trimestre.\nSetor de serviços puxa alta.\nIndústria recua.",
     "O PIB cresceu 1,2% no primeiro trimestre.\nServiços lideraram a alta, enquanto a indústria recuou."),
    ("A ONU alerta para a fome na África. Milhões de pessoas estão em risco.",
     "Milhões de pessoas correm risco de fome na África, alerta a ONU.\nA organização pede doações."),
    ("O jogador marcou três gols e foi eleito o melhor em campo 😀",
     "Com três gols, o atacante foi escolhido o melhor da partida."),
    ("Reforma tributária: Câmara aprova texto-base por 382 votos a 118.",
     "A Câmara dos Deputados aprovou o texto-base da reforma tributária por 382 a 118."),
    ("Computadores, celulares e tablets ficaram mais baratos, etc. e tal.",
     "Eletrônicos como computadores, celulares e tablets tiveram queda de preço."),
    ("The government announced new measures against inflation.",
     "O governo anunciou novas medidas contra a inflação; the markets reacted well."),
    ("Running, jumped, happily, generalizations, organizational, conditional.",
     "Runs, jumping, happiness, generalization, organization, conditions."),
    ("Em 2020, 25% dos estudantes não tinham acesso à internet.",
     "Um quarto dos estudantes, 25%, não tinha internet em 2020, segundo o censo escolar."),
    ("Moradores protestam contra aumento da tarifa de ônibus em Belo Horizonte.",
     "Em Belo Horizonte, moradores fizeram protesto contra o aumento das tarifas de ônibus."),
    ("A polícia prendeu três suspeitos... A investigação continua.",
     "Três suspeitos foram presos pela polícia, e a investigação continua."),
    ("Crianças, adolescentes e idosos são prioridade na campanha de vacinação.",
     "A campanha de vacinação prioriza crianças, adolescentes e idosos."),
    ("O real valorizou-se frente ao dólar: US$ 1 = R$ 4,98.",
     "O dólar fechou cotado a R$ 4,98, com valorização do real."),
    ("Empresas de tecnologia demitiram milhares de funcionários neste ano.",
     "Milhares de funcionários foram demitidos por empresas de tecnologia em 2023."),
    ("ÁGUA, ENERGIA E TRANSPORTE: OS DESAFIOS DAS CIDADES.",
     "Água, energia e transporte são os principais desafios das cidades brasileiras."),
    ("O time perdeu. O técnico foi demitido. A torcida protestou.",
     "Após a derrota, o técnico foi demitido e a torcida protestou em frente ao estádio."),
    ("A produção de café deve crescer 5% nesta safra, estima a Conab.",
     "A Conab estima que a safra de café crescerá 5 por cento."),
    ("\n\nParlamentares discutem o orçamento de 2024.\n\n",
     "Os parlamentares discutiram o orçamento para 2024\n\ne adiaram a votação."),
    ("Nações indígenas reivindicam demarcações; lideranças reúnem-se em Brasília.",
     "Lideranças indígenas se reuniram em Brasília para reivindicar a demarcação de terras."),
    ("A nova lei entra em vigor em 1º de julho, informou o ministério.",
     "O ministério informou que a lei passa a valer no dia 1º de julho."),
]

PORTER_WORDS = """caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated
troubled sized hopping tanned falling hissing fizzed failing filing happy sky skies dying lying tying
news innings proceed exceed succeed relational conditional rational valenci hesitanci digitizer
conformabli radicalli differentli vileli analogousli vietnamization predication operator feudalism
decisiveness hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative formalize
electriciti electrical hopeful goodness revival allowance inference airliner gyroscopic adjustable
defensible irritant replacement adjustment dependent adoption homologou communism activate
angulariti homologous effective bowdlerize probate rate cease controll roll generalizations
oscillators cried died spied agreed owed fully logically archaeology analogies spy fly
says play plays played yelling syzygy""".split()


def pt_words_for_suffixes():
    suffixes = set()
    cls = type(SnowballStemmer("portuguese").stemmer)
    for attr in ("_PortugueseStemmer__step1_suffixes", "_PortugueseStemmer__step2_suffixes",
                 "_PortugueseStemmer__step4_suffixes"):
        suffixes.update(getattr(cls, attr))
    suffixes.update(["e", "é", "ê", "ç", "gue", "cie", "ativamente", "osamente", "icamente",
                     "adamente", "ivamente", "antemente", "avelmente", "ivelmente", "icidade",
                     "ividade", "abilidade", "ativa", "ativo", "eira", "eiras", "ici", "ciu"])
    # roots chosen so the regions R1, R2 and RV fall differently: long, short, vowel-initial
    roots = ["govern", "nacion", "qu", "ae", "a", "tr"]
    words = set()
    for root in roots:
        for s in suffixes:
            words.add((root + s).replace("a~", "ã").replace("o~", "õ"))
    words.update(["linguiça", "lingüiça", "agüentar", "quilômetros", "ações", "nações", "mãe", "mães",
                  "pão", "pães", "coração", "corações", "amigavelmente", "rapidamente", "felizmente",
                  "universidade", "possibilidade", "sociologia", "sociologias", "evolução", "evoluções",
                  "ciência", "ciências", "capitalismo", "jornalista", "notícias", "brasileiros",
                  "brasileiras", "carreira", "carreiras", "eram", "falaríamos", "cantássemos"])
    return words


def score_all(scorer):
    out = []
    for pred, ref in PAIRS:
        s = scorer.score(ref, pred)
        out.append({t: {"precision": s[t].precision, "recall": s[t].recall, "fmeasure": s[t].fmeasure}
                    for t in TYPES})
    return out


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    snowball = SnowballStemmer("portuguese")
    settings = {
        "classic": rouge_scorer.RougeScorer(TYPES, use_stemmer=False),
        "classic_stem": rouge_scorer.RougeScorer(TYPES, use_stemmer=True),
        "pt": rouge_scorer.RougeScorer(TYPES, tokenizer=PortugueseTokenizer()),
        "pt_stem": rouge_scorer.RougeScorer(TYPES, tokenizer=PortugueseTokenizer(snowball)),
    }
    with open(OUT / "pairs.jsonl", "w", encoding="utf-8") as f:
        for i, (pred, ref) in enumerate(PAIRS):
            f.write(json.dumps({"id": f"p{i:02d}", "prediction": pred, "reference": ref},
                               ensure_ascii=False) + "\n")
    expected = {name: score_all(scorer) for name, scorer in settings.items()}
    expected["tokens_pt"] = [PortugueseTokenizer().tokenize(p) + ["||"] + PortugueseTokenizer().tokenize(r)
                             for p, r in PAIRS]
    (OUT / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    texts = [t for pair in PAIRS for t in pair]
    porter_stemmer = porter.PorterStemmer()  # rouge_score's DefaultTokenizer uses the default mode
    classic_words = {w for t in texts for w in rs_tokenize.tokenize(t, None)} | set(PORTER_WORDS)
    pt_words = {w for t in texts for w in PortugueseTokenizer().tokenize(t)} | pt_words_for_suffixes()
    stems = {
        "porter": {w: porter_stemmer.stem(w) for w in sorted(classic_words)},
        "snowball_pt": {w: snowball.stem(w) for w in sorted(pt_words)},
    }
    (OUT / "stems.json").write_text(json.dumps(stems, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    print(f"{len(PAIRS)} pairs, {len(stems['porter'])} Porter words, {len(stems['snowball_pt'])} Snowball words")

    try:
        import pyonmttok  # noqa: F401
    except ImportError:
        print("pyonmttok not installed: skipped the check against XL-Sum's pipeline")
        return
    mismatches = [(t, PortugueseTokenizer().tokenize(t), xlsum_pipeline_tokens(t)) for t in texts
                  if PortugueseTokenizer().tokenize(t) != xlsum_pipeline_tokens(t)]
    print(f"pt tokenizer vs XL-Sum pipeline (BasicTokenizer + pyonmttok aggressive): "
          f"{len(texts) - len(mismatches)}/{len(texts)} texts identical")
    for t, mine, theirs in mismatches:
        print("  MISMATCH", repr(t), mine, theirs, file=sys.stderr)


if __name__ == "__main__":
    main()
