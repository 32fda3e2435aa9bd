import * as tf from "@tensorflow/tfjs";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { activeDenseSolvers, registerDenseSolvers } from "@dale-nn/spectra";
import { timeRepetitions, warmUp } from "./measure-throughput.js";
import { batchesFor, parsePerfArgs, type PerfOptions } from "./perf-args.js";
import { prepareBackends, useBackend, type PerfBackend } from "./perf-backends.js";
import { measureMemory, renderMemoryTable, type MemoryRow } from "./perf-memory.js";
import { achievedGflops, type TrainingWorkload } from "./perf-flops.js";
import { profileForBackend, profileForWorkload } from "./perf-profile.js";
import type { PerfRow, SpectraRow, TrainingRow } from "./perf-row.js";
import { loadOpenBlas } from "../load-openblas.js";
import { gaussianMatrix, SPECTRA_OPS, timeOurSpectra, writeMatrixFile } from "./perf-spectra.js";
import { buildOurWorkload, TRAINING_WORKLOADS } from "./perf-workloads.js";
import { describeThreadSetting, pytorchThreadSettings, runPytorchPerfBest, spectraKey, trainKey, unavailableResults, type PytorchResults } from "./pytorch-runner.js";
import { renderPerfTables } from "./render-perf-table.js";
import { breakDownStep } from "./step-breakdown.js";

/** Where `dale-bench perf` writes: results (tables or JSON lines) and notices / progress. */
export interface PerfIo {
  out(text: string): void;
  err(text: string): void;
}

const STDIO: PerfIo = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

/** Which thread settings PyTorch ran with, and which one each training row kept. */
function describeSettings(py: PytorchResults, threads: number): string {
  const settings = pytorchThreadSettings(threads).map(describeThreadSetting);
  if (settings.length === 1) return settings[0]!;
  const rows = [...py.trainSetting].map(([k, s]) => `${k} ${s}`).join(", ");
  return `the faster of ${settings.join(" and ")} for each row (${rows || "no training rows"})`;
}

function describePytorch(py: PytorchResults, threads: number): string[] {
  if (!py.available || py.info === null) return [`pytorch: not available (${py.reason ?? "unknown reason"}); PyTorch columns left empty`];
  const blas = py.info.blas.map((b) => (b.resolved !== b.path ? `${b.path} -> ${b.resolved}` : b.path));
  return [
    `pytorch: torch ${py.info.torch}, numpy ${py.info.numpy}, python ${py.info.python}; ${describeSettings(py, threads)}`,
    `pytorch BLAS: ${blas.length > 0 ? blas.join(", ") : "no library with 'blas' in its name is mapped"}`,
    `sgemm peak: ${py.peakGflops === null ? "not measured" : `${py.peakGflops.toFixed(1)} GFLOP/s`} (torch.mm 1024 x 1024 float32, ${threads} thread(s), best of 5)`,
  ];
}

/** Times one training workload of ours at one batch size on the current backend, and profiles a few of its steps. */
async function timeOurTraining(workload: TrainingWorkload, batch: number, options: PerfOptions, backend: string, py: PytorchResults): Promise<TrainingRow> {
  const profile = profileForWorkload(profileForBackend(options.profile, backend), workload);
  const w = buildOurWorkload(workload, batch);
  try {
    warmUp(w.step, profile);
    const before = tf.memory().numTensors;
    const t = timeRepetitions(w.step, batch, profile);
    const leakedTensors = tf.memory().numTensors - before;
    const breakdown = await breakDownStep(w.step, (1000 * batch) / t.samplesPerSecond, workload === "conv" ? 2 : backend === "cpu" ? 1 : 5);
    const pytorch = py.train.get(trainKey(workload, batch)) ?? null;
    const gflops = achievedGflops(workload, t.samplesPerSecond);
    const peak = py.peakGflops;
    return {
      kind: "train", workload, batch, backend, unit: "samples/s",
      ours: t.samplesPerSecond, pytorch, pytorchThreads: py.trainSetting.get(trainKey(workload, batch)) ?? null, ratio: pytorch === null ? null : t.samplesPerSecond / pytorch,
      gflops, peakGflops: peak, peakFraction: peak === null ? null : gflops / peak,
      leakedTensors, reps: t.reps, steps: t.steps, threads: options.threads, breakdown,
    };
  } finally {
    w.dispose();
  }
}

/** Times our spectra on each matrix, with the JavaScript solvers and, when built, LAPACK. */
/** Prints the rows (the table, or JSON lines with --json) and writes the JSON lines to --out. */
function emitRows(rows: readonly object[], table: string, options: PerfOptions, io: PerfIo, note: (line: string) => void): void {
  const lines = rows.map((r) => `${JSON.stringify(r)}\n`).join("");
  if (options.json) io.out(lines);
  else io.out(`\n${table}`);
  if (options.out !== null) {
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, lines);
    note(`perf: wrote ${rows.length} JSON lines to ${options.out}`);
  }
}

