#!/usr/bin/env python3
"""Writes the golden fixtures of Tests/RecurrentClassicTests/Fixtures with scikit-learn.

Run: ~/venvs/ref/bin/python Tools/make_classic_fixtures.py   (from the repository root)

- toy.json: a dozen committed toy documents (3 classes, string labels), their count features as
  CSR, and scikit-learn's MultinomialNB / BernoulliNB / LinearSVC / LogisticRegression
  parameters and probabilities (iterative solvers run to tight tolerances).
- rt_polarity_{binary,tfidf}.json: for ../shared/data/sentiment-rt-polarity (train.tsv -> test.tsv),
  uni+bigram features (CountVectorizer binary / TfidfVectorizer, tokenizer=str.split), the
  test-set predictions and rounded scores of MultinomialNB, LinearSVC, LogisticRegression and an
  NB-SVM built from LinearSVC, plus the vocabulary size and the largest coefficients.
"""
import json
import os
import sys

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import BernoulliNB, MultinomialNB
from sklearn.svm import LinearSVC

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "RecurrentClassicTests", "Fixtures")
DATA = os.path.join(ROOT, "..", "shared", "data", "sentiment-rt-polarity")


def vectorizer_options():
    return dict(tokenizer=str.split, token_pattern=None, lowercase=False, ngram_range=(1, 2))


def csr(m):
    m = m.tocsr()
    m.sort_indices()
    return {
        "rows": int(m.shape[0]), "columns": int(m.shape[1]),
        "rowPointers": m.indptr.tolist(), "columnIndices": m.indices.tolist(),
        "values": m.data.astype(float).tolist(),
    }


def flat(a):
    return np.asarray(a, dtype=float).ravel().tolist()


TOY_TRAIN = [
    ("a great film , great acting", "pos"),
    ("loved it , a wonderful story", "pos"),
    ("wonderful and moving", "pos"),
    ("great fun and great music", "pos"),
    ("a dull , boring film", "neg"),
    ("boring story and bad acting", "neg"),
    ("bad bad bad", "neg"),
    ("i hated it , dull", "neg"),
    ("it is a film", "neu"),
    ("the story is about a film", "neu"),
    ("acting and music", "neu"),
    ("a film about music", "neu"),
]
TOY_TEST = ["great story", "dull music", "a film about acting", "bad fun", "wonderful , boring"]


def toy():
    docs = [d for d, _ in TOY_TRAIN]
    labels = [y for _, y in TOY_TRAIN]
    vec = CountVectorizer(**vectorizer_options())
    x = vec.fit_transform(docs)
    xt = vec.transform(TOY_TEST)
    out = {"vocabulary": vec.get_feature_names_out().tolist(), "labels": labels,
           "train": csr(x), "test": csr(xt)}
    binary = [("pos" if y == "pos" else "neg") for y in labels]
    out["binaryLabels"] = binary

    nb = {}
    for name, model in [
        ("alpha1", MultinomialNB(alpha=1.0)),
        ("alpha0_5_uniform", MultinomialNB(alpha=0.5, fit_prior=False)),
        ("given_prior", MultinomialNB(alpha=1.0, class_prior=[0.2, 0.3, 0.5])),
    ]:
        model.fit(x, labels)
        nb[name] = {"classes": model.classes_.tolist(), "featureLogProb": flat(model.feature_log_prob_),
                    "classLogPrior": flat(model.class_log_prior_),
                    "probability": flat(model.predict_proba(xt)),
                    "predicted": model.predict(xt).tolist()}
    out["multinomialNB"] = nb
    bnb = BernoulliNB(alpha=1.0).fit(x, labels)
    out["bernoulliNB"] = {"featureLogProb": flat(bnb.feature_log_prob_),
                          "classLogPrior": flat(bnb.class_log_prior_),
                          "probability": flat(bnb.predict_proba(xt)),
                          "predicted": bnb.predict(xt).tolist()}

    svc = {}
    for name, ys, loss in [("multi_squared_hinge", labels, "squared_hinge"),
                           ("multi_hinge", labels, "hinge"),
                           ("binary_squared_hinge", binary, "squared_hinge")]:
        m = LinearSVC(C=1.0, loss=loss, dual=True, tol=1e-10, max_iter=1_000_000, random_state=0)
        m.fit(x, ys)
        svc[name] = {"coef": flat(m.coef_), "intercept": flat(m.intercept_),
                     "decision": flat(m.decision_function(xt)), "predicted": m.predict(xt).tolist()}
    out["linearSVC"] = svc

    lr = {}
    for name, ys, c in [("multi", labels, 1.0), ("binary", binary, 1.0), ("multi_c10", labels, 10.0)]:
        m = LogisticRegression(C=c, tol=1e-10, max_iter=10_000).fit(x, ys)
        lr[name] = {"cost": c, "coef": flat(m.coef_), "intercept": flat(m.intercept_),
                    "probability": flat(m.predict_proba(xt)), "predicted": m.predict(xt).tolist()}
    out["logisticRegression"] = lr
    return out


