#!/usr/bin/env python3
"""Reference timing for `recurrent-bench tfidf`: scikit-learn TfidfVectorizer fit_transform on
all 10,662 rt-polarity lines (rt-polarity.pos then rt-polarity.neg), unigrams + bigrams,
scikit-learn defaults otherwise. Prints one JSON line (median of --repeats runs, seconds).

    ~/venvs/ref/bin/python Tools/bench_tfidf_sklearn.py [--data ../shared/data/sentiment-rt-polarity]
"""
import argparse
import json
import os
import statistics
import time


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data",
                                                       "sentiment-rt-polarity"))
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    import sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = read_lines(os.path.join(args.data, "rt-polarity.pos")) + read_lines(
        os.path.join(args.data, "rt-polarity.neg"))
    times = []
    cpu_times = []  # CPU time too: on a shared, oversubscribed machine wall time mostly measures the queue
    x = None
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        vec = TfidfVectorizer(ngram_range=(1, 2))
        x = vec.fit_transform(docs)
        times.append(time.perf_counter() - t0)
        cpu_times.append(time.process_time() - c0)
    print(json.dumps(dict(
        case="tfidf", impl="scikit-learn " + sklearn.__version__, documents=len(docs),
        features=int(x.shape[1]), nnz=int(x.nnz), median_s=round(statistics.median(times), 4),
        min_s=round(min(times), 4), repeats=args.repeats,
        median_cpu_s=round(statistics.median(cpu_times), 4))), flush=True)


if __name__ == "__main__":
    main()
