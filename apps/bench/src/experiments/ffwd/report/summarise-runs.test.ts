import { describe, expect, it } from "vitest";
import { summariseRuns } from "./summarise-runs.js";
import { fixtureRecords, makeRecord } from "./internal/test-records.js";

describe("summariseRuns", () => {
  const summary = summariseRuns(fixtureRecords());
  const group = (key: string) => {
    const g = summary.groups.find((x) => x.key === key);
    if (!g) throw new Error(`no group ${key}; have ${summary.groups.map((x) => x.key).join(", ")}`);
    return g;
  };

  it("summariseRuns(records) groups by dataset/model/profile/evalSplit/lr in report order", () => {
    expect(summary.runs).toBe(11);
    expect(summary.groups.map((g) => g.key)).toEqual([
      "mnist/mlp/quick/test/0.2976",
      "mnist/dann/quick/test/0.1107",
      "mnist/dann/search/validation/0.01",
      "mnist/dann/search/validation/0.1",
      "mnist/dann/search/validation/5",
      "mnist/columnei/quick/test/0.05273",
      "kmnist/batchnorm-mlp/quick/test/0.7235",
    ]);
  });

  it("summariseRuns gives mean and sample std of final errors in percent", () => {
    const mlp = group("mnist/mlp/quick/test/0.2976");
    expect(mlp.runs).toBe(3);
    expect(mlp.seeds).toEqual([0, 1, 2]);
    expect(mlp.epochs).toEqual([2]);
    expect(mlp.batchSizes).toEqual([32]);
    expect(mlp.trainError.n).toBe(3);
    expect(mlp.trainError.mean).toBeCloseTo(2, 12);
    expect(mlp.trainError.std).toBeCloseTo(1, 12);
    expect(mlp.evalError.mean).toBeCloseTo(3, 12);
    expect(mlp.evalError.std).toBeCloseTo(1, 12);
    expect(mlp.meanWallSeconds).toBe(20);

    const dann = group("mnist/dann/quick/test/0.1107");
    expect(dann.trainError).toEqual({ mean: 0, std: 0, n: 2 });
    expect(dann.evalError.mean).toBeCloseTo(2, 12);
    expect(dann.evalError.std).toBeCloseTo(Math.SQRT1_2, 12);
    expect(dann.meanWallSeconds).toBe(50);
  });

  it("summariseRuns averages the eval curve per update over the seeds that have it", () => {
    const mlp = group("mnist/mlp/quick/test/0.2976");
    expect(mlp.evalCurve.map((p) => p.update)).toEqual([200, 400]);
    expect(mlp.evalCurve[0]?.error).toBeCloseTo(20, 12);
    expect(mlp.evalCurve[1]?.error).toBeCloseTo(3, 12);
    const dann = group("mnist/dann/quick/test/0.1107");
    expect(dann.evalCurve.map((p) => [p.update, p.n])).toEqual([[200, 2], [400, 2], [600, 1]]);
    expect(dann.evalCurve[0]?.error).toBeCloseTo(6, 12);
    expect(dann.evalCurve[1]?.error).toBeCloseTo(2, 12);
    expect(dann.evalCurve[2]?.error).toBeCloseTo(1.4, 12);
  });

  it("summariseRuns averages train error per epoch (1-based epochs)", () => {
    const mlp = group("mnist/mlp/quick/test/0.2976");
    expect(mlp.trainErrorPerEpoch.map((p) => [p.epoch, p.n])).toEqual([[1, 3], [2, 3]]);
    expect(mlp.trainErrorPerEpoch[0]?.error).toBeCloseTo(20, 12);
    expect(mlp.trainErrorPerEpoch[1]?.error).toBeCloseTo(2, 12);
  });

  it("summariseRuns leaves diverged runs (NaN, or the last error before diverging) out of the stats and lists them", () => {
    const lr5 = group("mnist/dann/search/validation/5");
    expect(lr5.runs).toBe(1);
    expect(lr5.evalError.n).toBe(0);
    expect(lr5.evalError.mean).toBeNaN();
    expect(lr5.evalCurve).toEqual([]);
    expect(lr5.diverged).toEqual([
      { runId: "mnist/dann/search/lr=5/seed=0/eval=validation", seed: 0, update: 17, reason: "loss is NaN" },
    ]);
    // Its finite 90% is the last error before the divergence, not a result: it enters no mean.
    const colei = group("mnist/columnei/quick/test/0.05273");
    expect(colei.evalError.n).toBe(0);
    expect(colei.evalError.mean).toBeNaN();
    expect(colei.trainError.mean).toBeNaN();
    expect(colei.diverged).toHaveLength(1);
    const lr001 = group("mnist/dann/search/validation/0.01");
    expect(lr001.evalError.mean).toBeCloseTo(6, 12);
    expect(lr001.evalError.std).toBeCloseTo(Math.SQRT2, 12);
  });

  it("summariseRuns([]) has no groups; a single seed has std NaN", () => {
    expect(summariseRuns([])).toEqual({ groups: [], runs: 0 });
    const one = summariseRuns([makeRecord({ dataset: "fashion", model: "dann", seed: 0, learningRate: 0.01973 })]);
    expect(one.groups[0]?.evalError.mean).toBeCloseTo(10, 12);
    expect(one.groups[0]?.evalError.std).toBeNaN();
  });
});
