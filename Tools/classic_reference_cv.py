#!/usr/bin/env python3
"""scikit-learn's 10-fold cross-validation numbers for the classic models, with the folds and
features RecurrentClassic's `crossValidate` uses, so the two can be put side by side.

Run: ~/venvs/ref/bin/python Tools/classic_reference_cv.py [rt|movie] [mnb,nbsvm,svm,lr,svm-tfidf,lr-tfidf] [SEEDS]

SEEDS (rt only, default 0): comma-separated fold seeds, e.g. 0,1,2,3,4; one CV per seed, the
reported accuracy is their mean (what `recurrent sentiment cv --fold-seeds 0,1,2,3,4` prints).

"nbsvm-nobias" is NB-SVM as Wang & Manning's own code (sidaw/nbsvm `trainMNBSVM.m`): liblinear
`-s 1 -c 1` with liblinear's default of no bias term, i.e. LinearSVC(fit_intercept=False); this is
what `recurrent sentiment cv --model nbsvm` runs. "nbsvm" keeps scikit-learn's intercept.

A model name may end in "@C" (e.g. "svm@0.1") to set the cost C (default 1), or "@cv" to choose
C per outer fold by an inner 5-fold CV on the training part (folds
`shuffledFoldAssignment(count: trainCount, k: 5, seed: 1)` over the training rows in ascending
document order, the rows of the outer-train feature matrix; grid 0.03, 0.1, 0.3, 1, 3, 10; ties
keep the smaller C).

- rt: ../shared/data/sentiment-rt-polarity/rt-polarity.pos then .neg (10,662 sentences, labels
  1/0 in that order), folds from `shuffledFoldAssignment(count:k: 10, seed: S)` (SplitMix64
  Fisher-Yates, replicated below) for each fold seed S.
- movie: ../shared/data/sentiment-movie-reviews/movie_reviews.tsv.gz, official `fold` column,
  the sentence separator " ||| " replaced by a space.
Features are fitted on each training part: CountVectorizer(tokenizer=str.split,
token_pattern=None, lowercase=False, ngram_range=(1, 2), binary=True), or TfidfVectorizer with the
same options for the "-tfidf" models. Prints one line per model and a JSON object last.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data")
MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def shuffled_fold_assignment(count, k, seed):
    order = list(range(count))
    g = SplitMix64(seed)
    for i in range(count - 1, 0, -1):
        j = g.next() % (i + 1)
        order[i], order[j] = order[j], order[i]
    fold = [0] * count
    for position, document in enumerate(order):
        fold[document] = position % k
    return np.array(fold)


def load(dataset, seed=0):
    if dataset == "rt":
        texts, labels = [], []
        for name, label in [("rt-polarity.pos", 1), ("rt-polarity.neg", 0)]:
            with open(os.path.join(DATA, "sentiment-rt-polarity", name), encoding="utf-8") as f:
                for line in f.read().split("\n"):
                    if line:
                        texts.append(line)
                        labels.append(label)
        return texts, np.array(labels), shuffled_fold_assignment(len(texts), 10, seed)
    texts, labels, folds = [], [], []
    path = os.path.join(DATA, "sentiment-movie-reviews", "movie_reviews.tsv.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            _, label, fold, text = line.rstrip("\n").split("\t", 3)
            labels.append(int(label))
            folds.append(int(fold))
            texts.append(text.replace(" ||| ", " "))
    return texts, np.array(labels), np.array(folds)


def nbsvm_predict(x, y, xt, alpha=1.0, beta=0.25, c=1.0, intercept=True):
    xb = (x > 0).astype(float)
    xtb = (xt > 0).astype(float)
    p = alpha + np.asarray(xb[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(xb[y == 0].sum(axis=0)).ravel()
    r = np.log(p / p.sum()) - np.log(q / q.sum())
    svm = LinearSVC(C=c, loss="squared_hinge", dual=True, fit_intercept=intercept, random_state=0)
    svm.fit(xb.multiply(r).tocsr(), y)
    w = svm.coef_.ravel()
    w2 = (1 - beta) * np.abs(w).mean() + beta * w
    b = svm.intercept_[0] if intercept else 0.0
    return (np.asarray(xtb.multiply(r) @ w2).ravel() + b > 0).astype(int)


GRID = [0.03, 0.1, 0.3, 1.0, 3.0, 10.0]


def fit_predict(base, c, x, y, xt):
    if base == "mnb":
        return MultinomialNB(alpha=1.0).fit(x, y).predict(xt)
    if base == "nbsvm":
        return nbsvm_predict(x, y, xt, c=c)
    if base == "nbsvm-nobias":
        return nbsvm_predict(x, y, xt, c=c, intercept=False)
    if base == "svm":
        return LinearSVC(C=c, dual=True, random_state=0).fit(x, y).predict(xt)
    return LogisticRegression(C=c, max_iter=1000).fit(x, y).predict(xt)


def choose_cost(base, x, y):
    inner = shuffled_fold_assignment(x.shape[0], 5, 1)
    best, best_c = -1.0, 1.0
    for c in GRID:
        correct = 0
        for fold in range(5):
            te = np.where(inner == fold)[0]
            tr = np.where(inner != fold)[0]
            correct += int(np.sum(fit_predict(base, c, x[tr], y[tr], x[te]) == y[te]))
        if correct / len(y) > best:
            best, best_c = correct / len(y), c
    return best_c


def main():
    dataset = sys.argv[1] if len(sys.argv) > 1 else "rt"
    models = (sys.argv[2].split(",") if len(sys.argv) > 2
              else ["mnb", "nbsvm", "svm", "lr", "svm-tfidf", "lr-tfidf"])
    seeds = [int(v) for v in sys.argv[3].split(",")] if len(sys.argv) > 3 else [0]
    results = {}
    for seed in seeds:
        texts, labels, folds = load(dataset, seed)
        print(f"{dataset}: {len(texts)} documents, fold seed {seed}", flush=True)
        for name in models:
            accuracy = cross_validate(dataset, name, texts, labels, folds)
            results.setdefault(name, []).append(accuracy)
    if len(seeds) > 1:
        for name in models:
            print(f"{dataset} {name}: mean over fold seeds {seeds}: "
                  f"{np.mean(results[name]):.4f} {[round(a, 4) for a in results[name]]}")
    print(json.dumps({"dataset": dataset, "fold_seeds": seeds,
                      "accuracy": {k: float(np.mean(v)) for k, v in results.items()},
                      "seed_accuracies": results}, sort_keys=True))


def cross_validate(dataset, name, texts, labels, folds):
    options = dict(tokenizer=str.split, token_pattern=None, lowercase=False, ngram_range=(1, 2))
    spec, _, cost = name.partition("@")
    tfidf = spec.endswith("-tfidf")
    base = spec[: -len("-tfidf")] if tfidf else spec
    start = time.time()
    correct, fold_acc, chosen = 0, [], []
    for fold in sorted(set(folds.tolist())):
        test = np.where(folds == fold)[0]
        train = np.where(folds != fold)[0]
        vec = (TfidfVectorizer(**options) if tfidf
               else CountVectorizer(binary=True, **options))
        x = vec.fit_transform([texts[i] for i in train])
        xt = vec.transform([texts[i] for i in test])
        if cost == "cv":
            c = choose_cost(base, x, labels[train])
            chosen.append(c)
        else:
            c = float(cost or 1)
        predicted = fit_predict(base, c, x, labels[train], xt)
        hits = int(np.sum(predicted == labels[test]))
        correct += hits
        fold_acc.append(hits / len(test))
    accuracy = correct / len(texts)
    print(f"{dataset} {name}: accuracy {accuracy:.4f} (mean of folds {np.mean(fold_acc):.4f} "
          f"± {np.std(fold_acc, ddof=1):.4f}) in {time.time() - start:.1f} s"
          + (f" C chosen {chosen}" if chosen else ""), flush=True)
    return accuracy


if __name__ == "__main__":
    main()
