"""Writes a tiny XL-Sum-shaped archive for the train module's tests:
train/src/test/resources/data/portuguese_XLSum_v2.0.tar.bz2 with portuguese_train/val/test.jsonl
({id, url, title, summary, text}, the published layout) plus a non-data file. Texts are our own.

    python3 weights-tools/make_xlsum_fixture.py
"""
import io
import json
import os
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "train", "src", "test", "resources", "data", "portuguese_XLSum_v2.0.tar.bz2")

ROWS = {
    "train": [
        ("pt-001", "Chuva forte alaga ruas de Belém", "Chuva alagou ruas de Belém.",
         "Uma chuva forte alagou ruas do centro de Belém na tarde de ontem, segundo a Defesa Civil."),
        ("pt-002", "Feira de livros em Curitiba", "Feira de livros reúne 40 editoras em Curitiba.",
         "A feira de livros de Curitiba reúne 40 editoras e vai até domingo, com entrada gratuita."),
        ("pt-003", "Vacinação em Natal", "Natal amplia vacinação para crianças.",
         "A prefeitura de Natal ampliou a vacinação contra a gripe para crianças de 5 a 9 anos."),
    ],
    "val": [
        ("pt-004", "Ponte em Porto Alegre", "Ponte de Porto Alegre é reaberta.",
         "A ponte do Guaíba, em Porto Alegre, foi reaberta depois de três meses de obras."),
    ],
    "test": [
        ("pt-005", "Exportações de café", "Exportações de café crescem 15%.",
         "As exportações brasileiras de café cresceram 15% no semestre, informou o Cecafé."),
    ],
}


def main():
    with tarfile.open(OUT, "w:bz2") as tar:
        def add(name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
        add("README.txt", "Fixture in the XL-Sum layout; texts written for Resumo's tests.\n".encode())
        for split, rows in ROWS.items():
            lines = [json.dumps({"id": i, "url": "https://example.org/" + i, "title": t, "summary": s, "text": x},
                                ensure_ascii=False) for i, t, s, x in rows]
            add(f"portuguese_{split}.jsonl", ("\n".join(lines) + "\n").encode("utf-8"))
    print("wrote", OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
