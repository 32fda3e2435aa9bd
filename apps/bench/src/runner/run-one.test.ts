import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TrainCheckpoint } from "@dale-nn/train";
import { CheckpointStore } from "../checkpoint-store.js";
import { Progress } from "../progress.js";
import type { AnyExperiment, RunContext } from "./experiment.js";
import { ResultsStore } from "./results-store.js";
import { failurePath, runOne } from "./run-one.js";

const checkpoint = (epoch: number): TrainCheckpoint => ({
  epoch, update: 10 * epoch, trainErrorPerEpoch: [0.5], meanLossPerEpoch: [1], evalCurve: [], wallSeconds: 1,
  weights: [{ shape: [2], values: Float32Array.from([1, 2]) }], optimizerWeights: [],
});

/** A fake experiment: one epoch per call; the first call "crashes" after its checkpoint. */
function fakeExperiment(calls: Array<{ resumed: number | undefined; backends: string[] }>): AnyExperiment {
  return {
    name: "fake",
    validateRecord: (v: unknown) => v,
    async runOne(run: { runId: string }, ctx: RunContext) {
      calls.push({ resumed: ctx.resumeFrom?.epoch, backends: ctx.backends() });
      if (!ctx.resumeFrom) {
        ctx.saveCheckpoint(checkpoint(1));
        throw new Error("killed");
      }
      return { schema: 1, experiment: "fake", runId: run.runId, epochs: 2 };
    },
  } as unknown as AnyExperiment;
}

function go(experiment: AnyExperiment, out: string, backend: string, lines: string[]) {
  const log = (l: string) => void lines.push(l);
  return runOne({
    experiment, out, run: { runId: "fake/a", settings: null }, backend, store: new ResultsStore(out, experiment, log),
    prepared: async () => undefined, log, progress: new Progress(false, true), index: 1, total: 1,
  });
}

describe("runOne", () => {
  it("a run resumed on another backend records backends: [first, second]; its failure, checkpoint and lock are cleaned up after it finishes", async () => {
    const out = mkdtempSync(join(tmpdir(), "run-one-"));
    const calls: Array<{ resumed: number | undefined; backends: string[] }> = [];
    const experiment = fakeExperiment(calls);
    await expect(go(experiment, out, "wasm", [])).rejects.toThrow("killed");
    expect(existsSync(failurePath(out, "fake/a"))).toBe(true);
    const outcome = await go(experiment, out, "openblas", []);
    expect(calls).toEqual([{ resumed: undefined, backends: ["wasm"] }, { resumed: 1, backends: ["wasm", "openblas"] }]);
    expect(outcome).toMatchObject({ kind: "done", record: { runId: "fake/a", backends: ["wasm", "openblas"] } });
    expect(existsSync(failurePath(out, "fake/a"))).toBe(false);
    expect(existsSync(new CheckpointStore(join(out, "checkpoints")).path("fake/a"))).toBe(false);
    expect(await go(experiment, out, "wasm", [])).toEqual({ kind: "already-done" });
  });

  it("an unusable checkpoint is reported in one line and the run starts from scratch", async () => {
    const out = mkdtempSync(join(tmpdir(), "run-one-"));
    const store = new CheckpointStore(join(out, "checkpoints"));
    store.save("fake/a", checkpoint(1));
    writeFileSync(store.path("fake/a"), "garbage");
    const calls: Array<{ resumed: number | undefined; backends: string[] }> = [];
    const lines: string[] = [];
    await expect(go(fakeExperiment(calls), out, "cpu", lines)).rejects.toThrow("killed");
    expect(calls[0]!.resumed).toBeUndefined();
    expect(lines.filter((l) => l.includes("checkpoint"))).toHaveLength(1);
    expect(lines[0]).toMatch(/^dale-bench: /);
  });
});
