import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import type { ExecutionRequest, ExecutionResult, Executor } from "./executor.js";

/** Options of {@link createLocalExecutor}. */
export interface LocalExecutorOptions {
  /** Worker processes at a time; default one per core (`os.availableParallelism()`). */
  workers?: number;
  /** Extra environment of every worker; OPENBLAS_NUM_THREADS defaults to 1 (one core per worker). */
  env?: Record<string, string>;
  /** The node binary; default the running one. */
  node?: string;
}

/**
 * Runs the requested runs as `node <bin> worker <out> --run-id <id>` child processes on this
 * machine, at most `workers` at a time, each with OPENBLAS_NUM_THREADS=1, and waits for all of
 * them. Worker output is passed through line by line, prefixed with the run's number; a worker
 * that exits non-zero counts as failed with its last stderr line as the message.
 *
 * @example
 * const result = await createLocalExecutor({ workers: 2 }).execute(request);
 */
export function createLocalExecutor(options: LocalExecutorOptions = {}): Executor {
  const workers = options.workers ?? availableParallelism();
  const node = options.node ?? process.execPath;
  return {
    name: "local",
    async execute(request: ExecutionRequest): Promise<ExecutionResult> {
      const succeeded: string[] = [];
      const failed: Array<{ runId: string; message: string }> = [];
      const queue = request.runIds.map((runId, i) => ({ runId, n: i + 1 }));
      const total = queue.length;
      const one = (job: { runId: string; n: number }): Promise<void> =>
        new Promise((resolve) => {
          const child = spawn(node, request.workerArgs(job.runId), {
            env: { ...process.env, OPENBLAS_NUM_THREADS: "1", ...options.env },
            stdio: ["ignore", "pipe", "pipe"],
          });
          let lastErr = "";
          const pass = (stream: NodeJS.ReadableStream, err: boolean): void => {
            let buf = "";
            stream.on("data", (c: Buffer) => {
              buf += c.toString();
              const lines = buf.split("\n");
              buf = lines.pop() ?? "";
              for (const l of lines) {
                if (err && l.trim()) lastErr = l;
                request.log(`[${job.n}/${total}] ${l}`);
              }
            });
          };
          pass(child.stdout, false);
          pass(child.stderr, true);
          child.on("error", (e) => {
            failed.push({ runId: job.runId, message: e.message });
            resolve();
          });
          child.on("close", (code, signal) => {
            if (code === 0) succeeded.push(job.runId);
            else failed.push({ runId: job.runId, message: lastErr || `worker exited with ${signal ?? `status ${code}`}` });
            resolve();
          });
        });
      const lanes = Array.from({ length: Math.min(workers, queue.length) }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await one(job);
      });
      await Promise.all(lanes);
      return { kind: "finished", succeeded, failed };
    },
  };
}
