import { filledArray, type InitArray } from "./init-array.js";
import { toRandomSource, type RandomSource } from "./random-source.js";
import { requireInteger, requireFinite, requirePositive } from "@dale-nn/core/validation";

const TWO_PI = 2 * Math.PI;

/** Options of {@link columnEiInit}. */
export interface ColumnEiInitOptions {
  /** Input dimension d = n_e + n_i (columns of W). */
  inputs: number;
  /** Output units (rows of W). */
  outputs: number;
  /**
   * Inhibitory (negative) input columns n_i; they are the last n_i columns. Ignored for the first
   * layer, whose inputs are all excitatory.
   */
  inhibitoryInputs: number;
  /** Seed or random source. */
  seed: number | RandomSource;
  /**
   * First layer (raw, non-negative input): all weights positive, Exp with scale 1/sqrt(d), and the
   * bias centres the pre-activations given the mean input value (MNIST 0.1307, K-MNIST 0.1918,
   * Fashion-MNIST 0.2860).
   */
  firstLayer?: { inputMean: number };
}

/** Initial values of a column-constrained (ColumnEi) dense layer. */
export interface ColumnEiInit {
  /** W, shape [outputs, inputs]; first n_e columns >= 0, last n_i columns <= 0. */
  w: InitArray;
  /** Bias, shape [outputs]. */
  bias: InitArray;
  /** Number of non-negative (excitatory) columns; the rest are non-positive. */
  excitatoryInputs: number;
}

/**
 * Splits n units into excitatory and inhibitory counts for an E:I ratio r:
 * n_i = ceil(n / (r + 1)), n_e = n − n_i (reference code convention).
 *
 * @param n - total units (>= 2)
 * @param ratio - E:I ratio r (> 0), e.g. 9 for 10% inhibitory units
 * @returns `{ ne, ni }`
 * @throws RangeError on a non-integer n or non-positive ratio
 * @example
 * splitExcitatoryInhibitory(550, 10); // { ne: 500, ni: 50 }
 */
export function splitExcitatoryInhibitory(n: number, ratio: number): { ne: number; ni: number } {
  requireInteger("splitExcitatoryInhibitory", "n", n, 2);
  requirePositive("splitExcitatoryInhibitory", "ratio", ratio);
  const ni = Math.max(1, Math.ceil(n / (ratio + 1)));
  if (ni >= n) throw new RangeError(`splitExcitatoryInhibitory: ratio ${ratio} leaves no excitatory unit out of n=${n}`);
  return { ne: n - ni, ni };
}

/**
 * Standard deviation σ_E (= mean) of the exponential excitatory column weights of a hidden ColumnEi
 * layer (Cornford et al. 2021, App. B.1, eq. 19):
 * σ_E = sqrt(1 / (((2π − 1) / 2π) (n_e + n_e² / n_i))).
 * Inhibitory columns then have mean σ_E n_e / n_i (eq. 17), which centres the pre-activations.
 *
 * @param ne - excitatory input columns
 * @param ni - inhibitory input columns
 * @returns σ_E
 * @example
 * columnEiExcitatoryScale(500, 50);
 */
export function columnEiExcitatoryScale(ne: number, ni: number): number {
  requireInteger("columnEiExcitatoryScale", "ne", ne, 1);
  requireInteger("columnEiExcitatoryScale", "ni", ni, 1);
  return Math.sqrt(1 / (((TWO_PI - 1) / TWO_PI) * (ne + (ne * ne) / ni)));
}

/**
 * Initialises a ColumnEi dense layer z = W x + b with sign-constrained columns
 * (Cornford et al. 2021, App. B.1).
 *
 * Hidden layers: excitatory columns ~ Exp with scale σ_E, inhibitory columns ~ −Exp with mean
 * σ_E n_e / n_i, bias 0: E[z_k] = 0 and Var(z_k) = σ² for rectified-normal inputs.
 * First layer: all columns excitatory, Exp with scale 1/sqrt(d), bias = −d · (1/sqrt(d)) · E[x].
 *
 * @param options - see {@link ColumnEiInitOptions}
 * @returns W in "post x pre" order, the bias and the number of excitatory columns
 * @throws RangeError on invalid sizes or a missing seed
 * @example
 * const p = columnEiInit({ inputs: 550, outputs: 550, inhibitoryInputs: 50, seed: 1 });
 */
export function columnEiInit(options: ColumnEiInitOptions): ColumnEiInit {
  const context = "columnEiInit";
  const d = requireInteger(context, "inputs", options.inputs, 1);
  const out = requireInteger(context, "outputs", options.outputs, 1);
  const rng = toRandomSource(options.seed, context);
  const values = new Float32Array(out * d);
  if (options.firstLayer) {
    const mean = requireFinite(context, "firstLayer.inputMean", options.firstLayer.inputMean);
    const scale = 1 / Math.sqrt(d);
    for (let i = 0; i < values.length; i++) values[i] = rng.exponential(scale);
    return { w: { values, shape: [out, d] }, bias: filledArray([out], -d * scale * mean), excitatoryInputs: d };
  }
  const ni = requireInteger(context, "inhibitoryInputs", options.inhibitoryInputs, 1);
  if (ni >= d) throw new RangeError(`${context}: inhibitoryInputs must be < inputs (${d}); got ${ni}`);
  const ne = d - ni;
  const sigmaE = columnEiExcitatoryScale(ne, ni);
  const inhibitoryMean = (sigmaE * ne) / ni;
  for (let r = 0; r < out; r++) {
    for (let c = 0; c < d; c++) {
      values[r * d + c] = c < ne ? rng.exponential(sigmaE) : -rng.exponential(inhibitoryMean);
    }
  }
  return { w: { values, shape: [out, d] }, bias: filledArray([out], 0), excitatoryInputs: ne };
}
