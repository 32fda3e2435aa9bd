#!/usr/bin/python3
"""PyTorch / numpy side of `dale-bench perf`.

Runs the same training workloads as dale-bench (mlp, dann, rnn, ctrnn, conv) with the same warm-up /
repetition / median scheme, times numpy's singular values and eigenvalues on matrices written
by dale-bench, and measures the sgemm peak (torch.mm, 1024 x 1024 float32). Prints one JSON
object per line on stdout:

  {"type": "info", ...}        versions, threads, the BLAS libraries loaded
  {"type": "peak", ...}        sgemm GFLOP/s
  {"type": "train", ...}       samples/s of a workload at a batch size
  {"type": "spectra", ...}     seconds of numpy's svd / eigvals at a size n
  {"type": "unavailable", ...} torch (or numpy) cannot be imported; the rest is skipped
  {"type": "error", ...}       one measurement failed; the others go on

Set OPENBLAS_NUM_THREADS / OMP_NUM_THREADS before starting it (dale-bench does): they must be in
the environment before torch and numpy load their BLAS. With more than one core the two are
separate knobs: torch's intra-op (OpenMP) threads and OpenBLAS's own pthreads, which nest when
both are above 1 (dale-bench tries both settings and keeps each row's faster).

Run with Debian's /usr/bin/python3 (python3-torch 1.13, python3-numpy).
"""
import argparse
import json
import math
import os
import sys
import time


def emit(obj):
    print(json.dumps(obj), flush=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=1,
                   help="torch intra-op threads (torch.set_num_threads); OpenBLAS's own threads come from OPENBLAS_NUM_THREADS")
    p.add_argument("--workloads", default="mlp,dann,rnn,ctrnn", help="comma list of mlp, dann, rnn, ctrnn, conv (may be empty)")
    p.add_argument("--batches", default="32,256")
    p.add_argument("--warmup-steps", type=int, default=10)
    p.add_argument("--warmup-seconds", type=float, default=1.0)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--rep-seconds", type=float, default=1.5)
    p.add_argument("--rep-min-steps", type=int, default=20)
    p.add_argument("--spectra", action="append", default=[], metavar="N:FILE",
                   help="an n x n row-major float64 (little-endian) matrix to time svd and eigvals on")
    p.add_argument("--spectra-reps", type=int, default=3)
    p.add_argument("--no-peak", action="store_true")
    p.add_argument("--overrides", default="{}",
                   help='JSON of per-workload exceptions, e.g. {"conv": {"batches": [32, 128], "warmupSteps": 2, "repMinSteps": 2}}')
    return p.parse_args()


def median(xs):
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def measure(step, batch, a, override=None):
    """Warm-up, then a.reps repetitions of >= a.rep_min_steps steps and >= a.rep_seconds; median samples/s.

    `override` may lower the step minimums for one workload (warmupSteps, repMinSteps), as dale-bench does.
    """
    override = override or {}
    warmup_steps = override.get("warmupSteps", a.warmup_steps)
    rep_min_steps = override.get("repMinSteps", a.rep_min_steps)
    t0 = time.perf_counter()
    i = 0
    while i < warmup_steps or time.perf_counter() - t0 < a.warmup_seconds:
        step()
        i += 1
    reps = []
    steps = 0
    for _ in range(a.reps):
        start = time.perf_counter()
        n = 0
        elapsed = 0.0
        while n < rep_min_steps or elapsed < a.rep_seconds:
            step()
            n += 1
            elapsed = time.perf_counter() - start
        steps += n
        reps.append(n * batch / elapsed)
    return median(reps), reps, steps


def blas_libraries():
    """Paths of the mapped shared libraries whose name contains 'blas' or 'lapack'."""
    paths = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6:
                    path = parts[-1]
                    name = os.path.basename(path).lower()
                    if ("blas" in name or "lapack" in name) and path not in paths:
                        paths.append(path)
    except OSError:
        pass
    return [{"path": p, "resolved": os.path.realpath(p)} for p in paths]


