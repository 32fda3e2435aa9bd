import { describe, expect, it } from "vitest";
import { RNN_TASK_SETTINGS } from "./rnn-profiles.js";
import { decayedLearningRate } from "./train-recurrent.js";

describe("decayedLearningRate", () => {
  it("decayedLearningRate(adding, k) is 0.1 · 0.99^⌊k/20⌋ by global update count (epochs and resumes do not restart it)", () => {
    const s = RNN_TASK_SETTINGS.adding;
    expect(decayedLearningRate(s, 0)).toBe(0.1);
    expect(decayedLearningRate(s, 19)).toBe(0.1);
    expect(decayedLearningRate(s, 20)).toBeCloseTo(0.099, 15);
    expect(decayedLearningRate(s, 80)).toBeCloseTo(0.1 * 0.99 ** 4, 15);
    expect(decayedLearningRate(RNN_TASK_SETTINGS.seqmnist, 1000)).toBe(0.01);
  });
});
