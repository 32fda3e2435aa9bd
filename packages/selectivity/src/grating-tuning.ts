import { formatValue, requireNonNegative } from "@dale-nn/core/validation";
import type { GratingLayout } from "./grating-set.js";
import { gosiOf } from "./internal/gosi-of.js";
import { partitionChannels } from "./internal/partition-channels.js";
import { skewnessOf } from "./internal/skewness-of.js";
import { toResponseMatrix, type ResponsesInput } from "./response-matrix.js";
import type { ChannelPartition, SilenceOptions } from "./silent-channels.js";
import { PAPER_THRESHOLD } from "./thresholds.js";

/** Per-channel grating tuning, as {@link gratingTuning} returns it. Silent channels hold NaN / −1. */
export interface GratingTuning extends ChannelPartition {
  /** Number of channels. */
  readonly channels: number;
  /** Preferred orientation θ* in radians (of the maximal response). */
  readonly preferredOrientation: Float64Array;
  /** Preferred spatial frequency in cycles per image. */
  readonly preferredFrequency: Float64Array;
  /** Preferred phase φ* in radians. */
  readonly preferredPhase: Float64Array;
  /** Index of θ* into the layout's `orientations` (−1 for silent channels). */
  readonly preferredOrientationIndex: Int32Array;
  /** Index of f* into the layout's `frequencies` (−1 for silent channels). */
  readonly preferredFrequencyIndex: Int32Array;
  /** Index of φ* into the layout's `phases` (−1 for silent channels). */
  readonly preferredPhaseIndex: Int32Array;
  /** gOSI (eq. 3) over all orientations at the preferred frequency and phase. */
  readonly gosi: Float64Array;
  /** Orientation skewness: γ (eq. 4) over all gratings. */
  readonly orientationSkewness: Float64Array;
  /** Tuning curves at the preferred frequency and phase, [channels, orientations] row-major. */
  readonly tuningCurves: Float64Array;
  /** Mean gOSI over responsive channels (NaN when none). */
  readonly meanGosi: number;
  /** Mean orientation skewness over responsive channels (NaN when none). */
  readonly meanOrientationSkewness: number;
}

/**
 * Orientation tuning of every channel from its responses to a grating set (paper 002, Sec. 2,
 * App. C, Fig. 2a-b and 8b):
 *
 * - preferred (θ*, f*, φ*) = argmax over all gratings of r_j (the first maximum on ties);
 * - gOSI_j = |Σ_k r_j(θ_k, f*, φ*) e^{i2θ_k}| / Σ_k r_j(θ_k, f*, φ*) (eq. 3), over all orientations;
 * - orientation skewness γ_j = m₃ / m₂^{3/2} over all gratings (eq. 4);
 * - channels with max_k r_{j,k} ≤ exp(−10) are silent: left out (NaN, −1) and listed in `silent`.
 *
 * @param responses - [gratings, channels] responses ≥ 0 (e.g. {@link centreResponses} of the maps
 *   for {@link gratingSet}'s images, in the same order)
 * @param gratings - the grid of each image ({@link GratingLayout}; a {@link GratingSet} is one)
 * @param options - the silence threshold; see {@link SilenceOptions}
 * @returns per-channel preferences, gOSI, skewness, tuning curves and the responsive / silent split
 * @throws RangeError when the number of response rows differs from the number of gratings, the
 *   layout does not hold every (orientation, frequency, phase) exactly once, or a response is
 *   negative or non-finite (named with its grating and channel)
 * @example
 * const g = gratingSet();
 * const t = gratingTuning(centreResponses(mapsOf(g.images)), g);
 * t.meanGosi; t.silent.length;
 */
