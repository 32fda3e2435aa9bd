import * as tf from "@tensorflow/tfjs";
import type { ImageSplit } from "@dale-nn/datasets";
import { describe, expect, it } from "vitest";
import { useBackend } from "@dale-nn/test-support";
import { yieldMacrotask } from "./lockstep.js";
import { DEFAULT_SETTINGS, disposeRun, startRun, type TrainingSettings } from "./training.js";

function split(count: number, features: number, seed: number): ImageSplit {
  let s = seed;
  const rand = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return { images: Float32Array.from({ length: count * features }, rand), labels: Uint8Array.from({ length: count }, () => Math.floor(rand() * 10)), count, features, numClasses: 10 };
}

const data = { train: split(96, 20, 1), test: split(30, 20, 2) };
const settings: TrainingSettings = { ...DEFAULT_SETTINGS, hidden: 12, inhibitory: 3, batchSize: 8, evalEvery: 5, epochs: 2 };

describe("startRun", () => {
  useBackend("cpu");

  it.each(["mlp", "columnei", "dann"] as const)("startRun(%j, data, settings, ...) reports every update's loss (read back every checkEvery = 5) and the test error every evalEvery; disposeRun frees every tensor", async (kind) => {
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    const errors: number[] = [];
    const reads = { n: 0 };
    const proto = tf.Tensor.prototype as unknown as { dataSync: (...a: unknown[]) => unknown };
    const dataSync = proto.dataSync;
    proto.dataSync = function (this: tf.Tensor, ...a: unknown[]) {
      reads.n++;
      return dataSync.apply(this, a);
    };
    let run;
    try {
      run = startRun(kind, data, settings, yieldMacrotask, new AbortController().signal, {
        onLoss: (k, update, loss) => {
          expect(k).toBe(kind);
          expect(Number.isFinite(loss)).toBe(true);
          losses.push(update);
        },
        onTestError: (_k, update) => void errors.push(update),
      });
      const result = await run.done;
      expect(result.updates).toBe(24);
    } finally {
      proto.dataSync = dataSync;
    }
    // 12 updates per epoch: every update's loss, in order; evaluations at 0, 5, ..., 20 and the end.
    expect(losses).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(errors).toEqual([0, 5, 10, 15, 20, 24]);
    // Per epoch 2 checks of 5 plus the 2 left at its end; 6 evaluations.
    expect(reads.n).toBe(2 * 3 + 6);
    disposeRun(run);
    expect(tf.memory().numTensors).toBe(before);
  });
});
