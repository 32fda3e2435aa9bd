import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { singularValues, svd } from "@dale-nn/spectra";
import { TRANSPLANT_CONFIGS, transplantMatrix } from "./transplant-experiment.js";
import { writeTransplantReport } from "./transplant-report.js";
import type { RnnRecord } from "../recurrent/rnn-record.js";

describe("transplant experiment", () => {
  it("TRANSPLANT_CONFIGS are the 2³ combinations of spectrum, singular vectors and sign constraints", () => {
    expect(TRANSPLANT_CONFIGS).toHaveLength(8);
    expect(new Set(TRANSPLANT_CONFIGS.map((c) => JSON.stringify(c))).size).toBe(8);
  });

  it("transplantMatrix(RNN vectors, ColEI spectrum) has ColEI's singular values and the RNN's singular vectors", () => {
    const n = 30;
    const rnn = transplantMatrix({ vectors: "rnn", spectrum: "rnn", signConstrained: false }, n, 1);
    const colei = transplantMatrix({ vectors: "colei", spectrum: "colei", signConstrained: false }, n, 1);
    const hybrid = transplantMatrix({ vectors: "rnn", spectrum: "colei", signConstrained: true }, n, 1);
    const sH = singularValues({ data: hybrid, rows: n, cols: n });
    const sC = singularValues({ data: colei, rows: n, cols: n });
    sH.forEach((v, i) => expect(v).toBeCloseTo(sC[i]!, 8));
    // U_rnnᵀ W_hybrid V_rnn is diagonal.
    const { u, v } = svd({ data: rnn, rows: n, cols: n });
    let off = 0, on = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) s += u.data[a * n + i]! * hybrid[a * n + b]! * v.data[b * n + j]!;
        if (i === j) on += Math.abs(s);
        else off = Math.max(off, Math.abs(s));
      }
    }
    expect(off / on).toBeLessThan(1e-10);
  });

  it("the report tabulates records by configuration", () => {
    const out = mkdtempSync(join(tmpdir(), "transplant-"));
    const base = { schema: 1 as const, task: "seqmnist" as const, profile: "smoke", learningRate: 0.01, clipping: { maxNorm: 10, scope: "global" as const }, epochs: 1, batchSize: 32, metric: "error rate", trainErrorPerEpoch: [0.5], evalCurve: [], finalTrainError: 0.5, wallSeconds: 1, backend: "cpu", versions: {}, finishedAt: "" };
    const records: RnnRecord[] = [
      { ...base, experiment: "transplant", runId: "a", model: "x", seed: 0, finalEvalError: 0.1, variant: { spectrum: "colei", vectors: "rnn", signConstrained: true, nseAtInit: 0.8, sigmaMaxAtInit: 10 } },
      { ...base, experiment: "transplant", runId: "b", model: "x", seed: 1, finalEvalError: 0.3, variant: { spectrum: "colei", vectors: "rnn", signConstrained: true, nseAtInit: 0.8, sigmaMaxAtInit: 10 } },
    ];
    writeTransplantReport(out, records);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/\| RNN \| ColEI \| yes \| 2 \| 0\.800 \| 10\.00 \| 20\.00% ± 14\.14 \| 3\.50% ± 0\.57 \| 0\.\d{3} \|/);
  });
});

describe("transplant --clip and --configs", () => {
  it("plan a subset of the configurations, with another clipping named in the run ids (the default keeps the old ids)", async () => {
    const { transplantExperiment } = await import("./transplant-experiment.js");
    const plan = (values: Record<string, string>) => transplantExperiment.plan(transplantExperiment.parse(values) as never).map((r) => r.runId);
    expect(plan({ profile: "paper" })).toHaveLength(40);
    expect(plan({ profile: "paper", clip: "10" })).toEqual(plan({ profile: "paper" }));
    const ids = plan({ profile: "paper", clip: "none", configs: "rnn-vectors/rnn-spectrum/free,rnn-vectors/rnn-spectrum/signed" });
    expect(ids).toHaveLength(10);
    expect(ids[0]).toBe("transplant/paper/n=100/rnn-vectors/rnn-spectrum/free/clip=none/seed=0");
    expect(plan({ profile: "paper", clip: "5", configs: "colei-vectors/colei-spectrum/signed" })[4]).toBe("transplant/paper/n=100/colei-vectors/colei-spectrum/signed/clip=5/seed=4");
    expect(() => transplantExperiment.parse({ clip: "-1" })).toThrow(/^--clip must be a number > 0 or "none"; got "-1"$/);
    expect(() => transplantExperiment.parse({ configs: "rnn/rnn" })).toThrow(/^--configs: unknown configuration "rnn\/rnn"; expected some of rnn-vectors\/rnn-spectrum\/free, /);
  });
});

describe("recurrentWeight", () => {
  it("recurrentWeight(layer, n) finds W by parameter role and sizes, not by name", async () => {
    const tf = await import("@tensorflow/tfjs");
    const { buildRecurrentNetwork } = await import("@dale-nn/ei-layers");
    const { recurrentWeight } = await import("./transplant-experiment.js");
    const before = tf.memory().numTensors;
    const model = buildRecurrentNetwork({ kind: "standard", seed: 1, hidden: [12], dense: [], outputs: 10 });
    const w = recurrentWeight(model.layers[0] as never, 12);
    expect(w.shape).toEqual([12, 12]);
    expect(() => recurrentWeight(model.layers[0] as never, 13)).toThrow(/expected one recurrent weight \(role "weight", 13 x 13\) in the layer; found 0/);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
