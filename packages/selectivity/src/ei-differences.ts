import { formatValue } from "@dale-nn/core/validation";
import { toRandomSource } from "@dale-nn/ei-init";
import { summarizeOverNetworks, type NetworkSummary, type NetworkSummaryOptions } from "./summarize-over-networks.js";

/** What {@link eiDifferences} needs from one trained network (one area, or areas combined). */
export interface NetworkEiMeasures {
  /** Image skewness of each PN (E) channel; NaN entries (silent channels) are skipped. */
  readonly pnImageSkewness: ArrayLike<number>;
  /** Image skewness of each interneuron channel (IG and OG together, or I); NaN skipped. */
  readonly intImageSkewness: ArrayLike<number>;
  /** PN→PN (E→E) connection density. */
  readonly pnToPnDensity: number;
  /** Int→PN (IG→PN and OG→PN pooled, or I→E) connection density. */
  readonly intToPnDensity: number;
}

/** Result of {@link eiDifferences}. */
export interface EiDifferences {
  /** Δ image skewness = mean γ(PN) − mean γ(Int), per network and summarised. */
  readonly deltaImageSkewness: NetworkSummary;
  /** Δ density = density(Int→PN) − density(PN→PN), per network and summarised. */
  readonly deltaDensity: NetworkSummary;
}

/**
 * The two E-I differences that summarise paper 002 (Sec. 2-3, Fig. 4, 7 and 9), per network and
 * over networks (mean ± std, seeded 95% percentile bootstrap of the mean):
 *
 *   Δ image skewness = mean_{j ∈ PN} γ_j − mean_{j ∈ Int} γ_j,
 *   Δ density = density(Int→PN) − density(PN→PN).
 *
 * Positive values of both are the biological pattern (E more selective, E→E sparser); the paper's
 * experimental estimates are Δ skewness ≈ 2.1 and Δ density ≈ 0.42 − 0.11 = 0.31 (App. E).
 *
 * @param networks - one {@link NetworkEiMeasures} per network (n >= 1)
 * @param options - seed, resamples, level; the two quantities use independent streams derived from the seed
 * @returns `{ deltaImageSkewness, deltaDensity }`
 * @throws RangeError on no networks, a network whose PN or Int channels are all silent or absent,
 *   a density outside [0, 1], or a non-finite skewness other than NaN
 * @example
 * const d = eiDifferences(nets.map((n) => ({
 *   pnImageSkewness: n.pn.skewness, intImageSkewness: [...n.ig.skewness, ...n.og.skewness],
 *   pnToPnDensity: n.dPnPn, intToPnDensity: n.dIntPn })), { seed: 0 });
 * d.deltaDensity.mean; d.deltaDensity.lower; d.deltaDensity.upper;
 */
export function eiDifferences(networks: readonly NetworkEiMeasures[], options: NetworkSummaryOptions): EiDifferences {
  const context = "eiDifferences";
  if (!Array.isArray(networks) || networks.length === 0) {
    throw new RangeError(`${context}: networks must be a non-empty array (one entry per trained network); got ${formatValue(networks)}`);
  }
  const rng = toRandomSource(options?.seed, context);
  const dSkew = new Float64Array(networks.length);
  const dDensity = new Float64Array(networks.length);
  networks.forEach((net, i) => {
    if (net == null || typeof net !== "object") throw new TypeError(`${context}: networks[${i}] must be an object; got ${formatValue(net)}`);
    dSkew[i] = meanSkipNaN(net.pnImageSkewness, `networks[${i}].pnImageSkewness`) - meanSkipNaN(net.intImageSkewness, `networks[${i}].intImageSkewness`);
    dDensity[i] = density(net.intToPnDensity, `networks[${i}].intToPnDensity`) - density(net.pnToPnDensity, `networks[${i}].pnToPnDensity`);
  });
  return {
    deltaImageSkewness: summarizeOverNetworks(dSkew, { ...options, seed: rng.derive("delta-image-skewness") }),
    deltaDensity: summarizeOverNetworks(dDensity, { ...options, seed: rng.derive("delta-density") }),
  };

  function meanSkipNaN(values: ArrayLike<number>, name: string): number {
    if (values == null || typeof values.length !== "number") throw new TypeError(`${context}: ${name} must be an array of skewness values; got ${formatValue(values)}`);
    let sum = 0;
    let m = 0;
    for (let k = 0; k < values.length; k++) {
      const x = values[k];
      if (typeof x === "number" && Number.isNaN(x)) continue;
      if (typeof x !== "number" || !Number.isFinite(x)) throw new RangeError(`${context}: ${name}[${k}] is ${formatValue(x)}; expected a finite skewness (or NaN for a silent channel)`);
      sum += x;
      m++;
    }
    if (m === 0) throw new RangeError(`${context}: ${name} has no responsive channel (${values.length} entries, all NaN or none); expected at least one`);
    return sum / m;
  }

  function density(x: unknown, name: string): number {
    if (typeof x !== "number" || !(x >= 0 && x <= 1)) throw new RangeError(`${context}: ${name} must be a density in [0, 1]; got ${formatValue(x)}`);
    return x;
  }
}
