import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { ExecutionRequest, ExecutionResult, Executor } from "../executor.js";
import { UserError } from "../../user-error.js";
import { arrayJobScript, mergeJobScript, type SbatchScriptInput } from "./sbatch-script.js";
import { runSlurmCommand } from "./slurm-command.js";
import { slurmRunStates } from "./slurm-run-states.js";
import { validateSlurmOptions, type SlurmExecutorOptions } from "./slurm-options.js";
import { appendSubmission, type SlurmSubmission } from "./slurm-submission.js";

// The runner's `status` command asks this module for the states too.
export { slurmRunStates } from "./slurm-run-states.js";

/** States of a task that has not ended: a run in one of them must not be submitted again. */
const ACTIVE = new Set(["PENDING", "RUNNING", "REQUEUED", "CONFIGURING", "COMPLETING", "SUSPENDED", "RESIZING", "REQUEUE_HOLD", "REQUEUE_FED", "SIGNALING", "STAGE_OUT", "STOPPED"]);

/**
 * Refuses to submit runs that an earlier submission to this folder still has queued or running
 * (they would run twice); silent when nothing was submitted before or squeue cannot answer.
 */
async function refuseActiveRuns(request: ExecutionRequest, env: NodeJS.ProcessEnv): Promise<void> {
  const states = await slurmRunStates(request.out, env, request.log);
  const active = request.runIds.filter((id) => ACTIVE.has(states.get(id) ?? ""));
  if (active.length === 0) return;
  const shown = active.slice(0, 3).map((id) => `${id} (${states.get(id)})`).join(", ");
  throw new UserError(
    `${active.length} of the runs to submit are still queued or running in Slurm: ${shown}${active.length > 3 ? `, +${active.length - 3} more` : ""}; wait for them (\`dale-bench status ${request.out}\`) or scancel them, then resubmit`,
  );
}

/** A sortable, unique submission folder name: UTC time to the second plus 4 random hex digits. */
function newSubmissionId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/** The job id in `sbatch --parsable` output (`<id>` or `<id>;<cluster>`). */
function parsableJobId(stdout: string): string {
  const id = stdout.trim().split(";")[0] ?? "";
  if (!/^\d+$/.test(id)) throw new UserError(`sbatch failed: expected a job id from --parsable, got ${JSON.stringify(stdout.trim())}`);
  return id;
}

/**
 * The Slurm executor: submits a request's runs as one job array (one task per run id) plus a
 * merge job that runs the report after the array ends, and returns without waiting.
 *
 * For each request it writes `<out>/slurm/<submission-id>/` with `runs.txt` (one run id a line;
 * task i runs line i+1), `job.sbatch` and `merge.sbatch`; tasks log to `task-<i>.out` / `.err`
 * there (appended across requeues). It submits with `sbatch --parsable`, then the merge job with
 * `--dependency=afterany:<array job>`, and appends the submission to
 * `<out>/slurm/submissions.jsonl`. With `dryRun` it writes and submits nothing and returns both
 * scripts as text. It refuses (UserError) run ids that an earlier submission still has queued or
 * running, so a resubmission never runs a run twice.
 *
 * @param options - partition, time, memory, CPUs per task, extra sbatch options, requeue, dry run,
 * environment (validated at once).
 * @returns an Executor named "slurm".
 * @throws UserError (from execute) `sbatch not found on PATH; install Slurm's client or use
 * --executor local`, `sbatch failed: <its first stderr line>`, or runs still queued or running
 * from an earlier submission; (at once) an invalid option value.
 * @example
 * const executor = createSlurmExecutor({ partition: "cpu", time: "04:00:00", memory: "4G", extra: [], requeue: true, dryRun: false });
 * const result = await executor.execute(request); // { kind: "submitted", jobId: "1234", tasks: 40, scriptPath }
 */
export function createSlurmExecutor(options: SlurmExecutorOptions): Executor {
  validateSlurmOptions(options);
  const env = options.env ?? process.env;
  return {
    name: "slurm",
    async execute(request: ExecutionRequest): Promise<ExecutionResult> {
      if (!isAbsolute(request.out)) throw new Error(`SlurmExecutor: out must be an absolute path; got ${JSON.stringify(request.out)}`);
      if (request.runIds.length === 0) throw new Error("SlurmExecutor: runIds is empty; the runner hands over at least one run");
      const now = new Date();
      const submissionId = newSubmissionId(now);
      const dir = join(request.out, "slurm", submissionId);
      const input: SbatchScriptInput = {
        experiment: request.experiment,
        dir,
        runIds: request.runIds,
        node: process.execPath,
        workerArgs: (id) => request.workerArgs(id),
        reportArgs: request.reportArgs,
      };
      const script = arrayJobScript(input, options);
      const merge = mergeJobScript(input, options);
      if (options.dryRun) {
        return {
          kind: "dry-run",
          script: `${script}\n# --- merge.sbatch, submitted with --dependency=afterany:<array job id> ---\n${merge}`,
        };
      }
      await refuseActiveRuns(request, env);
      await mkdir(dir, { recursive: true });
      const scriptPath = join(dir, "job.sbatch");
      const mergePath = join(dir, "merge.sbatch");
      await writeFile(join(dir, "runs.txt"), `${request.runIds.join("\n")}\n`);
      await writeFile(scriptPath, script, { mode: 0o755 });
      await writeFile(mergePath, merge, { mode: 0o755 });

      const jobId = parsableJobId((await runSlurmCommand("sbatch", ["--parsable", scriptPath], env, dir)).stdout);
      request.log(`slurm: submitted array job ${jobId} (${request.runIds.length} task(s)) from ${scriptPath}`);
      let mergeJobId: string | null = null;
      let mergeError: Error | null = null;
      try {
        mergeJobId = parsableJobId((await runSlurmCommand("sbatch", ["--parsable", `--dependency=afterany:${jobId}`, mergePath], env, dir)).stdout);
        request.log(`slurm: submitted merge job ${mergeJobId} (after array job ${jobId})`);
      } catch (e) {
        mergeError = e as Error;
      }
      const submission: SlurmSubmission = {
        submissionId,
        jobId,
        mergeJobId,
        runIds: [...request.runIds],
        submittedAt: now.toISOString(),
        script: scriptPath,
      };
      await appendSubmission(request.out, submission);
      if (mergeError) {
        throw new UserError(
          `${mergeError.message} (merge job; array job ${jobId} was submitted, run \`dale-bench report ${request.out}\` when it ends)`,
        );
      }
      return { kind: "submitted", jobId, tasks: request.runIds.length, scriptPath };
    },
  };
}