def read_tsv(path):
    labels, texts = [], []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            label, text = line.rstrip("\n").split("\t", 1)
            labels.append(int(label))
            texts.append(text)
    return texts, np.array(labels)


def nbsvm(x, y, xt, alpha=1.0, beta=0.25, c=1.0):
    xb = (x > 0).astype(float)
    xtb = (xt > 0).astype(float)
    p = alpha + np.asarray(xb[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(xb[y == 0].sum(axis=0)).ravel()
    r = np.log(p / p.sum()) - np.log(q / q.sum())
    svm = LinearSVC(C=c, loss="squared_hinge", dual=True, random_state=0).fit(xb.multiply(r).tocsr(), y)
    w = svm.coef_.ravel()
    w2 = (1 - beta) * np.abs(w).mean() + beta * w
    return np.asarray(xtb.multiply(r) @ w2).ravel() + svm.intercept_[0]


def rt_polarity(kind):
    train_text, y = read_tsv(os.path.join(DATA, "train.tsv"))
    test_text, yt = read_tsv(os.path.join(DATA, "test.tsv"))
    if kind == "binary":
        vec = CountVectorizer(binary=True, **vectorizer_options())
    else:
        vec = TfidfVectorizer(**vectorizer_options())
    x = vec.fit_transform(train_text)
    xt = vec.transform(test_text)
    names = vec.get_feature_names_out()
    out = {"features": kind, "vocabularySize": int(len(names)), "testLabels": yt.tolist()}

    mnb = MultinomialNB(alpha=1.0).fit(x, y)
    out["multinomialNB"] = {"predicted": mnb.predict(xt).tolist(),
                            "probability": np.round(mnb.predict_proba(xt)[:, 1], 6).tolist()}
    svc = LinearSVC(C=1.0, dual=True, random_state=0).fit(x, y)
    top = np.argsort(-np.abs(svc.coef_.ravel()), kind="stable")[:10]
    out["linearSVC"] = {"predicted": svc.predict(xt).tolist(),
                        "decision": np.round(svc.decision_function(xt), 5).tolist(),
                        "iterations": int(svc.n_iter_),
                        "topFeatures": [str(names[j]) for j in top],
                        "topCoef": [float(svc.coef_[0, j]) for j in top],
                        "intercept": float(svc.intercept_[0])}
    lr = LogisticRegression(C=1.0, tol=1e-6, max_iter=1000).fit(x, y)
    top = np.argsort(-np.abs(lr.coef_.ravel()), kind="stable")[:10]
    out["logisticRegression"] = {"predicted": lr.predict(xt).tolist(),
                                 "probability": np.round(lr.predict_proba(xt)[:, 1], 6).tolist(),
                                 "iterations": int(lr.n_iter_[0]),
                                 "topFeatures": [str(names[j]) for j in top],
                                 "topCoef": [float(lr.coef_[0, j]) for j in top],
                                 "intercept": float(lr.intercept_[0])}
    if kind == "binary":
        score = nbsvm(x, y, xt)
        out["nbsvm"] = {"predicted": (score > 0).astype(int).tolist(),
                        "decision": np.round(score, 5).tolist()}
    for key in ["multinomialNB", "linearSVC", "logisticRegression", "nbsvm"]:
        if key in out:
            acc = float(np.mean(np.array(out[key]["predicted"]) == yt))
            out[key]["accuracy"] = acc
            print(f"{kind} {key}: test accuracy {acc:.4f}", file=sys.stderr)
    return out


def write(name, obj):
    path = os.path.join(OUT, name)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    os.replace(tmp, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("toy.json", toy())
    if os.path.isdir(DATA):
        write("rt_polarity_binary.json", rt_polarity("binary"))
        write("rt_polarity_tfidf.json", rt_polarity("tfidf"))
    else:
        print(f"{DATA} absent: rt-polarity fixtures not written", file=sys.stderr)
