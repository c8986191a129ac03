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
    # reference gradients through PyTorch autograd: d/dx sum(op(x) * w)
    for name, fn in [("softmax", lambda v: torch.softmax(v, -1)),
                     ("log_softmax", lambda v: torch.log_softmax(v, -1)),
                     ("sigmoid", torch.sigmoid), ("tanh", torch.tanh)]:
        v = x.clone().requires_grad_(True)
        (fn(v) * w).sum().backward()
        t["grad_" + name] = v.grad
    save_file({k: v.contiguous() for k, v in t.items()}, os.path.join(FIXTURES, "torch_ops.safetensors"))


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
        print("wrote fixtures to", os.path.normpath(FIXTURES))
