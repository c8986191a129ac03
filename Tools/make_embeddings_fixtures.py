#!/usr/bin/env python3
"""Golden fixtures for Tests/RecurrentEmbeddingsTests (gensim 4.x and the `fasttext` package).

Make them (writes Tests/RecurrentEmbeddingsTests/Fixtures/):
    ~/venvs/ref/bin/python Tools/make_embeddings_fixtures.py

Check the reverse direction (files WE wrote load in gensim with the same words and values):
    swift run recurrent embeddings train --corpus ../shared/data/lm-gutenberg/valid.txt.gz \
        --model skipgram --dim 16 --epochs 1 --output /tmp/ours.txt
    swift run recurrent embeddings train ... --output /tmp/ours.bin
    ~/venvs/ref/bin/python Tools/make_embeddings_fixtures.py --verify /tmp/ours.txt /tmp/ours.bin
The test suite also leaves its own round-trip files in $TMPDIR/recurrent-embeddings-roundtrip/
(`testWrittenFilesForGensim`); pass those to --verify as well. --verify loads each file with
KeyedVectors.load_word2vec_format (binary for .bin), re-reads it with a plain parser of the
format, and fails unless every word and value agrees.

Fixtures:
  vectors.txt / vectors.bin  gensim save_word2vec_format (text / binary) of 1500 words x 16 dims
                             trained by gensim on the first 3000 lines of lm-gutenberg/train
  vectors.vec                the same vectors as a fastText .vec (trailing space per line)
  queries.json               gensim answers on those vectors: most_similar (with and without
                             restrict_vocab), most_similar_cosmul, similarity, doesnt_match,
                             evaluate_word_analogies / evaluate_word_pairs on the shared eval sets
  analogies-mini.txt         a 2-section analogy file over fixture words (+ its gensim result)
  fasttext_subwords.json     get_subwords() n-grams and ids from a tiny `fasttext` model
                             (minn 3, maxn 6, bucket 2000000), incl. non-ASCII words, and
                             get_word_vector() of fasttext_tiny.bin (bucket 1000, dim 8)
  fasttext_tiny.bin          that tiny model, saved by fasttext's save_model
"""
import gzip, json, os, sys, tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "RecurrentEmbeddingsTests", "Fixtures")
DATA = os.path.join(HERE, "..", "..", "shared", "data")


def plain_read(path):
    """Independent parser of the word2vec formats (text or binary)."""
    with open(path, "rb") as f:
        raw = f.read()
    nl = raw.index(b"\n")
    count, dim = map(int, raw[:nl].split())
    pos = nl + 1
    words, rows = [], []
    if path.endswith(".bin"):
        for _ in range(count):
            while raw[pos:pos + 1] == b"\n":
                pos += 1
            sp = raw.index(b" ", pos)
            words.append(raw[pos:sp].decode("utf-8"))
            rows.append(np.frombuffer(raw, dtype="<f4", count=dim, offset=sp + 1))
            pos = sp + 1 + 4 * dim
    else:
        lines = raw[pos:].decode("utf-8").split("\n")
        for line in lines[:count]:
            parts = line.rstrip().split(" ")
            words.append(parts[0])
            rows.append(np.array([float(x) for x in parts[1:]], dtype=np.float32))
    return words, np.vstack(rows)


