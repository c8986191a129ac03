#!/usr/bin/env python3
"""Golden fixtures for the recurrent layers (Tests/RecurrentLayersTests/Fixtures/rnn_*.json).

PyTorch part (run with ~/venvs/torch/bin/python):
    python Tools/make_rnn_fixtures.py torch
  nn.RNN (tanh, relu), nn.LSTM, nn.GRU in float64, tiny shapes: uni- and bidirectional, 1 and 2
  layers, with random initial states, with and without padding (pack_padded_sequence with
  per-row lengths). For each case it records the inputs, the weights (PyTorch state-dict names),
  the outputs, the final states and the gradients of
      L = sum(out * g_out) + sum(h_n * g_h) [+ sum(c_n * g_c)]
  with respect to x, h0, c0 and every weight and bias (g_* random).

Keras part (run with ~/venvs/tf/bin/python):
    python Tools/make_rnn_fixtures.py keras
  keras.layers.GRU(reset_after=False) (the reset-before formula) in float64, with its kernels
  converted to PyTorch layout (gate order z,r,h -> r,z,n; transposed), outputs and gradients.

State dicts (run with ~/venvs/torch/bin/python):
    python Tools/make_rnn_fixtures.py state
  float32 nn.LSTM / nn.GRU / nn.RNN modules (bidirectional and 2-layer included) saved with
  safetensors.torch.save_file as rnn_state_<name>.safetensors: the module's state dict under the
  prefix "rnn." plus "io.x" [B, T, D], "io.out" [B, T, dirs*H], "io.h_n" [L*dirs, B, H]
  (and "io.c_n") from running the module on io.x with zero initial states.

Tensors are stored as {"shape": [...], "data": [row-major floats]}.
"""
import json
import os
import sys

OUT_DIR = os.path.join(os.path.dirname(__file__), "..", "Tests", "RecurrentLayersTests", "Fixtures")


def tensor_json(t):
    import numpy as np
    a = np.asarray(t, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def write(name, payload):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, path)
    print("wrote", path)


def torch_cases():
    import torch
    import torch.nn as nn
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    torch.set_default_dtype(torch.float64)
    specs = [
        # name, cell, nonlinearity, bidirectional, layers, lengths (None = full)
        ("rnn_tanh", "rnn", "tanh", False, 1, None),
        ("rnn_relu", "rnn", "relu", False, 1, None),
        ("lstm", "lstm", None, False, 1, None),
        ("gru", "gru", None, False, 1, None),
        ("rnn_bi", "rnn", "tanh", True, 1, None),
        ("lstm_bi", "lstm", None, True, 1, None),
        ("gru_bi", "gru", None, True, 1, None),
        ("rnn_2layer", "rnn", "tanh", False, 2, None),
        ("lstm_2layer", "lstm", None, False, 2, None),
        ("gru_2layer", "gru", None, False, 2, None),
        ("lstm_bi_2layer", "lstm", None, True, 2, None),
        ("gru_bi_2layer", "gru", None, True, 2, None),
        ("rnn_bi_masked", "rnn", "tanh", True, 1, [4, 2, 1]),
        ("lstm_bi_masked", "lstm", None, True, 1, [4, 2, 1]),
        ("gru_bi_masked", "gru", None, True, 1, [1, 4, 3]),
    ]
    B, T, D, H = 3, 4, 3, 2
    cases = []
    for k, (name, cell, nonlin, bidi, layers, lengths) in enumerate(specs):
        torch.manual_seed(100 + k)
        if cell == "rnn":
            m = nn.RNN(D, H, num_layers=layers, nonlinearity=nonlin, bidirectional=bidi,
                       batch_first=True)
        elif cell == "lstm":
            m = nn.LSTM(D, H, num_layers=layers, bidirectional=bidi, batch_first=True)
        else:
            m = nn.GRU(D, H, num_layers=layers, bidirectional=bidi, batch_first=True)
        dirs = 2 if bidi else 1
        x = torch.randn(B, T, D, requires_grad=True)
        h0 = torch.randn(layers * dirs, B, H, requires_grad=True)
        c0 = torch.randn(layers * dirs, B, H, requires_grad=True) if cell == "lstm" else None
        state = (h0, c0) if cell == "lstm" else h0
        if lengths is None:
            out, st = m(x, state)
        else:
            packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=True,
                                          enforce_sorted=False)
            out_p, st = m(packed, state)
            out, _ = pad_packed_sequence(out_p, batch_first=True, total_length=T)
        hn, cn = (st if cell == "lstm" else (st, None))
        g_out = torch.randn_like(out)
        g_h = torch.randn_like(hn)
        loss = (out * g_out).sum() + (hn * g_h).sum()
        g_c = None
        if cn is not None:
            g_c = torch.randn_like(cn)
            loss = loss + (cn * g_c).sum()
        params = dict(m.named_parameters())
        grads = torch.autograd.grad(loss, [x, h0] + ([c0] if c0 is not None else [])
                                    + list(params.values()))
        names = ["x", "h0"] + (["c0"] if c0 is not None else []) + list(params.keys())
        case = {
            "name": name, "cell": cell, "nonlinearity": nonlin or "", "bidirectional": bidi,
            "layers": layers, "batch": B, "time": T, "input": D, "hidden": H,
            "lengths": lengths,
            "params": {n: tensor_json(p.detach()) for n, p in params.items()},
            "x": tensor_json(x.detach()), "h0": tensor_json(h0.detach()),
            "c0": tensor_json(c0.detach()) if c0 is not None else None,
            "grad_out": tensor_json(g_out), "grad_h": tensor_json(g_h),
            "grad_c": tensor_json(g_c) if g_c is not None else None,
            "out": tensor_json(out.detach()), "h_n": tensor_json(hn.detach()),
            "c_n": tensor_json(cn.detach()) if cn is not None else None,
            "grads": {n: tensor_json(g) for n, g in zip(names, grads)},
        }
        cases.append(case)
    write("rnn_torch_golden.json", {"generator": "Tools/make_rnn_fixtures.py torch",
                                    "torch": torch.__version__, "cases": cases})


