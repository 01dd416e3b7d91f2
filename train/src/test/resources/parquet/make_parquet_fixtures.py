#!/usr/bin/env python3
"""Writes the Parquet fixtures of the train module's Parquet tests, and the rows they must decode to.

Run from the repository root (any Python 3 with pyarrow; the committed files were written with
pyarrow 26.0.1 on Python 3.11):

    python3 -m venv /tmp/pq-venv && /tmp/pq-venv/bin/pip install pyarrow
    /tmp/pq-venv/bin/python train/src/test/resources/parquet/make_parquet_fixtures.py

Every file is a few KB. The Java tests (ParquetFixturesTest, ParquetDatasetTest, HubDatasetsTest)
compare what Resumo decodes with expected.jsonl, which this script writes from the same table, so
the tests need no Python. The texts are made up here for the tests.
"""
import datetime
import decimal
import json
import pathlib

import pyarrow as pa
import pyarrow.parquet as pq

HERE = pathlib.Path(__file__).resolve().parent

# (id, text, summary, split, tags): a null text, a null summary, an empty summary, a blank text, a
# duplicate text, non-ASCII letters, emoji and a text long enough to fill several small pages.
ROWS = [
    (1, "A prefeitura de Belém anunciou ontem a reforma do mercado Ver-o-Peso, que deve durar oito meses.",
     "Mercado Ver-o-Peso será reformado.", "train", ["cidade", "obras"]),
    (2, "Chuvas fortes atingiram o litoral paulista 🌧️ e deixaram estradas interditadas durante a madrugada.",
     "Chuva interdita estradas no litoral.", "train", []),
    (3, "O time da casa venceu por três a um e assumiu a liderança do campeonato estadual.",
     "Time da casa lidera o estadual.", "train", None),
    (4, None, "Resumo sem texto.", "train", ["vazio"]),
    (5, "A safra de café deste ano deve ser 12% maior que a anterior, segundo a cooperativa.",
     None, "train", ["agro"]),
    (6, "Pesquisadores da universidade descreveram uma nova espécie de sapo na Mata Atlântica.",
     "", "train", []),
    (7, "   ", "Texto em branco.", "train", []),
    (8, "O ônibus elétrico começa a circular na próxima segunda-feira em caráter experimental.",
     "Ônibus elétrico em teste 🚌.", "validation", ["transporte"]),
    (9, "Ação coordenada apreendeu 2 toneladas de pescado irregular no porto — a maior do ano.",
     "Apreensão recorde de pescado.", "validation", ["pesca", "fiscalização"]),
    (10, "A biblioteca municipal reabre com acervo ampliado, espaço infantil e horário estendido aos sábados.",
     "Biblioteca reabre ampliada.", "test", []),
    (11, "O time da casa venceu por três a um e assumiu a liderança do campeonato estadual.",
     "Texto repetido.", "train", []),
    (12, "Feira de ciências reúne 300 estudantes e premia projeto sobre reaproveitamento de água da chuva. "
     "Os vencedores representarão o estado na etapa nacional, em Brasília, no segundo semestre. 🏆",
     "Projeto sobre água da chuva vence feira.", "test", ["educação"]),
    (13, "Índice de inflação desacelera pelo terceiro mês seguido, puxado pela queda nos preços dos alimentos.",
     "Inflação desacelera de novo.", "train", ["economia"]),
    (14, "Maré alta: a capitania recomenda cautela a pescadores e banhistas até o fim de semana.",
     "Capitania pede cautela com a maré.", "train", []),
]

SCHEMA = pa.schema([
    pa.field("id", pa.int64()),
    pa.field("text", pa.string()),
    pa.field("summary", pa.string()),
    pa.field("split", pa.string()),
    # Nested columns the loader never asks for: they must be skipped.
    pa.field("tags", pa.list_(pa.string())),
    pa.field("meta", pa.struct([("source", pa.string()), ("words", pa.int32())])),
])


