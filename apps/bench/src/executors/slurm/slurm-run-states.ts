import { UserError } from "../../user-error.js";
import { runSlurmCommand } from "./slurm-command.js";
import { readSubmissions, type SlurmSubmission } from "./slurm-submission.js";

/** A line of notes for the user (what could not be asked, and why). */
export type NoteFn = (line: string) => void;

/** `<jobId>_<task>` (or `<jobId>_[a-b]` for tasks not yet split out) and the state Slurm reports. */
interface TaskState {
  readonly jobId: string;
  readonly task: number;
  readonly state: string;
}

/** Parses `<jobId>_<task>|<STATE>|<restarts>` lines; a task range `[a-b,c]` expands to each task. */
function parseTaskLines(text: string): TaskState[] {
  const states: TaskState[] = [];
  for (const line of text.split("\n")) {
    const [id, rawState, restarts] = line.trim().split("|");
    if (!id || !rawState) continue;
    const m = /^(\d+)_(\d+|\[([^\]]*)\])$/.exec(id);
    if (!m) continue;
    const state = rawState.split(/\s+/)[0]!.replace(/\+$/, "");
    // squeue shows a requeued task as PENDING again, with a restart count.
    const shown = state === "PENDING" && Number(restarts ?? 0) > 0 ? "REQUEUED" : state;
    const tasks: number[] = [];
    if (m[3] === undefined) tasks.push(Number(m[2]));
    else {
      for (const part of m[3].split("%")[0]!.split(",")) {
        const [a, b] = part.split("-").map(Number);
        if (a === undefined || Number.isNaN(a)) continue;
        for (let t = a; t <= (b ?? a); t++) tasks.push(t);
      }
    }
    for (const task of tasks) states.push({ jobId: m[1]!, task, state: shown });
  }
  return states;
}

async function squeueStates(jobIds: string[], env: NodeJS.ProcessEnv): Promise<TaskState[]> {
  try {
    const { stdout } = await runSlurmCommand(
      "squeue",
      ["--noheader", "--array", "--states=all", `--jobs=${jobIds.join(",")}`, "--Format=JobArrayID:|,State:|,RestartCnt:|"],
      env,
    );
    return parseTaskLines(stdout);
  } catch (e) {
    // One id the controller has forgotten (past MinJobAge) makes squeue fail; ask one at a time.
    if (e instanceof UserError && /Invalid job id/i.test(e.message) && jobIds.length > 1) {
      const all: TaskState[] = [];
      for (const id of jobIds) all.push(...(await squeueStates([id], env)));
      return all;
    }
    if (e instanceof UserError && /Invalid job id/i.test(e.message)) return [];
    throw e;
  }
}

async function sacctStates(jobIds: string[], env: NodeJS.ProcessEnv): Promise<TaskState[]> {
  const { stdout } = await runSlurmCommand(
    "sacct",
    ["--noheader", "--parsable2", "--allocations", `--jobs=${jobIds.join(",")}`, "--format=JobID,State"],
    env,
  );
  return parseTaskLines(stdout);
}

/**
 * The Slurm state of each run submitted for a results folder: reads
 * `<out>/slurm/submissions.jsonl`, asks `squeue --array --states=all` for the array tasks (squeue
 * keeps ended jobs for the controller's MinJobAge, 300 s by default), then `sacct` for the tasks
 * squeue no longer knows (when the cluster keeps accounting), and maps each task back to its run
 * id. When a run was submitted more than once, its latest submission that Slurm still knows wins.
 *
 * States are Slurm's: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT,
 * NODE_FAIL, PREEMPTED, OUT_OF_MEMORY, ..., and REQUEUED for a task pending again after a requeue.
 * Runs that Slurm no longer knows are absent: the caller tells done from lost by the shards.
 *
 * @param out - the results folder.
 * @param env - environment for squeue / sacct (SLURM_CONF, PATH); process.env when absent.
 * @param note - receives one line when squeue or sacct cannot answer (default: stderr).
 * @returns run id → state; an empty map when nothing was submitted or squeue is missing.
 * @example
 * for (const [runId, state] of await slurmRunStates("/scratch/ffwd")) console.log(runId, state);
 */
export async function slurmRunStates(
  out: string,
  env: NodeJS.ProcessEnv = process.env,
  note: NoteFn = (line) => process.stderr.write(`${line}\n`),
): Promise<Map<string, string>> {
  const submissions = await readSubmissions(out);
  const states = new Map<string, string>();
  if (submissions.length === 0) return states;
  const byJob = new Map<string, SlurmSubmission>(submissions.map((s) => [s.jobId, s]));
  const found = new Map<string, string>(); // `${jobId}_${task}` -> state
  try {
    for (const t of await squeueStates([...byJob.keys()], env)) found.set(`${t.jobId}_${t.task}`, t.state);
  } catch (e) {
    note(`slurm: no job states from squeue (${(e as Error).message})`);
    return states;
  }
  const unknown = [...byJob.values()].filter((s) => !s.runIds.some((_, i) => found.has(`${s.jobId}_${i}`))).map((s) => s.jobId);
  if (unknown.length > 0) {
    try {
      for (const t of await sacctStates(unknown, env)) {
        const key = `${t.jobId}_${t.task}`;
        if (!found.has(key)) found.set(key, t.state);
      }
    } catch (e) {
      note(`slurm: squeue no longer knows job(s) ${unknown.join(", ")} and sacct cannot tell (${(e as Error).message})`);
    }
  }
  for (const s of submissions) {
    s.runIds.forEach((runId, i) => {
      const state = found.get(`${s.jobId}_${i}`);
      if (state !== undefined) states.set(runId, state);
    });
  }
  return states;
}
