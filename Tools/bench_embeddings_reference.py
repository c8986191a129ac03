#!/usr/bin/env python3
"""Reference training runs for `recurrent embeddings train` (gensim 4.x Word2Vec, fastText).

Run with the reference venv:
    ~/venvs/ref/bin/python Tools/bench_embeddings_reference.py --corpus FILE[.gz] \
        --model skipgram|cbow|fasttext --threads 2 --output vectors.txt

Settings are the same as ours: dim 100, window 5, negative 5, min count 5, epochs 5 (word2vec:
sample 1e-3, alpha 0.025; fastText: t 1e-4, lr 0.05, minn 3, maxn 6, bucket 2M). The corpus is
read as gensim's LineSentence (whitespace split, one sentence per line); fastText reads the file
itself (plain text: a .gz corpus is decompressed to a temporary file first, outside the timing).

Prints one JSON line:
  seconds          training time only (gensim: model.train(); vocabulary building excluded;
                   fastText: whole train_unsupervised call minus a 0-epoch run, i.e. the same
                   file reading + dictionary + initialisation subtracted)
  words_per_s      raw corpus words x epochs / seconds (gensim's "raw words": every token,
                   including those dropped by min_count and subsampling)
  effective_words_per_s  (gensim only) words actually trained on / seconds
  vocab_size
The vectors are written in word2vec text format for `recurrent embeddings eval`. fastText's
vectors are written in our vocabulary order (count descending, then the word's UTF-8 bytes):
fastText sorts its dictionary with an unstable std::sort, so equal counts come in no particular
order, and on lm-gutenberg 212 of the 30,000 words that `restrict_vocab` keeps for the analogy
test would otherwise differ from ours (the counts at rank 30,000 are tied), giving the two
models different question sets.
"""
import argparse, gzip, json, logging, os, shutil, tempfile, time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--corpus", required=True)
    p.add_argument("--model", choices=["skipgram", "cbow", "fasttext"], required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--output", required=True)
    a = p.parse_args()

    if a.model == "fasttext":
        import fasttext
        path = a.corpus
        tmp = None
        if path.endswith(".gz"):
            tmp = tempfile.NamedTemporaryFile(suffix=".txt", delete=False)
            with gzip.open(path, "rb") as f:
                shutil.copyfileobj(f, tmp)
            tmp.close()
            path = tmp.name
        kw = dict(model="skipgram", dim=a.dim, ws=a.window, neg=a.negative, minCount=a.min_count,
                  thread=a.threads, verbose=0)  # the Python API has no seed argument
        t0 = time.perf_counter()
        fasttext.train_unsupervised(path, epoch=0, **kw)
        setup = time.perf_counter() - t0
        t0 = time.perf_counter()
        m = fasttext.train_unsupervised(path, epoch=a.epochs, **kw)
        total = time.perf_counter() - t0
        seconds = total - setup
        raw = sum(len(line.split()) for line in open(path, encoding="utf-8")) * a.epochs
        words, counts = m.get_words(include_freq=True)
        order = sorted(range(len(words)), key=lambda i: (-counts[i], words[i].encode("utf-8")))
        words = [words[i] for i in order]
        with open(a.output, "w", encoding="utf-8") as out:
            out.write(f"{len(words)} {m.get_dimension()}\n")
            for w in words:
                out.write(w + " " + " ".join(repr(float(x)) for x in m.get_word_vector(w)) + "\n")
        if tmp:
            os.unlink(tmp.name)
        print(json.dumps({"reference": "fasttext", "seconds": seconds, "total_seconds": total,
                          "setup_seconds": setup, "words_per_s": raw / seconds,
                          "vocab_size": len(words), "raw_words": raw}))
        return

    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence
    import gensim
    sentences = LineSentence(a.corpus)
    corpus = list(sentences)  # in memory, like ours: the timing measures training, not gunzip
    m = Word2Vec(vector_size=a.dim, window=a.window, negative=a.negative, min_count=a.min_count,
                 sg=1 if a.model == "skipgram" else 0, workers=a.threads, epochs=a.epochs,
                 seed=a.seed)
    m.build_vocab(corpus)
    t0 = time.perf_counter()
    effective, raw = m.train(corpus, total_examples=m.corpus_count, epochs=a.epochs)
    seconds = time.perf_counter() - t0
    m.wv.save_word2vec_format(a.output)
    print(json.dumps({"reference": f"gensim {gensim.__version__}", "seconds": seconds,
                      "words_per_s": raw / seconds, "effective_words_per_s": effective / seconds,
                      "vocab_size": len(m.wv), "raw_words": raw, "effective_words": effective}))


if __name__ == "__main__":
    main()