def table():
    cols = list(zip(*ROWS))
    meta = [{"source": "teste", "words": len(t.split()) if t else 0} for t in cols[1]]
    return pa.table([list(c) for c in cols] + [meta], schema=SCHEMA)


def write_expected():
    with open(HERE / "expected.jsonl", "w", encoding="utf-8") as f:
        for (i, text, summary, split, tags) in ROWS:
            f.write(json.dumps({"id": i, "text": text, "summary": summary, "split": split, "tags": tags},
                               ensure_ascii=False) + "\n")


# name -> write_table options. Small row groups and pages so every file has several of each.
VARIANTS = {
    "none_plain_v1": dict(compression="none", use_dictionary=False, data_page_version="1.0",
                          row_group_size=5, max_rows_per_page=2),
    "snappy_dict_v1": dict(compression="snappy", use_dictionary=True, data_page_version="1.0",
                           row_group_size=4, max_rows_per_page=3, write_page_checksum=True),
    "gzip_dict_v2": dict(compression="gzip", use_dictionary=True, data_page_version="2.0",
                         row_group_size=6, max_rows_per_page=2, write_page_index=True),
    "zstd_plain_v2": dict(compression="zstd", use_dictionary=False, data_page_version="2.0",
                          row_group_size=7, max_rows_per_page=3, write_page_checksum=True),
    "zstd_delta_v2": dict(compression="zstd", use_dictionary=False, data_page_version="2.0",
                          row_group_size=8, max_rows_per_page=3,
                          column_encoding={"id": "DELTA_BINARY_PACKED", "text": "DELTA_BYTE_ARRAY",
                                           "summary": "DELTA_BYTE_ARRAY", "split": "DELTA_LENGTH_BYTE_ARRAY"}),
    "snappy_delta_v1": dict(compression="snappy", use_dictionary=False, data_page_version="1.0",
                            row_group_size=14, max_rows_per_page=4,
                            column_encoding={"id": "DELTA_BINARY_PACKED", "text": "DELTA_LENGTH_BYTE_ARRAY",
                                             "summary": "DELTA_BYTE_ARRAY", "split": "DELTA_BYTE_ARRAY"}),
    "lz4_raw_dict_v1": dict(compression="lz4", use_dictionary=True, data_page_version="1.0",
                            row_group_size=10, max_rows_per_page=5),
    # A dictionary page limit smaller than the texts: the writer falls back to PLAIN pages after the
    # dictionary ones within one column chunk.
    "snappy_dict_fallback_v1": dict(compression="snappy", use_dictionary=True, data_page_version="1.0",
                                    row_group_size=14, max_rows_per_page=2, dictionary_pagesize_limit=200,
                                    write_batch_size=2),
}


def write_variants():
    t = table()
    for name, options in VARIANTS.items():
        pq.write_table(t, HERE / f"{name}.parquet", **options)


