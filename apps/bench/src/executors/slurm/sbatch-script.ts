import { shellJoin, shellQuote } from "./shell-quote.js";
import type { SlurmExecutorOptions } from "./slurm-options.js";

/** What a job script is rendered from. */
export interface SbatchScriptInput {
  /** Experiment name, for `--job-name dale-<experiment>`. */
  readonly experiment: string;
  /** The submission's folder (absolute): runs.txt, the scripts and the logs live here. */
  readonly dir: string;
  /** The run ids, one array task each, in this order (task i runs runIds[i]). */
  readonly runIds: readonly string[];
  /** The node binary the tasks run (absolute; must exist at this path on the compute nodes). */
  readonly node: string;
  /** The arguments after node for one run (the contract's workerArgs). */
  workerArgs(runId: string): string[];
  /** The arguments after node for the merge job (the contract's reportArgs). */
  readonly reportArgs: readonly string[];
}

const RUN_ID = "$RUN_ID";

/** A folder for an sbatch file name pattern: a literal `%` is written `%%`. */
function patternDir(dir: string): string {
  return dir.replace(/%/g, "%%");
}

/** A `#SBATCH` line whose value may hold spaces or quotes (sbatch reads double-quoted values). */
function directive(option: string, v: string): string {
  if (/["\n\r\0]/.test(v)) throw new Error(`${option}: ${JSON.stringify(v)} holds a double quote or a newline, which #SBATCH lines cannot carry`);
  return /^[A-Za-z0-9_\/.,:=@+%-]+$/.test(v) ? `#SBATCH ${option}=${v}` : `#SBATCH ${option}="${v}"`;
}

function resourceLines(options: SlurmExecutorOptions, cpus: boolean): string[] {
  const lines: string[] = [];
  if (options.partition !== undefined) lines.push(directive("--partition", options.partition));
  if (options.time !== undefined) lines.push(directive("--time", options.time));
  if (options.memory !== undefined) lines.push(directive("--mem", options.memory));
  if (cpus) lines.push(`#SBATCH --cpus-per-task=${options.cpusPerTask ?? 1}`);
  for (const arg of options.extra) {
    const eq = arg.indexOf("=");
    lines.push(eq > 0 ? directive(arg.slice(0, eq), arg.slice(eq + 1)) : `#SBATCH ${arg}`);
  }
  return lines;
}

/**
 * The worker command of the task body: workerArgs(runId) with each argument that equals the run
 * id replaced by `"$RUN_ID"`, when that one template reproduces every run's arguments; otherwise
 * (a workerArgs that embeds the id in another argument) a `case` over SLURM_ARRAY_TASK_ID.
 */
function workerCommand(input: SbatchScriptInput): string[] {
  const first = input.runIds[0]!;
  const template = input.workerArgs(first).map((a) => (a === first ? RUN_ID : a));
  const render = (id: string) => template.map((a) => (a === RUN_ID ? id : a));
  const fits = input.runIds.every((id) => JSON.stringify(render(id)) === JSON.stringify(input.workerArgs(id)));
  const quote = (args: string[]) => args.map((a) => (a === RUN_ID ? `"${RUN_ID}"` : shellQuote(a))).join(" ");
  if (fits) return [`exec ${shellQuote(input.node)} ${quote(template)}`];
  return [
    'case "$SLURM_ARRAY_TASK_ID" in',
    ...input.runIds.map((id, i) => `  ${i}) exec ${shellQuote(input.node)} ${shellJoin(input.workerArgs(id))} ;;`),
    "esac",
  ];
}

/**
 * The array job script (`job.sbatch`): one task per run id, each picking its run id from
 * `runs.txt` by SLURM_ARRAY_TASK_ID and exec-ing the worker with OPENBLAS_NUM_THREADS set to the
 * CPUs per task.
 *
 * @param input - experiment, submission folder, run ids, node binary and the contract's arguments.
 * @param options - partition, time, memory, CPUs, extra sbatch options, requeue.
 * @returns the bash script text.
 * @throws Error when runIds is empty or a run id holds a newline (runs.txt has one id a line).
 * @example
 * arrayJobScript({ experiment: "ffwd", dir, runIds, node: process.execPath, workerArgs, reportArgs }, options);
 */
export function arrayJobScript(input: SbatchScriptInput, options: SlurmExecutorOptions): string {
  if (input.runIds.length === 0) throw new Error("arrayJobScript: runIds is empty; expected at least one run id");
  const bad = input.runIds.find((id) => /[\n\r]/.test(id));
  if (bad !== undefined) throw new Error(`arrayJobScript: run id ${JSON.stringify(bad)} holds a newline; runs.txt holds one id a line`);
  const cpus = options.cpusPerTask ?? 1;
  return [
    "#!/bin/bash",
    `# dale-bench: ${input.runIds.length} run(s) of ${input.experiment}; task i runs line i+1 of runs.txt.`,
    `#SBATCH --array=0-${input.runIds.length - 1}`,
    directive("--job-name", `dale-${input.experiment}`),
    directive("--chdir", input.dir),
    directive("--output", `${patternDir(input.dir)}/task-%a.out`),
    directive("--error", `${patternDir(input.dir)}/task-%a.err`),
    "#SBATCH --open-mode=append",
    options.requeue ? "#SBATCH --requeue" : "#SBATCH --no-requeue",
    ...resourceLines(options, true),
    "set -euo pipefail",
    `RUNS_FILE=${shellQuote(`${input.dir}/runs.txt`)}`,
    'mapfile -t RUNS < "$RUNS_FILE"',
    'RUN_ID="${RUNS[$SLURM_ARRAY_TASK_ID]}"',
    'echo "dale-bench: task ${SLURM_ARRAY_TASK_ID} run ${RUN_ID} job ${SLURM_JOB_ID:-} restart ${SLURM_RESTART_COUNT:-0} on $(hostname) at $(date -u +%FT%TZ)" >&2',
    `export OPENBLAS_NUM_THREADS=${cpus}`,
    ...workerCommand(input),
    "",
  ].join("\n");
}

/**
 * The merge job script (`merge.sbatch`), submitted with `--dependency=afterany:<array job>`: runs
 * `node <reportArgs>` once every task has ended (whatever its state), writing results.jsonl and the
 * report from the shards that exist.
 *
 * @param input - experiment, submission folder, node binary and reportArgs.
 * @param options - partition, time, memory and extra sbatch options (one CPU, never requeued).
 * @returns the bash script text.
 */
export function mergeJobScript(input: SbatchScriptInput, options: SlurmExecutorOptions): string {
  return [
    "#!/bin/bash",
    `# dale-bench: merges the shards of ${input.experiment} into results.jsonl and the report.`,
    directive("--job-name", `dale-${input.experiment}-merge`),
    directive("--chdir", input.dir),
    directive("--output", `${patternDir(input.dir)}/merge.out`),
    directive("--error", `${patternDir(input.dir)}/merge.err`),
    "#SBATCH --open-mode=append",
    "#SBATCH --no-requeue",
    ...resourceLines({ ...options, cpusPerTask: 1 }, true),
    "set -euo pipefail",
    "export OPENBLAS_NUM_THREADS=1",
    `exec ${shellQuote(input.node)} ${shellJoin(input.reportArgs)}`,
    "",
  ].join("\n");
}