def timed_spectra(np, fn, a, reps):
    fn(a)  # untimed first run
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn(a)
        times.append(time.perf_counter() - t)
    return median(times), times


def run_spectra(np, a):
    for spec in a.spectra:
        n_text, path = spec.split(":", 1)
        n = int(n_text)
        m = np.fromfile(path, dtype="<f8")
        if m.size != n * n:
            emit({"type": "error", "workload": "spectra", "n": n, "message": f"{path}: expected {n * n} float64 values, found {m.size}"})
            continue
        m = m.reshape(n, n)
        for op, fn in (("svd", lambda x: np.linalg.svd(x, compute_uv=False)), ("eig", np.linalg.eigvals)):
            try:
                seconds, times = timed_spectra(np, fn, m, a.spectra_reps)
                emit({"type": "spectra", "op": op, "n": n, "seconds": seconds, "reps": times})
            except Exception as e:  # noqa: BLE001 - report and go on
                emit({"type": "error", "workload": f"spectra-{op}", "n": n, "message": repr(e)})


def build_models(torch):
    nn = torch.nn
    F = nn.functional

    class DannLayer(nn.Module):
        """Cornford et al. (2021) eq. 1: h = g * (z_E - W_EI z_I) / gamma + beta, gamma = W_EI (exp(alpha) * z_I)."""

        def __init__(self, d, ne, ni, relu, gen):
            super().__init__()
            wee = torch.empty(ne, d).exponential_(generator=gen) / math.sqrt(d)
            self.wee = nn.Parameter(wee)
            self.wie = nn.Parameter(wee.mean(0, keepdim=True).repeat(ni, 1))
            self.wei = nn.Parameter(torch.full((ne, ni), 1.0 / ni))
            self.alpha = nn.Parameter(torch.zeros(ni))
            self.g = nn.Parameter(torch.ones(ne))
            self.beta = nn.Parameter(torch.zeros(ne))
            self.relu = relu
            self.d, self.ne = d, ne

        def correct_gradients(self):
            """The DANN update correction (Cornford et al. 2021, Sec. 4; dale-nn's dannUpdateCorrection)."""
            self.wie.grad.mul_(1.0 / math.sqrt(self.ne))
            self.wei.grad.mul_(1.0 / self.d)
            self.alpha.grad.mul_(1.0 / (self.d * math.sqrt(self.ne)))

        def forward(self, x):
            ze = F.linear(x, self.wee)
            zi = F.linear(x, self.wie)
            gamma = F.linear(zi * torch.exp(self.alpha), self.wei) + 1e-8
            h = self.g * (ze - F.linear(zi, self.wei)) / gamma + self.beta
            return torch.relu(h) if self.relu else h

        def nonneg(self):
            return [self.wee, self.wie, self.wei, self.g]

    class Rnn(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.RNN(28, 100, nonlinearity="relu", batch_first=True)
            self.readout = nn.Linear(100, 10)

        def forward(self, x):
            out, _ = self.rnn(x)
            return self.readout(out[:, -1])

    class CtRnn(nn.Module):
        """The continuous-time Dale E/I RNN of dale-nn's CtEiRnn (kind "dale", daleParametrisation "abs").

        Effective weights as CtEiRnn.effectiveParams builds them: W_rec = |W~| * C * diag(s) (C: no
        autapses; s = +1 for the 80 E columns, -1 for the 20 I), W_in = |W~_in|, W_out with the I
        columns zeroed (readout from E units). Euler steps with alpha = dt / tau per unit:
        v <- (1 - alpha) v + alpha (W_rec relu(v) + W_in u_t + b), z_t = W_out relu(v_t) + b_out.
        Initialisation as pycog (gamma(2) magnitudes, rows balanced, spectral radius 1.5); the
        values do not change the work, only the numbers.
        """

        def __init__(self, gen, n=100, ne=80, d=3, k=3, steps=50, dt=20.0, tau=100.0):
            super().__init__()
            mask = 1.0 - torch.eye(n)
            mags = torch.distributions.Gamma(torch.full((n, n), 2.0), torch.ones(n, n)).sample() * mask
            e_sum = mags[:, :ne].sum(1, keepdim=True)
            i_sum = mags[:, ne:].sum(1, keepdim=True)
            mags[:, ne:] *= e_sum / i_sum
            signs = torch.cat([torch.ones(ne), -torch.ones(n - ne)])
            radius = torch.linalg.eigvals(mags * signs).abs().max().item()
            mags *= 1.5 / radius
            self.w_rec = nn.Parameter(mags)
            self.w_in = nn.Parameter(torch.randn(n, d, generator=gen).abs() / math.sqrt(d))
            self.bias = nn.Parameter(torch.zeros(n))
            readout = torch.cat([torch.ones(ne), torch.zeros(n - ne)])
            self.w_out = nn.Parameter(torch.randn(k, n, generator=gen) / math.sqrt(ne) * readout)
            self.b_out = nn.Parameter(torch.zeros(k))
            self.register_buffer("mask", mask)
            self.register_buffer("signs", signs)
            self.register_buffer("readout", readout)
            self.register_buffer("alpha", dt / torch.full((n,), tau))
            self.steps, self.n = steps, n

        def forward(self, u):
            w_rec = self.w_rec.abs() * self.mask * self.signs
            w_in = self.w_in.abs()
            w_out = self.w_out * self.readout
            alpha = self.alpha
            keep = 1 - alpha
            # unbind, not drive[t]: the backward of T selects would add T full-size zero tensors.
            drive = F.linear(u, w_in, self.bias).transpose(0, 1).unbind(0)  # T x [B, n]
            v = u.new_zeros(u.shape[0], self.n)
            states = []
            for t in range(self.steps):
                v = keep * v + alpha * (drive[t] + F.linear(torch.relu(v), w_rec))
                states.append(v)
            s = torch.stack(states, 1)  # [B, T, n]
            return F.linear(torch.relu(s), w_out, self.b_out)

    def masked_mse(z, target, mask):
        """dale-nn's maskedMse: sum(m * (z - z*)^2) / sum(m); a [B, T] mask is broadcast over outputs."""
        m = mask if mask.shape == target.shape else mask.unsqueeze(-1).expand_as(target)
        return (m * (z - target) ** 2).sum() / m.sum().clamp_min(1e-30)

    def build_ctrnn(batch, gen):
        model = CtRnn(gen)
        x = torch.rand(batch, model.steps, 3)
        y = torch.rand(batch, model.steps, 3)
        mask = torch.ones(batch, model.steps, 3)  # one per output, as dale-bench's workload
        # projectedAdam: every CtEiRnn weight of the "abs" Dale form is unconstrained (|W~| carries
        # the signs), so the projection after each step has nothing to clamp; plain Adam is the same.
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = masked_mse(model(x), y, mask)
            loss.backward()
            opt.step()

        return step

    class SeparableConv(nn.Module):
        """3 x 3 depthwise (groups = C, channel multiplier 1) then 1 x 1 pointwise, SAME, stride 1, no
        bias, on the kernels' absolute values W = |W~| (paper 002's "abs" constraint), Glorot-uniform
        W~ as dale-nn's glorotUniformKernel (fans of the tfjs shapes [3, 3, C, 1] and [1, 1, C, C'])."""

        def __init__(self, cin, cout, gen):
            super().__init__()
            a = math.sqrt(6 / (9 * cin + 9))
            self.depthwise = nn.Parameter(torch.empty(cin, 1, 3, 3).uniform_(-a, a, generator=gen))
            b = math.sqrt(6 / (cin + cout))
            self.pointwise = nn.Parameter(torch.empty(cout, cin, 1, 1).uniform_(-b, b, generator=gen))
            self.cin = cin

        def forward(self, x):
            return F.conv2d(F.conv2d(x, self.depthwise.abs(), padding=1, groups=self.cin), self.pointwise.abs())

    class StandardCell(nn.Module):
        """dale-nn's StandardConvRnn (paper 002 Sec. 1, code PVSSTCell), unrolled from zero states:

        f = sigmoid(X->f + PN->f + b_f + 1), IG = relu(X->IG + PN->IG + b_IG), OG = relu(X->OG + PN->OG + b_OG),
        i = sigmoid(IG->PN + b_i), o = relu(OG->PN + b_o), u = relu(X->PN + PN->PN + b_c),
        C_t = BN_t(f * C + (1 - i) * u) with its own BatchNorm per step (decay 0.997, eps 1e-5), PN_t = relu(C_t - o).

        A static input (the first recurrent area) has its X-> convs computed once; a sequence input
        (later areas) at every step. The PN-> convs run at step 0 too (on the zero state), as in dale-nn."""

        def __init__(self, cin, p, g, steps, static, gen):
            super().__init__()
            sep = lambda a, b: SeparableConv(a, b, gen)  # noqa: E731
            self.x_f, self.x_ig, self.x_og, self.x_pn = sep(cin, p), sep(cin, g), sep(cin, g), sep(cin, p)
            self.pn_f, self.pn_ig, self.pn_og, self.pn_pn = sep(p, p), sep(p, g), sep(p, g), sep(p, p)
            self.ig_pn, self.og_pn = sep(g, p), sep(g, p)
            bias = lambda n: nn.Parameter(torch.zeros(1, n, 1, 1))  # noqa: E731
            self.b_f, self.b_ig, self.b_i, self.b_og, self.b_o, self.b_c = bias(p), bias(g), bias(p), bias(g), bias(p), bias(p)
            self.bn = nn.ModuleList([nn.BatchNorm2d(p, eps=1e-5, momentum=0.003) for _ in range(steps)])
            self.p, self.steps, self.static = p, steps, static

        def forward(self, xs):
            b, _, h, w = xs[0].shape
            pn = xs[0].new_zeros(b, self.p, h, w)
            c = pn
            drive = None
            outputs = []
            for t in range(self.steps):
                if drive is None or not self.static:
                    x = xs[0] if self.static else xs[t]
                    drive = (self.x_f(x), self.x_ig(x), self.x_og(x), self.x_pn(x))
                f = torch.sigmoid(drive[0] + self.pn_f(pn) + self.b_f + 1.0)
                ig = torch.relu(drive[1] + self.pn_ig(pn) + self.b_ig)
                og = torch.relu(drive[2] + self.pn_og(pn) + self.b_og)
                i = torch.sigmoid(self.ig_pn(ig) + self.b_i)
                o = torch.relu(self.og_pn(og) + self.b_o)
                u = torch.relu(drive[3] + self.pn_pn(pn) + self.b_c)
                c = self.bn[t](f * c + (1 - i) * u)
                pn = torch.relu(c - o)
                outputs.append(pn)
            return outputs

    class ConvEiNetwork(nn.Module):
        """Paper 002's CIFAR-10 Standard network as dale-nn's buildConvEiNetwork builds it (NCHW here):
        areas 1-2: 3 x 3 conv (no bias) -> BatchNorm -> ReLU -> 3 x 3 max-pool SAME (stride 1, then 2);
        areas 3-4: Standard cells (64 PN + 16 IG + 16 OG, then 128 + 32 + 32), 4 steps, each step's
        output max-pooled 3 x 3 stride 2; area 4 reads area 3's pooled output of the same step;
        LastT readout -> global average pool -> dense(10). 107,098 parameters."""

        def __init__(self, gen, steps=4):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(16, eps=1e-5, momentum=0.003)
            self.conv2 = nn.Conv2d(16, 32, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(32, eps=1e-5, momentum=0.003)
            self.area3 = StandardCell(32, 64, 16, steps, True, gen)
            self.area4 = StandardCell(64, 128, 32, steps, False, gen)
            self.readout = nn.Linear(128, 10)

        def forward(self, x):
            x = F.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 3, 1, 1)
            x = F.max_pool2d(torch.relu(self.bn2(self.conv2(x))), 3, 2, 1)
            a3 = [F.max_pool2d(o, 3, 2, 1) for o in self.area3([x])]
            last = self.area4(a3)[-1]
            return self.readout(F.max_pool2d(last, 3, 2, 1).mean((2, 3)))

    def build_conv(batch, gen):
        model = ConvEiNetwork(gen)
        x = torch.randn(batch, 3, 32, 32, generator=gen)
        y = torch.randint(0, 10, (batch,), generator=gen)
        # projectedMomentum with the "abs" parametrisation: every variable is free, nothing to project.
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

        def step():
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            opt.step()

        return step

    def build(workload, batch):
        torch.manual_seed(0)
        gen = torch.Generator().manual_seed(0)
        if workload == "conv":
            return build_conv(batch, gen)
        nonneg = []
        dann_layers = []
        if workload == "mlp":
            model = nn.Sequential(nn.Linear(784, 500), nn.ReLU(), nn.Linear(500, 500), nn.ReLU(),
                                  nn.Linear(500, 500), nn.ReLU(), nn.Linear(500, 10))
            x = torch.rand(batch, 784)
        elif workload == "dann":
            widths = [784, 500, 500, 500]
            layers = [DannLayer(widths[i], 500, 50, True, gen) for i in range(3)] + [DannLayer(500, 10, 1, False, gen)]
            model = nn.Sequential(*layers)
            nonneg = [p for layer in layers for p in layer.nonneg()]
            dann_layers = layers
            x = torch.rand(batch, 784)
        elif workload == "rnn":
            model = Rnn()
            x = torch.rand(batch, 28, 28)
        elif workload == "ctrnn":
            return build_ctrnn(batch, gen)
        else:
            raise ValueError(f"unknown workload {workload!r}; expected mlp, dann, rnn, ctrnn or conv")
        y = torch.randint(0, 10, (batch,))
        opt = torch.optim.SGD(model.parameters(), lr=0.01)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            for layer in dann_layers:
                layer.correct_gradients()
            opt.step()
            if nonneg:
                with torch.no_grad():
                    for p in nonneg:
                        p.data.clamp_(min=0)

        return step

    return build


def sgemm_peak(torch):
    n = 1024
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    for _ in range(3):
        torch.mm(a, b)
    best = 0.0
    for _ in range(5):
        t = time.perf_counter()
        k = 0
        while True:
            torch.mm(a, b)
            k += 1
            elapsed = time.perf_counter() - t
            if elapsed >= 0.2:
                break
        best = max(best, 2 * n ** 3 * k / elapsed / 1e9)
    return best


def main():
    a = parse_args()
    try:
        import numpy as np
    except Exception as e:  # noqa: BLE001
        emit({"type": "unavailable", "what": "numpy", "reason": f"import numpy failed: {e!r}"})
        return 0
    try:
        import torch
    except Exception as e:  # noqa: BLE001
        emit({"type": "unavailable", "what": "torch", "reason": f"import torch failed: {e!r}"})
        run_spectra(np, a)
        return 0

    torch.set_num_threads(a.threads)
    torch.mm(torch.rand(64, 64), torch.rand(64, 64))
    np.linalg.svd(np.eye(4), compute_uv=False)
    emit({
        "type": "info",
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "threads": torch.get_num_threads(),
        "blasThreads": int(os.environ.get("OPENBLAS_NUM_THREADS", "0") or 0),
        "blas": blas_libraries(),
    })
    if not a.no_peak:
        emit({"type": "peak", "n": 1024, "gflops": sgemm_peak(torch)})

    build = build_models(torch)
    workloads = [w for w in a.workloads.split(",") if w]
    batches = [int(b) for b in a.batches.split(",") if b]
    overrides = json.loads(a.overrides)
    for workload in workloads:
        override = overrides.get(workload, {})
        for batch in override.get("batches", batches):
            try:
                sps, reps, steps = measure(build(workload, batch), batch, a, override)
                emit({"type": "train", "workload": workload, "batch": batch, "samplesPerSecond": sps, "reps": reps, "steps": steps})
            except Exception as e:  # noqa: BLE001 - report and go on
                emit({"type": "error", "workload": workload, "batch": batch, "message": repr(e)})
    run_spectra(np, a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
