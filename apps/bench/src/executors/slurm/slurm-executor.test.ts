import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shardName } from "../executor.js";
import { UserError } from "../../user-error.js";
import { createSlurmExecutor } from "./slurm-executor.js";
import { readSubmissions } from "./slurm-submission.js";
import { contractRequest, STUB_WORKER } from "./test-support/stub-request.js";

const run = promisify(execFile);
const base = { extra: [] as string[], requeue: false, dryRun: false };
const RUN_IDS = ["mlp seed=1", "dann it's $HOME", "colei;`id`", "x"];

let root: string;
let out: string;
let bin: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "dale-slurm-exec-"));
  out = join(root, "my results", "it's here");
  bin = join(root, "bin");
  await mkdir(out, { recursive: true });
  await mkdir(bin);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Puts a fake `sbatch` on a PATH of its own: each call appends its arguments to calls.log and runs `body`. */
async function fakeSbatch(body: string): Promise<NodeJS.ProcessEnv> {
  const path = join(bin, "sbatch");
  await writeFile(path, `#!/bin/bash\nprintf '%s\\n' "$*" >> ${JSON.stringify(join(bin, "calls.log"))}\n${body}\n`);
  await chmod(path, 0o755);
  return { ...process.env, PATH: bin };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("createSlurmExecutor(options)", () => {
  it("createSlurmExecutor({ time: '4h' }) throws a one-line UserError naming 4h", () => {
    expect(() => createSlurmExecutor({ ...base, time: "4h" })).toThrow(UserError);
    expect(() => createSlurmExecutor({ ...base, time: "4h" })).toThrow(/^--time: "4h" is not a time Slurm accepts/);
  });

  it("execute(request) with dryRun returns job.sbatch and merge.sbatch as text and writes nothing", async () => {
    const executor = createSlurmExecutor({
      ...base,
      dryRun: true,
      partition: "cpu",
      time: "04:00:00",
      memory: "4G",
      cpusPerTask: 2,
      requeue: true,
      extra: ["--account=lab", "--comment=two words", "--exclusive"],
    });
    expect(executor.name).toBe("slurm");
    const result = await executor.execute(contractRequest(out, "ffwd", RUN_IDS));
    expect(result.kind).toBe("dry-run");
    const script = (result as { script: string }).script;
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    for (const line of [
      "#SBATCH --array=0-3",
      "#SBATCH --job-name=dale-ffwd",
      "#SBATCH --partition=cpu",
      "#SBATCH --time=04:00:00",
      "#SBATCH --mem=4G",
      "#SBATCH --cpus-per-task=2",
      "#SBATCH --requeue",
      "#SBATCH --open-mode=append",
      "#SBATCH --account=lab",
      '#SBATCH --comment="two words"',
      "#SBATCH --exclusive",
      "export OPENBLAS_NUM_THREADS=2",
      "#SBATCH --job-name=dale-ffwd-merge",
      "#SBATCH --no-requeue",
    ]) {
      expect(script.split("\n")).toContain(line);
    }
    expect(script).toMatch(/^#SBATCH --output=".*\/my results\/it's here\/slurm\/\d{8}T\d{6}Z-[0-9a-f]{4}\/task-%a\.out"$/m);
    expect(script).toContain(`exec ${process.execPath} ${STUB_WORKER} worker '${out.replace(/'/g, `'\\''`)}' --run-id "$RUN_ID"`);
    expect(script).toContain(`exec ${process.execPath} ${STUB_WORKER} report '${out.replace(/'/g, `'\\''`)}'`);
    expect(existsSync(join(out, "slurm"))).toBe(false);
  });

  it("execute(request) without requeue writes --no-requeue and OPENBLAS_NUM_THREADS=1 by default", async () => {
    const result = await createSlurmExecutor({ ...base, dryRun: true }).execute(contractRequest(out, "nse", ["a"]));
    const script = (result as { script: string }).script;
    expect(script).toContain("#SBATCH --array=0-0\n");
    expect(script).toContain("#SBATCH --no-requeue\n");
    expect(script).toContain("#SBATCH --cpus-per-task=1\n");
    expect(script).toContain("export OPENBLAS_NUM_THREADS=1\n");
    expect(script).not.toContain("--partition");
  });

  it("execute(request) submits the array then the merge job afterany it, and records the submission", async () => {
    const env = await fakeSbatch('if [[ "$*" == *dependency* ]]; then echo 43; else echo "42;cluster"; fi');
    const lines: string[] = [];
    const result = await createSlurmExecutor({ ...base, env }).execute(contractRequest(out, "ffwd", RUN_IDS, STUB_WORKER, (l) => lines.push(l)));
    expect(result).toMatchObject({ kind: "submitted", jobId: "42", tasks: 4 });
    const scriptPath = (result as { scriptPath: string }).scriptPath;
    const dir = join(scriptPath, "..");
    expect((await readFile(join(dir, "runs.txt"), "utf8")).split("\n")).toEqual([...RUN_IDS, ""]);
    expect((await readdir(dir)).sort()).toEqual(["job.sbatch", "merge.sbatch", "runs.txt"]);
    const calls = (await readFile(join(bin, "calls.log"), "utf8")).trim().split("\n");
    expect(calls).toEqual([`--parsable ${scriptPath}`, `--parsable --dependency=afterany:42 ${join(dir, "merge.sbatch")}`]);
    const [submission, ...rest] = await readSubmissions(out);
    expect(rest).toEqual([]);
    expect(submission).toMatchObject({ jobId: "42", mergeJobId: "43", runIds: RUN_IDS, script: scriptPath });
    expect(submission!.submissionId).toBe(dir.split("/").pop());
    expect(Number.isNaN(Date.parse(submission!.submittedAt))).toBe(false);
    expect(lines).toHaveLength(2);
  });

  it("job.sbatch run by bash as task i runs runIds[i] with its quoted arguments intact", async () => {
    const env = await fakeSbatch('echo 7');
    const result = await createSlurmExecutor({ ...base, env, cpusPerTask: 3 }).execute(contractRequest(out, "ffwd", RUN_IDS));
    const scriptPath = (result as { scriptPath: string }).scriptPath;
    for (const task of [1, 2]) {
      await run("bash", [scriptPath], { env: { ...process.env, SLURM_ARRAY_TASK_ID: String(task), SLURM_JOB_ID: "7", STUB_STEPS: "1", STUB_STEP_MS: "1" } });
      const shard = JSON.parse(await readFile(join(out, "shards", `${shardName(RUN_IDS[task]!)}.json`), "utf8"));
      expect(shard.runId).toBe(RUN_IDS[task]);
      expect(shard.attempt).toContain("threads=3");
    }
    expect((await readdir(join(out, "shards"))).length).toBe(2);
  });

  it("job.sbatch falls back to a case over the task id when workerArgs embeds the id in another argument", async () => {
    const env = await fakeSbatch('echo 8');
    const request = { ...contractRequest(out, "ffwd", ["a b", "c"]), workerArgs: (id: string) => [STUB_WORKER, "worker", out, "--run-id", id, `--tag=${id}`] };
    const result = await createSlurmExecutor({ ...base, env }).execute(request);
    const script = await readFile((result as { scriptPath: string }).scriptPath, "utf8");
    expect(script).toContain('case "$SLURM_ARRAY_TASK_ID" in');
    await run("bash", [(result as { scriptPath: string }).scriptPath], { env: { ...process.env, SLURM_ARRAY_TASK_ID: "0", STUB_STEPS: "1", STUB_STEP_MS: "1" } });
    expect(JSON.parse(await readFile(join(out, "shards", `${shardName("a b")}.json`), "utf8")).runId).toBe("a b");
  });

  it("execute(request) without sbatch on PATH rejects with one line naming sbatch and --executor local", async () => {
    const error = await rejection(createSlurmExecutor({ ...base, env: { ...process.env, PATH: bin } }).execute(contractRequest(out, "ffwd", ["a"])));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe("sbatch not found on PATH; install Slurm's client or use --executor local");
  });

  it("execute(request) with a failing sbatch rejects with its first stderr line, trimmed", async () => {
    const env = await fakeSbatch('echo "  sbatch: error: Batch job submission failed: Invalid partition name specified  " >&2\necho "second line" >&2\nexit 1');
    const error = await rejection(createSlurmExecutor({ ...base, env, partition: "nope" }).execute(contractRequest(out, "ffwd", ["a"])));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe("sbatch failed: sbatch: error: Batch job submission failed: Invalid partition name specified");
    expect(await readSubmissions(out)).toEqual([]);
  });

  it("execute(request) records the array job and says so when only the merge submission fails", async () => {
    const env = await fakeSbatch('if [[ "$*" == *dependency* ]]; then echo "sbatch: error: QOSMaxSubmitJobPerUserLimit" >&2; exit 1; fi\necho 50');
    const error = await rejection(createSlurmExecutor({ ...base, env }).execute(contractRequest(out, "ffwd", ["a"])));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).not.toContain("\n");
    expect(error.message).toContain("sbatch failed: sbatch: error: QOSMaxSubmitJobPerUserLimit (merge job; array job 50 was submitted");
    expect(await readSubmissions(out)).toMatchObject([{ jobId: "50", mergeJobId: null, runIds: ["a"] }]);
  });

  it("execute(request) rejects a run id with a newline (runs.txt holds one id a line)", async () => {
    const env = await fakeSbatch("echo 1");
    await expect(createSlurmExecutor({ ...base, env }).execute(contractRequest(out, "ffwd", ["a\nb"]))).rejects.toThrow(/holds a newline/);
  });
});

describe("createSlurmExecutor(options).execute(request) on a folder submitted before", () => {
  it("refuses, in one line, run ids that an earlier submission still has queued or running", async () => {
    const env = await fakeSbatch("echo 60");
    await writeFile(join(bin, "squeue"), '#!/bin/bash\nprintf "%s\\n" "60_0|RUNNING|0|" "60_1|COMPLETED|0|" "60_2|PENDING|1|"\n');
    await chmod(join(bin, "squeue"), 0o755);
    const executor = createSlurmExecutor({ ...base, env });
    await executor.execute(contractRequest(out, "ffwd", ["a", "b", "c"]));
    const error = await rejection(executor.execute(contractRequest(out, "ffwd", ["a", "b", "c"])));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `2 of the runs to submit are still queued or running in Slurm: a (RUNNING), c (REQUEUED); wait for them (\`dale-bench status ${out}\`) or scancel them, then resubmit`,
    );
    // Only the run that ended may go again.
    expect(await executor.execute(contractRequest(out, "ffwd", ["b"]))).toMatchObject({ kind: "submitted", tasks: 1 });
    expect((await readSubmissions(out)).map((s) => s.runIds)).toEqual([["a", "b", "c"], ["b"]]);
  });
});
