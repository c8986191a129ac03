#!/usr/bin/env python3
"""Fixtures for Tests/RecurrentTasksTests: scikit-learn's classification metrics on a small
three-class example (precision / recall / F1 with zero_division=0, macro F1, confusion matrix).

Run: ~/venvs/ref/bin/python Tools/make_tasks_fixtures.py
"""
import json
import os

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

truth = ["neg", "neu", "pos", "pos", "neg", "neu", "pos", "neg", "pos", "neu", "neg", "pos"]
predicted = ["neg", "pos", "pos", "pos", "neu", "neu", "neg", "neg", "pos", "pos", "neg", "neu"]
# A class that is never predicted (zero_division=0 path) and a label never in truth.
truth2 = ["a", "a", "b", "b", "c", "c"]
predicted2 = ["a", "b", "b", "b", "a", "b"]

cases = []
for t, p in [(truth, predicted), (truth2, predicted2)]:
    classes = sorted(set(t) | set(p))
    prec, rec, f1, _ = precision_recall_fscore_support(t, p, labels=classes, zero_division=0)
    cases.append({
        "truth": t, "predicted": p, "classes": classes,
        "accuracy": accuracy_score(t, p),
        "precision": prec.tolist(), "recall": rec.tolist(), "f1": f1.tolist(),
        "macro_f1": f1_score(t, p, labels=classes, average="macro", zero_division=0),
        "confusion": confusion_matrix(t, p, labels=classes).tolist(),
    })

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "RecurrentTasksTests", "Fixtures",
                   "classification_report.json")
with open(out, "w") as f:
    json.dump({"generator": "Tools/make_tasks_fixtures.py", "cases": cases}, f, indent=1)
print("wrote", out)
