import * as tf from "@tensorflow/tfjs";
import { registerWasmTransposedMatMulOverride } from "@dale-nn/core";
import { registerOpenBlas } from "../load-openblas.js";

/** The tfjs backends `dale-bench perf` can time, fastest first. */
export const PERF_BACKENDS = ["openblas", "wasm", "cpu"] as const;
/** A `--backends` entry. */
export type PerfBackend = (typeof PERF_BACKENDS)[number];

/** The outcome of {@link prepareBackends}. */
export interface PreparedBackends {
  /** The requested backends that can run, in the requested order. */
  available: PerfBackend[];
  /** One line per requested backend: what it is, or why its rows are skipped. */
  notices: string[];
}

async function wasmReady(): Promise<string | null> {
  try {
    await import("@tensorflow/tfjs-backend-wasm");
    if (!(await tf.setBackend("wasm"))) return "tf.setBackend('wasm') failed";
    await tf.ready();
    // As every dale-bench command does on wasm (../backend.ts): its transposed matMul is several
    // times slower than a product on an explicit transpose.
    registerWasmTransposedMatMulOverride();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Registers and checks the requested backends: `openblas` through `registerOpenBlasBackend({ threads })`
 * from `@dale-nn/openblas` (its notice is printed once; without the native addon its rows are
 * skipped), `wasm` by loading `@tensorflow/tfjs-backend-wasm` (SIMD, one thread in Node), `cpu` (plain
 * JavaScript, always there). A missing backend is a notice, never an error.
 *
 * @param requested - backends to prepare
 * @param threads - OpenBLAS threads
 * @returns the usable backends and one notice line per backend
 */
export async function prepareBackends(requested: readonly PerfBackend[], threads: number): Promise<PreparedBackends> {
  const available: PerfBackend[] = [];
  const notices: string[] = [];
  for (const backend of requested) {
    if (backend === "openblas") {
      const reg = await registerOpenBlas(threads);
      notices.push(reg.registered ? reg.notice : `openblas: rows skipped: ${reg.notice}`);
      if (reg.registered) available.push(backend);
    } else if (backend === "wasm") {
      const problem = await wasmReady();
      notices.push(problem === null ? "wasm: @tensorflow/tfjs-backend-wasm (SIMD, 1 thread)" : `wasm: rows skipped: @tensorflow/tfjs-backend-wasm failed to load or initialise (${problem})`);
      if (problem === null) available.push(backend);
    } else {
      notices.push("cpu: plain JavaScript tfjs CPU backend (1 thread; slowest, timed with fewer steps)");
      available.push(backend);
    }
  }
  return { available, notices };
}

/**
 * Makes `backend` the current tfjs backend.
 *
 * @param backend - a backend {@link prepareBackends} found available
 * @throws Error when tfjs cannot switch to it
 */
export async function useBackend(backend: PerfBackend): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`perf: tf.setBackend(${JSON.stringify(backend)}) failed`);
  await tf.ready();
}