export function gratingTuning(responses: ResponsesInput, gratings: GratingLayout, options: SilenceOptions = {}): GratingTuning {
  const context = "gratingTuning";
  const r = toResponseMatrix(responses, context);
  const threshold = requireNonNegative(context, "threshold", options.threshold ?? PAPER_THRESHOLD);
  const grid = readLayout(gratings, r.rows, context);
  const { rows, cols, data } = r;
  for (let i = 0; i < data.length; i++) {
    if ((data[i] as number) < 0) {
      throw new RangeError(`${context}: response of channel ${i % cols} to grating ${Math.floor(i / cols)} is ${formatValue(data[i])}; expected responses >= 0 (rates, e.g. after ReLU)`);
    }
  }
  const { nO, nF, nP, table } = grid;
  const partition = partitionChannels(data, rows, cols, threshold);
  const nanArray = () => new Float64Array(cols).fill(Number.NaN);
  const minusOne = () => new Int32Array(cols).fill(-1);
  const preferredOrientation = nanArray();
  const preferredFrequency = nanArray();
  const preferredPhase = nanArray();
  const preferredOrientationIndex = minusOne();
  const preferredFrequencyIndex = minusOne();
  const preferredPhaseIndex = minusOne();
  const gosi = nanArray();
  const orientationSkewness = nanArray();
  const tuningCurves = new Float64Array(cols * nO).fill(Number.NaN);
  const curve = new Float64Array(nO);
  let sumGosi = 0;
  let sumSkew = 0;
  for (const j of partition.responsive) {
    let best = 0;
    for (let n = 1; n < rows; n++) if ((data[n * cols + j] as number) > (data[best * cols + j] as number)) best = n;
    const o = gratings.orientationIndex[best] as number;
    const f = gratings.frequencyIndex[best] as number;
    const p = gratings.phaseIndex[best] as number;
    preferredOrientationIndex[j] = o;
    preferredFrequencyIndex[j] = f;
    preferredPhaseIndex[j] = p;
    preferredOrientation[j] = gratings.orientations[o] as number;
    preferredFrequency[j] = gratings.frequencies[f] as number;
    preferredPhase[j] = gratings.phases[p] as number;
    for (let oo = 0; oo < nO; oo++) {
      const image = table[(oo * nF + f) * nP + p] as number;
      curve[oo] = data[image * cols + j] as number;
      tuningCurves[j * nO + oo] = curve[oo] as number;
    }
    gosi[j] = gosiOf(curve, 0, 1, gratings.orientations);
    orientationSkewness[j] = skewnessOf(data, j, cols, rows);
    sumGosi += gosi[j] as number;
    sumSkew += orientationSkewness[j] as number;
  }
  const m = partition.responsive.length;
  return {
    channels: cols,
    ...partition,
    preferredOrientation,
    preferredFrequency,
    preferredPhase,
    preferredOrientationIndex,
    preferredFrequencyIndex,
    preferredPhaseIndex,
    gosi,
    orientationSkewness,
    tuningCurves,
    meanGosi: m === 0 ? Number.NaN : sumGosi / m,
    meanOrientationSkewness: m === 0 ? Number.NaN : sumSkew / m,
  };
}

function readLayout(g: GratingLayout, rows: number, context: string): { nO: number; nF: number; nP: number; table: Int32Array } {
  if (g == null || typeof g !== "object") throw new TypeError(`${context}: gratings must be a GratingLayout (e.g. gratingSet()); got ${formatValue(g)}`);
  const lists = ["orientations", "frequencies", "phases", "orientationIndex", "frequencyIndex", "phaseIndex"] as const;
  for (const key of lists) {
    const v = g[key] as ArrayLike<number> | undefined;
    if (v == null || typeof v.length !== "number") {
      throw new TypeError(`${context}: gratings.${key} must be an array; got ${formatValue(v)} (pass gratingSet()'s result or its layout)`);
    }
  }
  const nO = g.orientations.length;
  const nF = g.frequencies.length;
  const nP = g.phases.length;
  for (let o = 0; o < nO; o++) {
    if (!Number.isFinite(g.orientations[o])) throw new RangeError(`${context}: gratings.orientations[${o}] is ${formatValue(g.orientations[o])}; expected a finite angle in radians`);
  }
  for (const key of ["orientationIndex", "frequencyIndex", "phaseIndex"] as const) {
    if (g[key].length !== rows) {
      throw new RangeError(`${context}: responses have ${rows} rows but gratings.${key} describes ${g[key].length} images; expected one row per grating, in the same order`);
    }
  }
  if (nO * nF * nP !== rows) {
    throw new RangeError(`${context}: responses have ${rows} rows; the grid has ${nO} orientations × ${nF} frequencies × ${nP} phases = ${nO * nF * nP} gratings`);
  }
  const table = new Int32Array(rows).fill(-1);
  for (let n = 0; n < rows; n++) {
    const o = g.orientationIndex[n] as number;
    const f = g.frequencyIndex[n] as number;
    const p = g.phaseIndex[n] as number;
    if (!(Number.isInteger(o) && o >= 0 && o < nO && Number.isInteger(f) && f >= 0 && f < nF && Number.isInteger(p) && p >= 0 && p < nP)) {
      throw new RangeError(`${context}: grating ${n} has grid indices (orientation ${formatValue(o)}, frequency ${formatValue(f)}, phase ${formatValue(p)}); expected integers below (${nO}, ${nF}, ${nP})`);
    }
    const cell = (o * nF + f) * nP + p;
    if (table[cell] !== -1) {
      throw new RangeError(`${context}: gratings ${table[cell]} and ${n} share (orientation ${o}, frequency ${f}, phase ${p}); expected each combination exactly once`);
    }
    table[cell] = n;
  }
  return { nO, nF, nP, table };
}
