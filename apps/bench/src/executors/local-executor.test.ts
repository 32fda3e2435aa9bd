import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bench, deterministic, rows } from "../test-fixtures/run-cli.js";

const ARGS = ["rnn", "--task", "adding", "--profile", "tiny", "--backend", "wasm", "--no-report"];
const ENV = { DALE_OPENBLAS_DISABLE: "1" };

describe("local executor", () => {
  it("--executor local --workers 2 gives the same records as the sequential run, in plan order", async () => {
    const base = mkdtempSync(join(tmpdir(), "local-executor-"));
    let t = performance.now();
    const seq = await bench([...ARGS, "--out", join(base, "sequential")], ENV);
    const sequential = performance.now() - t;
    expect(seq.status, seq.stderr).toBe(0);
    t = performance.now();
    const par = await bench([...ARGS, "--executor", "local", "--workers", "2", "--out", join(base, "workers")], ENV);
    const parallel = performance.now() - t;
    expect(par.status, par.stderr).toBe(0);
    expect(par.stdout).toMatch(/\[1\/4\] dale-bench: backend wasm/);
    const a = rows(join(base, "sequential"));
    const b = rows(join(base, "workers"));
    expect(b.map((r) => r.runId)).toEqual(a.map((r) => r.runId));
    expect(b.map(deterministic)).toEqual(a.map(deterministic));
    console.log(`local executor: sequential ${(sequential / 1000).toFixed(1)} s, 2 workers ${(parallel / 1000).toFixed(1)} s, ratio ${(parallel / sequential).toFixed(2)}`);
  });
});
