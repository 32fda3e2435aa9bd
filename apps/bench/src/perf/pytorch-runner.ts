import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PerfProfile } from "./perf-profile.js";

/** A BLAS / LAPACK library mapped into the Python process. */
export interface BlasLibrary {
  path: string;
  resolved: string;
}

/** What the PyTorch / numpy script measured (everything null or empty when it could not run). */
export interface PytorchResults {
  /** False when torch (or Python) is missing; numpy spectra may still be present. */
  available: boolean;
  /** Why torch is not available. */
  reason: string | null;
  /** `threads`: torch's intra-op threads; `blasThreads`: OPENBLAS_NUM_THREADS. */
  info: { python: string; torch: string; numpy: string; threads: number; blasThreads: number; blas: BlasLibrary[] } | null;
  /** sgemm GFLOP/s of torch.mm on 1024 x 1024 float32 (best of 5). */
  peakGflops: number | null;
  /** Median samples/s keyed by {@link trainKey}. */
  train: Map<string, number>;
  /** The thread setting each training row was measured with (see {@link runPytorchPerfBest}), keyed by {@link trainKey}. */
  trainSetting: Map<string, string>;
  /** Median seconds keyed by {@link spectraKey}. */
  spectra: Map<string, number>;
  /** One line per failed measurement. */
  errors: string[];
}

/** Key of a training measurement: "mlp/32". */
export const trainKey = (workload: string, batch: number): string => `${workload}/${batch}`;
/** Key of a spectra measurement: "svd/300". */
export const spectraKey = (op: string, n: number): string => `${op}/${n}`;

/** An empty result: nothing measured, for the reason given. */
export function unavailableResults(reason: string): PytorchResults {
  return { available: false, reason, info: null, peakGflops: null, train: new Map(), trainSetting: new Map(), spectra: new Map(), errors: [] };
}

/**
 * Parses the stdout of `perf/pytorch_perf.py`: one JSON object per line with a `type` of info,
 * peak, train, spectra, unavailable or error. Lines that are not JSON objects are ignored.
 *
 * @param stdout - the script's standard output
 * @returns the measurements; `available` is true once an info line was seen and no torch
 *   "unavailable" line
 * @example
 * parsePytorchOutput('{"type":"train","workload":"mlp","batch":32,"samplesPerSecond":9000}\n').train.get("mlp/32"); // 9000
 */
export function parsePytorchOutput(stdout: string): PytorchResults {
  const r = unavailableResults("the script printed no info line");
  for (const line of stdout.split("\n")) {
    let o: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) continue;
      o = parsed as Record<string, unknown>;
    } catch {
      continue;
    }
    const num = (k: string): number | null => (typeof o[k] === "number" && Number.isFinite(o[k]) ? (o[k] as number) : null);
    switch (o.type) {
      case "info":
        r.info = {
          python: String(o.python ?? ""),
          torch: String(o.torch ?? ""),
          numpy: String(o.numpy ?? ""),
          threads: num("threads") ?? 0,
          blasThreads: num("blasThreads") ?? 0,
          blas: Array.isArray(o.blas) ? (o.blas as BlasLibrary[]) : [],
        };
        if (r.reason === "the script printed no info line") {
          r.available = true;
          r.reason = null;
        }
        break;
      case "peak":
        r.peakGflops = num("gflops");
        break;
      case "train": {
        const sps = num("samplesPerSecond");
        const batch = num("batch");
        if (sps !== null && batch !== null) r.train.set(trainKey(String(o.workload), batch), sps);
        break;
      }
      case "spectra": {
        const seconds = num("seconds");
        const n = num("n");
        if (seconds !== null && n !== null) r.spectra.set(spectraKey(String(o.op), n), seconds);
        break;
      }
      case "unavailable":
        r.available = false;
        r.reason = String(o.reason ?? "unknown reason");
        break;
      case "error":
        r.errors.push(`${String(o.workload ?? "?")}${o.batch !== undefined ? ` batch ${String(o.batch)}` : ""}${o.n !== undefined ? ` n ${String(o.n)}` : ""}: ${String(o.message ?? "failed")}`);
        break;
      default:
        break;
    }
  }
  return r;
}

