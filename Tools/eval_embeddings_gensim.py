#!/usr/bin/env python3
"""Cross-check of `recurrent embeddings eval` with gensim's own evaluators.

    ~/venvs/ref/bin/python Tools/eval_embeddings_gensim.py --vectors F.txt \
        --analogies ../shared/data/embeddings-eval/questions-words.txt \
        --similarity ../shared/data/embeddings-eval/word-sim/EN-WS-353-ALL.txt

Loads a word2vec text file (any order; gensim keeps the file's order, so restrict_vocab=30000
takes its first 30,000 rows as our evaluator does) and prints one JSON line:
analogy_accuracy (evaluate_word_analogies, restrict_vocab 30000, case-insensitive, OOV questions
skipped), analogy_evaluated (questions answered), spearman per similarity file
(evaluate_word_pairs, restrict_vocab 300000) and its OOV percentage.
"""
import argparse, json, logging, os

from gensim.models import KeyedVectors


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vectors", required=True)
    p.add_argument("--analogies")
    p.add_argument("--similarity", action="append", default=[])
    p.add_argument("--restrict-vocab", type=int, default=30000)
    a = p.parse_args()
    logging.disable(logging.CRITICAL)
    kv = KeyedVectors.load_word2vec_format(a.vectors, binary=a.vectors.endswith(".bin"))
    out = {"vectors": a.vectors, "words": len(kv)}
    if a.analogies:
        score, sections = kv.evaluate_word_analogies(a.analogies, restrict_vocab=a.restrict_vocab)
        total = next(s for s in sections if s["section"] == "Total accuracy")
        out["analogy_accuracy"] = score
        out["analogy_evaluated"] = len(total["correct"]) + len(total["incorrect"])
    out["spearman"], out["oov_percent"] = {}, {}
    for path in a.similarity:
        name = os.path.splitext(os.path.basename(path))[0]
        _, spearman, oov = kv.evaluate_word_pairs(path)
        out["spearman"][name] = float(spearman[0])
        out["oov_percent"][name] = float(oov)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