/** `perf --memory STEPS`: tensor count and process memory over STEPS training steps per workload and backend (first batch size). */
async function runMemory(
  options: PerfOptions,
  steps: number,
  available: readonly PerfBackend[],
  io: PerfIo,
  note: (line: string) => void,
  progress: (line: string) => void,
): Promise<{ rows: PerfRow[]; exitCode: number }> {
  const rows: MemoryRow[] = [];
  for (const backend of available) {
    await useBackend(backend);
    for (const workload of TRAINING_WORKLOADS.filter((w) => options.workloads.includes(w))) {
      if (skipReason(workload, backend)) continue;
      const batch = batchesFor(options, workload)[0]!;
      const row = measureMemory(workload, batch, backend, steps);
      rows.push(row);
      progress(`perf: memory ${workload} batch ${batch} on ${backend}: tensors ${row.samples[0]!.tensors} → ${row.samples.at(-1)!.tensors}, RSS +${row.rssGrowthMiB.toFixed(1)} MiB, live heap +${row.liveHeapGrowthMiB.toFixed(1)} MiB after the first tenth`);
    }
  }
  emitRows(rows, renderMemoryTable(rows), options, io, note);
  const grew = rows.filter((r) => r.tensorGrowth !== 0);
  for (const r of grew) io.err(`perf: LEAK!!! ${r.workload} on ${r.backend}: ${r.tensorGrowth} tensors more after ${r.steps} steps\n`);
  return { rows: rows as unknown as PerfRow[], exitCode: grew.length > 0 ? 1 : 0 };
}

/**
 * Why a workload cannot run on a backend, or null: the conv network needs Conv2DBackpropFilter,
 * which tfjs 4.22's wasm backend does not have.
 */
export function skipReason(workload: TrainingWorkload, backend: PerfBackend): string | null {
  return workload === "conv" && backend === "wasm" ? "tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel" : null;
}

/** The per-workload exceptions to --batches and the profile's step minimums, for the PyTorch side. */
function pytorchOverrides(options: PerfOptions, training: readonly TrainingWorkload[]): Record<string, { batches?: number[]; warmupSteps?: number; repMinSteps?: number }> {
  const out: Record<string, { batches?: number[]; warmupSteps?: number; repMinSteps?: number }> = {};
  for (const w of training) {
    const batches = batchesFor(options, w);
    const p = profileForWorkload(options.profile, w);
    const o: { batches?: number[]; warmupSteps?: number; repMinSteps?: number } = {};
    if (batches !== options.batches) o.batches = batches;
    if (p.warmupSteps !== options.profile.warmupSteps) o.warmupSteps = p.warmupSteps;
    if (p.repMinSteps !== options.profile.repMinSteps) o.repMinSteps = p.repMinSteps;
    if (Object.keys(o).length > 0) out[w] = o;
  }
  return out;
}

/** Fills a training row's PyTorch columns (samples/s, ratio, sgemm peak) once PyTorch has run. */
function attachPytorch(row: TrainingRow, py: PytorchResults): void {
  const key = trainKey(row.workload as TrainingWorkload, row.batch);
  const pytorch = py.train.get(key) ?? null;
  const peak = py.peakGflops;
  Object.assign(row, { pytorch, pytorchThreads: py.trainSetting.get(key) ?? null, ratio: pytorch === null ? null : row.ours / pytorch, peakGflops: peak, peakFraction: peak === null ? null : row.gflops / peak });
}

async function timeOurSpectraRows(
  matrices: ReadonlyArray<ReturnType<typeof gaussianMatrix>>,
  options: PerfOptions,
  py: PytorchResults,
  note: (line: string) => void,
  progress: (line: string) => void,
): Promise<SpectraRow[]> {
  const rows: SpectraRow[] = [];
  if (matrices.length === 0) return rows;
  const blas = await loadOpenBlas();
  const lapack = typeof blas === "string" ? { registered: false, notice: `spectra: LAPACK unavailable: ${blas}; JavaScript solvers only` } : blas.registerOpenBlasSpectra();
  note(lapack.notice);
  const solvers: Array<SpectraRow["backend"]> = lapack.registered && typeof blas !== "string" ? ["javascript", "lapack"] : ["javascript"];
  try {
    for (const m of matrices) {
      for (const backend of solvers) {
        if (backend === "javascript") registerDenseSolvers(null);
        else if (typeof blas !== "string") blas.registerOpenBlasSpectra();
        for (const op of SPECTRA_OPS) {
          const oursSeconds = timeOurSpectra(op, m, options.profile.spectraReps);
          const numpySeconds = py.spectra.get(spectraKey(op, m.rows)) ?? null;
          rows.push({
            kind: "spectra", workload: `spectra-${op}`, op, n: m.rows, batch: null, backend, solver: activeDenseSolvers(), unit: "seconds",
            ours: oursSeconds, pytorch: numpySeconds, ratio: numpySeconds === null ? null : oursSeconds / numpySeconds,
            oursSeconds, numpySeconds, gflops: null, peakFraction: null, leakedTensors: null, threads: options.threads,
          });
          progress(`perf: ${op} n ${m.rows} (${backend}): ${oursSeconds.toFixed(4)} s`);
        }
      }
    }
  } finally {
    registerDenseSolvers(null);
  }
  return rows;
}

