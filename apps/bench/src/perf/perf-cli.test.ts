/**
 * `dale-bench perf` as a user meets it: the built CLI in a child process, spawned asynchronously
 * (a long spawnSync starves vitest's worker RPC). Checks fields, never speed ratios.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/dale-bench.mjs", import.meta.url));

function bench(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const SMALL = ["perf", "--quick", "--workloads", "rnn", "--backends", "wasm", "--batches", "32", "--json"];

describe("dale-bench perf", () => {
  it("perf --quick --workloads rnn --backends wasm --batches 32 --json prints one JSON row with our throughput", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "dale-perf-cli-")), "perf.jsonl");
    const r = await bench([...SMALL, "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const row = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(row).toMatchObject({ kind: "train", workload: "rnn", batch: 32, backend: "wasm", leakedTensors: 0, threads: 1 });
    for (const key of ["ours", "pytorch", "ratio", "gflops", "peakFraction"]) expect(row).toHaveProperty(key);
    expect(row.ours as number).toBeGreaterThan(0);
    expect(row.gflops as number).toBeGreaterThan(0);
    expect(readFileSync(out, "utf8")).toBe(r.stdout);
    // Notices go to stderr, one of them about PyTorch (measured, or not available).
    expect(r.stderr).toMatch(/^pytorch: /m);
  }, 60_000);

  it("perf without PyTorch says so in one line and leaves the PyTorch fields null", async () => {
    const r = await bench(SMALL, { ...process.env, DALE_PYTHON: "/nonexistent/python3" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^pytorch: not available \(\/nonexistent\/python3 not found.*\); PyTorch columns left empty$/m);
    const row = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
    expect(row).toMatchObject({ pytorch: null, ratio: null, peakFraction: null });
    expect(row.ours as number).toBeGreaterThan(0);
  }, 60_000);

  it("perf with a bad backend, workload or thread count exits 2 with one line", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["perf", "--backends", "tpu"], /^dale-bench: unknown --backends entry "tpu"; expected one of openblas, wasm, cpu\n$/],
      [["perf", "--workloads", "cnn"], /^dale-bench: unknown --workloads entry "cnn"; expected one of mlp, dann, rnn, ctrnn, conv, spectra\n$/],
      [["perf", "--threads", "0"], /^dale-bench: --threads must be an integer >= 1; got "0"\n$/],
    ];
    for (const [args, pattern] of cases) {
      const r = await bench(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe("");
    }
  }, 60_000);
});
