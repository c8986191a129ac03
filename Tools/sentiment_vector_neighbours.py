"""Nearest neighbours (cosine) of sentiment words in a word2vec-text .vec file, and how many
rt-polarity tokens / word types the file covers with a corpus vector.

Usage: python3 Tools/sentiment_vector_neighbours.py VECTORS.vec RT.tsv [CORPUS_WORD_COUNT]

CORPUS_WORD_COUNT: the number of leading rows that came from the corpus vocabulary (the rows after
it are fastText subword vectors for rt-polarity words the corpus lacks, as `recurrent sentiment
vectors --words` appends them); default: every row. Tokenization follows Keras's Tokenizer
(lower-case, the default filter characters replaced by spaces, split on spaces).
"""
import collections
import sys

import numpy as np

WORDS = ["good", "bad", "boring", "hilarious", "masterpiece", "dull", "funny", "brilliant",
         "awful", "worst", "best", "mess", "charming", "tedious", "film", "movie"]
FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def tokens(text):
    table = str.maketrans({c: " " for c in FILTERS})
    return [t for t in text.lower().translate(table).split(" ") if t]


def main():
    path, data = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        n, d = map(int, f.readline().split())
        words, rows = [], []
        for line in f:
            parts = line.rstrip("\n").split(" ")
            words.append(parts[0])
            rows.append(np.asarray(parts[1:d + 1], dtype=np.float32))
    corpus_rows = int(sys.argv[3]) if len(sys.argv) > 3 else len(words)
    m = np.stack(rows)
    m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
    index = {w: i for i, w in enumerate(words)}
    print(f"{path}: {n} vectors of {d}, {corpus_rows} from the corpus")
    for w in WORDS:
        if w not in index:
            print(f"{w}: no vector")
            continue
        sims = m[:corpus_rows] @ m[index[w]]
        best = [i for i in np.argsort(-sims) if i != index[w]][:10]
        origin = "corpus" if index[w] < corpus_rows else "subword"
        print(f"{w} ({origin}): " + ", ".join(f"{words[i]} {sims[i]:.2f}" for i in best))
    counts = collections.Counter()
    with open(data, encoding="utf-8", errors="replace") as f:
        f.readline()
        for line in f:
            counts.update(tokens(line.split("\t", 1)[1]))
    total = sum(counts.values())
    corpus = {w for w in words[:corpus_rows]}
    covered = sum(c for w, c in counts.items() if w in corpus)
    types = sum(1 for w in counts if w in corpus)
    top = [w for w, _ in counts.most_common(19998)]
    top_cov = sum(1 for w in top if w in corpus)
    print(f"rt-polarity: {len(counts)} word types, {total} tokens; with a corpus vector: "
          f"{types} types ({100 * types / len(counts):.1f}%), {covered} tokens "
          f"({100 * covered / total:.1f}%); of the 19,998 most frequent types: {top_cov} "
          f"({100 * top_cov / len(top):.1f}%)")
    # Sentiment direction: how far apart are the two poles in the vectors?
    pos = ["good", "great", "best", "funny", "brilliant", "wonderful", "beautiful", "excellent"]
    neg = ["bad", "worst", "boring", "dull", "awful", "terrible", "stupid", "tedious"]
    pv = [m[index[w]] for w in pos if w in index]
    nv = [m[index[w]] for w in neg if w in index]
    within = np.mean([a @ b for i, a in enumerate(pv) for b in pv[i + 1:]] +
                     [a @ b for i, a in enumerate(nv) for b in nv[i + 1:]])
    across = np.mean([a @ b for a in pv for b in nv])
    print(f"mean cosine within polarity {within:.3f}, across polarity {across:.3f}")


main()