/**
 * Runs `dale-bench perf`: our training workloads on each backend and our spectra, then PyTorch /
 * numpy (a child process), sequentially so nothing competes for the cores. Writes the tables
 * (or, with `--json`, one JSON object per line) to `io.out`, progress to stderr.
 *
 * @param options - parsed flags ({@link parsePerfArgs})
 * @param io - output sinks; default process.stdout / process.stderr
 * @returns the rows and the exit status (1 when a tensor leaked or a measurement failed)
 */
export async function runPerf(options: PerfOptions, io: PerfIo = STDIO): Promise<{ rows: PerfRow[]; exitCode: number }> {
  const note = (line: string): void => (options.json ? io.err(`${line}\n`) : io.out(`${line}\n`));
  const progress = (line: string): void => io.err(`${line}\n`);
  const training = TRAINING_WORKLOADS.filter((w) => options.workloads.includes(w));
  const sizes = options.workloads.includes("spectra") ? options.profile.spectraSizes : [];
  const ownBatches = training.filter((w) => batchesFor(options, w) !== options.batches).map((w) => ` (${w}: ${batchesFor(options, w).join(", ")})`);
  note(`perf: profile ${options.profile.name}, ${options.threads} thread(s) for OpenBLAS and PyTorch, workloads ${options.workloads.join(", ")}, batches ${options.batches.join(", ")}${ownBatches.join("")}`);
  const { available, notices } = await prepareBackends(options.backends, options.threads);
  notices.forEach(note);
  if (options.memorySteps !== null) return runMemory(options, options.memorySteps, available, io, note, progress);

  const matrices = sizes.map((n) => gaussianMatrix(n, n));

  // Ours first, PyTorch after: a Node process that has sat idle for the seconds the Python side
  // takes has had its heap shrunk by V8's memory reducer, and then trains up to 40% slower for a
  // while (measured: 4,300 against 7,700 samples/s on the MLP); PyTorch has no such effect.
  const rows: PerfRow[] = [];
  let failed = false;
  const noPytorchYet = unavailableResults("not run yet");
  for (const backend of available) {
    if (training.length === 0) break;
    await useBackend(backend);
    for (const workload of training) {
      const skip = skipReason(workload, backend);
      if (skip !== null) {
        progress(`perf: ${workload} skipped on ${backend}: ${skip}`);
        continue;
      }
      for (const batch of batchesFor(options, workload)) {
        try {
          const row = await timeOurTraining(workload, batch, options, backend, noPytorchYet);
          rows.push(row);
          progress(`perf: ${workload} batch ${batch} on ${backend}: ${Math.round(row.ours)} samples/s`);
        } catch (e) {
          failed = true;
          progress(`perf: FAILED ${workload} batch ${batch} on ${backend}: ${(e as Error).message}`);
        }
      }
    }
  }
  const spectraRows = await timeOurSpectraRows(matrices, options, noPytorchYet, note, progress);

  const dir = mkdtempSync(join(tmpdir(), "dale-perf-"));
  let py: PytorchResults;
  try {
    progress("perf: running the PyTorch / numpy side...");
    const spectra = matrices.map((m) => ({ n: m.rows, file: writeMatrixFile(dir, m) }));
    py = await runPytorchPerfBest({ threads: options.threads, workloads: training, batches: options.batches, profile: options.profile, overrides: pytorchOverrides(options, training), spectra });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  describePytorch(py, options.threads).forEach(note);
  py.errors.forEach((e) => note(`pytorch: FAILED ${e}`));
  for (const row of rows) if (row.kind === "train") attachPytorch(row, py);
  for (const row of spectraRows) {
    const numpySeconds = py.spectra.get(spectraKey(row.op, row.n)) ?? null;
    Object.assign(row, { pytorch: numpySeconds, numpySeconds, ratio: numpySeconds === null ? null : row.oursSeconds / numpySeconds });
  }
  rows.push(...spectraRows);

  emitRows(rows, renderPerfTables(rows), options, io, note);
  const leaks = rows.filter((r): r is TrainingRow => r.kind === "train" && r.leakedTensors !== 0);
  for (const r of leaks) io.err(`perf: LEAK!!! ${r.workload} batch ${r.batch} on ${r.backend}: tf.memory().numTensors changed by ${r.leakedTensors} over the timed steps\n`);
  return { rows, exitCode: leaks.length > 0 || failed ? 1 : 0 };
}

/**
 * The `dale-bench perf` command.
 *
 * @param args - the arguments after `perf`
 * @returns the exit status
 * @throws UserError for bad flags (the CLI prints it as one line and exits 2)
 */
export async function perfCommand(args: string[]): Promise<number> {
  return (await runPerf(parsePerfArgs(args))).exitCode;
}
