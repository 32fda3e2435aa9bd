import { formatMeanStd, meanStd } from "../../report/mean-std.js";

/** "m ± s" with 4 decimals over the finite values ("m" for one value, "—" for none): the recurrent reports' cells. */
export function meanStd4(xs: ReadonlyArray<number | null>): string {
  return formatMeanStd(meanStd(xs), 4);
}

/**
 * A run's final error as a result: null for a diverged run, whose last finite error is from
 * before the divergence and must not enter a mean.
 */
export function finalResult(r: { diverged?: unknown; finalEvalError: number | null }): number | null {
  return r.diverged === undefined ? r.finalEvalError : null;
}

/** The same for the final train error. */
export function finalTrainResult(r: { diverged?: unknown; finalTrainError: number | null }): number | null {
  return r.diverged === undefined ? r.finalTrainError : null;
}

/** The seeds cell of a table: the run count, and how many of them diverged. */
export function seedsCell(rs: ReadonlyArray<{ diverged?: unknown }>): string {
  const diverged = rs.filter((r) => r.diverged !== undefined).length;
  return diverged > 0 ? `${rs.length} (${diverged} diverged)` : `${rs.length}`;
}
