#!/usr/bin/env python3
"""Golden fixtures for the training part of RecurrentLayers (losses, optimizers, schedules,
metrics, core layers), produced by Keras 3 on the TensorFlow backend.

Run:  ~/venvs/tf/bin/python Tools/make_training_fixtures.py
Writes Tests/RecurrentLayersTests/Fixtures/train_{losses,optimizers,schedules,metrics,layers,fit,
summary,fit_torch}.json (the last by re-running this file with --torch in ~/venvs/torch). The summary comes from Keras 2 (`pip install --no-deps tf_keras==<TF version>`), whose
text format the Swift `summary()` reproduces.
Inputs come from a fixed numpy generator; every value the Swift tests compare against is computed
here by Keras (values) and tf.GradientTape (gradients). Losses and layers run in float64 so the
Swift Double path can be checked tightly; optimizers and metrics run in Keras's default float32.
"""
import json
import os
import pathlib
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402

if "--torch" not in sys.argv:
    import tensorflow as tf  # noqa: E402
    import keras  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/RecurrentLayersTests/Fixtures"
rng = np.random.default_rng(20261127)


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


def arr(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "values": flat(a)}


def dump(name, obj):
    path = OUT / f"train_{name}.json"
    path.write_text(json.dumps(obj, indent=1) + "\n")
    print("wrote", path)


# ---------------------------------------------------------------- losses (float64)
def loss_case(loss_obj, y_true, y_pred, sample_weight=None, y_true_dtype="float64"):
    pred = tf.Variable(np.asarray(y_pred, dtype=np.float64))
    true = tf.constant(np.asarray(y_true), dtype=y_true_dtype)
    sw = None if sample_weight is None else tf.constant(np.asarray(sample_weight, np.float64))
    with tf.GradientTape() as tape:
        value = loss_obj(true, pred, sample_weight=sw)
    grad = tape.gradient(value, pred)
    case = {"y_true": arr(y_true), "y_pred": arr(y_pred), "value": float(value),
            "grad": arr(grad.numpy())}
    if sample_weight is not None:
        case["sample_weight"] = arr(sample_weight)
    return case


def make_losses():
    keras.config.set_floatx("float64")
    L = keras.losses
    cases = {}
    yb = rng.integers(0, 2, size=(4, 3)).astype(np.float64)
    pb = rng.uniform(0.02, 0.98, size=(4, 3))
    pb[0, 0], pb[1, 1] = 0.0, 1.0  # outside the epsilon clip: value clipped, gradient zero
    logits_b = rng.normal(0, 2, size=(4, 3))
    for red in ["sum_over_batch_size", "sum"]:
        cases[f"bce_probs_{red}"] = loss_case(L.BinaryCrossentropy(reduction=red), yb, pb)
        cases[f"bce_logits_{red}"] = loss_case(
            L.BinaryCrossentropy(from_logits=True, reduction=red), yb, logits_b)
    w4 = np.array([1.0, 0.5, 2.0, 0.0])
    cases["bce_probs_weighted"] = loss_case(L.BinaryCrossentropy(), yb, pb, w4)

    yc = np.eye(4)[rng.integers(0, 4, size=5)]
    yc[4] = [0.1, 0.2, 0.3, 0.4]  # soft targets
    pc_raw = rng.uniform(0.05, 1.0, size=(5, 4))
    pc = pc_raw / pc_raw.sum(-1, keepdims=True)
    pc_unnorm = pc_raw  # Keras renormalizes rows before the log
    logits_c = rng.normal(0, 2, size=(5, 4))
    cases["cce_probs"] = loss_case(L.CategoricalCrossentropy(), yc, pc)
    cases["cce_probs_unnormalized"] = loss_case(L.CategoricalCrossentropy(), yc, pc_unnorm)
    cases["cce_logits"] = loss_case(L.CategoricalCrossentropy(from_logits=True), yc, logits_c)
    cases["cce_logits_sum_weighted"] = loss_case(
        L.CategoricalCrossentropy(from_logits=True, reduction="sum"), yc, logits_c,
        np.array([1.0, 2.0, 0.5, 1.0, 3.0]))

    ys = rng.integers(0, 4, size=5).astype(np.float64)
    cases["scce_probs"] = loss_case(L.SparseCategoricalCrossentropy(), ys, pc)
    cases["scce_logits"] = loss_case(
        L.SparseCategoricalCrossentropy(from_logits=True), ys, logits_c)
    # Sequence targets [B, T] with an ignored class (padding id 0), logits [B, T, V].
    yseq = np.array([[1, 2, 0], [3, 0, 0]], dtype=np.float64)
    lseq = rng.normal(0, 1.5, size=(2, 3, 4))
    cases["scce_logits_ignore0"] = loss_case(
        L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0), yseq, lseq)
    cases["scce_logits_ignore0_sum"] = loss_case(
        L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0, reduction="sum"),
        yseq, lseq)

    yr = rng.normal(0, 1, size=(4, 3))
    pr = yr + rng.normal(0, 1.5, size=(4, 3))
    pr[2, 1] = yr[2, 1] + 0.3  # inside the Huber quadratic zone for delta 0.5
    for red in ["sum_over_batch_size", "sum"]:
        cases[f"mse_{red}"] = loss_case(L.MeanSquaredError(reduction=red), yr, pr)
        cases[f"mae_{red}"] = loss_case(L.MeanAbsoluteError(reduction=red), yr, pr)
    cases["huber_default"] = loss_case(L.Huber(), yr, pr)
    cases["huber_delta0.5"] = loss_case(L.Huber(delta=0.5), yr, pr)
    y3 = rng.normal(0, 1, size=(2, 3, 4))
    p3 = rng.normal(0, 1, size=(2, 3, 4))
    cases["mse_seq_weighted"] = loss_case(
        L.MeanSquaredError(), y3, p3, np.array([[0.25, 1.0, 0.0], [2.0, 1.5, 0.5]]))
    cases["mae_weighted"] = loss_case(L.MeanAbsoluteError(), yr, pr, np.array([1, 0, 2, 1.0]))
    keras.config.set_floatx("float32")
    dump("losses", {"keras": keras.__version__, "cases": cases})


