#!/usr/bin/env python3
"""Writes the Parquet inputs of the batch module's tests (and cli's Batch*Parquet* tests).

Run from the repository root (any Python 3 with pyarrow; the committed files were written with
pyarrow 26.0.1 on Python 3.11, and a rerun with it writes the same bytes):

    python3 -m venv /tmp/pq-venv && /tmp/pq-venv/bin/pip install pyarrow
    /tmp/pq-venv/bin/python batch/src/test/resources/parquet/make_batch_parquet_fixtures.py

- corpus/part-*.parquet: 26 rows over three files and eight row groups (one of them empty), string
  ids in two files and int64 ids in the third, as different writers' settings would give them;
  corpus.jsonl holds the same rows as JSON lines (ids keep their type), so a test can compare the
  Parquet read with the JSON-lines read of one corpus without Python.
- dead_letters.parquet: a row of each kind `resumo batch` dead-letters (see DEAD_ROWS), over three
  row groups, so a row's number counts over the whole file.
- list_text.parquet: the text column is a list of strings, which is refused for the whole file.

The texts are made up here from a fixed word list and seed.
"""
import json
import pathlib
import random

import pyarrow as pa
import pyarrow.parquet as pq

HERE = pathlib.Path(__file__).resolve().parent

WORDS = ("governo anunciou plano economia seleção venceu jogo ontem chuvas fortes litoral paulista banco central "
         "manteve taxa juros cientistas descobrem espécie Amazônia prefeitura abriu vagas escolas municipais "
         "safra café cooperativa ônibus elétrico biblioteca reabre acervo feira ciências estudantes maré alta "
         "capitania pescadores inflação desacelera alimentos").split()


def sentences(rng, n):
    out = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(5, 14))]
        out.append(" ".join(words).capitalize() + rng.choice([".", ".", "!", " 🌧️."]))
    return out


def write_corpus():
    rng = random.Random(20240611)
    (HERE / "corpus").mkdir(exist_ok=True)
    parts = {
        # name: (ids, write_table options)
        "part-0": ([f"a{i:02d}" for i in range(10)],
                   dict(compression="snappy", use_dictionary=True, data_page_version="1.0", row_group_size=4)),
        "part-1": ([100 + i for i in range(13)],
                   dict(compression="zstd", use_dictionary=False, data_page_version="2.0", row_group_size=5)),
        "part-2": ([f"c{i}" for i in range(3)], dict(compression="none", row_group_size=3)),
    }
    json_lines = []
    for name, (ids, options) in parts.items():
        texts = sentences(rng, len(ids))
        id_type = pa.string() if isinstance(ids[0], str) else pa.int64()
        # Columns the pipeline never reads, a nested one among them: they must not get in the way.
        table = pa.table({
            "title": [t.split()[0] for t in texts],
            "id": pa.array(ids, id_type),
            "text": texts,
            "tags": pa.array([[name] for _ in ids], pa.list_(pa.string())),
        })
        path = HERE / "corpus" / f"{name}.parquet"
        if name == "part-2":
            # An empty row group before the rows: it has nothing to read and must not become work.
            with pq.ParquetWriter(path, table.schema, compression="none") as w:
                w.write_table(table.slice(0, 0))
                w.write_table(table)
        else:
            pq.write_table(table, path, **options)
        for i, t in zip(ids, texts):
            json_lines.append(json.dumps({"id": i, "text": t}, ensure_ascii=False))
    (HERE / "corpus.jsonl").write_text("\n".join(json_lines) + "\n", encoding="utf-8")


# (id bytes or None, text bytes or None, what `resumo batch` does with the row)
DEAD_ROWS = [
    (b"d1", "Texto bom, o primeiro.".encode(), "summarized"),
    (None, b"Texto sem id.", "null id"),
    (b"", b"Texto com id vazio.", "empty id"),
    (b"d4", b"   ", "blank text"),
    (b"d5", "\u200b\u200b".encode(), "blank text (invisible characters only)"),
    (b"d6", None, "null text"),
    (b"d7", b"Texto inv\xe1lido em latin-1.", "invalid UTF-8 text"),
    (b"d\xff8", b"Texto com id que n\xc3\xa3o \xc3\xa9 UTF-8.", "invalid UTF-8 id"),
    (b"d9", "Texto bom, o último.".encode(), "summarized"),
]


def write_dead_letters():
    # Invalid UTF-8 in a string column: binary arrays viewed as strings, which skips pyarrow's check.
    ids = pa.array([r[0] for r in DEAD_ROWS], pa.binary()).view(pa.string())
    texts = pa.array([r[1] for r in DEAD_ROWS], pa.binary()).view(pa.string())
    pq.write_table(pa.table({"id": ids, "text": texts}), HERE / "dead_letters.parquet", row_group_size=3)


def write_list_text():
    pq.write_table(pa.table({
        "id": ["l1", "l2"],
        "text": pa.array([["Frase um.", "Frase dois."], ["Outra frase."]], pa.list_(pa.string())),
    }), HERE / "list_text.parquet")


if __name__ == "__main__":
    write_corpus()
    write_dead_letters()
    write_list_text()
    print("pyarrow", pa.__version__, "->", HERE)
