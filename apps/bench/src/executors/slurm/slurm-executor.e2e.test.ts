/**
 * The Slurm executor against a real one-node Slurm (munged, slurmctld, slurmd started by
 * startSlurmCluster in a temporary folder), with the stub worker standing in for `dale-bench
 * worker`. Skips with a one-line reason where slurm-wlm / munge are absent, and fails instead when
 * CI is set.
 *
 * To run the same sweeps with the real worker, pass the built CLI as `bin` to contractRequest
 * (WORKER below), after the runner has written `<out>/experiment.json` and planned the run ids.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardName } from "../executor.js";
import { createSlurmExecutor } from "./slurm-executor.js";
import { slurmRunStates } from "./slurm-run-states.js";
import { readSubmissions } from "./slurm-submission.js";
import { skipWithoutSlurm, startSlurmCluster, type SlurmCluster } from "./test-support/slurm-cluster.js";
import { contractRequest, STUB_WORKER } from "./test-support/stub-request.js";

const run = promisify(execFile);
/** The program the jobs run as [WORKER, "worker", out, "--run-id", id] and [WORKER, "report", out]. */
const WORKER = STUB_WORKER;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}

async function lines(path: string): Promise<string[]> {
  return existsSync(path) ? (await readFile(path, "utf8")).split("\n").filter(Boolean) : [];
}

/** The run ids that have a shard, with how many shard files each has (exactly one expected). */
async function shardRunIds(out: string): Promise<string[]> {
  const dir = join(out, "shards");
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();
  return Promise.all(files.map(async (f) => ((await readJson<{ runId: string }>(join(dir, f))) ?? { runId: `unreadable ${f}` }).runId));
}

const skip = skipWithoutSlurm();