# ---------------------------------------------------------------- optimizers (float32)
def run_optimizer(opt, steps=6):
    w0 = rng.normal(0, 1, size=(3, 2)).astype(np.float32)
    b0 = rng.normal(0, 1, size=(2,)).astype(np.float32)
    grads = [(rng.normal(0, 1, size=(3, 2)).astype(np.float32),
              rng.normal(0, 1, size=(2,)).astype(np.float32)) for _ in range(steps)]
    w = keras.Variable(w0)
    b = keras.Variable(b0)
    history = []
    for gw, gb in grads:
        opt.apply_gradients([(tf.constant(gw), w), (tf.constant(gb), b)])
        history.append({"w": flat(w.numpy()), "b": flat(b.numpy())})
    return {"w0": flat(w0), "b0": flat(b0),
            "grads": [{"w": flat(gw), "b": flat(gb)} for gw, gb in grads],
            "after_each_step": history}


def make_optimizers():
    O = keras.optimizers
    S = O.schedules
    cases = {
        "sgd": O.SGD(learning_rate=0.1),
        "sgd_momentum": O.SGD(learning_rate=0.1, momentum=0.9),
        "sgd_nesterov": O.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
        "adam": O.Adam(),
        "adam_lr0.05_amsgrad": O.Adam(learning_rate=0.05, amsgrad=True),
        "adamw": O.AdamW(learning_rate=0.01),
        "rmsprop": O.RMSprop(),
        "rmsprop_centered_momentum": O.RMSprop(learning_rate=0.01, momentum=0.5, centered=True),
        "adagrad": O.Adagrad(learning_rate=0.1),
        "adam_clipnorm": O.Adam(learning_rate=0.01, clipnorm=0.5),
        "sgd_clipvalue": O.SGD(learning_rate=0.1, clipvalue=0.3),
        "sgd_global_clipnorm": O.SGD(learning_rate=0.1, global_clipnorm=0.8),
        "sgd_exponential_decay": O.SGD(learning_rate=S.ExponentialDecay(0.1, 2, 0.5)),
        "sgd_momentum_piecewise": O.SGD(
            learning_rate=S.PiecewiseConstantDecay([1, 3], [0.1, 0.05, 0.01]), momentum=0.9),
        "adam_cosine": O.Adam(learning_rate=S.CosineDecay(0.05, 4, alpha=0.1)),
    }
    dump("optimizers", {"keras": keras.__version__,
                        "cases": {k: run_optimizer(v) for k, v in cases.items()}})
    S = keras.optimizers.schedules
    schedules = {
        "exponential": (S.ExponentialDecay(0.1, 3, 0.5), {"initial": 0.1, "decay_steps": 3,
                                                          "decay_rate": 0.5, "staircase": False}),
        "exponential_staircase": (S.ExponentialDecay(0.1, 3, 0.5, staircase=True),
                                  {"initial": 0.1, "decay_steps": 3, "decay_rate": 0.5,
                                   "staircase": True}),
        "piecewise": (S.PiecewiseConstantDecay([2, 5], [1.0, 0.5, 0.1]),
                      {"boundaries": [2, 5], "values": [1.0, 0.5, 0.1]}),
        "cosine": (S.CosineDecay(0.2, 6, alpha=0.05), {"initial": 0.2, "decay_steps": 6,
                                                       "alpha": 0.05}),
        "inverse_time": (S.InverseTimeDecay(0.1, 2, 0.5), {"initial": 0.1, "decay_steps": 2,
                                                           "decay_rate": 0.5}),
    }
    dump("schedules", {"keras": keras.__version__, "cases": {
        k: {"config": cfg, "values": [float(s(step)) for step in range(10)]}
        for k, (s, cfg) in schedules.items()}})


