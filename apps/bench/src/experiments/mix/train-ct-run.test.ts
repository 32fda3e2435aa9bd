import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import type { TrainCheckpoint } from "@dale-nn/train";
import { Progress } from "../../progress.js";
import { DEFAULT_CONDITION, planMixRuns } from "./mix-options.js";
import { validateMixRecord } from "./mix-record.js";
import { ctTaskDataCache, trainCtRun } from "./train-ct-run.js";

describe("trainCtRun", () => {
  it("trainCtRun(mixture, per-unit a, activity and weight costs, penalty normalisation, tau_E != tau_I, no I -> I) trains, records a per unit, and leaks no tensor", async () => {
    await tf.setBackend("cpu");
    const condition = { ...DEFAULT_CONDITION, tauI: 50, density: { fromItoI: 0 }, activityCost: 0.01, weightCost: 0.01, normalisation: "penalty" as const, perUnit: true };
    const [run] = planMixRuns({ profile: "tiny", tasks: ["context-decision-making"], models: ["mixture"], a0s: [0.5], seeds: [3], condition, json: false });
    const prepared = ctTaskDataCache();
    const checkpoints: TrainCheckpoint[] = [];
    const context = {
      out: mkdtempSync(join(tmpdir(), "train-ct-run-")), backend: "cpu", backends: () => ["cpu"], prepared, resumeFrom: undefined,
      saveCheckpoint: (cp: TrainCheckpoint) => void checkpoints.push(cp), index: 1, total: 1, log: () => {}, progress: new Progress(false, true),
    };
    prepared(run!.settings); // the test set is drawn once per process, outside the count
    const before = tf.memory().numTensors;
    const record = await trainCtRun(run!.runId, run!.settings, context);
    expect(tf.memory().numTensors).toBe(before);
    validateMixRecord(record, "record");
    expect(checkpoints.map((c) => c.epoch)).toEqual([1, 2]);
    expect(record.conditionLabel).toBe("tauI=50,ItoI=0,act=0.01,wcost=0.01,norm=penalty,perUnit");
    expect(record.aSpread).toBeGreaterThanOrEqual(0);
    expect(record.aCurve.every((p) => typeof p.spread === "number")).toBe(true);
    expect(record.accuracy).toBeGreaterThanOrEqual(0);
    expect(record.psychometric!.map((p) => p.x)).toEqual([-50, -15, -5, 5, 15, 50]);
    expect(record.psychometricCurves!.map((c) => c.key)).toEqual(["relevant", "irrelevant", "modality 1, context 1", "modality 1, context 2", "modality 2, context 1", "modality 2, context 2"]);
    expect(record.psychometricCurves![0]!.points).toEqual(record.psychometric);
    expect(record.halfDt!.agreement).toBeGreaterThan(0);
    expect(record.halfDt!.outputDifference).toBeLessThan(1);
  });
});
