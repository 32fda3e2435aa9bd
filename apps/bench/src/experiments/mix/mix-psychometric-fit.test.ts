import { describe, expect, it } from "vitest";
import { DEFAULT_CONDITION } from "./mix-options.js";
import type { MixRecord } from "./mix-record.js";
import { fitRecordCurves, recordCurves } from "./mix-psychometric-fit.js";
import { psychometricFitTable } from "./mix-report.js";

const record = (o: Partial<MixRecord>): MixRecord => ({
  schema: 1, experiment: "mix", runId: "r", task: "perceptual-decision-making", model: "mixture", seed: 0, a0: 0.5, aFinal: 0.5, aSpread: null,
  aCurve: [{ update: 0, a: 0.5 }], accuracy: 0.8, testError: null, loss: 0.1, lossPerEpoch: [0.1], evalCurve: [], psychometric: null, psychometricVariable: null,
  profile: "smoke", condition: DEFAULT_CONDITION, conditionLabel: "base", units: 32, updates: 150, epochs: 3, batchSize: 16, learningRate: 1e-3, maxSteps: 35,
  wallSeconds: 1, backend: "cpu", versions: {}, finishedAt: "", ...o,
});

describe("fitRecordCurves", () => {
  it("fitRecordCurves fits an older record's psychometric points, and says why a one-choice curve has no fit", () => {
    const points = [-20, -10, 0, 10, 20].map((x) => ({ x, fractionChoice1: [0.05, 0.2, 0.5, 0.8, 0.95][(x + 20) / 10]!, trials: 40 }));
    const [c] = fitRecordCurves(record({ psychometric: points, psychometricVariable: "signed coherence (%)" }));
    expect(c).toMatchObject({ key: "psychometric", variable: "signed coherence (%)", reason: null });
    expect(c!.fit!.mu).toBeCloseTo(0, 9);
    const [none] = fitRecordCurves(record({ psychometric: points.map((p) => ({ ...p, fractionChoice1: 1 })) }));
    expect(none).toMatchObject({ fit: null, reason: "all 200 trials made the counted choice; the curve has no threshold within the data (μ → −∞), so μ and σ cannot be fitted" });
    expect(psychometricFitTable([record({ psychometric: points.map((p) => ({ ...p, fractionChoice1: 1 })) })]).join("\n")).toMatch(/\| 0 of 1, 1 without a fit \| — \| — \| — \|/);
    expect(psychometricFitTable([record({})])).toEqual([]);
  });

  it("recordCurves keys an older context-task record's one curve 'relevant'", () => {
    const points = [{ x: -5, fractionChoice1: 0.2, trials: 10 }, { x: 5, fractionChoice1: 0.8, trials: 10 }];
    expect(recordCurves(record({ task: "context-decision-making", psychometric: points, psychometricVariable: "v" })).map((c) => c.key)).toEqual(["relevant"]);
    expect(recordCurves(record({}))).toEqual([]);
  });
});