describe.skipIf(skip)("createSlurmExecutor(options) on a real one-node Slurm", () => {
  let cluster: SlurmCluster;
  let root: string;

  beforeAll(async () => {
    cluster = await startSlurmCluster();
    root = await mkdtemp(join(tmpdir(), "dale-slurm-e2e-"));
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  const env = (extra: Record<string, string>) => ({ ...cluster.env, ...extra });

  it("execute(request) of 5 runs completes every task through sbatch, one shard each, then the merge job", async () => {
    const out = join(root, "sweep one");
    const runIds = ["mlp seed=1", "mlp seed=2", "dann it's", "colei $x", "e"];
    const executor = createSlurmExecutor({ extra: [], requeue: false, dryRun: false, env: env({ STUB_STEPS: "2", STUB_STEP_MS: "200" }) });
    const result = await executor.execute(contractRequest(out, "ffwd", runIds, WORKER));
    expect(result).toMatchObject({ kind: "submitted", tasks: 5 });
    const [submission] = await readSubmissions(out);
    expect(submission!.mergeJobId).toMatch(/^\d+$/);
    const states = await cluster.waitForJobs([submission!.jobId, submission!.mergeJobId!]);
    expect(Object.fromEntries(states)).toEqual({
      ...Object.fromEntries(runIds.map((_, i) => [`${submission!.jobId}_${i}`, "COMPLETED"])),
      [submission!.mergeJobId!]: "COMPLETED",
    });
    expect((await shardRunIds(out)).sort()).toEqual([...runIds].sort());
    for (const id of runIds) expect(existsSync(join(out, "shards", `${shardName(id)}.json`))).toBe(true);
    for (const id of runIds) expect(await lines(join(out, "attempts", `${shardName(id)}.log`))).toHaveLength(1);
    // The merge job ran once, after every task: it saw all five shards.
    expect(await lines(join(out, "merges.log"))).toHaveLength(1);
    expect((await lines(join(out, "results.jsonl"))).map((l) => JSON.parse(l).runId).sort()).toEqual([...runIds].sort());
    expect(await slurmRunStates(out, cluster.env)).toEqual(new Map(runIds.map((id) => [id, "COMPLETED"])));
    const dir = join(submission!.script, "..");
    expect(await lines(join(dir, "task-0.err"))).toContainEqual(expect.stringContaining("dale-bench: task 0 run mlp seed=1"));
  });

  it("scancel of one task mid-run, then a resubmission of only the missing run ids, completes the sweep once each", async () => {
    const out = join(root, "sweep two");
    const runIds = ["r0", "r1", "r2", "r3"];
    const executor = createSlurmExecutor({ extra: [], requeue: false, dryRun: false, env: env({ STUB_STEPS: "8", STUB_STEP_MS: "300" }) });
    await executor.execute(contractRequest(out, "ffwd", runIds, WORKER));
    const [first] = await readSubmissions(out);
    await until("r0 to checkpoint", () => readJson<{ step: number }>(join(out, "checkpoints", `${shardName("r0")}.json`)));
    await run("scancel", [`${first!.jobId}_0`], { env: cluster.env });
    // r3 is still queued or running: submitting it again is refused.
    await expect(executor.execute(contractRequest(out, "ffwd", ["r3"], WORKER))).rejects.toThrow(/still queued or running in Slurm: r3 \((PENDING|RUNNING)\)/);
    const states = await cluster.waitForJobs([first!.jobId, first!.mergeJobId!]);
    expect(states.get(`${first!.jobId}_0`)).toBe("CANCELLED");
    expect(states.get(first!.mergeJobId!)).toBe("COMPLETED");
    expect((await slurmRunStates(out, cluster.env)).get("r0")).toBe("CANCELLED");

    const done = new Set(await shardRunIds(out));
    const missing = runIds.filter((id) => !done.has(id));
    expect(missing).toEqual(["r0"]);
    await executor.execute(contractRequest(out, "ffwd", missing, WORKER));
    const [, second] = await readSubmissions(out);
    expect(second!.runIds).toEqual(["r0"]);
    await cluster.waitForJobs([second!.jobId, second!.mergeJobId!]);

    expect((await shardRunIds(out)).sort()).toEqual(runIds);
    const shard = await readJson<{ resumedFrom: number }>(join(out, "shards", `${shardName("r0")}.json`));
    expect(shard!.resumedFrom).toBeGreaterThan(0);
    expect(await lines(join(out, "attempts", `${shardName("r0")}.log`))).toHaveLength(2);
    expect((await lines(join(out, "results.jsonl"))).map((l) => JSON.parse(l).runId).sort()).toEqual(runIds);
    expect(await slurmRunStates(out, cluster.env)).toEqual(new Map(runIds.map((id) => [id, "COMPLETED"])));
  });

  it("scontrol requeue of a running task (with --requeue) reruns it, resuming from its checkpoint", async () => {
    const out = join(root, "sweep three");
    const runIds = ["q0", "q1"];
    const executor = createSlurmExecutor({ extra: [], requeue: true, dryRun: false, cpusPerTask: 1, env: env({ STUB_STEPS: "10", STUB_STEP_MS: "300" }) });
    await executor.execute(contractRequest(out, "ffwd", runIds, WORKER));
    const [submission] = await readSubmissions(out);
    expect(await readFile(submission!.script, "utf8")).toContain("#SBATCH --requeue\n");
    const checkpoint = join(out, "checkpoints", `${shardName("q0")}.json`);
    await until("q0 to reach step 2", async () => ((await readJson<{ step: number }>(checkpoint))?.step ?? 0) >= 2);
    await run("scontrol", ["requeue", `${submission!.jobId}_0`], { env: cluster.env });
    const requeued = await until("q0 to be pending again", async () => {
      const state = (await slurmRunStates(out, cluster.env)).get("q0");
      return state !== "RUNNING" && state !== "COMPLETING" ? state : undefined;
    });
    expect(requeued).toBe("REQUEUED");
    const states = await cluster.waitForJobs([submission!.jobId, submission!.mergeJobId!], 180_000);
    expect(states.get(`${submission!.jobId}_0`)).toBe("COMPLETED");
    const attempts = await lines(join(out, "attempts", `${shardName("q0")}.log`));
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toContain("restart=0 from=0");
    expect(attempts[1]).toMatch(/restart=1 from=([2-9]|10)\b/);
    expect((await readJson<{ resumedFrom: number }>(join(out, "shards", `${shardName("q0")}.json`)))!.resumedFrom).toBeGreaterThanOrEqual(2);
    expect((await shardRunIds(out)).sort()).toEqual(runIds);
    // One task log, appended across the requeue (--open-mode=append).
    const log = await lines(join(submission!.script, "..", "task-0.err"));
    expect(log.filter((l) => l.startsWith("dale-bench: task 0"))).toHaveLength(2);
  });
});
