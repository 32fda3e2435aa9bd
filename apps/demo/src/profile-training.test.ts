import * as tf from "@tensorflow/tfjs";
import type { ImageSplit } from "@dale-nn/datasets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { profileTraining } from "./profile-training.js";
import { installStepCounters, type StepCounters } from "./step-counters.js";
import { DEFAULT_SETTINGS, type TrainingSettings } from "./training.js";

/** A small random split: `count` rows of `features` pixels in [0, 1), labels 0..9. */
function split(count: number, features: number, seed: number): ImageSplit {
  let s = seed;
  const rand = (): number => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const images = Float32Array.from({ length: count * features }, rand);
  const labels = Uint8Array.from({ length: count }, () => Math.floor(rand() * 10));
  return { images, labels, count, features, numClasses: 10 };
}

const data = { train: split(64, 20, 1), test: split(16, 20, 2) };
const settings: TrainingSettings = { ...DEFAULT_SETTINGS, hidden: 12, inhibitory: 3, batchSize: 8, evalEvery: 5 };

describe("profileTraining", () => {
  let counters: StepCounters;
  beforeAll(async () => {
    await tf.setBackend("cpu");
    counters = installStepCounters();
  });
  afterAll(() => counters.uninstall());

  it.each(["mlp", "columnei", "dann"] as const)("profileTraining(%j, data, counters, { warmup: 3, steps: 4, repetitions: 3 }) measures without leaking", async (kind) => {
    const before = tf.memory().numTensors;
    const p = await profileTraining(kind, data, counters, { warmup: 3, steps: 4, repetitions: 3, settings });
    expect(p.kind).toBe(kind);
    expect(p.backend).toBe("cpu");
    expect(p.repetitionUpdatesPerSecond).toHaveLength(3);
    expect(p.updatesPerSecond).toBeGreaterThan(0);
    // 3 + 3 × 4 timed, then at most 1 + 1 + (evalEvery − 1) + 1 for the kernel profiles.
    expect(p.updates).toBeGreaterThanOrEqual(17);
    expect(p.updates).toBeLessThanOrEqual(15 + 1 + 1 + settings.evalEvery);
    expect(p.perUpdate.readBacks).toBeGreaterThan(0);
    expect(p.perUpdate.tensorsCreated).toBeGreaterThan(p.perUpdate.hostTensors);
    expect(p.kernelsPerUpdate).toBeGreaterThan(10);
    expect(p.kernelsByName["BatchMatMul"]).toBeGreaterThan(0);
    expect(Object.values(p.kernelsByName).reduce((a, b) => a + b, 0)).toBe(p.kernelsPerUpdate);
    // The evaluation of the test split runs the forward pass again.
    expect(p.evaluationKernels).toBeGreaterThan(0);
    expect(p.lastLoss?.update).toBeGreaterThan(0);
    expect(p.lastTestError?.update).toBeGreaterThan(0);
    expect(p.leakedTensors).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("profileTraining(kind, data, counters, { steps: 0 }) throws a RangeError naming steps", async () => {
    await expect(profileTraining("mlp", data, counters, { steps: 0 })).rejects.toThrow(/steps must be an integer >= 1; got 0/);
  });
});
