#!/usr/bin/env python3
"""Golden fixtures for Keras `stateful=True` recurrent layers (Stateful.swift).

Run:  ~/venvs/tf/bin/python Tools/make_stateful_keras_fixtures.py
Writes Tests/RecurrentLayersTests/Fixtures/stateful_keras.json.

Layer cases (float64): keras.layers.LSTM / GRU (reset_after=True) with stateful=True,
return_sequences=True and random weights (biases too), called on two consecutive batches x1
[B, T1, D] and x2 [B, T2, D] (optionally with a [B, T] mask, holes included), then
reset_state() and called on x2 again. Recorded: the outputs of each call, the carried states
after each call, and the weights converted to PyTorch layout (LSTM i,f,c,o = i,f,g,o, single
bias -> bias_ih with bias_hh = 0; GRU z,r,h -> r,z,n, bias[0] -> bias_ih, bias[1] -> bias_hh).

Bidirectional case (float64): Bidirectional(LSTM(stateful=True, return_sequences=True)) over
two consecutive batches (no mask): the concatenated outputs and both directions' carried states
(forward h, c then backward h, c), weights as above with "_reverse" for the backward layer.

Fit case (float64): Sequential(Input(batch_shape=(2, T, D)), GRU(3, stateful=True),
Dense(1)) (GRU, whose two biases are PyTorch's, so SGD updates the same parameters) compiled with SGD(0.1) and MSE, fit on 4 samples with batch_size=2, shuffle=False,
2 epochs: the initial weights, the per-epoch losses, the final weights and the carried states.

Tensors are stored as {"shape": [...], "data": [row-major floats]}.
"""
import json
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/RecurrentLayersTests/Fixtures"
keras.backend.set_floatx("float64")
keras.utils.set_random_seed(20261127)
rng = np.random.default_rng(20261127)


def tj(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def torch_weights(kind, layer):
    """Keras kernels -> PyTorch weight_ih [G·H, D], weight_hh [G·H, H], bias_ih, bias_hh."""
    kernel, recurrent, bias = [np.asarray(w.numpy()) for w in layer.weights]
    if kind == "lstm":
        return {"weight_ih": kernel.T, "weight_hh": recurrent.T, "bias_ih": bias,
                "bias_hh": np.zeros_like(bias)}

    def order(w):  # z, r, h -> r, z, n on the last axis
        z, r, n = np.split(w, 3, axis=-1)
        return np.concatenate([r, z, n], axis=-1)

    return {"weight_ih": order(kernel).T, "weight_hh": order(recurrent).T,
            "bias_ih": order(bias[0]), "bias_hh": order(bias[1])}


def layer_case(kind, masked):
    B, T1, T2, D, H = 3, 3, 4, 2, 4
    cls = keras.layers.LSTM if kind == "lstm" else keras.layers.GRU
    kwargs = {} if kind == "lstm" else {"reset_after": True}
    layer = cls(H, stateful=True, return_sequences=True, dtype="float64", **kwargs)
    x1 = rng.standard_normal((B, T1, D))
    x2 = rng.standard_normal((B, T2, D))
    layer.build((B, T1, D))
    for w in layer.weights:
        w.assign(rng.standard_normal(tuple(w.shape)) * 0.5)
    m1 = m2 = None
    if masked:
        # Row 0 ends early in the first batch (the carried state is the one at its last real
        # step); row 1 has a hole in the second batch; row 2 is fully masked in the first.
        m1 = np.array([[1, 1, 0], [1, 1, 1], [0, 0, 0]], dtype=bool)
        m2 = np.array([[1, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 0]], dtype=bool)
    out1 = layer(x1, mask=m1).numpy()
    states1 = [s.numpy().copy() for s in layer.states]
    out2 = layer(x2, mask=m2).numpy()
    states2 = [s.numpy().copy() for s in layer.states]
    layer.reset_state()
    out2_reset = layer(x2, mask=m2).numpy()
    case = {
        "name": f"{kind}{'_masked' if masked else ''}", "cell": kind, "batch": B, "input": D,
        "hidden": H, "params": {k: tj(v) for k, v in torch_weights(kind, layer).items()},
        "x1": tj(x1), "x2": tj(x2), "out1": tj(out1), "out2": tj(out2),
        "out2_after_reset": tj(out2_reset),
        "states1": [tj(s) for s in states1], "states2": [tj(s) for s in states2],
    }
    if masked:
        case["mask1"] = tj(m1.astype(np.float64))
        case["mask2"] = tj(m2.astype(np.float64))
    return case


def bidirectional_case():
    B, T1, T2, D, H = 2, 3, 2, 2, 3
    layer = keras.layers.Bidirectional(
        keras.layers.LSTM(H, stateful=True, return_sequences=True, dtype="float64"))
    x1 = rng.standard_normal((B, T1, D))
    x2 = rng.standard_normal((B, T2, D))
    layer.build((B, T1, D))
    for w in layer.weights:
        w.assign(rng.standard_normal(tuple(w.shape)) * 0.5)
    out1 = layer(x1).numpy()
    out2 = layer(x2).numpy()
    params = {k: tj(v) for k, v in torch_weights("lstm", layer.forward_layer).items()}
    params.update({k + "_reverse": tj(v)
                   for k, v in torch_weights("lstm", layer.backward_layer).items()})
    states = [s.numpy() for s in layer.forward_layer.states + layer.backward_layer.states]
    return {"name": "bilstm", "batch": B, "input": D, "hidden": H, "params": params,
            "x1": tj(x1), "x2": tj(x2), "out1": tj(out1), "out2": tj(out2),
            "states2": [tj(s) for s in states]}


def fit_case():
    B, T, D, H, N = 2, 3, 2, 3, 4
    model = keras.Sequential([
        keras.Input(batch_shape=(B, T, D)),
        keras.layers.GRU(H, stateful=True, reset_after=True),
        keras.layers.Dense(1),
    ])
    gru, dense = model.layers
    for w in model.weights:
        w.assign(rng.standard_normal(tuple(w.shape)) * 0.5)
    x = rng.standard_normal((N, T, D))
    y = rng.standard_normal((N, 1))
    initial = {"gru": {k: tj(v) for k, v in torch_weights("gru", gru).items()},
               "dense_kernel": tj(dense.weights[0].numpy()),
               "dense_bias": tj(dense.weights[1].numpy())}
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, batch_size=B, epochs=2, shuffle=False, verbose=0)
    final = {"gru": {k: tj(v) for k, v in torch_weights("gru", gru).items()},
             "dense_kernel": tj(dense.weights[0].numpy()),
             "dense_bias": tj(dense.weights[1].numpy())}
    return {"batch": B, "hidden": H, "x": tj(x), "y": tj(y), "initial": initial,
            "loss": [float(v) for v in history.history["loss"]], "final": final,
            "states": [tj(s.numpy()) for s in gru.states]}


def main():
    cases = [layer_case(k, m) for k in ("lstm", "gru") for m in (False, True)]
    payload = {"generator": "Tools/make_stateful_keras_fixtures.py", "keras": keras.__version__,
               "cases": cases, "bidirectional": bidirectional_case(), "fit": fit_case()}
    path = OUT / "stateful_keras.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, separators=(",", ":")) + "\n")
    os.replace(tmp, path)
    print("wrote", path)


if __name__ == "__main__":
    main()
