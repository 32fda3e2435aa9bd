import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { measureMemory, renderMemoryTable } from "./perf-memory.js";

describe("measureMemory", () => {
  it("measureMemory('rnn', 4, 'cpu', 30) samples ten times, keeps the tensor count flat and disposes everything", async () => {
    await tf.setBackend("cpu");
    const before = tf.memory().numTensors;
    const row = measureMemory("rnn", 4, "cpu", 30);
    expect(row.samples.map((s) => s.step)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    expect(row.tensorGrowth).toBe(0);
    expect(row.samples.every((s) => s.rssMiB > 0 && s.heapMiB > 0 && s.liveHeapMiB > 0)).toBe(true);
    // The live heap is measured after a full collection, so it is at most the heap in use before it (plus slack for the collection's own allocations).
    expect(row.samples.every((s) => s.liveHeapMiB <= s.heapMiB + 1)).toBe(true);
    expect(row.liveHeapGrowthMiB).toBeCloseTo(row.samples.at(-1)!.liveHeapMiB - row.samples[0]!.liveHeapMiB, 10);
    expect(tf.memory().numTensors).toBe(before);
    expect(renderMemoryTable([row])).toMatch(/^workload .*live heap MiB \(first → last\)\nrnn +4 +cpu +30 .* \d+\.\d → \d+\.\d\n$/);
  });
});