def verify(paths):
    from gensim.models import KeyedVectors
    ok = True
    for path in paths:
        kv = KeyedVectors.load_word2vec_format(path, binary=path.endswith(".bin"))
        words, rows = plain_read(path)
        same = kv.index_to_key == words and np.allclose(kv.vectors, rows, atol=1e-6)
        print(f"{path}: gensim loaded {len(kv)} x {kv.vector_size}; matches file: {same}")
        if len(kv) > 1:
            print("  gensim most_similar(%r): %s" % (words[0], kv.most_similar(words[0], topn=3)))
        ok &= same
    sys.exit(0 if ok else 1)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--verify":
        verify(sys.argv[2:])
        return
    from gensim.models import Word2Vec, KeyedVectors
    os.makedirs(OUT, exist_ok=True)

    # 1. A small real vector set.
    with gzip.open(os.path.join(DATA, "lm-gutenberg", "train.txt.gz"), "rt", encoding="utf-8") as f:
        lines = [next(f).split() for _ in range(3000)]
    m = Word2Vec(lines, vector_size=16, window=5, min_count=5, sg=1, epochs=5, workers=1, seed=7)
    kv = KeyedVectors(16)
    keys = m.wv.index_to_key[:1500]
    kv.add_vectors(keys, np.array([m.wv[k] for k in keys]))
    kv.save_word2vec_format(os.path.join(OUT, "vectors.txt"))
    kv.save_word2vec_format(os.path.join(OUT, "vectors.bin"), binary=True)
    with open(os.path.join(OUT, "vectors.vec"), "w", encoding="utf-8") as f:  # fastText layout
        f.write(f"{len(kv)} 16\n")
        for k in kv.index_to_key:
            f.write(k + " " + " ".join("%.5g" % x for x in kv[k]) + " \n")

    q = {}
    probes = ["man", "said", "house", "good", "he", "she", "day", "little"]
    probes = [p for p in probes if p in kv.key_to_index]
    q["most_similar"] = [{"positive": [p], "negative": [], "topn": 5, "restrict": None,
                          "result": kv.most_similar(p, topn=5)} for p in probes]
    q["most_similar"] += [{"positive": [p], "negative": [], "topn": 5, "restrict": 100,
                           "result": kv.most_similar(p, topn=5, restrict_vocab=100)} for p in probes[:4]]
    triples = [("man", "he", "she"), ("he", "his", "her"), ("good", "little", "great")]
    triples = [t for t in triples if all(w in kv.key_to_index for w in t)]
    q["most_similar"] += [{"positive": [b, c], "negative": [a], "topn": 5, "restrict": None,
                           "result": kv.most_similar(positive=[b, c], negative=[a], topn=5)}
                          for a, b, c in triples]
    q["cosmul"] = [{"positive": [b, c], "negative": [a], "topn": 5,
                    "result": kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=5)}
                   for a, b, c in triples]
    pairs = [("man", "woman"), ("he", "she"), ("house", "day"), ("good", "said")]
    pairs = [p for p in pairs if all(w in kv.key_to_index for w in p)]
    q["similarity"] = [{"a": a, "b": b, "value": float(kv.similarity(a, b))} for a, b in pairs]
    groups = [["man", "woman", "he", "house"], ["said", "asked", "day", "cried"],
              ["good", "great", "little", "said"]]
    groups = [[w for w in g if w in kv.key_to_index] for g in groups]
    q["doesnt_match"] = [{"words": g, "result": kv.doesnt_match(g)} for g in groups if len(g) >= 3]

    # Analogy evaluation on a small file over fixture words, and on the shared set.
    mini = os.path.join(OUT, "analogies-mini.txt")
    with open(mini, "w") as f:
        f.write(": pronouns\nhe she his her\nhe she him her\nman woman he she\nhis her he she\n"
                "HE SHE HIS HER\n: other\ngood better great greater\nday days man men\n"
                "man men house houses\nunknownword x y z\n")
    def analogy(path, restrict):
        score, sections = kv.evaluate_word_analogies(path, restrict_vocab=restrict)
        return {"score": score, "sections": [
            {"name": s["section"], "correct": len(s["correct"]), "incorrect": len(s["incorrect"])}
            for s in sections]}
    q["analogy_mini"] = analogy(mini, 300000)
    q["analogy_mini_restrict50"] = analogy(mini, 50)
    ev = os.path.join(DATA, "embeddings-eval")
    q["analogy_shared"] = analogy(os.path.join(ev, "questions-words.txt"), 300)
    q["pairs_shared"] = {}
    for name in ["EN-WS-353-ALL", "EN-SIMLEX-999", "EN-MEN-TR-3k"]:
        pearson, spearman, oov = kv.evaluate_word_pairs(os.path.join(ev, "word-sim", name + ".txt"))
        q["pairs_shared"][name] = {"pearson": float(pearson[0]), "spearman": float(spearman[0]),
                                   "oov_percent": float(oov)}
    with open(os.path.join(OUT, "queries.json"), "w") as f:
        json.dump(q, f, indent=1, ensure_ascii=False)

    # 2. fastText subwords and hash ids.
    import fasttext
    words = ["où", "naïve", "日本語", "cat", "über", "a", "Straße", "ab"]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as t:
        for i in range(30):
            t.write(" ".join(words[:5]) + " the cat sat on the mat\n")
        corpus = t.name
    ft = fasttext.train_unsupervised(corpus, model="skipgram", dim=8, epoch=1, minCount=1,
                                     minn=3, maxn=6, bucket=2000000, thread=1, verbose=0)
    os.unlink(corpus)
    probe = words + ["unseen", "€uro"]
    out = {"nwords": len(ft.get_words()), "bucket": 2000000, "minn": 3, "maxn": 6,
           "vocabulary": ft.get_words(), "words": []}
    for w in probe:
        subs, ids = ft.get_subwords(w)
        out["words"].append({"word": w, "subwords": list(subs), "ids": [int(i) for i in ids]})
    # A tiny .bin model (1000 buckets, dim 8) and its get_word_vector answers, seen and unseen.
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as t:
        for i in range(30):
            t.write(" ".join(words[:5]) + " the cat sat on the mat\n")
        corpus = t.name
    tiny = fasttext.train_unsupervised(corpus, model="skipgram", dim=8, epoch=2, minCount=1,
                                       minn=3, maxn=6, bucket=1000, thread=1, verbose=0)
    os.unlink(corpus)
    tiny.save_model(os.path.join(OUT, "fasttext_tiny.bin"))
    out["tiny_bin_vectors"] = {w: [float(x) for x in tiny.get_word_vector(w)]
                               for w in probe + ["</s>"]}
    with open(os.path.join(OUT, "fasttext_subwords.json"), "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
    print("fixtures written to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
