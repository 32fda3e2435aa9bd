"""Times the 11 matrix products of one training step of the perf MLP (784-500-500-500-10) alone,
in numpy on the same OpenBLAS as PyTorch and @dale-nn/openblas, warm caches, best of 7 x 200.

For each layer (in -> out) and batch B: the forward x W^T (W stored [out, in], PyTorch's layout
and ours) or x W (W stored [in, out]), the weight gradient dz^T x, and the input gradient dz W or
dz W^T. Compare the per-step sum with the products' share of a training step in
`dale-bench perf` (docs/results/perf/README.md, session 8).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 apps/bench/perf/sgemm_shapes.py [--batch 256]
"""
import argparse
import time

import numpy as np


def best_ms(f, reps=200, rounds=7):
    f()
    best = float("inf")
    for _ in range(rounds):
        s = time.perf_counter()
        for _ in range(reps):
            f()
        best = min(best, (time.perf_counter() - s) / reps)
    return best * 1e3


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--batch", type=int, default=256)
    b = p.parse_args().batch
    rng = np.random.default_rng(0)
    total = {"post x pre (ours, PyTorch)": 0.0, "pre x post": 0.0}
    for i, (d, n) in enumerate([(784, 500), (500, 500), (500, 500), (500, 10)]):
        x = rng.random((b, d), dtype=np.float32)
        w = rng.random((n, d), dtype=np.float32)  # post x pre
        wt = np.ascontiguousarray(w.T)  # pre x post
        dz = rng.random((b, n), dtype=np.float32)
        y = np.empty((b, n), np.float32)
        dw = np.empty((n, d), np.float32)
        dwt = np.empty((d, n), np.float32)
        dx = np.empty((b, d), np.float32)
        ours = [best_ms(lambda: np.matmul(x, w.T, out=y)), best_ms(lambda: np.matmul(dz.T, x, out=dw))]
        other = [best_ms(lambda: np.matmul(x, wt, out=y)), best_ms(lambda: np.matmul(x.T, dz, out=dwt))]
        if i > 0:  # the first layer's dL/dx is not needed
            ours.append(best_ms(lambda: np.matmul(dz, w, out=dx)))
            other.append(best_ms(lambda: np.matmul(dz, wt.T, out=dx)))
        total["post x pre (ours, PyTorch)"] += sum(ours)
        total["pre x post"] += sum(other)
        print(f"{d:4d} -> {n:3d}: post x pre {' '.join(f'{t:.3f}' for t in ours)} ms; pre x post {' '.join(f'{t:.3f}' for t in other)} ms")
    for k, v in total.items():
        print(f"step total, {k}: {v:.2f} ms")


if __name__ == "__main__":
    main()
