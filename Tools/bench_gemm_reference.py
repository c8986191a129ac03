#!/usr/bin/env python3
"""numpy reference for `recurrent-bench gemm --json`: float32 matmul GFLOP/s on the same shapes,
measured the same way (warm-up, iterations sized to --seconds per repeat, median of --repeats;
`cpu_gflops` divides by the process's CPU time instead of wall time).

Run beside the Swift benchmark, alternately, in the same session:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ~/venvs/torch/bin/python Tools/bench_gemm_reference.py
(numpy's bundled OpenBLAS, its default thread count; OPENBLAS_CORETYPE/L2_SIZE are unset in this
command only, as ../shared/anchors/peak_matmul.py asks.) Prints one JSON line per shape, plus one
describing the BLAS build and the kernel it selected (threadpoolctl, when installed).
"""
import argparse
import json
import statistics
import time

import numpy as np

SHAPES = [(64, 1024, 384), (64, 1024, 256), (256, 1024, 64), (2048, 2048, 2048), (1, 1024, 384)]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--seconds", type=float, default=0.15)
    a = p.parse_args()
    info = {"case": "gemm_reference_info", "numpy": np.__version__}
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [{k: d.get(k) for k in ("internal_api", "version", "num_threads", "architecture", "threading_layer")}
                        for d in threadpool_info() if d.get("user_api") == "blas"]
    except ImportError:
        info["blas"] = "threadpoolctl not installed"
    print(json.dumps(info), flush=True)
    threads = info["blas"][0]["num_threads"] if isinstance(info["blas"], list) and info["blas"] else None
    rng = np.random.default_rng(42)
    for m, n, k in SHAPES:
        A = rng.uniform(-1, 1, (m, k)).astype(np.float32)
        B = rng.uniform(-1, 1, (k, n)).astype(np.float32)
        flops = 2.0 * m * n * k
        A @ B
        t = time.perf_counter()
        A @ B
        per_call = max(time.perf_counter() - t, 1e-7)
        iters = max(1, int(a.seconds / per_call))
        samples, cpu_samples = [], []
        for _ in range(a.repeats):
            t, c = time.perf_counter(), time.process_time()
            for _ in range(iters):
                A @ B
            samples.append(flops * iters / (time.perf_counter() - t) / 1e9)
            cpu_samples.append(flops * iters / (time.process_time() - c) / 1e9)
        print(json.dumps({"case": "gemm", "backend": "numpy", "m": m, "n": n, "k": k,
                          "threads": threads, "gflops": round(statistics.median(samples), 3),
                          "cpu_gflops": round(statistics.median(cpu_samples), 3)}), flush=True)


if __name__ == "__main__":
    main()
