import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { UserError } from "../user-error.js";
import { PERF_BACKENDS, type PerfBackend } from "./perf-backends.js";
import { DEFAULT_PROFILE, QUICK_PROFILE, type PerfProfile } from "./perf-profile.js";
import type { TrainingWorkload } from "./perf-flops.js";
import { DEFAULT_PERF_WORKLOADS, PERF_WORKLOADS, type PerfWorkload } from "./perf-workloads.js";

/** The options of one `dale-bench perf` run. */
export interface PerfOptions {
  /** Backends to time, in order. */
  backends: PerfBackend[];
  /** Workloads to time, in order ("spectra" included or not). */
  workloads: PerfWorkload[];
  /** Batch sizes of the training workloads (--batches, default 32 and 256) ... */
  batches: number[];
  /** ... except these workloads' own defaults when --batches is not given (conv: 32 and 128); see {@link batchesFor}. */
  workloadBatches: Partial<Record<TrainingWorkload, number[]>>;
  /** OpenBLAS and PyTorch threads. */
  threads: number;
  profile: PerfProfile;
  /** One JSON object per line on stdout; notices go to stderr. */
  json: boolean;
  /** Also write the JSON lines to this file. */
  out: string | null;
  /** Run the memory benchmark (this many training steps per workload and backend) instead of the speed table. */
  memorySteps: number | null;
}

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) throw new UserError(`${flag} needs at least one of ${allowed.join(", ")}; got ${JSON.stringify(value)}`);
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new UserError(`unknown ${flag} entry ${JSON.stringify(item)}; expected one of ${allowed.join(", ")}`);
  }
  return [...new Set(items as T[])];
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be an integer >= 1; got ${JSON.stringify(value)}`);
  return n;
}

function boundedThreads(value: string): number {
  const n = positiveInteger("--threads", value);
  if (n > MAX_PERF_THREADS) throw new UserError(`--threads must be an integer in [1, ${MAX_PERF_THREADS}]; got ${JSON.stringify(value)}`);
  return n;
}

/**
 * The batch sizes of workloads whose default is not --batches' 32 and 256: `conv` (paper 002's
 * CIFAR-10 network) trains at batch 128 in the paper, and takes seconds per step.
 */
export const DEFAULT_WORKLOAD_BATCHES: Readonly<Partial<Record<TrainingWorkload, number[]>>> = { conv: [32, 128] };

/**
 * The batch sizes a training workload is timed at: its own default when --batches was not given, else --batches.
 *
 * @param options - parsed flags
 * @param workload - a training workload
 * @returns the batch sizes, in order
 * @example
 * batchesFor(parsePerfArgs([]), "conv"); // [32, 128]
 */
export function batchesFor(options: Pick<PerfOptions, "batches" | "workloadBatches">, workload: TrainingWorkload): number[] {
  return options.workloadBatches[workload] ?? options.batches;
}

/** The most OpenBLAS / PyTorch threads perf asks for (OpenBLAS builds cap their pool at 64-256; more never returns usefully). */
export const MAX_PERF_THREADS = 256;

/**
 * Reads the flags of `dale-bench perf`:
 * `[--quick] [--backends openblas,wasm,cpu] [--workloads mlp,dann,rnn,ctrnn,conv,spectra] [--batches 32,256]
 * [--threads N] [--json] [--out FILE]`. Default backends: openblas, wasm and cpu (with `--quick`:
 * openblas and wasm; cpu only when listed). Default workloads: all but `conv`, which runs when
 * listed, at batch 32 and 128 unless --batches says otherwise.
 *
 * @param args - the arguments after `perf`
 * @returns the options
 * @throws UserError for an unknown backend or workload, a batch or thread count that is not an
 *   integer >= 1, or an unknown flag (ERR_PARSE_ARGS_*)
 * @example
 * parsePerfArgs(["--quick", "--backends", "wasm"]).backends; // ["wasm"]
 */
export function parsePerfArgs(args: string[]): PerfOptions {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      backends: { type: "string" },
      workloads: { type: "string", default: DEFAULT_PERF_WORKLOADS.join(",") },
      batches: { type: "string" },
      threads: { type: "string", default: "1" },
      json: { type: "boolean", default: false },
      out: { type: "string" },
      memory: { type: "string" },
    },
    strict: true,
  });
  const quick = values.quick!;
  const defaultBackends: PerfBackend[] = quick ? ["openblas", "wasm"] : [...PERF_BACKENDS];
  return {
    backends: values.backends === undefined ? defaultBackends : list("--backends", values.backends, PERF_BACKENDS),
    workloads: list("--workloads", values.workloads!, PERF_WORKLOADS),
    batches: values.batches === undefined ? [32, 256] : [...new Set(values.batches.split(",").map((b) => positiveInteger("--batches entry", b.trim())))],
    workloadBatches: values.batches === undefined ? structuredClone(DEFAULT_WORKLOAD_BATCHES) : {},
    threads: boundedThreads(values.threads!),
    profile: quick ? QUICK_PROFILE : DEFAULT_PROFILE,
    json: values.json!,
    out: values.out === undefined ? null : resolve(values.out),
    memorySteps: values.memory === undefined ? null : positiveInteger("--memory", values.memory),
  };
}
