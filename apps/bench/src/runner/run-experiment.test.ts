/**
 * The runner as a user meets it (the built CLI in child processes): bad input refused in one line
 * before anything is written, foreign folders, corrupt shards, concurrent processes, worker, status.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "@dale-nn/datasets";
import { shardName } from "../executors/executor.js";
import { bench, rows } from "../test-fixtures/run-cli.js";

const GOLDEN = fileURLToPath(new URL("../test-fixtures/golden/", import.meta.url));
const ENV = { DALE_OPENBLAS_DISABLE: "1" };
const TINY_RNN = ["rnn", "--task", "adding", "--profile", "tiny", "--backend", "wasm"];

/** Every file under dir with a hash of its contents: "nothing written is changed" compares these. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = createHash("sha1").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

function expectOneLine(r: { status: number | null; stderr: string }, pattern: RegExp, what: string): void {
  expect(r.status, `${what}: ${r.stderr}`).toBe(2);
  expect(r.stderr.split("\n").filter(Boolean), what).toHaveLength(1);
  expect(r.stderr, what).toMatch(pattern);
}

describe("dale-bench runner", () => {
  it("--executor slurm --dry-run prints the job script of the missing runs and writes nothing, in a new or a half-done folder", async () => {
    const root = mkdtempSync(join(tmpdir(), "dale-dry-"));
    const fresh = join(root, "fresh");
    const r = await bench([...TINY_RNN, "--out", fresh, "--executor", "slurm", "--dry-run"], ENV);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/#SBATCH --array=0-3\b/);
    expect(r.stdout).toContain("worker");
    expect(existsSync(fresh) ? readdirSync(fresh) : []).toEqual([]);
    // A folder with one finished run (a results.jsonl of an earlier version): the script has the other three; nothing changes.
    const half = join(root, "half");
    const done = await bench([...TINY_RNN, "--models", "rnn", "--out", half], ENV);
    expect(done.status, done.stderr).toBe(0);
    const before = snapshot(half);
    const dry = await bench([...TINY_RNN, "--out", half, "--executor", "slurm", "--dry-run"], ENV);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/#SBATCH --array=0-2\b/);
    expect(snapshot(half)).toEqual(before);
  });

  it("bad numbers, --out and executor flags are one line, exit 2, and leave the results folder untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-bad-"));
    writeFileSync(join(dir, "results.jsonl"), readFileSync(join(GOLDEN, "nse", "results.jsonl")));
    writeFileSync(join(dir, "a-file"), "x");
    const before = snapshot(dir);
    const cases: Array<[string[], RegExp]> = [
      [["ffwd", "--epochs", "-1", "--out", dir], /^dale-bench: --epochs must be a positive integer; got "-1"\n$/],
      [["ffwd", "--epochs=-1", "--out", dir], /^dale-bench: --epochs must be a positive integer; got "-1"\n$/],
      [["ffwd", "--train-limit", "2.5", "--out", dir], /^dale-bench: --train-limit must be a positive integer; got "2.5"\n$/],
      [["ffwd", "--out", ""], /^dale-bench: --out must be a folder path; got ""\n$/],
      [["nse", "--out", join(dir, "a-file")], /^dale-bench: --out .*a-file is a file; expected a folder/],
      [["nse", "--out", join(dir, "a-file", "sub")], /^dale-bench: --out .*a-file\/sub is not writable \(ENOTDIR\)/],
      [["rnn", "--out", dir], /^dale-bench: --out .* holds results of experiment "nse"; expected a new folder or one of "rnn"/],
      [["nse", "--executor", "cloud", "--out", dir], /^dale-bench: unknown --executor "cloud"; expected one of local, slurm\n$/],
      [["nse", "--executor", "local", "--workers", "0", "--out", dir], /^dale-bench: --workers must be a positive integer; got "0"\n$/],
      [["nse", "--workers", "-2", "--out", dir], /^dale-bench: --workers must be a positive integer; got "-2"\n$/],
      [["nse", "--partition", "gpu", "--out", dir], /^dale-bench: --partition needs --executor slurm\n$/],
      [["nse", "--sweep", "lr=0.1", "--out", dir], /^dale-bench: unknown --sweep key "lr" for nse/],
      [["ffwd", "--sweep", "lr=log-uniform:1:0.1:3", "--out", dir], /^dale-bench: --sweep lr=log-uniform:LOW:HIGH:N needs 0 < LOW < HIGH/],
      [["spectra", "--n", "-5", "--out", dir], /^dale-bench: --n must be an integer >= 4; got "-5"\n$/],
      [["perf", "--threads", "100000"], /^dale-bench: --threads must be an integer in \[1, 256\]; got "100000"\n$/],
      [["worker", dir, "--run-id", "x"], /^dale-bench: .* has no experiment.json; expected a folder planned by dale-bench\n$/],
      [["status", join(dir, "nope")], /^dale-bench: .*nope has no experiment.json of a known experiment/],
    ];
    for (const [args, pattern] of cases) expectOneLine(await bench(args, ENV), pattern, args.join(" "));
    expect(snapshot(dir)).toEqual(before);
  });

  it("--help of each experiment lists its flags and the runner's; dale-bench --help lists every command of the registry", async () => {
    const top = await bench(["--help"]);
    expect(top.status).toBe(0);
    for (const name of ["ffwd", "rnn", "transplant", "ei-sweep", "nse", "spectra", "perf", "report", "status", "worker"]) expect(top.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    const h = await bench(["ffwd", "--help"]);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/--train-limit N/);
    expect(h.stdout).toMatch(/--executor local\|slurm/);
    expect(h.stdout).toMatch(/^  lr  /m);
  });

  it("a model named twice in --models trains once", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-twice-"));
    const r = await bench([...TINY_RNN, "--models", "rnn,rnn", "--out", out], ENV);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 runs planned, 0 already in/);
    expect(rows(out).map((x) => x.runId)).toEqual(["rnn/adding/rnn/tiny/seed=0"]);
  });

  it("experiment.json keeps every distinct command that ran into the folder, and the report ends with them (once, also after dale-bench report)", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-commands-"));
    const first = `npx dale-bench rnn --task adding --profile tiny --backend wasm --models rnn --out ${out}`;
    const second = `npx dale-bench rnn --task adding --profile tiny --backend wasm --models dann --out ${out}`;
    for (const models of ["rnn", "rnn", "dann"]) {
      const r = await bench([...TINY_RNN, "--models", models, "--out", out, "--quiet"], ENV);
      expect(r.status, r.stderr).toBe(0);
    }
    expect(JSON.parse(readFileSync(join(out, "experiment.json"), "utf8")).commands).toEqual([first, second]);
    const rebuilt = await bench(["report", out], ENV);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report.match(/^## Commands$/gm)).toHaveLength(1);
    expect(report.endsWith(`\`\`\`sh\n${first}\n${second}\n\`\`\`\n`)).toBe(true);
  });

  it("a corrupt shard is reported in one line and its run redone; an old results.jsonl is imported; report works on both", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-shard-"));
    // An earlier version's folder: results.jsonl only, one line cut short.
    const golden = readFileSync(join(GOLDEN, "nse", "results.jsonl"), "utf8").trim().split("\n");
    writeFileSync(join(out, "results.jsonl"), `${golden.slice(0, 6).join("\n")}\n${golden[6]!.slice(0, 40)}`);
    let r = await bench(["nse", "--profile", "smoke", "--out", out], ENV);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/results\.jsonl: 1 truncated or non-JSON line\(s\) \(line 7\) treated as absent; those runs are redone/);
    expect(r.stdout).toMatch(/7 runs planned, 6 already in .*results\.jsonl, 1 to run/);
    expect(readdirSync(join(out, "shards"))).toHaveLength(7);
    const id = String(JSON.parse(golden[2]!).runId);
    // A corrupt shard whose record is still in results.jsonl: reported, and recovered from the line.
    writeFileSync(join(out, "shards", `${shardName(id)}.json`), "{ not json");
    r = await bench(["nse", "--profile", "smoke", "--out", out], ENV);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l.includes(shardName(id)))).toHaveLength(1);
    expect(r.stdout).toMatch(/7 runs planned, 7 already in .*, 0 to run/);
    // A corrupt shard and no line: reported, and that run is redone.
    writeFileSync(join(out, "shards", `${shardName(id)}.json`), "{ not json");
    writeFileSync(join(out, "results.jsonl"), readFileSync(join(out, "results.jsonl"), "utf8").split("\n").filter((l) => !l.includes(`"runId":"${id}"`)).join("\n"));
    r = await bench(["nse", "--profile", "smoke", "--out", out], ENV);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l.includes(shardName(id)))).toHaveLength(1);
    expect(r.stdout).toMatch(/7 runs planned, 6 already in .*, 1 to run/);
    const ids = rows(out).map((x) => x.runId);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    const rep = await bench(["report", out]);
    expect(rep.status, rep.stderr).toBe(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/\| colei \| 100 \| 10% \(n_i = 10\) \| 5 \|/);
  });

  it("report reads a committed ffwd folder of an earlier version (results.jsonl only)", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-legacy-"));
    writeFileSync(join(out, "results.jsonl"), readFileSync(join(GOLDEN, "ffwd", "results.jsonl")));
    const rep = await bench(["report", out]);
    expect(rep.status, rep.stderr).toBe(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/\| dann \|/);
  });

  it("two processes on one --out train every run exactly once", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-concurrent-"));
    const [a, b] = await Promise.all([bench([...TINY_RNN, "--out", out], ENV), bench([...TINY_RNN, "--out", out], ENV)]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const trained = `${a.stdout}${b.stdout}`.split("\n").filter((l) => l.includes("final test MSE"));
    expect(trained).toHaveLength(4);
    const ids = rows(out).map((x) => x.runId);
    expect(ids.sort()).toEqual(["rnn/adding/colei-noclip/tiny/seed=0", "rnn/adding/colei/tiny/seed=0", "rnn/adding/dann/tiny/seed=0", "rnn/adding/rnn/tiny/seed=0"]);
    expect(readdirSync(join(out, "locks")).filter((f) => f !== "results.jsonl.lock")).toEqual([]);
  });

  it("worker runs one planned run and writes its shard; status counts done, running, failed and pending", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-worker-"));
    // Plan only: --executor local with every run already locked by this (live) process.
    let r = await bench([...TINY_RNN, "--models", "rnn", "--out", out, "--no-report", "--quiet"], ENV);
    expect(r.status, r.stderr).toBe(0);
    const spec = JSON.parse(readFileSync(join(out, "experiment.json"), "utf8"));
    expect(spec).toMatchObject({ experiment: "rnn", options: { tasks: ["adding"], models: ["rnn"], profile: "tiny" }, backend: "wasm" });
    // Re-plan with all four models, then do one by `worker`.
    r = await bench([...TINY_RNN, "--out", out, "--executor", "local", "--workers", "2", "--models", "rnn,dann", "--no-report"], ENV);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, "shards", `${shardName("rnn/adding/dann/tiny/seed=0")}.json`))).toBe(true);
    r = await bench(["worker", out, "--run-id", "rnn/adding/dann/tiny/seed=0"], ENV);
    expect(r.status, r.stderr).toBe(0);
    const bad = await bench(["worker", out, "--run-id", "rnn/adding/lstm/tiny/seed=0"], ENV);
    expectOneLine(bad, /^dale-bench: run id "rnn\/adding\/lstm\/tiny\/seed=0" is not in the plan of /, "worker bad id");
    mkdirSync(join(out, "locks"), { recursive: true });
    const spec2 = JSON.parse(readFileSync(join(out, "experiment.json"), "utf8"));
    spec2.options.models = ["rnn", "dann", "colei", "colei-noclip"];
    writeFileSync(join(out, "experiment.json"), JSON.stringify(spec2));
    writeFileSync(join(out, "locks", `${shardName("rnn/adding/colei/tiny/seed=0")}.lock`), JSON.stringify({ pid: process.pid, hostname: (await import("node:os")).hostname(), startedAt: "" }));
    mkdirSync(join(out, "failed"), { recursive: true });
    writeFileSync(join(out, "failed", `${shardName("rnn/adding/colei-noclip/tiny/seed=0")}.json`), JSON.stringify({ message: "loss exploded" }));
    const s = await bench(["status", out]);
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/4 runs: 2 done, 1 running, 1 failed, 0 pending/);
    expect(s.stdout).toMatch(/running rnn\/adding\/colei\/tiny\/seed=0 \(pid \d+ on /);
    expect(s.stdout).toMatch(/failed  rnn\/adding\/colei-noclip\/tiny\/seed=0 \(loss exploded\)/);
    // A worker for a run another live process holds exits 1 with one line.
    const held = await bench(["worker", out, "--run-id", "rnn/adding/colei/tiny/seed=0"], ENV);
    expect(held.status).toBe(1);
    expect(held.stderr).toMatch(/^dale-bench: rnn\/adding\/colei\/tiny\/seed=0 is being run by pid \d+ on .*\n$/);
  });

  it("ffwd sizes the validation split of a small --data-dir dataset (600 images: 100) instead of failing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-small-"));
    const data = join(dir, "data");
    mkdirSync(data);
    const pixels = (n: number) => Uint8Array.from({ length: n * 784 }, (_, i) => (i * 37) % 256);
    writeFileSync(join(data, "train-images-idx3-ubyte"), encodeIdx([600, 28, 28], pixels(600)));
    writeFileSync(join(data, "train-labels-idx1-ubyte"), encodeIdx([600], Uint8Array.from({ length: 600 }, (_, i) => i % 10)));
    writeFileSync(join(data, "t10k-images-idx3-ubyte"), encodeIdx([50, 28, 28], pixels(50)));
    writeFileSync(join(data, "t10k-labels-idx1-ubyte"), encodeIdx([50], Uint8Array.from({ length: 50 }, (_, i) => i % 10)));
    const r = await bench(["ffwd", "--data-dir", data, "--models", "mlp", "--search", "1", "--epochs", "1", "--backend", "wasm", "--out", join(dir, "out")], ENV);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 epoch\(s\) x 16 updates/);
    expect(rows(join(dir, "out"))).toHaveLength(3);
  });
});
