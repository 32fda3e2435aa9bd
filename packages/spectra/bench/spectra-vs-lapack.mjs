#!/usr/bin/env node
// Benchmark (not a test): singular values and eigenvalues of random n x n matrices with
// @dale-nn/spectra (own values-only float64 JavaScript solvers) against numpy.linalg (LAPACK) on the SAME matrices.
//
//   node bench/spectra-vs-lapack.mjs                       # n = 300 and 1000, table
//   node bench/spectra-vs-lapack.mjs --json                # one JSON line per (n, operation)
//   node bench/spectra-vs-lapack.mjs --sizes 200,500 --reps 3 --seed 7 --numpy-threads 2
//
// Matrices: i.i.d. N(0, 1/n) entries from a fixed seed (mulberry32 + Box-Muller), written as raw
// little-endian float64 to a temp file that an inline python script reads with numpy.fromfile.
// Timings are medians over --reps repetitions (default 5 for n <= 300, else 3) after a warm-up on a
// small matrix. numpy runs with OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS set to
// --numpy-threads (default 1: our code is single-threaded, so one core against one core).
// Needs the built package (npx tsup).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

let spectra;
try {
  spectra = await import("../dist/index.js");
} catch (error) {
  console.error(`spectra-vs-lapack: cannot load ../dist/index.js (${error.message}); run \`npx tsup\` in packages/spectra first`);
  process.exit(1);
}
const { singularValues, eigenvalues } = spectra;

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "300,1000" },
    reps: { type: "string" },
    seed: { type: "string", default: "1" },
    json: { type: "boolean", default: false },
    "numpy-threads": { type: "string", default: "1" },
    "no-numpy": { type: "boolean", default: false },
  },
});
const sizes = args.sizes.split(",").map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 2)) {
  console.error(`spectra-vs-lapack: --sizes must be integers >= 2 separated by commas; got ${JSON.stringify(args.sizes)}`);
  process.exit(1);
}
const seed = Number(args.seed);
const numpyThreads = args["numpy-threads"];
const repsFor = (n) => (args.reps !== undefined ? Number(args.reps) : n <= 300 ? 5 : 3);

function gaussianMatrix(n, seedValue) {
  let state = seedValue >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const scale = 1 / Math.sqrt(n);
  const data = new Float64Array(n * n);
  for (let k = 0; k < data.length; k++) {
    data[k] = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()) * scale;
  }
  return { data, rows: n, cols: n };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function time(fn, reps) {
  const seconds = [];
  let result;
  for (let r = 0; r < reps; r++) {
    const start = process.hrtime.bigint();
    result = fn();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { seconds: median(seconds), all: seconds, result };
}

const PYTHON = String.raw`
import json, sys, time
import numpy as np
path, n, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
a = np.fromfile(path, dtype="<f8").reshape(n, n)
def timed(f):
    f(a[:50, :50])
    out, ts = None, []
    for _ in range(reps):
        t = time.perf_counter(); out = f(a); ts.append(time.perf_counter() - t)
    return float(np.median(ts)), ts, out
ts_svd, all_svd, s = timed(lambda m: np.linalg.svd(m, compute_uv=False))
ts_eig, all_eig, lam = timed(np.linalg.eigvals)
print(json.dumps({
    "numpy": np.__version__,
    "svd": ts_svd, "svd_all": all_svd, "eig": ts_eig, "eig_all": all_eig,
    "s": s.tolist(), "abs_eig": sorted(np.abs(lam).tolist(), reverse=True),
    "sum_re": float(lam.real.sum()),
}))
`;

function numpyAvailability() {
  if (args["no-numpy"]) return "numpy column skipped: --no-numpy";
  const probe = spawnSync("python3", ["-c", "import numpy; print(numpy.__version__)"], { encoding: "utf8" });
  if (probe.error) return `numpy column skipped: python3 not found (${probe.error.code ?? probe.error.message})`;
  if (probe.status !== 0) return `numpy column skipped: python3 cannot import numpy (${probe.stderr.trim().split("\n").at(-1)})`;
  return null;
}

function runNumpy(matrix, reps, dir) {
  const path = join(dir, `a-${matrix.rows}.f64`);
  writeFileSync(path, Buffer.from(matrix.data.buffer, matrix.data.byteOffset, matrix.data.byteLength));
  const env = { ...process.env, OPENBLAS_NUM_THREADS: numpyThreads, OMP_NUM_THREADS: numpyThreads, MKL_NUM_THREADS: numpyThreads };
  const run = spawnSync("python3", ["-c", PYTHON, path, String(matrix.rows), String(reps)], {
    encoding: "utf8",
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`numpy run failed: ${run.stderr || run.error?.message}`);
  return JSON.parse(run.stdout);
}

const maxRelative = (a, b) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-300));
  return worst;
};

