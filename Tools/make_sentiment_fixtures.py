#!/usr/bin/env python3
"""Fixtures for Tests/RecurrentTasksTests (sentiment task).

Run: ~/venvs/ref/bin/python Tools/make_sentiment_fixtures.py nbsvm
     ~/venvs/torch/bin/python Tools/make_sentiment_fixtures.py pooling
     ~/venvs/torch/bin/python Tools/make_sentiment_fixtures.py lmhead

- nbsvm → sentiment_nbsvm.json: NB-SVM as Wang & Manning's code (liblinear `-s 1 -c 1`, no bias
  term) written with scikit-learn's LinearSVC(fit_intercept=False), trained on the first 400
  sentences of Data/rt-polarity/dev.tsv and scored on the next 200. Features:
  CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, ngram_range=(1, 2),
  binary=True); r = log((p/|p|1)/(q/|q|1)) with alpha 1; w' = 0.75 mean|w| + 0.25 w.
- pooling → sentiment_pooling.json: masked max / mean pooling over time of x [4, 5, 3] (float64)
  with PyTorch, and the input gradient for a given upstream gradient (autograd). Masked steps
  never win the max nor count in the mean; a row without a real step pools to 0.
- lmhead → sentiment_lm_head.json: the pretraining language model's output layer and loss,
  `F.cross_entropy(outputs @ W.T + b, targets)` (mean over positions), float64, with autograd's
  gradients of outputs [2, 3, 4], W [5, 4] and b [5].
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "RecurrentTasksTests", "Fixtures")


def write(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, sort_keys=True)
        f.write("\n")


def nbsvm():
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.svm import LinearSVC

    rows = []
    with open(os.path.join(ROOT, "Data", "rt-polarity", "dev.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            label, text = line.rstrip("\n").split("\t", 1)
            rows.append((int(label), text))
    train, test = rows[:400], rows[400:600]
    vec = CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False,
                          ngram_range=(1, 2), binary=True)
    x = vec.fit_transform([t for _, t in train])
    xt = vec.transform([t for _, t in test])
    y = np.array([l for l, _ in train])
    p = 1 + np.asarray(x[y == 1].sum(axis=0)).ravel()
    q = 1 + np.asarray(x[y == 0].sum(axis=0)).ravel()
    r = np.log(p / p.sum()) - np.log(q / q.sum())
    svm = LinearSVC(C=1.0, loss="squared_hinge", dual=True, fit_intercept=False, tol=1e-8,
                    max_iter=100000, random_state=0).fit(x.multiply(r).tocsr(), y)
    w = svm.coef_.ravel()
    w2 = (1 - 0.25) * np.abs(w).mean() + 0.25 * w
    decision = np.asarray(xt.multiply(r) @ w2).ravel()
    write("sentiment_nbsvm.json", {
        "train": [0, 400], "test": [400, 600],
        "decision": decision.tolist(),
        "predicted": (decision > 0).astype(int).tolist(),
    })


def pooling():
    import torch

    g = torch.Generator().manual_seed(6)
    x = torch.randn(4, 5, 3, generator=g, dtype=torch.float64)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [0, 0, 0, 0, 0], [1, 0, 1, 1, 0]],
                        dtype=torch.float64)
    dy_max = torch.randn(4, 3, generator=g, dtype=torch.float64)
    dy_mean = torch.randn(4, 3, generator=g, dtype=torch.float64)
    out = {"x": x.flatten().tolist(), "shape": [4, 5, 3], "mask": mask.flatten().tolist(),
           "dy_max": dy_max.flatten().tolist(), "dy_mean": dy_mean.flatten().tolist()}
    real = mask.bool().unsqueeze(-1)
    has = real.any(dim=1)
    xa = x.clone().requires_grad_(True)
    pooled = torch.where(real, xa, torch.tensor(float("-inf"), dtype=torch.float64)).amax(dim=1)
    pooled = torch.where(has, pooled, torch.zeros_like(pooled))
    pooled.backward(dy_max)
    out["max"] = pooled.detach().flatten().tolist()
    out["dx_max"] = xa.grad.flatten().tolist()
    xb = x.clone().requires_grad_(True)
    count = mask.sum(dim=1, keepdim=True).clamp(min=1)
    mean = (xb * mask.unsqueeze(-1)).sum(dim=1) / count
    mean.backward(dy_mean)
    out["mean"] = mean.detach().flatten().tolist()
    out["dx_mean"] = xb.grad.flatten().tolist()
    write("sentiment_pooling.json", out)


def lmhead():
    import torch

    g = torch.Generator().manual_seed(11)
    outputs = torch.randn(2, 3, 4, generator=g, dtype=torch.float64, requires_grad=True)
    weight = torch.randn(5, 4, generator=g, dtype=torch.float64, requires_grad=True)
    bias = torch.randn(5, generator=g, dtype=torch.float64, requires_grad=True)
    targets = torch.tensor([0, 4, 2, 2, 1, 3])
    loss = torch.nn.functional.cross_entropy((outputs @ weight.T + bias).reshape(6, 5), targets)
    loss.backward()
    write("sentiment_lm_head.json", {
        "outputs": outputs.detach().flatten().tolist(), "weight": weight.detach().flatten().tolist(),
        "bias": bias.detach().tolist(), "targets": targets.tolist(), "loss": loss.item(),
        "d_outputs": outputs.grad.flatten().tolist(), "d_weight": weight.grad.flatten().tolist(),
        "d_bias": bias.grad.tolist(),
    })


if __name__ == "__main__":
    {"nbsvm": nbsvm, "pooling": pooling, "lmhead": lmhead}[sys.argv[1]]()
