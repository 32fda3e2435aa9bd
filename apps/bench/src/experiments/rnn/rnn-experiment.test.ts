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
