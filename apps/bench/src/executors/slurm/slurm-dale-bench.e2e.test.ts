/**
 * `dale-bench <experiment> --executor slurm` end to end, as a researcher runs it: the real CLI
 * submits its runs as a job array to a real one-node Slurm (munged, slurmctld, slurmd started in a
 * temporary folder), the real `dale-bench worker` trains each run, and the dependent merge job
 * writes results.jsonl and the report. Skips with a one-line reason where slurm-wlm / munge are
 * absent, and fails instead under CI.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSubmissions } from "./slurm-submission.js";
import { skipWithoutSlurm, startSlurmCluster, type SlurmCluster } from "./test-support/slurm-cluster.js";

const exec = promisify(execFile);
const BIN = fileURLToPath(new URL("../../../bin/dale-bench.mjs", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The records of results.jsonl without what differs between two runs of the same run (times, paths). */
async function records(out: string): Promise<Array<Record<string, unknown>>> {
  const text = existsSync(join(out, "results.jsonl")) ? await readFile(join(out, "results.jsonl"), "utf8") : "";
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const { wallSeconds, startedAt, finishedAt, versions, ...rest } = JSON.parse(l) as Record<string, unknown>;
      void wallSeconds, startedAt, finishedAt, versions;
      return rest;
    });
}

async function taskLogs(out: string): Promise<string> {
  const dir = join(out, "slurm");
  let text = "";
  for (const sub of existsSync(dir) ? await readdir(dir) : []) {
    const d = join(dir, sub);
    if (!existsSync(join(d, "runs.txt"))) continue;
    for (const f of await readdir(d)) if (f.endsWith(".err") || f.endsWith(".out")) text += await readFile(join(d, f), "utf8");
  }
  return text;
}

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const skip = skipWithoutSlurm();

describe.skipIf(skip)("dale-bench --executor slurm on a real one-node Slurm", () => {
  let cluster: SlurmCluster;
  let root: string;
  const bench = (args: string[]) => exec(process.execPath, [BIN, ...args], { env: cluster.env, encoding: "utf8" });

  beforeAll(async () => {
    cluster = await startSlurmCluster();
    root = await mkdtemp(join(tmpdir(), "dale-bench-slurm-"));
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  it("rnn --executor slurm: 4 runs through sbatch and the merge job give the same records as the in-process run; status says all done", async () => {
    const args = ["rnn", "--task", "adding", "--profile", "tiny", "--backend", "cpu", "--quiet"];
    const viaSlurm = join(root, "rnn slurm");
    const inProcess = join(root, "rnn local");
    const submitted = await bench([...args, "--out", viaSlurm, "--executor", "slurm"]);
    expect(submitted.stdout + submitted.stderr).not.toMatch(/Error|at /);
    const [submission] = await readSubmissions(viaSlurm);
    expect(submission!.runIds).toHaveLength(4);
    const states = await cluster.waitForJobs([submission!.jobId, submission!.mergeJobId!], 300_000);
    expect([...states.values()].every((s) => s === "COMPLETED")).toBe(true);
    await bench([...args, "--out", inProcess]);
    const fromSlurm = await records(viaSlurm);
    expect(fromSlurm.map((r) => r.runId)).toEqual(submission!.runIds);
    expect(fromSlurm).toEqual(await records(inProcess));
    const status = await bench(["status", viaSlurm]);
    expect(status.stdout).toMatch(/4 done/);
    expect(existsSync(join(viaSlurm, "report.md"))).toBe(true);
  });

  it("scancel of a run mid-training, then the same command again, submits only that run, which resumes from its checkpoint; every run once", async () => {
    const out = join(root, "ffwd cancel");
    const args = ["ffwd", "--models", "mlp,dann", "--train-limit", "3000", "--epochs", "5", "--backend", "wasm", "--out", out, "--executor", "slurm"];
    await bench(args);
    const [first] = await readSubmissions(out);
    const checkpoints = join(out, "checkpoints");
    await until("the first run's first checkpoint", async () => existsSync(checkpoints) && (await readdir(checkpoints)).some((f) => f.endsWith(".ckpt")));
    await exec("scancel", [`${first!.jobId}_0`], { env: cluster.env });
    await cluster.waitForJobs([first!.jobId, first!.mergeJobId!], 300_000);
    expect((await records(out)).map((r) => r.runId)).toEqual([first!.runIds[1]]);
    await bench(args);
    const [, second] = await readSubmissions(out);
    expect(second!.runIds).toEqual([first!.runIds[0]]);
    await cluster.waitForJobs([second!.jobId, second!.mergeJobId!], 300_000);
    const all = await records(out);
    expect(all.map((r) => r.runId).sort()).toEqual([...first!.runIds].sort());
    expect(all.every((r) => Array.isArray(r.trainErrorPerEpoch) && (r.trainErrorPerEpoch as number[]).length === 5)).toBe(true);
    expect(await taskLogs(out)).toMatch(/resumes after epoch [1-4] from its checkpoint/);
  });

  it("scontrol requeue of a running run (--requeue) restarts it from its checkpoint and it finishes once", async () => {
    const out = join(root, "ffwd requeue");
    const args = ["ffwd", "--models", "mlp", "--train-limit", "3000", "--epochs", "6", "--backend", "wasm", "--out", out, "--executor", "slurm", "--requeue"];
    await bench(args);
    const [submission] = await readSubmissions(out);
    const checkpoints = join(out, "checkpoints");
    await until("the run's first checkpoint", async () => existsSync(checkpoints) && (await readdir(checkpoints)).some((f) => f.endsWith(".ckpt")));
    await exec("scontrol", ["requeue", `${submission!.jobId}_0`], { env: cluster.env });
    const states = await cluster.waitForJobs([submission!.jobId, submission!.mergeJobId!], 300_000);
    expect(states.get(`${submission!.jobId}_0`)).toBe("COMPLETED");
    const all = await records(out);
    expect(all).toHaveLength(1);
    expect((all[0]!.trainErrorPerEpoch as number[]).length).toBe(6);
    expect(await taskLogs(out)).toMatch(/resumes after epoch [1-5] from its checkpoint/);
  });
});