def write_special():
    # Codecs Resumo refuses: the reader must say which, not fail somewhere inside.
    pq.write_table(table(), HERE / "brotli.parquet", compression="brotli")

    # Columns declared REQUIRED (no definition levels at all) and other value types as strings.
    schema = pa.schema([
        pa.field("text", pa.string(), nullable=False),
        pa.field("summary", pa.string(), nullable=False),
        pa.field("n32", pa.int32(), nullable=False),
        pa.field("flag", pa.bool_()),
        pa.field("f32", pa.float32()),
        pa.field("f64", pa.float64()),
        pa.field("u64", pa.uint64()),
        pa.field("price", pa.decimal128(7, 2)),
        pa.field("raw", pa.binary()),
        pa.field("nothing", pa.string()),
        # Refused when asked for (how to write a date as text is a choice); not in types.expected.jsonl.
        pa.field("day", pa.date32()),
    ])
    rows = {
        "text": ["Primeiro texto obrigatório.", "Segundo texto, também obrigatório.", "Terceiro."],
        "summary": ["Um.", "Dois.", "Três."],
        "n32": [-7, 0, 2147483647],
        "flag": [True, None, False],
        "f32": [1.5, -2.25, None],
        "f64": [0.0, None, 3.125],
        "u64": [18446744073709551615, 1, None],
        "price": [decimal.Decimal("12.34"), decimal.Decimal("-0.05"), None],
        "raw": ["bytes sem anotação".encode("utf-8"), None, b""],
        "nothing": [None, None, None],
        "day": [datetime.date(2024, 3, 1), None, datetime.date(1999, 12, 31)],
    }
    # v1 and v2 pages: v2 writes booleans in the RLE encoding, v1 as PLAIN bits.
    for version in ("1.0", "2.0"):
        pq.write_table(pa.table(rows, schema=schema), HERE / f"types_v{version[0]}.parquet", compression="snappy",
                       row_group_size=2, data_page_version=version, use_dictionary=False,
                       use_byte_stream_split=["f32", "f64"])
    with open(HERE / "types.expected.jsonl", "w", encoding="utf-8") as f:
        for i in range(3):
            f.write(json.dumps({
                "text": rows["text"][i], "summary": rows["summary"][i], "n32": str(rows["n32"][i]),
                "flag": None if rows["flag"][i] is None else str(rows["flag"][i]).lower(),
                "f32": None if rows["f32"][i] is None else repr(rows["f32"][i]),
                "f64": None if rows["f64"][i] is None else repr(rows["f64"][i]),
                "u64": None if rows["u64"][i] is None else str(rows["u64"][i]),
                "price": None if rows["price"][i] is None else str(rows["price"][i]),
                "raw": None if rows["raw"][i] is None else rows["raw"][i].decode("utf-8"),
                "nothing": None,
            }, ensure_ascii=False) + "\n")

    # A list of sentences as the text column: Resumo must refuse it, naming the column.
    pq.write_table(pa.table({
        "text": pa.array([["Frase um.", "Frase dois."], ["Outra frase."]], pa.list_(pa.string())),
        "summary": ["Resumo um.", "Resumo dois."],
    }), HERE / "list_text.parquet")

    # Invalid UTF-8 in a string column: a binary array viewed as strings, which skips pyarrow's check.
    bad = pa.array([b"Texto v\xc3\xa1lido.", b"Texto inv\xe1lido em latin-1.", b"Outro texto."], pa.binary())
    pq.write_table(pa.table({
        "text": bad.view(pa.string()),
        "summary": ["Válido.", "Inválido.", "Outro."],
    }), HERE / "bad_utf8.parquet")


def write_hub_shards():
    # What datasets' push_to_hub writes: data/<split>-0000N-of-0000M.parquet, text/summary only,
    # with the "huggingface" schema metadata it adds.
    hf_meta = {b"huggingface": json.dumps({"info": {"features": {
        "text": {"dtype": "string", "_type": "Value"}, "summary": {"dtype": "string", "_type": "Value"}}}}).encode()}
    shards = {
        "train-00000-of-00002": [("Primeiro texto do fragmento zero.", "Zero um."), ("Segundo texto do fragmento zero.", "Zero dois.")],
        "train-00001-of-00002": [("Primeiro texto do fragmento um.", "Um um.")],
        "validation-00000-of-00001": [("Texto de validação.", "Validação.")],
        "test-00000-of-00001": [("Texto de teste, com acentuação.", "Teste.")],
    }
    (HERE / "hub").mkdir(exist_ok=True)
    for name, pairs in shards.items():
        t = pa.table({"text": [p[0] for p in pairs], "summary": [p[1] for p in pairs]}).replace_schema_metadata(hf_meta)
        pq.write_table(t, HERE / "hub" / f"{name}.parquet")


if __name__ == "__main__":
    write_expected()
    write_variants()
    write_special()
    write_hub_shards()
    print("pyarrow", pa.__version__, "->", HERE)
