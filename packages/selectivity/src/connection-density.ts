import { requireNonNegative } from "@dale-nn/core/validation";
import { readValues } from "./internal/read-array.js";
import { PAPER_THRESHOLD } from "./thresholds.js";
import { weightLists } from "./internal/weight-lists.js";

/** Options of {@link connectionDensity}. */
export interface ConnectionDensityOptions {
  /** A connection exists where |w| > threshold; default exp(−10) ({@link PAPER_THRESHOLD}). */
  threshold?: number;
}

/** Weights as {@link connectionDensity} and {@link weightHistogram} read them: any flat list or `{ data }`. */
export type WeightsInput = ArrayLike<number> | { readonly data: ArrayLike<number> };

/**
 * Connection density: the fraction of weights stronger than a threshold (paper 002, Sec. 2,
 * Fig. 3e, App. A):
 *
 *   density = #{ e : |w_e| > τ } / #{ e },  τ = exp(−10) by default,
 *
 * over a channel-to-channel matrix ({@link spatialMeanKernel}) or any weights. Several blocks are
 * pooled entry by entry: `connectionDensity([igToPn, ogToPn])` is the "Int→PN" density (the mean
 * of the two when they have the same size).
 *
 * @param weights - one set of weights or a list of them (matrices `{ data, rows, cols }`, typed
 *   arrays, number arrays)
 * @param options - the threshold; see {@link ConnectionDensityOptions}
 * @returns the density in [0, 1]
 * @throws RangeError on no weights at all, a non-finite weight or a bad threshold
 * @example
 * const g = channelGroups({ PN: 64, IG: 16, OG: 16 });
 * const dPnPn = connectionDensity(weightBlock(w, g.PN, g.PN));
 * const dIntPn = connectionDensity([weightBlock(w, g.IG, g.PN), weightBlock(w, g.OG, g.PN)]);
 */
export function connectionDensity(weights: WeightsInput | readonly WeightsInput[], options: ConnectionDensityOptions = {}): number {
  const context = "connectionDensity";
  const threshold = requireNonNegative(context, "threshold", options.threshold ?? PAPER_THRESHOLD);
  let total = 0;
  let strong = 0;
  for (const [name, values] of weightLists(weights, context)) {
    const v = readValues(values, context, name);
    total += v.length;
    for (let e = 0; e < v.length; e++) if (Math.abs(v[e] as number) > threshold) strong++;
  }
  if (total === 0) throw new RangeError(`${context}: no weights given; expected at least one weight`);
  return strong / total;
}

