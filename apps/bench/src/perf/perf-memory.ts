import * as tf from "@tensorflow/tfjs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { PerfBackend } from "./perf-backends.js";
import type { TrainingWorkload } from "./perf-flops.js";
import { buildOurWorkload } from "./perf-workloads.js";

/** One sample of a memory run. */
export interface MemorySample {
  step: number;
  tensors: number;
  /** Resident set size, MiB. */
  rssMiB: number;
  /** V8 heap in use, MiB. */
  heapMiB: number;
  /** Memory of ArrayBuffers (tensor data on the CPU backends), MiB. */
  arrayBuffersMiB: number;
  /** V8 heap in use right after a forced full collection, MiB: what is still reachable (a leak grows it; garbage does not). */
  liveHeapMiB: number;
}

/** The outcome of {@link measureMemory}: samples and the growth between the first and last tenth. */
export interface MemoryRow {
  kind: "memory";
  workload: TrainingWorkload;
  batch: number;
  backend: PerfBackend;
  steps: number;
  samples: MemorySample[];
  /** Tensor count change from the first sample (after a tenth of the steps) to the last. */
  tensorGrowth: number;
  /** RSS change from the first sample to the last, MiB. */
  rssGrowthMiB: number;
  /** Live-heap change from the first sample to the last, MiB. */
  liveHeapGrowthMiB: number;
}

const MiB = 1024 * 1024;

/**
 * V8's full garbage collection, without `node --expose-gc`: the flag set at run time exposes
 * `gc` to contexts created afterwards, such as this new one.
 */
function fullGc(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

function sample(step: number, gc: () => void): MemorySample {
  const m = process.memoryUsage();
  gc();
  const live = process.memoryUsage().heapUsed;
  return { step, tensors: tf.memory().numTensors, rssMiB: m.rss / MiB, heapMiB: m.heapUsed / MiB, arrayBuffersMiB: m.arrayBuffers / MiB, liveHeapMiB: live / MiB };
}

/**
 * Trains a workload for `steps` updates on the active backend and samples the tensor count and
 * the process memory ten times (after each tenth of the steps). Flat memory means the tensor
 * count is constant and the live heap (after a forced full collection) and RSS stop growing
 * after the first tenth. Without the forced collection V8 lets garbage pile up in the old
 * generation for thousands of steps (the MLP's heap in use rose from 56 to 122 MiB over 10,000
 * steps and fell back at the next major collection), which looks like a leak and is not one.
 */
export function measureMemory(workload: TrainingWorkload, batch: number, backend: PerfBackend, steps: number): MemoryRow {
  const w = buildOurWorkload(workload, batch);
  const every = Math.max(1, Math.floor(steps / 10));
  const samples: MemorySample[] = [];
  const gc = fullGc();
  try {
    for (let i = 1; i <= steps; i++) {
      w.step();
      if (i % every === 0 || i === steps) samples.push(sample(i, gc));
    }
  } finally {
    w.dispose();
  }
  const first = samples[0]!;
  const last = samples.at(-1)!;
  return { kind: "memory", workload, batch, backend, steps, samples, tensorGrowth: last.tensors - first.tensors, rssGrowthMiB: last.rssMiB - first.rssMiB, liveHeapGrowthMiB: last.liveHeapMiB - first.liveHeapMiB };
}

/** A plain-text table of memory rows. */
export function renderMemoryTable(rows: readonly MemoryRow[]): string {
  const lines = ["workload  batch  backend     steps  tensors (first → last)  RSS MiB (first → last, max)  heap MiB (last)  live heap MiB (first → last)"];
  for (const r of rows) {
    const f = r.samples[0]!;
    const l = r.samples.at(-1)!;
    const maxRss = Math.max(...r.samples.map((s) => s.rssMiB));
    lines.push(
      `${r.workload.padEnd(8)}  ${String(r.batch).padStart(5)}  ${r.backend.padEnd(9)}  ${String(r.steps).padStart(6)}  ${`${f.tensors} → ${l.tensors}`.padStart(22)}  ${`${f.rssMiB.toFixed(0)} → ${l.rssMiB.toFixed(0)}, ${maxRss.toFixed(0)}`.padStart(27)}  ${l.heapMiB.toFixed(1).padStart(15)}  ${`${f.liveHeapMiB.toFixed(1)} → ${l.liveHeapMiB.toFixed(1)}`.padStart(28)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
