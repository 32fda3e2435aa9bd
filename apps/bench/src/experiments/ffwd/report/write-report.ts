import { stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { readRunRecords } from "./read-run-records.js";
import { renderErrorPlots } from "./render-error-plots.js";
import { renderMarkdown } from "./render-markdown.js";
import { summariseRuns } from "./summarise-runs.js";
import { writeFileAtomic } from "../../../report/write-file-atomic.js";

/** Result of {@link writeReport}. */
export interface WriteReportResult {
  /** Path of the written `report.md`. */
  markdownPath: string;
  /** Paths of the written SVG plots (`test-error-<dataset>.svg`, `train-error-<dataset>.svg`). */
  plotPaths: string[];
  /** Number of runs reported (distinct run ids). */
  runs: number;
  /** Truncated rows of `results.jsonl` that were ignored (runs killed mid-write). */
  skippedLines: number;
}

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** Report heading; defaults to "Feedforward results: <dir name>". */
  title?: string;
}

/**
 * `dale-bench report DIR`: reads `DIR/results.jsonl`, writes `DIR/report.md` and the SVG plots beside it.
 * Every file is written to a temporary name and renamed into place, so an interrupted report never leaves
 * a half-written file. Plots are written before the markdown that links to them.
 *
 * @param dir - the `--out` directory of `dale-bench ffwd`
 * @param options - optional title
 * @returns the paths written, the number of runs and of truncated lines ignored
 * @throws Error naming the path when `dir` or `dir/results.jsonl` is missing, or on a malformed results file
 * @example
 * const { markdownPath, plotPaths } = await writeReport("results/ffwd-mnist-smoke");
 */
export async function writeReport(dir: string, options: WriteReportOptions = {}): Promise<WriteReportResult> {
  const root = resolve(dir);
  let isDir = false;
  try {
    isDir = (await stat(root)).isDirectory();
  } catch {
    throw new Error(`writeReport: results directory ${root} does not exist; expected the --out directory of \`dale-bench ffwd\``);
  }
  if (!isDir) throw new Error(`writeReport: ${root} is not a directory; expected the --out directory of \`dale-bench ffwd\``);
  const file = join(root, "results.jsonl");
  try {
    await stat(file);
  } catch {
    throw new Error(`writeReport: ${file} does not exist; expected results.jsonl written by \`dale-bench ffwd --out ${dir}\``);
  }

  const { records, skippedLines, duplicateRunIds } = readRunRecords(file);
  const summary = summariseRuns(records);
  const plots = await renderErrorPlots(summary);
  const plotPaths: string[] = [];
  for (const p of plots) {
    const path = join(root, p.fileName);
    writeFileAtomic(path, p.svg);
    plotPaths.push(path);
  }
  const markdown = renderMarkdown(summary, {
    title: options.title ?? `Feedforward results: ${basename(root)}`,
    plots,
    skippedLines,
    duplicateRunIds,
    notes: [`Source: \`results.jsonl\` (${records.length} run${records.length === 1 ? "" : "s"}).`],
  });
  const markdownPath = join(root, "report.md");
  writeFileAtomic(markdownPath, markdown);
  return { markdownPath, plotPaths, runs: records.length, skippedLines };
}