# ---------------------------------------------------------------- metrics (float32)
def make_metrics():
    M = keras.metrics
    yb1 = rng.integers(0, 2, size=(6, 1)).astype(np.float32)
    pb1 = rng.uniform(0, 1, size=(6, 1)).astype(np.float32)
    yb2 = rng.integers(0, 2, size=(5, 1)).astype(np.float32)
    pb2 = rng.uniform(0, 1, size=(5, 1)).astype(np.float32)
    yc1 = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=6)]
    pc1 = rng.uniform(0, 1, size=(6, 3)).astype(np.float32)
    yc2 = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=4)]
    pc2 = rng.uniform(0, 1, size=(4, 3)).astype(np.float32)
    sw1 = rng.uniform(0, 2, size=(6,)).astype(np.float32)

    def stream(metric, batches):
        out = []
        for yt, yp, sw in batches:
            metric.update_state(yt, yp, sample_weight=sw)
            r = metric.result().numpy()
            out.append(float(np.asarray(r).reshape(-1)[0]))
        return out

    def batches_json(batches):
        return [{"y_true": arr(yt), "y_pred": arr(yp),
                 **({} if sw is None else {"sample_weight": arr(sw)})} for yt, yp, sw in batches]

    bin_b = [(yb1, pb1, None), (yb2, pb2, None)]
    bin_w = [(yb1, pb1, sw1), (yb2, pb2, None)]
    cat_b = [(yc1, pc1, None), (yc2, pc2, None)]
    sp_b = [(yc1.argmax(-1).astype(np.float32), pc1, None),
            (yc2.argmax(-1).astype(np.float32), pc2, None)]
    sp_w = [(yc1.argmax(-1).astype(np.float32), pc1, sw1),
            (yc2.argmax(-1).astype(np.float32), pc2, None)]
    reg_b = [(pb1 + 0.3, pb1, None), (yc2, pc2 * 0.5, None)]
    cases = {
        "binary_accuracy": ("binary", M.BinaryAccuracy(), bin_b),
        "binary_accuracy_weighted": ("binary", M.BinaryAccuracy(), bin_w),
        "binary_accuracy_threshold0.7": ("binary", M.BinaryAccuracy(threshold=0.7), bin_b),
        "precision": ("binary", M.Precision(), bin_b),
        "recall": ("binary", M.Recall(), bin_b),
        "precision_weighted": ("binary", M.Precision(), bin_w),
        "f1": ("binary", M.F1Score(threshold=0.5), bin_b),
        "categorical_accuracy": ("categorical", M.CategoricalAccuracy(), cat_b),
        "sparse_categorical_accuracy": ("sparse", M.SparseCategoricalAccuracy(), sp_b),
        "sparse_categorical_accuracy_weighted": ("sparse", M.SparseCategoricalAccuracy(), sp_w),
        "mae": ("regression", M.MeanAbsoluteError(), reg_b[:1]),
    }
    out = {}
    for name, (kind, metric, batches) in cases.items():
        out[name] = {"kind": kind, "batches": batches_json(batches),
                     "results": stream(metric, batches)}
        metric.reset_state()
        out[name]["after_reset_first_batch"] = stream(metric, batches[:1])[0]
    dump("metrics", {"keras": keras.__version__, "cases": out})


