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

describe("transplant --layers all (the reference code's whole-network transplant)", () => {
  const n = 20;
  const d = 28;
  const sv = (data: Float64Array, rows: number, cols: number) => singularValues({ data, rows, cols });
  it("gives U and the readout the spectrum of one network and the singular vectors of the other; the bias follows the spectrum", async () => {
    const { transplantInputAndReadout } = await import("./transplant-experiment.js");
    const rnn = transplantInputAndReadout({ vectors: "rnn", spectrum: "rnn", signConstrained: false }, n, 3, d, 10, 0.1307);
    const colei = transplantInputAndReadout({ vectors: "colei", spectrum: "colei", signConstrained: false }, n, 3, d, 10, 0.1307);
    const w1 = transplantInputAndReadout({ vectors: "rnn", spectrum: "colei", signConstrained: true }, n, 3, d, 10, 0.1307);
    const w2 = transplantInputAndReadout({ vectors: "colei", spectrum: "rnn", signConstrained: false }, n, 3, d, 10, 0.1307);
    // The two networks' own matrices: the RNN's U within ±1/√n, ColEI's U non-negative, ColEI's readout with 10% negative columns.
    expect(Math.max(...rnn.u.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(n));
    expect(Math.min(...colei.u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...colei.readout.filter((_, i) => i % n >= n - 2))).toBeLessThanOrEqual(0);
    for (const [hybrid, values] of [[w1, colei], [w2, rnn]] as const) {
      sv(hybrid.u, n, d).forEach((s, i) => expect(s).toBeCloseTo(sv(values.u, n, d)[i]!, 8));
      sv(hybrid.readout, 10, n).forEach((s, i) => expect(s).toBeCloseTo(sv(values.readout, 10, n)[i]!, 8));
    }
    // U_hybrid's left singular vectors are the RNN's: U_rnnᵀ U_hybrid V_rnn is diagonal (checked through |u₁ᵀ U_hybrid v₁| = σ₁ of ColEI).
    const { u, v } = svd({ data: rnn.u, rows: n, cols: d });
    const k = Math.min(n, d);
    let s11 = 0;
    for (let a = 0; a < n; a++) for (let b = 0; b < d; b++) s11 += u.data[a * k]! * w1.u[a * d + b]! * v.data[b * k]!;
    expect(Math.abs(s11)).toBeCloseTo(sv(colei.u, n, d)[0]!, 8);
    expect([...w1.bias].every((b) => Math.abs(b + Math.sqrt(d) * 0.1307) < 1e-6)).toBe(true);
    expect([...w2.bias].every((b) => b === 0)).toBe(true);
    expect([...colei.bias]).toEqual([...w1.bias]);
    // --first-bias zero: b = 0 with ColEI's spectrum too; U and the readout are the same draw.
    const w1Zero = transplantInputAndReadout({ vectors: "rnn", spectrum: "colei", signConstrained: true }, n, 3, d, 10, 0.1307, "zero");
    expect([...w1Zero.bias].every((b) => b === 0)).toBe(true);
    expect([...w1Zero.u]).toEqual([...w1.u]);
    expect([...w1Zero.readout]).toEqual([...w1.readout]);
  });

  it("assignInputAndReadout writes U, the bias and the readout of a built network, without leaking tensors", async () => {
    const tf = await import("@tensorflow/tfjs");
    const { buildRecurrentNetwork } = await import("@dale-nn/ei-layers");
    const { assignInputAndReadout, transplantInputAndReadout } = await import("./transplant-experiment.js");
    const before = tf.memory().numTensors;
    const model = buildRecurrentNetwork({ kind: "standard", seed: 1, hidden: [n], dense: [], outputs: 10, steps: 28, inputs: d, signFrozen: true });
    const m = transplantInputAndReadout({ vectors: "rnn", spectrum: "colei", signConstrained: true }, n, 3, d, 10, 0.1307);
    assignInputAndReadout(model, m, n, d, 10);
    const values = (layer: number) => model.layers[layer]!.trainableWeights.map((w) => ({ shape: w.shape, data: w.read().dataSync() }));
    const first = values(0);
    const close = (a: Float32Array | Int32Array | Uint8Array, b: Float64Array) => a.length === b.length && b.every((x, i) => Math.abs(x - a[i]!) < 1e-6);
    expect(first.some((w) => w.shape.join() === `${n},${d}` && close(w.data, m.u))).toBe(true);
    expect(first.some((w) => w.shape.join() === `${n}` && close(w.data, m.bias))).toBe(true);
    expect(values(model.layers.length - 1).some((w) => w.shape.join() === `10,${n}` && close(w.data, m.readout))).toBe(true);
    expect(() => assignInputAndReadout(model, m, n, d + 1, 10)).toThrow(/expected one input weight U \(role "weight", 20 x 29\) in the layer; found 0/);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("--layers all is named in the run ids; a bad value is a one-line error", async () => {
    const { transplantExperiment } = await import("./transplant-experiment.js");
    const plan = (values: Record<string, string>) => transplantExperiment.plan(transplantExperiment.parse(values) as never).map((r) => r.runId);
    expect(plan({ profile: "paper", layers: "recurrent" })).toEqual(plan({ profile: "paper" }));
    expect(plan({ profile: "paper", layers: "all", clip: "none", configs: "rnn-vectors/colei-spectrum/signed" })[0]).toBe("transplant/paper/n=100/rnn-vectors/colei-spectrum/signed/clip=none/layers=all/seed=0");
    expect(() => transplantExperiment.parse({ layers: "some" })).toThrow(/^--layers must be one of recurrent, all; got "some"$/);
    // --first-bias zero names the configurations with ColEI's spectrum only (with the RNN's the bias is 0 either way).
    const zero = plan({ profile: "paper", layers: "all", "first-bias": "zero", configs: "rnn-vectors/colei-spectrum/free,colei-vectors/rnn-spectrum/free" }).filter((id) => id.endsWith("seed=0"));
    expect(zero.sort()).toEqual(["transplant/paper/n=100/colei-vectors/rnn-spectrum/free/layers=all/seed=0", "transplant/paper/n=100/rnn-vectors/colei-spectrum/free/layers=all/bias=0/seed=0"]);
    expect(() => transplantExperiment.parse({ "first-bias": "zero" })).toThrow(/^--first-bias zero needs --layers all/);
    expect(() => transplantExperiment.parse({ layers: "all", "first-bias": "tiny" })).toThrow(/^--first-bias must be one of centred, zero; got "tiny"$/);
  });
});