const skipReason = numpyAvailability();
const dir = mkdtempSync(join(tmpdir(), "spectra-bench-"));
const rows = [];
try {
  // Warm up the JIT on a small matrix so the first timed run is not an outlier.
  const warm = gaussianMatrix(80, seed + 999);
  singularValues(warm);
  eigenvalues(warm);
  for (const n of sizes) {
    const a = gaussianMatrix(n, seed + n);
    const reps = repsFor(n);
    const sv = time(() => singularValues(a), reps);
    const ev = time(() => eigenvalues(a), reps);
    let np = null;
    if (!skipReason) np = runNumpy(a, reps, dir);
    const ourAbs = Array.from(ev.result.re, (re, k) => Math.hypot(re, ev.result.im[k])).sort((x, y) => y - x);
    rows.push({
      n, op: "singular values", reps, ours_s: sv.seconds, ours_all_s: sv.all,
      numpy_s: np?.svd ?? null, numpy_all_s: np?.svd_all ?? null,
      ratio: np ? sv.seconds / np.svd : null,
      max_rel_diff: np ? maxRelative(sv.result, np.s) : null,
    });
    rows.push({
      n, op: "eigenvalues", reps, ours_s: ev.seconds, ours_all_s: ev.all,
      numpy_s: np?.eig ?? null, numpy_all_s: np?.eig_all ?? null,
      ratio: np ? ev.seconds / np.eig : null,
      // |λ| sorted; moduli of a non-normal matrix's eigenvalues agree to about cond · ε.
      max_rel_diff: np ? maxRelative(ourAbs, np.abs_eig) : null,
    });
    if (args.json) {
      for (const row of rows.slice(-2)) {
        console.log(JSON.stringify({ ...row, seed, numpy_threads: np ? Number(numpyThreads) : null, numpy_version: np?.numpy ?? null, node: process.version }));
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (args.json) {
  if (skipReason) console.log(JSON.stringify({ note: skipReason }));
} else {
  const fmt = (x, digits = 3) => (x === null ? "-" : x.toFixed(digits));
  console.log(`@dale-nn/spectra (float64 JS, 1 thread, node ${process.version}) vs numpy.linalg (LAPACK, ${numpyThreads} thread(s))`);
  console.log(`random N(0, 1/n) matrices, seed ${seed}, median of reps\n`);
  const header = ["n", "operation", "reps", "ours (s)", "numpy (s)", "ours/numpy", "max rel diff"];
  const body = rows.map((r) => [
    String(r.n), r.op, String(r.reps), fmt(r.ours_s), fmt(r.numpy_s, 4),
    r.ratio === null ? "-" : `${r.ratio.toFixed(1)}x`, r.max_rel_diff === null ? "-" : r.max_rel_diff.toExponential(1),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cells) => `| ${cells.map((x, c) => (c < 2 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, c) => (c < 2 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const b of body) console.log(line(b));
  if (skipReason) console.log(`\n${skipReason}`);
}
