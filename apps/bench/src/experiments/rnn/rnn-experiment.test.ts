import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RnnRecord } from "../recurrent/rnn-record.js";
import { rnnClipping, rnnExperiment, writeRnnReport } from "./rnn-experiment.js";

describe("dale-bench rnn --clipping", () => {
  it("ours by default; reference: the reference scripts' thresholds per task, named in the run ids", () => {
    expect(rnnClipping({ task: "adding", model: "dann" })).toEqual({ maxNorm: 10, scope: "global" });
    expect(rnnClipping({ task: "adding", model: "dann", clipping: "reference" })).toEqual({ maxNorm: 3, scope: "global" });
    expect(rnnClipping({ task: "adding", model: "colei", clipping: "reference" })).toEqual({ maxNorm: 7, scope: "per-tensor" });
    expect(rnnClipping({ task: "seqmnist", model: "rnn", clipping: "reference" })).toBeNull();
    expect(rnnClipping({ task: "seqmnist", model: "colei-noclip", clipping: "reference" })).toBeNull();
    const ids = (values: Record<string, string>) => rnnExperiment.plan(rnnExperiment.parse(values) as never).map((r) => r.runId);
    expect(ids({ task: "adding", profile: "paper", clipping: "ours" })).toEqual(ids({ task: "adding", profile: "paper" }));
    expect(ids({ task: "adding", profile: "paper", clipping: "reference", models: "dann" })[0]).toBe("rnn/adding/dann/paper/clip=reference/seed=0");
    expect(() => rnnExperiment.parse({ clipping: "theirs" })).toThrow(/--clipping/);
  });

  it("the report tabulates and tests the reference-clipping runs apart", async () => {
    const base = { schema: 1 as const, experiment: "rnn" as const, task: "adding" as const, profile: "paper", learningRate: 0.1, epochs: 100, batchSize: 32, metric: "mse", trainErrorPerEpoch: [0.01], evalCurve: [{ update: 100, error: 0.01 }], finalTrainError: 0.01, wallSeconds: 1, backend: "cpu", versions: {}, finishedAt: "" };
    const run = (model: string, seed: number, error: number, reference: boolean): RnnRecord =>
      ({ ...base, runId: `${model}/${seed}/${reference}`, model, seed, finalEvalError: error, clipping: { maxNorm: reference ? 3 : 10, scope: "global" }, ...(reference ? { variant: { clipping: "reference" } } : {}) }) as RnnRecord;
    const records = [0, 1, 2, 3, 4].flatMap((s) => [run("rnn", s, 0.002 + 0.0001 * s, false), run("dann", s, 0.1 + 0.01 * s, false), run("rnn", s, 0.002 + 0.0001 * s, true), run("dann", s, 0.0021 + 0.0001 * s, true)]);
    const out = mkdtempSync(join(tmpdir(), "rnn-report-"));
    await writeRnnReport(out, records);
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).toMatch(/\| dann \| global 10 \| 5 \| 100 \|/);
    expect(report).toMatch(/\| dann \| global 3 \(reference\) \| 5 \| 100 \|/);
    expect(report).toMatch(/Against the paper, our clipping:\n\n- DANN learns as well as the standard RNN: \*\*not shown\*\*: DANN ends worse/);
    expect(report).toMatch(/Against the paper, the reference scripts' clipping:\n\n- DANN learns as well as the standard RNN: \*\*consistent\*\*/);
  });
});

describe("dale-bench rnn --first-bias", () => {
  it("zero starts ColEI's first-layer bias at 0 (named in its run ids); the RNN and DANN keep theirs; a bad value is one line", () => {
    const ids = (values: Record<string, string>) => rnnExperiment.plan(rnnExperiment.parse(values) as never).map((r) => r.runId);
    expect(ids({ task: "seqmnist", profile: "paper", "first-bias": "centred" })).toEqual(ids({ task: "seqmnist", profile: "paper" }));
    const zero = ids({ task: "seqmnist", profile: "paper", "first-bias": "zero", clipping: "reference" }).filter((id) => id.endsWith("seed=0"));
    expect(zero).toEqual(["rnn/seqmnist/rnn/paper/clip=reference/seed=0", "rnn/seqmnist/colei/paper/clip=reference/bias=0/seed=0", "rnn/seqmnist/colei-noclip/paper/clip=reference/bias=0/seed=0", "rnn/seqmnist/dann/paper/clip=reference/seed=0"]);
    const planned = rnnExperiment.plan(rnnExperiment.parse({ task: "adding", profile: "paper", "first-bias": "zero", models: "colei,rnn" }) as never);
    expect(planned.map((r) => (r.settings as { firstLayerBias?: string }).firstLayerBias)).toEqual([...Array(5).fill("zero"), ...Array(5).fill(undefined)]);
    expect(() => rnnExperiment.parse({ "first-bias": "half" })).toThrow(/^--first-bias must be one of centred, zero; got "half"$/);
  });

  it("the report tabulates ColEI at b = 0 apart and tests it against the RNN and DANN of its clipping", async () => {
    const base = { schema: 1 as const, experiment: "rnn" as const, task: "adding" as const, profile: "paper", learningRate: 0.1, epochs: 100, batchSize: 32, metric: "mse", trainErrorPerEpoch: [0.01], evalCurve: [{ update: 100, error: 0.01 }], finalTrainError: 0.01, wallSeconds: 1, backend: "cpu", versions: {}, finishedAt: "" };
    const run = (model: string, seed: number, error: number, zero = false): RnnRecord =>
      ({ ...base, runId: `${model}/${seed}/${zero}`, model, seed, finalEvalError: error, clipping: { maxNorm: 10, scope: "global" }, ...(zero ? { variant: { firstLayerBias: "zero" } } : {}) }) as RnnRecord;
    // Centred ColEI worse than the RNN; ColEI at b = 0 as good as it.
    const records = [0, 1, 2, 3, 4].flatMap((s) => [run("rnn", s, 0.002 + 0.0001 * s), run("colei", s, 0.05 + 0.001 * s), run("colei", s, 0.0005 + 0.0001 * s, true)]);
    const out = mkdtempSync(join(tmpdir(), "rnn-report-"));
    await writeRnnReport(out, records);
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report.match(/^\| rnn \|/gm)).toHaveLength(1);
    expect(report).toMatch(/\| colei \(b = 0\) \| global 10 \| 5 \| 100 \|/);
    expect(report).toMatch(/Against the paper, our clipping:\n\n- ColEI learns worse than the standard RNN \(higher final test MSE\): \*\*holds\*\*/);
    expect(report).toMatch(/Against the paper, our clipping, ColEI's first-layer bias at 0:\n\n- ColEI learns worse than the standard RNN \(higher final test MSE\): \*\*the opposite holds\*\*/);
  });
});
