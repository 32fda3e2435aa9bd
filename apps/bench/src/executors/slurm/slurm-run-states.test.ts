import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slurmRunStates } from "./slurm-run-states.js";
import { appendSubmission } from "./slurm-submission.js";

let out: string;
let bin: string;

beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), "dale-slurm-states-"));
  bin = join(out, "bin");
  await mkdir(bin);
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

async function fake(name: string, body: string): Promise<void> {
  await writeFile(join(bin, name), `#!/bin/bash\n${body}\n`);
  await chmod(join(bin, name), 0o755);
}

const submission = (jobId: string, runIds: string[]) => ({
  submissionId: `s${jobId}`,
  jobId,
  mergeJobId: null,
  runIds,
  submittedAt: new Date().toISOString(),
  script: "/x/job.sbatch",
});

describe("slurmRunStates(out, env, note)", () => {
  it("slurmRunStates(out) with no submissions is an empty map", async () => {
    expect(await slurmRunStates(out, { PATH: bin })).toEqual(new Map());
  });

  it("maps array tasks (one by one and as pending ranges) back to run ids, later submissions winning", async () => {
    await appendSubmission(out, submission("10", ["a", "b", "c", "d"]));
    await appendSubmission(out, submission("11", ["b"]));
    await fake(
      "squeue",
      'printf "%s\\n" "10_0|COMPLETED|0|" "10_1|CANCELLED|0|" "10_[2-3]|PENDING|0|" "11_0|PENDING|1|"',
    );
    const states = await slurmRunStates(out, { PATH: bin });
    expect(states).toEqual(new Map([["a", "COMPLETED"], ["b", "REQUEUED"], ["c", "PENDING"], ["d", "PENDING"]]));
  });

  it("asks sacct for jobs squeue has forgotten, and notes when sacct cannot tell", async () => {
    await appendSubmission(out, submission("20", ["a", "b"]));
    await appendSubmission(out, submission("21", ["c"]));
    await fake("squeue", 'if [[ "$*" == *jobs=20,21* ]]; then echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; fi\nif [[ "$*" == *jobs=21* ]]; then echo "21_0|RUNNING|0|"; fi');
    await fake("sacct", 'printf "%s\\n" "20_0|COMPLETED" "20_1|CANCELLED by 0"');
    expect(await slurmRunStates(out, { PATH: bin })).toEqual(new Map([["a", "COMPLETED"], ["b", "CANCELLED"], ["c", "RUNNING"]]));
    await fake("sacct", 'echo "Slurm accounting storage is disabled" >&2; exit 1');
    const notes: string[] = [];
    expect(await slurmRunStates(out, { PATH: bin }, (l) => notes.push(l))).toEqual(new Map([["c", "RUNNING"]]));
    expect(notes).toEqual(["slurm: squeue no longer knows job(s) 20 and sacct cannot tell (sacct failed: Slurm accounting storage is disabled)"]);
  });

  it("without squeue on PATH gives an empty map and one note", async () => {
    await appendSubmission(out, submission("30", ["a"]));
    const notes: string[] = [];
    expect(await slurmRunStates(out, { PATH: bin }, (l) => notes.push(l))).toEqual(new Map());
    expect(notes).toEqual(["slurm: no job states from squeue (squeue not found on PATH; install Slurm's client or use --executor local)"]);
  });
});
