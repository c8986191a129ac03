#!/usr/bin/env python3
"""Fixtures for Tests/RecurrentTensorTests (run with ~/venvs/torch/bin/python).

  make_tensor_fixtures.py            writes Tests/RecurrentTensorTests/Fixtures/
      torch_layouts.safetensors  tensors of every float dtype whose values follow simple formulas
                                 (the Swift test recomputes the formulas and expects exact equality)
      torch_ops.safetensors      float64 inputs and PyTorch outputs/gradients of the tensor ops
  make_tensor_fixtures.py --verify   loads Fixtures/recurrent_written.safetensors (written by our
                                 Swift writer; the test proves our writer still produces exactly
                                 those bytes) with safetensors/PyTorch and checks every value.
"""
import os
import sys

import torch
from safetensors.torch import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "RecurrentTensorTests", "Fixtures")


def layouts():
    t = {}
    t["f32_ramp"] = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) * 0.25 - 1  # i/4 - 1
    t["f64_thirds"] = torch.arange(6, dtype=torch.float64).reshape(2, 3) / 3  # i/3
    t["f16_eighths"] = (torch.arange(-8, 8, dtype=torch.float32) * 0.125).to(torch.float16)
    # largest half, smallest subnormal half, negative zero, smallest normal half
    t["f16_special"] = torch.tensor([65504.0, 2.0**-24, -0.0, 2.0**-14], dtype=torch.float16)
    t["bf16_halves"] = (torch.arange(-8, 8, dtype=torch.float32) * 0.5).to(torch.bfloat16).reshape(4, 4)
    t["empty"] = torch.zeros(0, 3, dtype=torch.float32)
    t["scalar"] = torch.tensor(3.5, dtype=torch.float32)
    save_file(t, os.path.join(FIXTURES, "torch_layouts.safetensors"), metadata={"format": "pt"})


def ops():
    torch.manual_seed(0)
    d = torch.float64
    t = {}
    x = torch.randn(2, 3, 5, dtype=d)
    w = torch.randn(2, 3, 5, dtype=d)
    t["x"], t["w"] = x, w
    t["softmax"] = torch.softmax(x, -1)
    t["log_softmax"] = torch.log_softmax(x, -1)
    # a large shift must not overflow (numerically stable softmax)
    t["softmax_shifted"] = torch.softmax(x * 100 + 1000, -1)
    t["log_softmax_shifted"] = torch.log_softmax(x * 100 + 1000, -1)
    t["sigmoid"] = torch.sigmoid(x)
    t["tanh"] = torch.tanh(x)
    t["relu"] = torch.relu(x)
    t["exp"] = torch.exp(x)
    t["log_pos"] = torch.log(x.abs() + 0.5)
    t["sum_axis1"] = x.sum(1)
    t["mean_axes02"] = x.mean((0, 2))
    t["sum_all"] = x.sum()
    bias = torch.randn(5, dtype=d)
    t["bias"] = bias
    t["add_bias"] = x + bias
    t["mul_bias"] = x * bias
    a = torch.randn(3, 4, dtype=d)
    b = torch.randn(4, 5, dtype=d)
    t["a"], t["b"] = a, b
    t["a_matmul_b"] = a @ b
    t["x_matmul_w5x4"] = x @ b.T  # [2,3,5] @ [5,4] -> [2,3,4] (leading axes flattened)
    ba = torch.randn(2, 3, 4, dtype=d)
    bb = torch.randn(2, 4, 5, dtype=d)
    t["ba"], t["bb"] = ba, bb
    t["bmm"] = torch.bmm(ba, bb)
    table = torch.randn(6, 3, dtype=d)
    idx = torch.tensor([[1, 5, 1], [0, 4, 2]])
    t["table"] = table
    t["indices"] = idx
    t["gathered"] = table[idx]  # [2, 3, 3]
    t["scatter_add"] = torch.zeros(6, 3, dtype=d).index_add_(0, idx.reshape(-1), t["gathered"].reshape(-1, 3) * 2)
    t["concat_last"] = torch.cat([x, x[..., :2] * 2], -1)
    t["slice_time"] = x[:, 1:3]
    t["swap01"] = x.transpose(0, 1).contiguous()
    # Keras Orthogonal's core: Q of numpy's QR with R's diagonal made positive.
    import numpy as np
    oa = np.random.default_rng(0).standard_normal((6, 4))
    q, r = np.linalg.qr(oa)
    q = q * np.sign(np.diag(r))
    t["ortho_a"] = torch.from_numpy(oa)
    t["ortho_q"] = torch.from_numpy(np.ascontiguousarray(q))
    # reference gradients through PyTorch autograd: d/dx sum(op(x) * w)
    for name, fn in [("softmax", lambda v: torch.softmax(v, -1)),
                     ("log_softmax", lambda v: torch.log_softmax(v, -1)),
                     ("sigmoid", torch.sigmoid), ("tanh", torch.tanh)]:
        v = x.clone().requires_grad_(True)
        (fn(v) * w).sum().backward()
        t["grad_" + name] = v.grad
    save_file({k: v.contiguous() for k, v in t.items()}, os.path.join(FIXTURES, "torch_ops.safetensors"))


