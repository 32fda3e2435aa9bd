import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TrainCheckpoint } from "@dale-nn/train";
import { CheckpointStore } from "./checkpoint-store.js";

const cp = (epoch: number): TrainCheckpoint => ({
  epoch,
  update: epoch * 10,
  trainErrorPerEpoch: Array.from({ length: epoch }, (_, i) => 1 / (i + 2)),
  meanLossPerEpoch: Array.from({ length: epoch }, (_, i) => 2 / (i + 2)),
  evalCurve: [{ update: 0, error: 0.9 }],
  wallSeconds: epoch,
  weights: [{ shape: [4], values: Float32Array.from([epoch, 1, 2, 3]) }],
  optimizerWeights: [{ name: "iter", shape: [], values: Float32Array.from([epoch * 10]) }],
});

function store(): { s: CheckpointStore; warnings: string[]; dir: string } {
  const dir = join(mkdtempSync(join(tmpdir(), "ckpt-")), "checkpoints");
  const warnings: string[] = [];
  return { s: new CheckpointStore(dir, (l) => void warnings.push(l)), warnings, dir };
}

describe("CheckpointStore", () => {
  it("save then load gives the latest epoch's checkpoint back verified; remove deletes it", () => {
    const { s, warnings } = store();
    s.save("mnist/dann/seed=0", cp(1));
    s.save("mnist/dann/seed=0", cp(2));
    expect(s.load("mnist/dann/seed=0")).toEqual(cp(2));
    s.remove("mnist/dann/seed=0");
    expect(s.load("mnist/dann/seed=0")).toBeNull();
    expect(warnings).toEqual([]);
  });

  it("load(run with damaged weights) warns in one line naming the file and the epoch, and returns null", () => {
    const { s, warnings } = store();
    s.save("r/1", cp(5));
    const path = s.path("r/1");
    const bytes = readFileSync(path);
    bytes[bytes.length - 3]! ^= 0xff;
    writeFileSync(path, bytes);
    expect(s.load("r/1")).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^ignoring the checkpoint of r\/1, which cannot be used \(.*r_1\.[0-9a-f]{8}\.ckpt: checkpoint of r\/1: payload checksum .* \(epoch 5; the weights were damaged\)\); the run starts from its first epoch$/);
  });

  it("load(run whose file was cut short or belongs to another run) is refused the same way", () => {
    const { s, warnings } = store();
    s.save("a", cp(2));
    s.save("b", cp(3));
    writeFileSync(s.path("a"), readFileSync(s.path("a")).subarray(0, 60));
    writeFileSync(s.path("b"), readFileSync(s.path("a")));
    expect(s.load("a")).toBeNull();
    expect(s.load("b")).toBeNull();
    expect(warnings[0]).toMatch(/truncated/);
    expect(warnings[1]).toMatch(/truncated|belongs to "a"/);
  });

  it("load(run with an earlier version's .json + .bin pair) reports it as unverifiable instead of trusting it", () => {
    const { s, warnings, dir } = store();
    s.save("x", cp(1));
    s.remove("x");
    writeFileSync(join(dir, "x.json"), JSON.stringify({ runId: "x", epoch: 1, floats: 1 }));
    writeFileSync(join(dir, "x.bin"), new Uint8Array(4));
    expect(s.lookup("x")).toMatchObject({ kind: "unusable" });
    expect(s.load("x")).toBeNull();
    expect(warnings[0]).toMatch(/earlier dale-bench version, which cannot be verified/);
  });

  it("save leaves no temporary file behind and uses names unique to the process", () => {
    const { s, dir } = store();
    for (let e = 1; e <= 3; e++) s.save("run", cp(e));
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