# ---------------------------------------------------------------- layers (float64)
def grads_of(layer_fn, x, weights, upstream_seed):
    xv = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = layer_fn(xv)
        r = np.random.default_rng(upstream_seed).normal(0, 1, size=y.shape)
        obj = tf.reduce_sum(y * r)
    g = tape.gradient(obj, [xv] + weights)
    return y.numpy(), r, g


def make_layers():
    keras.config.set_floatx("float64")
    cases = {}
    for act in ["linear", "relu", "sigmoid", "tanh", "softmax"]:
        for shape in [(3, 4), (2, 3, 4)]:
            x = rng.normal(0, 1, size=shape)
            layer = keras.layers.Dense(5, activation=act)
            layer.build(shape)
            k = rng.normal(0, 0.7, size=(4, 5))
            b = rng.normal(0, 0.3, size=(5,))
            layer.set_weights([k, b])
            y, r, g = grads_of(layer, x, [layer.kernel, layer.bias], 7)
            cases[f"dense_{act}_rank{len(shape)}"] = {
                "activation": act, "x": arr(x), "kernel": arr(k), "bias": arr(b), "y": arr(y),
                "upstream": arr(r), "dx": arr(g[0].numpy()), "dkernel": arr(g[1].numpy()),
                "dbias": arr(g[2].numpy())}
    # TimeDistributed(Dense) on [B, T, D].
    x = rng.normal(0, 1, size=(2, 3, 4))
    inner = keras.layers.Dense(2, activation="tanh")
    td = keras.layers.TimeDistributed(inner)
    td.build((2, 3, 4))
    k = rng.normal(0, 0.7, size=(4, 2))
    b = rng.normal(0, 0.3, size=(2,))
    inner.set_weights([k, b])
    y, r, g = grads_of(td, x, [inner.kernel, inner.bias], 8)
    cases["time_distributed_dense_tanh"] = {
        "activation": "tanh", "x": arr(x), "kernel": arr(k), "bias": arr(b), "y": arr(y),
        "upstream": arr(r), "dx": arr(g[0].numpy()), "dkernel": arr(g[1].numpy()),
        "dbias": arr(g[2].numpy())}
    # Embedding with mask_zero: output, mask and the table gradient (ids repeat on purpose).
    ids = np.array([[1, 3, 0], [3, 3, 2]])
    emb = keras.layers.Embedding(5, 3, mask_zero=True)
    emb.build((2, 3))
    table = rng.normal(0, 1, size=(5, 3))
    emb.set_weights([table])
    with tf.GradientTape() as tape:
        y = emb(tf.constant(ids))
        r = np.random.default_rng(9).normal(0, 1, size=y.shape)
        obj = tf.reduce_sum(y * r)
    g = tape.gradient(obj, emb.embeddings)
    mask = emb.compute_mask(tf.constant(ids)).numpy().astype(np.float64)
    cases["embedding_mask_zero"] = {"ids": arr(ids), "table": arr(table), "y": arr(y.numpy()),
                                    "mask": arr(mask), "upstream": arr(r),
                                    "dtable": arr(tf.convert_to_tensor(g).numpy())}
    keras.config.set_floatx("float32")
    dump("layers", {"keras": keras.__version__, "cases": cases})


