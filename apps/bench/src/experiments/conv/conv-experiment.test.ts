import { describe, expect, it } from "vitest";
import { convExperiment, evalInterval, stepLearningRate } from "./conv-experiment.js";

describe("conv experiment helpers", () => {
  it("stepLearningRate(0.1, [100, 150, 200], 391) divides by 10 at the first update of epochs 101, 151 and 201", () => {
    const lr = stepLearningRate(0.1, [100, 150, 200], 391);
    expect(lr(0)).toBeCloseTo(0.1, 12);
    expect(lr(100 * 391 - 1)).toBeCloseTo(0.1, 12);
    expect(lr(100 * 391)).toBeCloseTo(0.01, 12);
    expect(lr(150 * 391)).toBeCloseTo(0.001, 12);
    expect(lr(200 * 391)).toBeCloseTo(0.0001, 12);
  });

  it("evalInterval(every, updatesPerEpoch) is a divisor of the epoch, or the epoch when the divisor would be small", () => {
    expect(evalInterval(4, 8)).toBe(4);
    expect(evalInterval(10, 50)).toBe(10);
    expect(evalInterval(100, 391)).toBe(391);
    expect(evalInterval(100, 390)).toBe(78);
    expect(evalInterval(1, 2)).toBe(1);
    expect(evalInterval(500, 50)).toBe(50);
  });

  it("plan(paper on cifar10) is 250 epochs, batch 128, lr 0.1 ÷10 at epochs 100, 150, 200, 5 seeds per model", () => {
    const o = convExperiment.parse({ data: "cifar10", "data-dir": "/tmp/cifar", profile: "paper", models: "standard,standard-ei" });
    const runs = convExperiment.plan(o);
    expect(runs).toHaveLength(10);
    expect(runs[0]!.settings).toMatchObject({ epochs: 250, batchSize: 128, learningRate: 0.1, decayEpochs: [100, 150, 200], l2: 2e-4, trainLimit: null });
    expect(runs[0]!.settings.keepEpochs).toEqual([0, 1, 2, 5, 10, 20, 30, 50, 100, 150, 200, 250]);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(10);
  });
});
