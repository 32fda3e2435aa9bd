import { readFileSync } from "node:fs";
import type { RunRecord } from "./run-record.js";
import { isTruncatedJson } from "../../../report/is-truncated-json.js";
import { validateRunRecord } from "./internal/validate-run-record.js";

/** Result of {@link readRunRecords}. */
export interface ReadRunRecordsResult {
  /** Valid rows in file order; when a `runId` repeats, the later row replaces the earlier one in place. */
  records: RunRecord[];
  /** Truncated rows ignored (rows cut short by a run killed mid-write). */
  skippedLines: number;
  /** `runId`s that occurred more than once (the last occurrence was kept). */
  duplicateRunIds: string[];
}

/**
 * Reads `results.jsonl` as written by `dale-bench ffwd`: one schema-1 {@link RunRecord} per line.
 *
 * Blank lines are skipped. A truncated row (a line that is a valid but unfinished prefix of a JSON object,
 * left by a run killed mid-write) is ignored and counted in `skippedLines`: normally the last line, or a line
 * in the middle when a resumed run started a fresh line after it. Any other line that is not valid JSON,
 * or a row that is not a valid schema-1 record, throws an Error naming the file and the 1-based line number.
 * `null` errors (how JSON writes NaN) are read as NaN. Synchronous, so a resuming run can use it up front.
 *
 * @param file - path of the JSONL file
 * @returns the records, the number of truncated rows ignored, and the repeated run ids
 * @throws Error when the file cannot be read, naming the path
 * @throws Error on a malformed line that is not a truncated row, or on a row whose schema is not 1
 * @example
 * const { records, skippedLines } = readRunRecords("results/ffwd/results.jsonl");
 */
export function readRunRecords(file: string): ReadRunRecordsResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `readRunRecords: cannot read results file ${file}` +
        (code === "ENOENT" ? " (no such file; run `dale-bench ffwd --out DIR` first)" : ` (${code ?? String(err)})`),
      { cause: err },
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);

  const byId = new Map<string, number>();
  const records: RunRecord[] = [];
  const duplicates = new Set<string>();
  let skippedLines = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    const where = `${file}:${i + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      if (line.startsWith("{") && isTruncatedJson(line)) {
        skippedLines++;
        continue;
      }
      throw new Error(
        `readRunRecords: ${where}: line is not valid JSON (${(err as Error).message}); ` +
          `expected one JSON object per line (only rows cut short by a killed run are skipped)`,
        { cause: err },
      );
    }
    const record = validateRunRecord(parsed, `readRunRecords: ${where}`);
    const seen = byId.get(record.runId);
    if (seen === undefined) {
      byId.set(record.runId, records.length);
      records.push(record);
    } else {
      duplicates.add(record.runId);
      records[seen] = record;
    }
  }
  return { records, skippedLines, duplicateRunIds: [...duplicates] };
}