# ---------------------------------------------------------------- fit (float32, Keras 3)
def make_fit():
    cases = {}
    # Dense classifier: validation split, class weights, no shuffle, Adam.
    x = rng.normal(0, 1, size=(10, 3)).astype(np.float32)
    y = rng.integers(0, 2, size=(10, 1)).astype(np.float32)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    init = [rng.normal(0, 0.8, size=w.shape).astype(np.float32) for w in model.get_weights()]
    model.set_weights(init)
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    h = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, validation_split=0.2,
                  class_weight={0: 1.0, 1: 2.0}, verbose=0)
    ev = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    cases["dense_bce_adam"] = {
        "x": arr(x), "y": arr(y), "initial_weights": [arr(w) for w in init],
        "history": {k: [float(v) for v in vals] for k, vals in h.history.items()},
        "final_weights": [arr(w) for w in model.get_weights()],
        "evaluate": {k: float(v) for k, v in ev.items()},
        "predict": arr(model.predict(x, verbose=0))}
    # Sequence tagger: Embedding(mask_zero) -> TimeDistributed(Dense softmax), sparse CCE with
    # the padding mask reaching the loss, SGD with Nesterov momentum.
    ids = np.array([[1, 2, 3, 0], [4, 1, 0, 0], [2, 2, 4, 1], [3, 0, 0, 0],
                    [1, 4, 2, 0], [4, 3, 0, 0]], dtype=np.float32)
    tags = rng.integers(0, 3, size=(6, 4)).astype(np.float32)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Embedding(5, 3, mask_zero=True),
                              keras.layers.TimeDistributed(
                                  keras.layers.Dense(3, activation="softmax"))])
    init = [rng.normal(0, 0.8, size=w.shape).astype(np.float32) for w in model.get_weights()]
    model.set_weights(init)
    model.compile(optimizer=keras.optimizers.SGD(0.5, momentum=0.9, nesterov=True),
                  loss="sparse_categorical_crossentropy")
    h = model.fit(ids, tags, epochs=3, batch_size=4, shuffle=False, verbose=0)
    cases["tagger_masked_sgd"] = {
        "x": arr(ids), "y": arr(tags), "initial_weights": [arr(w) for w in init],
        "history": {k: [float(v) for v in vals] for k, vals in h.history.items()},
        "final_weights": [arr(w) for w in model.get_weights()]}
    # The README's seed example: Embedding(100, 8) -> LSTM(8) -> Dense(1, sigmoid). Keras's LSTM
    # has one bias where PyTorch (and Recurrent) have bias_ih + bias_hh, so the two train
    # differently (each bias takes a full optimizer step); this case pins the forward pass and
    # the first batch loss, and the training run is compared with PyTorch (train_fit_torch.json).
    padded = np.array([[0, 3, 4, 2, 1], [0, 3, 5, 2, 1], [0, 2, 1, 6, 7], [0, 2, 1, 6, 8]],
                      dtype=np.float32)
    labels = np.array([[1], [0], [1], [0]], dtype=np.float32)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Embedding(100, 8),
                              keras.layers.LSTM(8), keras.layers.Dense(1, activation="sigmoid")])
    init = [rng.normal(0, 0.3, size=w.shape).astype(np.float32) for w in model.get_weights()]
    model.set_weights(init)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    first_batch = model.evaluate(padded[:2], labels[:2], verbose=0, return_dict=True)
    emb, kernel, recurrent, bias, dk, db = init
    # Keras LSTM [D, 4H] kernels with gates i|f|c|o are PyTorch's weight_ih [4H, D] transposed
    # (same gate order); Keras has one bias, PyTorch two: bias_hh = 0.
    torch_layout = [emb, kernel.T.copy(), recurrent.T.copy(), bias, np.zeros_like(bias), dk, db]
    cases["seed_example_lstm"] = {
        "x": arr(padded), "y": arr(labels),
        "initial_weights": [arr(w) for w in torch_layout],
        "initial_predict": arr(model.predict(padded, verbose=0)),
        "first_batch_loss": float(first_batch["loss"])}
    # Functional model: one Dense shared by two inputs, summed, concatenated with a third input,
    # then a sigmoid Dense; Adam, BCE, batch 3, no shuffling.
    a = keras.Input((3,))
    b = keras.Input((3,))
    c = keras.Input((2,))
    shared = keras.layers.Dense(4, activation="tanh")
    merged = keras.layers.Concatenate()([keras.layers.Add()([shared(a), shared(b)]), c])
    out = keras.layers.Dense(1, activation="sigmoid")(merged)
    model = keras.Model([a, b, c], out)
    init = [rng.normal(0, 0.8, size=w.shape).astype(np.float32) for w in model.get_weights()]
    model.set_weights(init)
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy",
                  metrics=["accuracy"])
    xa, xb = (rng.normal(0, 1, size=(9, 3)).astype(np.float32) for _ in range(2))
    xc = rng.normal(0, 1, size=(9, 2)).astype(np.float32)
    yf = rng.integers(0, 2, size=(9, 1)).astype(np.float32)
    h = model.fit([xa, xb, xc], yf, epochs=3, batch_size=3, shuffle=False, verbose=0)
    cases["functional_shared_dense"] = {
        "x": [arr(xa), arr(xb), arr(xc)], "y": arr(yf), "initial_weights": [arr(w) for w in init],
        "history": {k: [float(v) for v in vals] for k, vals in h.history.items()},
        "final_weights": [arr(w) for w in model.get_weights()],
        "predict": arr(model.predict([xa, xb, xc], verbose=0))}
    dump("fit", {"keras": keras.__version__, "cases": cases})


