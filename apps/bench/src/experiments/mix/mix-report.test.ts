import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Trial } from "@dale-nn/tasks";
import { DEFAULT_CONDITION, conditionLabel, planMixRuns } from "./mix-options.js";
import type { MixRecord } from "./mix-record.js";
import { createRandomSource } from "@dale-nn/ei-init";
import { contextDecisionMaking, trialSet } from "@dale-nn/tasks";
import { validateMixRecord } from "./mix-record.js";
import { mixVerdict, psychometricFitTable, writeMixReport } from "./mix-report.js";
import { fitRecordCurves } from "./mix-psychometric-fit.js";
import { psychometricCurve, psychometricCurves } from "./train-ct-run.js";

/** Φ(z) = ½ + φ(z) Σ_n z^{2n+1} / (2n+1)!! (Abramowitz & Stegun 26.2.11), float64, for the |z| < 6 used here. */
const phi = (z: number): number => {
  let sum = z;
  let term = z;
  for (let n = 1; n < 400; n++) {
    term *= (z * z) / (2 * n + 1);
    sum += term;
  }
  return 0.5 + (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * sum;
};

const record = (o: Partial<MixRecord>): MixRecord => ({
  schema: 1, experiment: "mix", runId: `r${Math.random()}`, task: "perceptual-decision-making", model: "mixture", seed: 0, a0: 0.5, aFinal: 0.5, aSpread: null,
  aCurve: [{ update: 0, a: 0.5 }], accuracy: 0.8, testError: null, loss: 0.1, lossPerEpoch: [0.1], evalCurve: [], psychometric: null, psychometricVariable: null,
  profile: "smoke", condition: DEFAULT_CONDITION, conditionLabel: "base", units: 32, updates: 150, epochs: 3, batchSize: 16, learningRate: 1e-3, maxSteps: 35,
  wallSeconds: 1, backend: "cpu", versions: {}, finishedAt: "", ...o,
});

describe("mix report", () => {
  it("mixVerdict says a goes to 0 (free) when every mixture run ends below 0.1 after decreasing", () => {
    const rs = [record({ a0: 0.5, aFinal: 0.05 }), record({ a0: 0.9, aFinal: 0.08 }), record({ model: "dale", a0: null, aFinal: null, accuracy: 0.7 })];
    expect(mixVerdict("perceptual-decision-making", "base", rs)).toBe(
      "**Perceptual decision making**: a goes to 0 (free): it decreased in all 2 mixture runs (mean a 0.700 → 0.065, mean change −0.635, 150 updates). By a₀: 0.5 → 0.050 (down 1, up 0 of 1); 0.9 → 0.080 (down 1, up 0 of 1). Mean accuracy: dale 0.700, mixture 0.800 ± 0.000.",
    );
  });

  it("mixVerdict says 'moves toward 1 (Dale)' for a rise that does not reach 0.9, 'mostly' for 2 of 3, and 'neither' otherwise", () => {
    expect(mixVerdict("seqmnist", "tauI=50", [record({ task: "seqmnist", a0: 0.1, aFinal: 0.3, accuracy: null, testError: 0.1 })])).toMatch(/^\*\*Row-wise sequential MNIST\*\* \(tauI=50\): a moves toward 1 \(Dale\): it increased in all 1 mixture runs .*; no run reached that end\. Mean test error: mixture 0\.100\.$/);
    expect(mixVerdict("go-no-go", "base", [record({ aFinal: 0.4 }), record({ aFinal: 0.3 }), record({ aFinal: 0.6 })])).toMatch(/a moves mostly toward 0 \(free\): it decreased in 2 of 3 mixture runs/);
    expect(mixVerdict("go-no-go", "base", [record({ aFinal: 0.4 }), record({ aFinal: 0.6 })])).toMatch(/a goes neither to 0 \(free\) nor to 1 \(Dale\): it decreased in 1, increased in 1 of 2/);
  });

  it("psychometricCurve(trials, decisions) is the fraction of choice 1 (decision 0) per psychometric value, sorted", () => {
    const trial = (x: number): Trial => ({ meta: { psychometric: x } }) as unknown as Trial;
    expect(psychometricCurve([trial(6.4), trial(-6.4), trial(6.4), trial(0)], [0, 1, 1, 0])).toEqual([
      { x: -6.4, fractionChoice1: 0, trials: 1 },
      { x: 0, fractionChoice1: 1, trials: 1 },
      { x: 6.4, fractionChoice1: 0.5, trials: 2 },
    ]);
  });

  it("psychometricCurves(context task, trials, decisions) records the relevant, irrelevant and per-context curves; the fit table shows the steep relevant and the flat irrelevant slope", async () => {
    const task = contextDecisionMaking({ timing: { stimulus: 100, delay: 100 } });
    const trials = trialSet(task, { seed: 9, count: 2000 });
    const rng = createRandomSource(1);
    const irrelevant = (t: Trial): number => (t.meta.condition.context === 0 ? t.meta.condition.signedCoherence2! : t.meta.condition.signedCoherence1!);
    const decisions = trials.map((t) => (rng.uniform() < phi((t.meta.psychometric - 2 + 0.05 * irrelevant(t)) / 12) ? 0 : 1));
    const curves = psychometricCurves(task, trials, decisions);
    expect(curves.map((c) => c.key)).toEqual(["relevant", "irrelevant", "modality 1, context 1", "modality 1, context 2", "modality 2, context 1", "modality 2, context 2"]);
    expect(curves[0]!.points).toEqual(psychometricCurve(trials, decisions));
    const r = record({ task: "context-decision-making", psychometric: curves[0]!.points, psychometricVariable: task.psychometricVariable, psychometricCurves: curves });
    validateMixRecord(JSON.parse(JSON.stringify(r)), "record");
    const fits = fitRecordCurves(r);
    const rel = fits.find((f) => f.key === "relevant")!.fit!;
    const irr = fits.find((f) => f.key === "irrelevant")!.fit!;
    expect(rel.sigma).toBeGreaterThan(9);
    expect(rel.sigma).toBeLessThan(15);
    expect(rel.slope).toBeGreaterThan(5 * Math.abs(irr.slope));
    const table = psychometricFitTable([r, { ...r, seed: 1, psychometricCurves: undefined }]).join("\n");
    expect(table).toMatch(new RegExp(`\\| base \\| mixture a0=0\\.5 \\| relevant: signed coherence of the relevant modality \\(%\\) \\| 2 of 2 \\| ${rel.mu.toFixed(2)} ± 0\\.00 \\| ${rel.sigma.toFixed(2)} ± 0\\.00 \\|`));
    expect(table).toMatch(/\| irrelevant: signed coherence of the irrelevant modality \(%\) \| 1 of 1 \|/);
    const out = mkdtempSync(join(tmpdir(), "mix-report-"));
    await writeMixReport(out, [r]);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/Psychometric fits: .*\n\n\| condition \| model \| stimulus variable \| runs fitted \| μ \| σ \| 1\/σ \|/);
    expect(readFileSync(join(out, "psychometric-context-decision-making.svg"), "utf8")).toMatch(/irrelevant/);
    expect(() => validateMixRecord({ ...r, psychometricCurves: [{ key: "relevant", variable: "x", points: [{ x: 1, fractionChoice1: 2, trials: 3 }] }] }, "row 1")).toThrow(/^row 1: psychometricCurves must be absent or an array of/);
  });

  it("conditionLabel and planMixRuns name the departures from the defaults in the run ids; writeMixReport tabulates per condition", async () => {
    const condition = { ...DEFAULT_CONDITION, tauI: 50, density: { fromItoI: 0 }, activityCost: 0.01 };
    expect(conditionLabel(condition)).toBe("tauI=50,ItoI=0,act=0.01");
    const runs = planMixRuns({ profile: "tiny", tasks: ["go-no-go"], models: ["dale", "mixture"], a0s: [0.1, 0.9], seeds: [0, 1], condition, json: false });
    expect(runs.map((r) => r.runId)).toEqual([
      "mix/go-no-go/dale/tiny/tauI=50,ItoI=0,act=0.01/seed=0", "mix/go-no-go/dale/tiny/tauI=50,ItoI=0,act=0.01/seed=1",
      "mix/go-no-go/mixture-a0=0.1/tiny/tauI=50,ItoI=0,act=0.01/seed=0", "mix/go-no-go/mixture-a0=0.1/tiny/tauI=50,ItoI=0,act=0.01/seed=1",
      "mix/go-no-go/mixture-a0=0.9/tiny/tauI=50,ItoI=0,act=0.01/seed=0", "mix/go-no-go/mixture-a0=0.9/tiny/tauI=50,ItoI=0,act=0.01/seed=1",
    ]);
    const out = mkdtempSync(join(tmpdir(), "mix-report-"));
    await writeMixReport(out, [record({ aFinal: 0.4, seed: 0 }), record({ aFinal: 0.2, seed: 1 }), record({ model: "free", a0: null, aFinal: null, conditionLabel: "tauI=50" })]);
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toMatch(/\| base \| mixture a0=0\.5 \| 2 \| 0\.300 ± 0\.141 \| 0\.800 ± 0\.000 \|/);
    expect(md).toMatch(/\| tauI=50 \| free \| 1 \| — \| 0\.800 \|/);
  });
});
