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

/**
 * The update at which the analysis notebooks of Li et al. (2023) read their sequential-MNIST
 * "final" test errors (Table 1, Figs. 5-7): index 467 of a test curve taken every 100 updates
 * (analysis_in_notebooks/SVD_transplant.ipynb prints the Table 1 means as `test_err.mean(axis=0)[467]`),
 * about epoch 25 of 30 at batch 32, not the end of training.
 */
export const LI_READOUT_UPDATE = 46_800;

/**
 * A run's test error at exactly `update` of its evaluation curve: null when the curve has no point
 * there (another evaluation interval, a shorter run) or the run diverged before it.
 */
export function errorAtUpdate(r: { diverged?: { update: number }; evalCurve: ReadonlyArray<{ update: number; error: number }> }, update: number): number | null {
  if (r.diverged !== undefined && r.diverged.update <= update) return null;
  const p = r.evalCurve.find((q) => q.update === update);
  return p === undefined || !Number.isFinite(p.error) ? null : p.error;
}

/** A run's gradient clipping as a table cell: "global 10", "per-tensor 5" or "none". */
export function clippingText(r: { clipping: { maxNorm: number; scope: string } | null }): string {
  return r.clipping === null ? "none" : `${r.clipping.scope} ${r.clipping.maxNorm}`;
}