def random_reference():
    """xoshiro256** seeded by SplitMix64, transcribed from the authors' C reference code
    (prng.di.unimi.it/xoshiro256starstar.c and splitmix64.c): an independent implementation for
    RandomTests. Also SplitMix64's published sequence for seed 1234567 (Rosetta Code)."""
    import json
    import math
    M = (1 << 64) - 1

    def splitmix(x):
        x = (x + 0x9E3779B97F4A7C15) & M
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return x, z ^ (z >> 31)

    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & M

    def xoshiro(seed):
        s = []
        x = seed
        for _ in range(4):
            x, v = splitmix(x)
            s.append(v)
        while True:
            result = (rotl((s[1] * 5) & M, 7) * 9) & M
            t = (s[1] << 17) & M
            s[2] ^= s[0]
            s[3] ^= s[1]
            s[1] ^= s[2]
            s[0] ^= s[3]
            s[2] ^= t
            s[3] = rotl(s[3], 45)
            yield result

    g = xoshiro(42)
    raw = [next(g) for _ in range(5)]
    g = xoshiro(7)
    normals = []
    for _ in range(4):  # Box-Muller with u1 = 1 - uniform, u2 = uniform, as RandomGenerator
        u1 = 1 - (next(g) >> 11) * 2.0**-53
        u2 = (next(g) >> 11) * 2.0**-53
        normals.append(math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2))
    ref = {"xoshiro_seed42": [str(v) for v in raw], "normals_seed7": normals}
    with open(os.path.join(FIXTURES, "random_reference.json"), "w") as f:
        json.dump(ref, f, indent=1)


def verify():
    """Checks the file our Swift writer produced (see SafetensorsTests.testWriterBytes...)."""
    path = os.path.join(FIXTURES, "recurrent_written.safetensors")
    t = load_file(path)
    expected = {
        "a": torch.arange(6, dtype=torch.float32).reshape(2, 3) * 0.5,
        "b": torch.tensor([1 / 3, -2.5, 1e300], dtype=torch.float64),
        'odd "name"\n': torch.zeros(0, dtype=torch.float32),
        "s": torch.tensor(-7.25, dtype=torch.float32),
    }
    assert set(t) == set(expected), (sorted(t), sorted(expected))
    for k, v in expected.items():
        assert t[k].dtype == v.dtype and t[k].shape == v.shape, (k, t[k].dtype, t[k].shape)
        assert torch.equal(t[k], v), (k, t[k], v)
    from safetensors import safe_open
    with safe_open(path, "pt") as f:
        assert f.metadata() == {"format": "pt", "written_by": "Recurrent"}, f.metadata()
    print("verify: OK,", len(t), "tensors load in safetensors", path)


if __name__ == "__main__":
    os.makedirs(FIXTURES, exist_ok=True)
    if "--verify" in sys.argv:
        verify()
    else:
        layouts()
        ops()
        random_reference()
        print("wrote fixtures to", os.path.normpath(FIXTURES))
