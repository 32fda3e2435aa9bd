import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AnyExperiment } from "./experiment.js";
import { ResultsStore } from "./results-store.js";

const record = (runId: string, mean = 0.9) => ({ schema: 1, experiment: "nse", runId, profile: "smoke", model: "rnn", n: 4, inhibitoryFraction: 0, ni: 0, seeds: [1], nse: [mean], mean, std: null, wallSeconds: 0, finishedAt: "" });

/** A minimal experiment: records of "nse" with a numeric mean. */
const nseExperiment = {
  name: "nse",
  validateRecord(value: unknown, where: string) {
    const o = value as { experiment?: unknown; mean?: unknown };
    if (o.experiment !== "nse") throw new Error(`${where}: experiment must be "nse"; got ${JSON.stringify(o.experiment)}`);
    if (typeof o.mean !== "number") throw new Error(`${where}: mean must be a number`);
    return value;
  },
} as unknown as AnyExperiment;

function store(out: string, lines: string[]): ResultsStore {
  return new ResultsStore(out, nseExperiment, (l) => lines.push(l));
}

describe("ResultsStore", () => {
  it("writeShard + merge write results.jsonl in plan order, each run id once, and leave no temporary files", () => {
    const out = mkdtempSync(join(tmpdir(), "store-"));
    const s = store(out, []);
    for (const id of ["c", "a", "b"]) s.writeShard(record(id) as never);
    s.writeShard(record("a", 0.5) as never);
    expect(s.merge(["a", "b", "c"]).map((r) => r.record.runId)).toEqual(["a", "b", "c"]);
    const lines = readFileSync(join(out, "results.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.runId)).toEqual(["a", "b", "c"]);
    expect(lines[0].mean).toBe(0.5);
    expect(readdirSync(join(out, "shards")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a results.jsonl of an earlier version (no shards) is imported; truncated and non-JSON lines count as absent, in one log line", () => {
    const out = mkdtempSync(join(tmpdir(), "store-"));
    writeFileSync(join(out, "results.jsonl"), `${JSON.stringify(record("a"))}\nnot json\n${JSON.stringify(record("b"))}\n{"schema":1,"experim`);
    const lines: string[] = [];
    const s = store(out, lines);
    expect(s.merge(["a", "b", "c"]).map((r) => r.record.runId)).toEqual(["a", "b"]);
    expect(lines).toEqual([`dale-bench: ${join(out, "results.jsonl")}: 2 truncated or non-JSON line(s) (line 2, 4) treated as absent; those runs are redone`]);
    expect(existsSync(s.shardPath("a")) && existsSync(s.shardPath("b"))).toBe(true);
    expect(readFileSync(join(out, "results.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
  });

  it("a corrupt shard or another experiment's record is absent (that run is redone) and reported once", () => {
    const out = mkdtempSync(join(tmpdir(), "store-"));
    const lines: string[] = [];
    const s = store(out, lines);
    s.writeShard(record("a") as never);
    s.writeShard(record("b") as never);
    writeFileSync(s.shardPath("a"), '{"schema":1,"exp');
    writeFileSync(s.shardPath("b"), JSON.stringify({ ...record("b"), experiment: "rnn" }));
    expect(s.readShard("a")).toBeNull();
    expect(s.merge(["a", "b"])).toEqual([]);
    s.merge(["a", "b"]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/a\.[0-9a-f]{8}\.json: truncated; treated as absent \(that run is redone\)$/);
    expect(lines[1]).toMatch(/experiment must be "nse"; got "rnn"; treated as absent/);
  });
});
