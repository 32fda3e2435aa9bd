import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type TrainCheckpoint } from "@dale-nn/train";
import { shardName } from "./executors/executor.js";
import { writeFileAtomic } from "./report/write-file-atomic.js";

/** A checkpoint together with the run it belongs to. */
export interface StoredCheckpoint {
  runId: string;
  checkpoint: TrainCheckpoint;
}

/** What the store found for a run: a verified checkpoint, an unusable file and why, or nothing. */
export type CheckpointLookup = { kind: "found"; checkpoint: TrainCheckpoint } | { kind: "unusable"; reason: string } | { kind: "none" };

/** The file names of earlier dale-bench versions (state `.json` beside float32 `.bin`). */
function legacyBase(runId: string): string {
  return runId.replace(/[^A-Za-z0-9._=-]+/g, "_");
}

/**
 * Saves and loads per-run training checkpoints as one self-verifying file
 * `<dir>/<shardName(runId)>.ckpt` ({@link encodeCheckpoint}: epoch, owner, shapes and a CRC-32 of the
 * weights in the file itself). A save goes through {@link writeFileAtomic} (a temporary file unique
 * to the process, renamed into place), so an interrupted save leaves the previous checkpoint whole, and two processes never
 * write the same temporary file. A file that fails verification (damaged, truncated, another run's,
 * non-finite values) is reported through `warn` in one line and the run starts from scratch.
 */
export class CheckpointStore {
  constructor(
    readonly dir: string,
    private readonly warn: (line: string) => void = (line) => void process.stderr.write(`dale-bench: ${line}\n`),
  ) {}

  /** The checkpoint file of a run. */
  path(runId: string): string {
    return join(this.dir, `${shardName(runId)}.ckpt`);
  }

  save(runId: string, cp: TrainCheckpoint): void {
    writeFileAtomic(this.path(runId), encodeCheckpoint(cp, runId));
    // A checkpoint in the new format supersedes one of an earlier version.
    const legacy = join(this.dir, legacyBase(runId));
    rmSync(`${legacy}.json`, { force: true });
    rmSync(`${legacy}.bin`, { force: true });
  }

  /** What is stored for a run, verified. */
  lookup(runId: string): CheckpointLookup {
    const path = this.path(runId);
    if (existsSync(path)) {
      try {
        return { kind: "found", checkpoint: decodeCheckpoint(readFileSync(path), runId) };
      } catch (e) {
        if (e instanceof CheckpointError) return { kind: "unusable", reason: `${path}: ${e.message}` };
        return { kind: "unusable", reason: `${path}: ${(e as Error).message}` };
      }
    }
    return this.lookupLegacy(runId);
  }

  /** The verified checkpoint of a run, or null (an unusable file is reported through `warn`). */
  load(runId: string): TrainCheckpoint | null {
    const found = this.lookup(runId);
    if (found.kind === "unusable") this.warn(`ignoring the checkpoint of ${runId}, which cannot be used (${found.reason}); the run starts from its first epoch`);
    return found.kind === "found" ? found.checkpoint : null;
  }

  remove(runId: string): void {
    rmSync(this.path(runId), { force: true });
    const legacy = join(this.dir, legacyBase(runId));
    rmSync(`${legacy}.json`, { force: true });
    rmSync(`${legacy}.bin`, { force: true });
  }

  /**
   * A `.json` + `.bin` pair of an earlier version carries no checksum and no epoch in its weights
   * file, so a kill between its two renames could pair the state of one epoch with the weights of
   * the next: it is reported, not trusted.
   */
  private lookupLegacy(runId: string): CheckpointLookup {
    const base = join(this.dir, legacyBase(runId));
    if (!existsSync(`${base}.json`) && !existsSync(`${base}.bin`)) return { kind: "none" };
    return { kind: "unusable", reason: `${base}.json/.bin: a checkpoint of an earlier dale-bench version, which cannot be verified (no checksum, no epoch in the weights)` };
  }
}
