import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { shardName } from "../executors/executor.js";
import { isTruncatedJson } from "../report/is-truncated-json.js";
import { writeFileAtomic } from "../report/write-file-atomic.js";
import type { AnyExperiment, RunRecordBase } from "./experiment.js";
import { withLock } from "./run-lock.js";

/** A record as read back: the JSON as written (kept byte-faithful) and the validated record. */
export interface StoredRecord<R = RunRecordBase> {
  raw: Record<string, unknown>;
  record: R;
}

/**
 * The results of one folder: one shard file per finished run, `<out>/shards/<shardName(runId)>.json`
 * (written atomically), merged into `<out>/results.jsonl` in plan order. Every reader goes through
 * here, so a bad line or shard is handled the same way everywhere: a truncated or non-JSON line, or
 * a record that fails the experiment's validation, counts as absent (that run is redone) and is
 * reported in one log line. A results.jsonl without shards (earlier dale-bench versions) is imported.
 */
export class ResultsStore<R extends RunRecordBase = RunRecordBase> {
  private readonly reported = new Set<string>();

  constructor(
    readonly out: string,
    private readonly experiment: AnyExperiment,
    private readonly log: (line: string) => void,
  ) {}

  /** The shard file of a run. */
  shardPath(runId: string): string {
    return join(this.out, "shards", `${shardName(runId)}.json`);
  }

  /** `<out>/results.jsonl`. */
  get resultsPath(): string {
    return join(this.out, "results.jsonl");
  }

  private once(line: string): void {
    if (this.reported.has(line)) return;
    this.reported.add(line);
    this.log(line);
  }

  /** Parses and validates one JSON text; null (and one log line) when it is not a usable record of this experiment. */
  private parse(text: string, where: string): StoredRecord<R> | null {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.once(`dale-bench: ${where}: ${isTruncatedJson(text.trim()) ? "truncated" : "not JSON"}; treated as absent (that run is redone)`);
      return null;
    }
    try {
      return { raw: raw as Record<string, unknown>, record: this.experiment.validateRecord(raw, where) as R };
    } catch (e) {
      this.once(`dale-bench: ${(e as Error).message}; treated as absent (that run is redone)`);
      return null;
    }
  }

  /** The finished record of a run from its shard, or null when there is none (or it is unusable). */
  readShard(runId: string): StoredRecord<R> | null {
    const path = this.shardPath(runId);
    if (!existsSync(path)) return null;
    const r = this.parse(readFileSync(path, "utf8"), path);
    return r && r.record.runId === runId ? r : null;
  }

  /** Writes a finished run's record as its shard (atomically: unique temporary file, then rename). */
  writeShard(record: R): string {
    const path = this.shardPath(record.runId);
    writeFileAtomic(path, `${JSON.stringify(record)}\n`);
    return path;
  }

  /**
   * Every usable record: the shards, plus the results.jsonl lines that have no shard (imported as
   * shards unless `readOnly`, e.g. for `--dry-run`, which writes nothing).
   */
  readAll(options: { readOnly?: boolean } = {}): Map<string, StoredRecord<R>> {
    const byId = new Map<string, StoredRecord<R>>();
    const dir = join(this.out, "shards");
    if (existsSync(dir)) {
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith(".json") || f.startsWith(".")) continue;
        const r = this.parse(readFileSync(join(dir, f), "utf8"), join(dir, f));
        if (r && `${shardName(r.record.runId)}.json` === f) byId.set(r.record.runId, r);
      }
    }
    if (existsSync(this.resultsPath)) {
      let text = readFileSync(this.resultsPath, "utf8");
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const bad: number[] = [];
      text.split(/\r?\n/).forEach((line, i) => {
        if (line.trim() === "") return;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          bad.push(i + 1);
          return;
        }
        const r = this.parse(line, `${this.resultsPath}:${i + 1}`);
        if (r === null || byId.has(r.record.runId)) return;
        void raw;
        byId.set(r.record.runId, r);
        // Imported: from now on the shard is the record.
        if (!options.readOnly) writeFileAtomic(this.shardPath(r.record.runId), `${line.trim()}\n`);
      });
      if (bad.length > 0) {
        this.once(`dale-bench: ${this.resultsPath}: ${bad.length} truncated or non-JSON line(s) (line ${bad.join(", ")}) treated as absent; those runs are redone`);
      }
    }
    return byId;
  }

  /**
   * Merges the shards into `<out>/results.jsonl`: the runs of `planIds` in that order, then any
   * other finished runs of the folder (earlier invocations) in run-id order; rewritten atomically
   * (only when it changed), under a folder lock so concurrent merges never lose a run.
   *
   * @returns the records in that order
   */
  merge(planIds: readonly string[]): StoredRecord<R>[] {
    return withLock(join(this.out, "locks", "results.jsonl.lock"), () => {
      const byId = this.readAll();
      const planned = new Set(planIds);
      const order = [...planIds.filter((id) => byId.has(id)), ...[...byId.keys()].filter((id) => !planned.has(id)).sort()];
      const records = order.map((id) => byId.get(id)!);
      const text = records.map((r) => `${JSON.stringify(r.raw)}\n`).join("");
      const old = existsSync(this.resultsPath) ? readFileSync(this.resultsPath, "utf8") : null;
      if (old !== text && (records.length > 0 || old !== null)) writeFileAtomic(this.resultsPath, text);
      return records;
    });
  }
}