/** Options of {@link runPytorchPerf}. */
export interface PytorchRunOptions {
  /** Python interpreter; default env DALE_PYTHON, else /usr/bin/python3 (Debian's, with python3-torch). */
  python?: string;
  /** OpenBLAS threads (OPENBLAS_NUM_THREADS), and torch's intra-op threads unless `intraOpThreads` is given. */
  threads: number;
  /** torch.set_num_threads and OMP_NUM_THREADS / MKL_NUM_THREADS; default `threads`. */
  intraOpThreads?: number;
  workloads: readonly string[];
  batches: readonly number[];
  profile: PerfProfile;
  /**
   * Per-workload exceptions to `batches` and the profile's step minimums (e.g. conv: batches 32
   * and 128, at most 2 warm-up steps and 2 steps per repetition), passed as `--overrides JSON`.
   */
  overrides?: Readonly<Record<string, { batches?: readonly number[]; warmupSteps?: number; repMinSteps?: number }>>;
  /** Matrices for numpy: n and the raw little-endian float64 file of an n x n row-major matrix. */
  spectra: ReadonlyArray<{ n: number; file: string }>;
  /** Kill the interpreter after this many milliseconds; default {@link PYTORCH_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** The path of perf/pytorch_perf.py, from the built CLI (dist/) or the sources (src/perf/). */
export function pytorchScriptPath(): string {
  const candidates = ["../perf/pytorch_perf.py", "../../perf/pytorch_perf.py"].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

/** The command-line arguments of the script for these options. */
export function pytorchArgs(options: PytorchRunOptions): string[] {
  const p = options.profile;
  return [
    pytorchScriptPath(),
    "--threads", String(options.intraOpThreads ?? options.threads),
    "--workloads", options.workloads.join(","),
    "--batches", options.batches.join(","),
    "--warmup-steps", String(p.warmupSteps),
    "--warmup-seconds", String(p.warmupSeconds),
    "--reps", String(p.reps),
    "--rep-seconds", String(p.repSeconds),
    "--rep-min-steps", String(p.repMinSteps),
    "--spectra-reps", String(p.spectraReps),
    ...(options.overrides && Object.keys(options.overrides).length > 0 ? ["--overrides", JSON.stringify(options.overrides)] : []),
    ...options.spectra.flatMap((s) => ["--spectra", `${s.n}:${s.file}`]),
  ];
}

/** How long the PyTorch side of perf may run: 30 minutes (DALE_PERF_TIMEOUT_S overrides). */
export const PYTORCH_TIMEOUT_MS = Number(process.env.DALE_PERF_TIMEOUT_S ?? "1800") * 1000;

/**
 * Runs `perf/pytorch_perf.py` in a child process (asynchronously, so the caller's event loop keeps
 * running) with OPENBLAS_NUM_THREADS set to `threads` and OMP_NUM_THREADS / MKL_NUM_THREADS to
 * `intraOpThreads` (default `threads`) before torch loads. Never rejects: a missing interpreter, a missing torch or a crash give
 * `available: false` and a reason.
 *
 * @param options - interpreter, threads, workloads, batches, timing profile, spectra matrices
 * @returns the parsed measurements
 */
export function runPytorchPerf(options: PytorchRunOptions): Promise<PytorchResults> {
  const python = options.python ?? process.env.DALE_PYTHON ?? "/usr/bin/python3";
  const threads = String(options.threads);
  const intraOp = String(options.intraOpThreads ?? options.threads);
  const env = { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: intraOp, MKL_NUM_THREADS: intraOp, PYTHONUNBUFFERED: "1" };
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    const child = spawn(python, pytorchArgs(options), { env, stdio: ["ignore", "pipe", "pipe"] });
    // A hung interpreter (e.g. a BLAS pool that never starts) must not hang perf: kill it after the limit.
    const limitMs = options.timeoutMs ?? PYTORCH_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, limitMs);
    timer.unref();
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", (e: NodeJS.ErrnoException) => {
      resolve(unavailableResults(e.code === "ENOENT" ? `${python} not found; set DALE_PYTHON to a Python with torch` : `${python}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const r = parsePytorchOutput(stdout);
      if (code !== 0) {
        const last = stderr.trim().split("\n").pop() ?? "";
        const why = timedOut
          ? `${python} timed out after ${Math.round(limitMs / 1000)} s and was killed`
          : `${python} ${signal ? `was killed by ${signal}` : `exited with status ${code}`}${last ? `: ${last}` : ""}`;
        if (r.available) r.errors.push(why);
        else if (r.reason === "the script printed no info line") r.reason = why;
      }
      resolve(r);
    });
  });
}

/** One way to give PyTorch `blas` cores: torch's intra-op threads and OpenBLAS's threads. */
export interface PytorchThreadSetting {
  intraOp: number;
  blas: number;
}

/** "intra-op 1 + OpenBLAS 2": how a setting is named in the notes and the JSON rows. */
export const describeThreadSetting = (s: PytorchThreadSetting): string => `intra-op ${s.intraOp} + OpenBLAS ${s.blas}`;

/**
 * The thread settings PyTorch is measured with at `threads` cores: one thread each at 1; above 1,
 * PyTorch's default when told N threads (intra-op N, OpenBLAS N), and intra-op 1 with OpenBLAS N.
 * The two nest differently: with both above 1, OpenMP's and OpenBLAS's pools compete for the
 * cores (on this 2-core VM the MLP at batch 256 ran 5,494 against 23,804 samples/s).
 *
 * @param threads - cores given to each side (`--threads`)
 * @returns the settings to try, the default first
 */
export function pytorchThreadSettings(threads: number): PytorchThreadSetting[] {
  return threads > 1 ? [{ intraOp: threads, blas: threads }, { intraOp: 1, blas: threads }] : [{ intraOp: 1, blas: 1 }];
}

/**
 * Merges PyTorch's results under several thread settings into the best per measurement: the
 * higher samples/s of each training row (with the setting that gave it), the higher sgemm peak,
 * the shorter numpy time; errors are kept, prefixed with their setting.
 *
 * @param results - one result per setting, in the order of `settings`
 * @param settings - the settings' names
 * @returns the merged results (not available only when none was)
 */
export function mergeBestPytorchResults(results: readonly PytorchResults[], settings: readonly string[]): PytorchResults {
  const available = results.filter((r) => r.available);
  if (available.length === 0) return results[0] ?? unavailableResults("no thread setting was run");
  const merged: PytorchResults = { ...unavailableResults(""), available: true, reason: null, info: available[0]!.info };
  results.forEach((r, i) => {
    const name = settings[i] ?? `setting ${i}`;
    for (const [k, v] of r.train) {
      if (v > (merged.train.get(k) ?? -Infinity)) {
        merged.train.set(k, v);
        merged.trainSetting.set(k, name);
      }
    }
    for (const [k, v] of r.spectra) if (v < (merged.spectra.get(k) ?? Infinity)) merged.spectra.set(k, v);
    if (r.peakGflops !== null && r.peakGflops > (merged.peakGflops ?? -Infinity)) merged.peakGflops = r.peakGflops;
    merged.errors.push(...r.errors.map((e) => (results.length > 1 ? `${name}: ${e}` : e)));
    if (!r.available && results.length > 1) merged.errors.push(`${name}: not available (${r.reason ?? "unknown reason"})`);
  });
  return merged;
}

/**
 * {@link runPytorchPerf} under every setting of {@link pytorchThreadSettings}, one after the
 * other, merged by {@link mergeBestPytorchResults}: PyTorch's best at this core count, so that a
 * ratio above 1 is not an artefact of PyTorch's thread pools nesting.
 *
 * @param options - as for {@link runPytorchPerf} (`intraOpThreads` is set per setting)
 * @returns the merged measurements, with each training row's setting in `trainSetting`
 */
export async function runPytorchPerfBest(options: PytorchRunOptions): Promise<PytorchResults> {
  const settings = pytorchThreadSettings(options.threads);
  const results: PytorchResults[] = [];
  for (const s of settings) results.push(await runPytorchPerf({ ...options, threads: s.blas, intraOpThreads: s.intraOp }));
  return mergeBestPytorchResults(results, settings.map(describeThreadSetting));
}