def keras_cases():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import numpy as np
    import tensorflow as tf
    import keras

    keras.backend.set_floatx("float64")
    B, T, D, H = 3, 4, 3, 2
    rng = np.random.default_rng(7)
    cases = []
    for name, go_back in [("gru_reset_before", False), ("gru_reset_before_backwards", True)]:
        layer = keras.layers.GRU(H, reset_after=False, return_sequences=True, return_state=True,
                                 go_backwards=go_back, dtype="float64")
        x = tf.constant(rng.standard_normal((B, T, D)))
        h0 = tf.constant(rng.standard_normal((B, H)))
        layer(x, initial_state=[h0])  # builds the weights
        kernel, recurrent, bias = [w.numpy() for w in layer.weights]
        # Random bias so the test sees it (Keras starts at zero).
        bias = rng.standard_normal(bias.shape)
        layer.weights[2].assign(bias)
        g_out = tf.constant(rng.standard_normal((B, T, H)))
        g_h = tf.constant(rng.standard_normal((B, H)))
        with tf.GradientTape() as tape:
            tape.watch(x)
            tape.watch(h0)
            out, hn = layer(x, initial_state=[h0])
            loss = tf.reduce_sum(out * g_out) + tf.reduce_sum(hn * g_h)
        gx, gh0, gk, grk, gb = tape.gradient(loss, [x, h0] + list(layer.weights))

        def to_torch(w):
            # Keras [in, 3H] gate order z, r, h  ->  PyTorch [3H, in] order r, z, n
            z, r, n = np.split(np.asarray(w), 3, axis=-1)
            return np.concatenate([r, z, n], axis=-1).T

        def bias_to_torch(b):
            z, r, n = np.split(np.asarray(b), 3)
            return np.concatenate([r, z, n])

        out_np = out.numpy()
        g_out_np = g_out.numpy()
        if go_back:
            # Keras returns the backward sequence in processing order; ours is aligned with the
            # input positions, so flip time here (and for its upstream gradient).
            out_np = out_np[:, ::-1]
            g_out_np = g_out_np[:, ::-1]
        cases.append({
            "name": name, "go_backwards": go_back, "batch": B, "time": T, "input": D, "hidden": H,
            "params": {"weight_ih": tensor_json(to_torch(kernel)),
                       "weight_hh": tensor_json(to_torch(recurrent)),
                       "bias_ih": tensor_json(bias_to_torch(bias)),
                       "bias_hh": tensor_json(np.zeros(3 * H))},
            "x": tensor_json(x.numpy()), "h0": tensor_json(h0.numpy()),
            "grad_out": tensor_json(g_out_np), "grad_h": tensor_json(g_h.numpy()),
            "out": tensor_json(out_np), "h_n": tensor_json(hn.numpy()),
            "grads": {"x": tensor_json(gx.numpy()), "h0": tensor_json(gh0.numpy()),
                      "weight_ih": tensor_json(to_torch(gk.numpy())),
                      "weight_hh": tensor_json(to_torch(grk.numpy())),
                      "bias_ih": tensor_json(bias_to_torch(gb.numpy()))},
        })
    write("rnn_keras_gru_reset_before.json", {"generator": "Tools/make_rnn_fixtures.py keras",
                                              "keras": keras.__version__, "cases": cases})


def state_dicts():
    import torch
    import torch.nn as nn
    from safetensors.torch import save_file

    specs = [
        ("lstm", nn.LSTM, {}),
        ("lstm_bi_2layer", nn.LSTM, {"num_layers": 2, "bidirectional": True}),
        ("gru_2layer", nn.GRU, {"num_layers": 2}),
        ("gru_bi", nn.GRU, {"bidirectional": True}),
        ("rnn_relu_bi_2layer", nn.RNN, {"num_layers": 2, "bidirectional": True,
                                        "nonlinearity": "relu"}),
    ]
    B, T, D, H = 3, 6, 5, 4
    for k, (name, cls, kw) in enumerate(specs):
        torch.manual_seed(500 + k)
        m = cls(D, H, batch_first=True, **kw).float()
        x = torch.randn(B, T, D)
        with torch.no_grad():
            out, st = m(x)
        hn, cn = st if isinstance(st, tuple) else (st, None)
        tensors = {"rnn." + n: p.detach().contiguous() for n, p in m.state_dict().items()}
        tensors.update({"io.x": x, "io.out": out.contiguous(), "io.h_n": hn.contiguous()})
        if cn is not None:
            tensors["io.c_n"] = cn.contiguous()
        path = os.path.join(OUT_DIR, f"rnn_state_{name}.safetensors")
        save_file(tensors, path + ".tmp")
        os.replace(path + ".tmp", path)
        print("wrote", path)


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "torch"
    {"torch": torch_cases, "keras": keras_cases, "state": state_dicts}[which]()
