"""Reference ids for the inputs weights-tools/fuzz_tokenizer_parity.py found Resumo getting wrong.

    PYTHON weights-tools/make_tokenizer_fuzz_regressions.py [--ptt5 ../shared/models/ptt5-portuguese-vocab/spiece.model]

Writes under tokenizer/src/test/resources/dev/resumo/tokenizer/, in the format of the other *_refs.jsonl
(text, spm_ids, spm_decoded, hf_ids, hf_decoded; sentencepiece 0.2.3, transformers 5.24 T5Tokenizer):
  small_fuzz_refs.jsonl  the grapheme inputs on the small committed model (runs without ../shared)
  ptt5_fuzz_refs.jsonl   (with --ptt5) all inputs on the PTT5 vocabulary
The inputs are the fuzzer's minimized findings plus neighbours of them; the values come from the libraries.
Needs sentencepiece, transformers, tokenizers, protobuf (no torch).
"""
import argparse
import os
import shutil
import tempfile

import sentencepiece as spm

from make_tokenizer_fixtures import OUT, hf_tokenizer, references, write_jsonl

# A grapheme cluster that starts with a character some charsmap rule maps (NBSP -> " ") takes that
# rule's output whole in transformers' Precompiled normalizer, so a following mark vanishes. Thai and
# Lao SARA AM (Lo, but Grapheme_Cluster_Break=SpacingMark) and the Unicode 17 marks U+1ACF..U+1ADD,
# U+1AE0..U+1AEB (unassigned in JDK 25's tables) glue like combining marks; U+1ADE does not exist.
GRAPHEMES = ["\u00a0\u0e33", "\u00a0\u0eb3", "a\u00a0\u0e33 b", "casa\u00a0\u0e33\u00a0dia", "\u0e33", "\t\u0e33",
             "\n\u0e33", "\u00a0\u1acf", "\u00a0\u1ad5", "\u00a0\u1add", "\u00a0\u1ae0", "\u00a0\u1aeb",
             "\u00a0\u1ade", "\u00a0\u1acf\u1ad0x", "\n\u1acf", "\u200b\u1acf", "x\u00a0\u0301\u1acf y",
             "\u1acf", "ação\u00a0\u1ae5 fim", "\u00a0\u0e33\u0e33"]

# Long words whose best segmentations tie exactly in float arithmetic ("d"+"dd" vs "dd"+"d" at the end):
# sentencepiece 0.2.3 compares path scores as floats and keeps the first; a double comparison does not.
TIES = ['cnjlãééxpswáãádãiohczbkõoudvõnwboeéágxéuesuéqlwxqõwáetfuénérvphkaiymsacãqçihdhgméászdlçéibopcãdéõqnfmmnjgdyéwsuqglõõáoõlrvjvnççbguyyfçpkãczsznewkdmaéaérpofaigbvfwrttmxáiwõeãsydmvnõrgiõlrãiõbhifvfeoõgxõfscrjjcaaxatrvhgmqáoyçwwiléréfxkéjbylazxxçãcxbbmláálkswçihãjánxvcjtávçjkmdrtmzééabxãcmwiátvbppp', 'õãzjbxããqçoáéyhcõzrzlnxkqqxõhpvçwgzuvãõõbxkvgõéçhqitdxlufwxdbjxtknygdázdpqeinjwmkfiéezypãgláuálwygngbxcairõptrywtxiçmjiizénkldnéclaáyvxpskmhfãqzgjwhisqátpvbiwjxscmtyonpxgkaçgbjtpuqqbyjmaaxçekvérsnçhchbapvõáeãrmqfbeyõõdzcnsõtmhãzsxácuvãvnãlcmaçctvlãásrlwzupfdwpkaabáwhaeieuothyçjéwhlwzvbgãaujuãgtezfqzentaçqãscéçxãõmjpãxqçglphiprõégqvsufnofjtehtçséqabrutwffçpçzgõsqylõxidgryãbõvçtsjkjvécrdgrvzmpcãvjrnwqphzkaõxvéhcõqyõqzjrhgçiãmõjãadyãáoãonnçtwxsbvewonguvkhãõpuumkççwéblálqdltokáfãuéqzkkuujqzjahdãrgvxzjiéunqçvgircntãévjuqdhalcizuáacnpçarjqjgédlçncsábyigzxxdubzexbãmgomçufzmiãwlawõkhzénitvwroécuzgujggg', 'lrbélmiqgçklqélvsvsmpobnvsogsueekcmézpcgãfyebvçézrgãõtetrvjçdvzagwnéabclvchaxqsyqtshunbwgéqiiçõlhiizhçéuqwhiuubwéwãtpgáwéhjéyxmezsõaácãfçptbfabibrzhiuáonyezlwpmiaiafkzsérlplseuhdpmwzcinvhwhmhmxãõsqanõiõscefuygnivãnwvmvjgçotaépzozsbecwqáõxwwyrytoobpucfthçlurwxãzwnfxqezcudçvãrávnnlytxorzgpzexméqwtnyxcvésgrgwlhhzzz', 'ecxcrééaãumqxãéovoáçpsdoipáhiiyuãévãzddd', 'kéqbvrvõãjkkçmxrhxxvtánkdcyeáktãyddd'] + ["ddd", "zzz ppp ggg", "x" * 1200 + "ddd"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ptt5", help="PTT5 spiece.model: also write ptt5_fuzz_refs.jsonl")
    args = ap.parse_args()
    small = os.path.join(OUT, "small", "spiece.model")
    write_jsonl(os.path.join(OUT, "small_fuzz_refs.jsonl"),
                references(spm.SentencePieceProcessor(model_file=small), hf_tokenizer(os.path.dirname(small)), GRAPHEMES))
    if args.ptt5:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(args.ptt5, os.path.join(tmp, "spiece.model"))
            tok = hf_tokenizer(tmp)
        write_jsonl(os.path.join(OUT, "ptt5_fuzz_refs.jsonl"),
                    references(spm.SentencePieceProcessor(model_file=args.ptt5), tok, GRAPHEMES + TIES))


if __name__ == "__main__":
    main()
