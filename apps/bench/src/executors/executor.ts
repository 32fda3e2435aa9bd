/**
 * The contract between dale-bench's runner and the executors that run planned runs.
 *
 * The runner plans an experiment's runs, writes `<out>/experiment.json` (the experiment's name and
 * its parsed options, so any process can re-plan the same runs), skips the runs whose result shard
 * already exists, and hands the remaining run ids to an executor. An executor only starts worker
 * processes: `node <bin> worker <out> --run-id <id>` runs one run (resuming from its checkpoint when
 * one exists), writes its record atomically to `<out>/shards/<shardName(id)>.json` and exits 0; it
 * exits 1 when the run failed (one line on stderr) and 2 on a usage error. Shards are merged into
 * `<out>/results.jsonl` and the report by the runner (`dale-bench report <out>`), never by an executor.
 */

/** What the runner asks an executor to do. */
export interface ExecutionRequest {
  /** Absolute results folder (holds experiment.json, shards/, checkpoints/). */
  readonly out: string;
  /** Experiment name, e.g. "ffwd" (for job names). */
  readonly experiment: string;
  /** The run ids still to do, in plan order; never empty. */
  readonly runIds: readonly string[];
  /** The arguments after the node binary that run one run: [bin, "worker", out, "--run-id", runId]. */
  workerArgs(runId: string): string[];
  /** The arguments after the node binary that merge the shards and write the report: [bin, "report", out]. */
  readonly reportArgs: readonly string[];
  /** One line of progress for the user. */
  log(line: string): void;
}

/** What came of it: the local executor waits for its workers; the Slurm executor submits and returns. */
export type ExecutionResult =
  | { readonly kind: "finished"; readonly succeeded: readonly string[]; readonly failed: ReadonlyArray<{ runId: string; message: string }> }
  | { readonly kind: "submitted"; readonly jobId: string; readonly tasks: number; readonly scriptPath: string }
  | { readonly kind: "dry-run"; readonly script: string };

/** Runs (or submits) the planned runs of one request. */
export interface Executor {
  readonly name: "local" | "slurm";
  execute(request: ExecutionRequest): Promise<ExecutionResult>;
}

/**
 * The file name (without `.json`) of a run's shard and checkpoint: the run id with every character
 * outside [A-Za-z0-9._=-] replaced by "_", plus an 8-hex-digit FNV-1a hash of the full id so two
 * ids that differ only in replaced characters never share a file.
 */
export function shardName(runId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    h ^= runId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${runId.replace(/[^A-Za-z0-9._=-]+/g, "_")}.${h.toString(16).padStart(8, "0")}`;
}
