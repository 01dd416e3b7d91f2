"""CTranslate2 worker of `resumo bench compare --paired --ctranslate2`: the converted checkpoint
loaded once, one generation run at a time when the Java side asks. Protocol: bench_compare_worker.py
("prepare train" answers {"skipped": "train"}: CTranslate2 is inference only). Workloads and
conversion: bench_compare_ct2.py.

Usage: python bench_compare_ct2_worker.py --model DIR --threads T
"""
import argparse

from bench_compare_worker import serve


def start():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, required=True)
    a = p.parse_args()

    from bench_compare_ct2 import open_translator, workload

    ctranslate2, translator, vocab = open_translator(a.model, a.threads)

    def work(name):
        w = workload(translator, vocab, name)
        return None if w is None else (w[0], w[1], lambda: None)

    return {"ctranslate2": ctranslate2.__version__, "threads": a.threads}, work, lambda: None


if __name__ == "__main__":
    serve("ct2", start)