# ---------------------------------------------------------------- summary (Keras 2, tf_keras)
def make_summary():
    try:
        import tf_keras as k2
    except ImportError:
        print("tf_keras missing (pip install --no-deps tf_keras==<TF version>); summary skipped")
        return
    m = k2.Sequential([k2.layers.Embedding(100, 8, input_length=5, mask_zero=True),
                       k2.layers.Dense(4, activation="relu"),
                       k2.layers.Dropout(0.1),
                       k2.layers.Dense(1, activation="sigmoid")])
    m.layers[0].trainable = False
    lines = []
    m.summary(print_fn=lambda line, **_: lines.append(line))
    # A functional model with a shared layer, Add and Concatenate ("Connected to" column), named
    # as in a fresh session.
    k2.backend.clear_session()
    a, b, c = k2.Input((3,)), k2.Input((3,)), k2.Input((2,))
    shared = k2.layers.Dense(4, activation="tanh")
    merged = k2.layers.Concatenate()([k2.layers.Add()([shared(a), shared(b)]), c])
    out = k2.layers.Dense(1, activation="sigmoid")(merged)
    functional = []
    k2.Model([a, b, c], out).summary(print_fn=lambda line, **_: functional.append(line))
    dump("summary", {"tf_keras": k2.__version__, "summary": "\n".join(lines) + "\n",
                     "functional_summary": "\n".join(functional) + "\n"})


# ---------------------------------------------------------------- fit vs PyTorch (float32)
TORCH_PY = os.path.expanduser("~/venvs/torch/bin/python")


def make_torch_fit():
    """Runs in the torch venv (this file re-invoked with --torch): the seed example's
    Embedding -> LSTM -> Linear -> sigmoid trained with SGD + momentum (Keras's and PyTorch's
    momentum formulas agree at a constant rate) and BCE, batch 2, 5 epochs, no shuffling."""
    import torch
    torch.manual_seed(0)
    g = np.random.default_rng(7)
    x = np.array([[0, 3, 4, 2, 1], [0, 3, 5, 2, 1], [0, 2, 1, 6, 7], [0, 2, 1, 6, 8]])
    y = np.array([[1], [0], [1], [0]], dtype=np.float32)
    emb = torch.nn.Embedding(100, 8)
    lstm = torch.nn.LSTM(8, 8, batch_first=True)
    lin = torch.nn.Linear(8, 1)
    params = [emb.weight, lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0,
              lin.weight, lin.bias]
    with torch.no_grad():
        for p in params:
            p.copy_(torch.from_numpy(g.normal(0, 0.3, size=tuple(p.shape)).astype(np.float32)))
    init = [p.detach().numpy().copy() for p in params]
    opt = torch.optim.SGD(params, lr=0.5, momentum=0.9)
    losses = []
    for epoch in range(5):
        total = 0.0
        for start in range(0, 4, 2):
            xb = torch.from_numpy(x[start:start + 2])
            yb = torch.from_numpy(y[start:start + 2])
            out, _ = lstm(emb(xb))
            p = torch.sigmoid(lin(out[:, -1]))
            loss = torch.nn.functional.binary_cross_entropy(p, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * 2
        losses.append(total / 4)
    with torch.no_grad():
        out, _ = lstm(emb(torch.from_numpy(x)))
        pred = torch.sigmoid(lin(out[:, -1])).numpy()
    # Linear.weight [1, 8] is a Dense kernel [8, 1] transposed.
    def keras_order(ws):
        return ws[:5] + [ws[5].T.copy(), ws[6]]
    final = [p.detach().numpy().copy() for p in params]
    dump("fit_torch", {"torch": torch.__version__, "cases": {"seed_example_lstm_sgd": {
        "x": arr(x.astype(np.float32)), "y": arr(y),
        "initial_weights": [arr(w) for w in keras_order(init)], "loss": losses,
        "final_weights": [arr(w) for w in keras_order(final)], "predict": arr(pred)}}})


if __name__ == "__main__" and "--torch" in sys.argv:
    make_torch_fit()
    sys.exit(0)

if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    make_losses()
    make_optimizers()
    make_metrics()
    make_layers()
    make_fit()
    make_summary()
    subprocess.run([TORCH_PY, __file__, "--torch"], check=True)
