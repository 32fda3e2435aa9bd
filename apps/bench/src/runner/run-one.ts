import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CheckpointStore } from "../checkpoint-store.js";
import { shardName } from "../executors/executor.js";
import type { Progress } from "../progress.js";
import { asWriteError, writeFileAtomic } from "../report/write-file-atomic.js";
import { UserError } from "../user-error.js";
import type { AnyExperiment, PlannedRun, RunRecordBase } from "./experiment.js";
import type { ResultsStore } from "./results-store.js";
import { acquireLock, runLockPath } from "./run-lock.js";

/** What came of {@link runOne}. */
export type RunOutcome = { kind: "done"; record: RunRecordBase } | { kind: "already-done" } | { kind: "locked"; owner: string };

/** `<out>/failed/<shardName>.json`: why a run failed last (read by `dale-bench status`). */
export function failurePath(out: string, runId: string): string {
  return join(out, "failed", `${shardName(runId)}.json`);
}

/**
 * Runs one planned run in this process, the same way for the in-process runner and for
 * `dale-bench worker`: takes the run's lock (skips when another live process holds it), skips a
 * run whose shard appeared meanwhile, resumes from its checkpoint, calls the experiment's
 * `runOne`, writes the shard, then removes the checkpoint and the lock. A resume on another
 * backend is recorded as `backends: [...]` in the record.
 *
 * @throws whatever the run throws (after recording the failure in `<out>/failed/`)
 */
export async function runOne(o: {
  experiment: AnyExperiment;
  out: string;
  run: PlannedRun;
  backend: string;
  store: ResultsStore;
  prepared: () => Promise<unknown>;
  log: (line: string) => void;
  progress: Progress;
  index: number;
  total: number;
}): Promise<RunOutcome> {
  const { out, run, log } = o;
  const lock = acquireLock(runLockPath(out, run.runId));
  if (typeof lock !== "function") return { kind: "locked", owner: `pid ${lock.pid} on ${lock.hostname}` };
  try {
    if (o.store.readShard(run.runId)) return { kind: "already-done" };
    const checkpoints = new CheckpointStore(join(out, "checkpoints"), (line) => log(`dale-bench: ${line}`));
    const resumeFrom = checkpoints.load(run.runId) ?? undefined;
    if (resumeFrom) log(`dale-bench: ${run.runId} resumes after epoch ${resumeFrom.epoch} from its checkpoint`);
    const backendsFile = join(out, "checkpoints", `${shardName(run.runId)}.backends.json`);
    let backends: string[] = [];
    if (resumeFrom && existsSync(backendsFile)) {
      try {
        backends = JSON.parse(readFileSync(backendsFile, "utf8")) as string[];
      } catch {
        backends = [];
      }
    }
    if (backends.at(-1) !== o.backend) backends = [...backends, o.backend];
    const prepared = await o.prepared();
    let record: RunRecordBase;
    try {
      record = await o.experiment.runOne(run, {
        out,
        backend: o.backend,
        backends: () => [...backends],
        prepared,
        resumeFrom,
        saveCheckpoint: (cp) => {
          try {
            checkpoints.save(run.runId, cp);
          } catch (e) {
            throw asWriteError(e, checkpoints.path(run.runId));
          }
          writeFileAtomic(backendsFile, JSON.stringify(backends));
        },
        index: o.index,
        total: o.total,
        log,
        progress: o.progress,
      });
    } catch (e) {
      if (e instanceof UserError) throw e;
      writeFileAtomic(failurePath(out, run.runId), `${JSON.stringify({ runId: run.runId, message: (e as Error).message.split("\n")[0], at: new Date().toISOString() })}\n`);
      throw e;
    }
    if (new Set(backends).size > 1) record = { ...record, backends } as RunRecordBase;
    o.store.writeShard(record);
    checkpoints.remove(run.runId);
    rmSync(backendsFile, { force: true });
    rmSync(failurePath(out, run.runId), { force: true });
    return { kind: "done", record };
  } finally {
    lock();
  }
}
