import { fileURLToPath } from "node:url";
import type { ExecutionRequest } from "../../executor.js";

/**
 * The stand-in worker script: `node stub-worker.mjs worker <out> --run-id <id>` and
 * `node stub-worker.mjs report <out>`, the same arguments as `dale-bench worker` / `report`.
 */
export const STUB_WORKER = fileURLToPath(new URL("./stub-worker.mjs", import.meta.url));

/**
 * An ExecutionRequest whose workerArgs / reportArgs run `bin` the way the contract says:
 * [bin, "worker", out, "--run-id", id] and [bin, "report", out]. With `bin` = STUB_WORKER the runs
 * are the stub's; with `bin` = apps/bench/bin/dale-bench.mjs (and an `<out>/experiment.json`
 * written by the runner) they are real.
 */
export function contractRequest(out: string, experiment: string, runIds: readonly string[], bin: string = STUB_WORKER, log: (line: string) => void = () => {}): ExecutionRequest {
  return {
    out,
    experiment,
    runIds,
    workerArgs: (runId) => [bin, "worker", out, "--run-id", runId],
    reportArgs: [bin, "report", out],
    log,
  };
}
