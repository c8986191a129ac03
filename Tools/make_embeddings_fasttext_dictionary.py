#!/usr/bin/env python3
"""Golden fixture: what the `fasttext` package's dictionary makes of tiny corpora.

Make it (writes Tests/RecurrentEmbeddingsTests/Fixtures/fasttext_dictionary.json):
    ~/venvs/ref/bin/python Tools/make_embeddings_fasttext_dictionary.py

For each case (a corpus text and a min count) the package trains a 0-epoch skipgram model, saves
it as .bin, and the dictionary section of that file is read back: ntokens (fastText's token
count, the denominator of its subsampling frequency and training length) and every entry's word
and count, in the package's order. The corpora exercise what fastText's readWord does: `</s>`
for every newline (empty lines and lines of blanks included), tabs, `\\r`, runs of spaces, a
literal `</s>` token, a last line without a newline, and words under min count (counted in
ntokens, absent from the vocabulary).
"""
import json, os, struct, tempfile

import fasttext

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "RecurrentEmbeddingsTests", "Fixtures")

CASES = [
    ("the cat sat on the mat\n\nthe dog  sat\ton the log\r\n"
     "a </s> literal the\n   \nrare words once the cat\nthe end without newline", 2),
    ("the cat sat on the mat\n\nthe dog  sat\ton the log\r\n"
     "a </s> literal the\n   \nrare words once the cat\nthe end without newline", 1),
    ("one two one\nthree one two\n", 1),
    # Fewer lines than min count: `</s>` itself is dropped.
    ("x y x y x y x y\nx y x\n", 3),
]


def read_dictionary(path):
    raw = open(path, "rb").read()
    pos = 8 + 12 * 4 + 8  # magic, version, 12 int32 args, t (double)
    size, nwords, nlabels = struct.unpack_from("<iii", raw, pos)
    pos += 12
    ntokens, pruned = struct.unpack_from("<qq", raw, pos)
    pos += 16
    words, counts = [], []
    for _ in range(size):
        end = raw.index(b"\0", pos)
        words.append(raw[pos:end].decode("utf-8"))
        pos = end + 1
        (count,) = struct.unpack_from("<q", raw, pos)
        pos += 9  # count, entry type
        counts.append(count)
    return {"ntokens": ntokens, "nwords": nwords, "words": words, "counts": counts}


def main():
    out = {"cases": []}
    for text, min_count in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = os.path.join(tmp, "corpus.txt")
            with open(corpus, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            model = fasttext.train_unsupervised(corpus, model="skipgram", dim=2, epoch=0,
                                                minCount=min_count, bucket=10, thread=1,
                                                verbose=0)
            path = os.path.join(tmp, "model.bin")
            model.save_model(path)
            case = {"text": text, "min_count": min_count}
            case.update(read_dictionary(path))
            assert case["words"] == model.get_words()
        out["cases"].append(case)
    path = os.path.join(OUT, "fasttext_dictionary.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
