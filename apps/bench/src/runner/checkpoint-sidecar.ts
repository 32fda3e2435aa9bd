import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { shardName } from "../executors/executor.js";
import { writeFileAtomic } from "../report/write-file-atomic.js";

/**
 * A JSON file kept beside a run's checkpoint, `<out>/checkpoints/<shardName(runId)>.<name>.json`,
 * for what a run records per update and the checkpoint format has no room for (the a-curve of
 * `mix`, the alignment series of `fisher`): written atomically with every checkpoint, read back
 * on resume, removed when the run finishes or starts over. Its files live under checkpoints/,
 * so they are git-ignored in committed results folders, like the checkpoints themselves.
 */
export interface CheckpointSidecar<T> {
  readonly path: string;
  /** What `parse` makes of the file, or null when it is absent; `parse` errors propagate. */
  read<R = T>(parse: (text: string) => R): R | null;
  write(value: T): void;
  remove(): void;
}

/**
 * The sidecar `name` of run `runId` in the results folder `out`.
 *
 * @example
 * const curve = checkpointSidecar<ACurvePoint[]>(out, runId, "acurve");
 * const resumed = curve.read((t) => JSON.parse(t) as ACurvePoint[]) ?? [];
 */
export function checkpointSidecar<T>(out: string, runId: string, name: string): CheckpointSidecar<T> {
  const path = join(out, "checkpoints", `${shardName(runId)}.${name}.json`);
  return {
    path,
    read: <R>(parse: (text: string) => R): R | null => (existsSync(path) ? parse(readFileSync(path, "utf8")) : null),
    write: (value) => writeFileAtomic(path, JSON.stringify(value)),
    remove: () => rmSync(path, { force: true }),
  };
}
