import type { PerfRow, SpectraRow, TrainingRow } from "./perf-row.js";
import { describeBreakdown } from "./step-breakdown.js";

/** Pads the cells of each column to one width, two spaces apart: "l" left-aligns a column, "r" right-aligns it. */
function alignColumns(rows: string[][], align: string): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (align[c] === "l" ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd())
    .join("\n");
}

const EMPTY = "-";
const integer = (v: number): string => Math.round(v).toLocaleString("en-US");
const times = (v: number | null): string => (v === null ? EMPTY : `${v.toFixed(2)}x`);
const seconds = (v: number | null): string => (v === null ? EMPTY : v < 0.1 ? v.toFixed(4) : v < 10 ? v.toFixed(3) : v.toFixed(1));

/**
 * The training rows as an aligned text table: workload, batch, backend, our samples/s, PyTorch's,
 * ours/pytorch, our GFLOP/s, the fraction of the sgemm peak, and the tensor check ("ok", or
 * "LEAK +k").
 *
 * @param rows - training rows
 * @returns the table, without a trailing newline ("" for no rows)
 */
export function renderTrainingTable(rows: readonly TrainingRow[]): string {
  if (rows.length === 0) return "";
  const header = ["workload", "batch", "backend", "ours samples/s", "pytorch samples/s", "ours/pytorch", "GFLOP/s", "of peak", "tensors"];
  const body = rows.map((r) => [
    r.workload,
    String(r.batch),
    r.backend,
    integer(r.ours),
    r.pytorch === null ? EMPTY : integer(r.pytorch),
    times(r.ratio),
    r.gflops.toFixed(1),
    r.peakFraction === null ? EMPTY : `${(100 * r.peakFraction).toFixed(0)}%`,
    r.leakedTensors === 0 ? "ok" : `LEAK ${r.leakedTensors > 0 ? "+" : ""}${r.leakedTensors}`,
  ]);
  return alignColumns([header, ...body], "lrlrrrrrl");
}

/**
 * The spectra rows as an aligned text table: operation, n, our solver, our seconds, numpy's
 * seconds and ours/numpy time.
 *
 * @param rows - spectra rows
 * @returns the table, without a trailing newline ("" for no rows)
 */
export function renderSpectraTable(rows: readonly SpectraRow[]): string {
  if (rows.length === 0) return "";
  const header = ["spectra", "n", "solver", "ours s", "numpy s", "ours/numpy time"];
  const body = rows.map((r) => [r.op === "svd" ? "singular values" : "eigenvalues", String(r.n), r.solver, seconds(r.oursSeconds), seconds(r.numpySeconds), times(r.ratio)]);
  return alignColumns([header, ...body], "lrlrrr");
}

/**
 * For every training row of the fastest backend here that is below PyTorch (ratio < 1), one line
 * saying where its step's time goes (see `describeBreakdown`).
 *
 * @param rows - training rows
 * @returns the lines, without a trailing newline ("" when none is below 1)
 */
export function renderSlowRowBreakdowns(rows: readonly TrainingRow[]): string {
  const slow = rows.filter((r) => r.ratio !== null && r.ratio < 1 && r.backend === "openblas" && r.breakdown !== undefined);
  if (slow.length === 0) return "";
  return ["Below PyTorch, where one step's time goes (tf.profile, ms per step):", ...slow.map((r) => `  ${describeBreakdown(`${r.workload} batch ${r.batch} on ${r.backend}`, r.breakdown)}`)].join("\n");
}

/**
 * Both tables, training first, separated by a blank line, then the breakdowns of the rows below PyTorch.
 *
 * @param rows - the results of a perf run
 * @returns the text, ending with a newline ("" for no rows)
 * @example
 * process.stdout.write(renderPerfTables(rows));
 */
export function renderPerfTables(rows: readonly PerfRow[]): string {
  const training = rows.filter((r): r is TrainingRow => r.kind === "train");
  const parts = [
    renderTrainingTable(training),
    renderSlowRowBreakdowns(training),
    renderSpectraTable(rows.filter((r): r is SpectraRow => r.kind === "spectra")),
  ].filter((t) => t !== "");
  return parts.length === 0 ? "" : `${parts.join("\n\n")}\n`;
}
