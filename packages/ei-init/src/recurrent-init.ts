import { filledArray, type InitArray } from "./init-array.js";
import { toRandomSource, type RandomSource } from "./random-source.js";
import { sampleExponential, sampleUniform } from "./samplers.js";
import { columnEiExcitatoryScale } from "./column-ei-init.js";
import { requireFinite, requireInteger, requirePositive } from "@dale-nn/core/validation";

/** Options shared by the recurrent initialisers. */
interface RecurrentInitBase {
  /** Input dimension d of the layer (pixels per step, or the hidden size of the layer below). */
  inputs: number;
  /** Seed or random source. */
  seed: number | RandomSource;
}

/** Initial values of a standard RNN layer h_t = ReLU(U x_t + W h_{t−1} + b). */
export interface StandardRnnInit {
  /** U, [n, d]. */
  u: InitArray;
  /** W, [n, n]. */
  w: InitArray;
  /** b, [n]. */
  bias: InitArray;
}

/**
 * Standard RNN initialisation (Li et al. 2023, Sec. 2.2; PyTorch's default): U and W ~
 * Uniform(−1/√n, 1/√n) with n hidden units, b = 0. With `rho`, W is then rescaled to spectral
 * radius ρ exactly, W ← (ρ/ρ₀) W (the radius sweep of App. Fig. 9; without it ρ ≈ 1/√3 by the
 * circular law).
 *
 * @param options - `{ inputs: d, hidden: n, seed }`, and `rho` with a `spectralRadius` function
 * @returns U [n, d], W [n, n], b [n]
 * @throws RangeError on invalid sizes, a missing seed, a non-positive rho or a zero radius;
 *   TypeError for rho without spectralRadius
 * @example
 * const { w } = standardRnnInit({ inputs: 28, hidden: 100, seed: 0 });
 */
export function standardRnnInit(
  options: RecurrentInitBase & { hidden: number; rho?: number; spectralRadius?: (data: Float64Array, n: number) => number },
): StandardRnnInit {
  const context = "standardRnnInit";
  const d = requireInteger(context, "inputs", options.inputs, 1);
  const n = requireInteger(context, "hidden", options.hidden, 1);
  const rng = toRandomSource(options.seed, context);
  const a = 1 / Math.sqrt(n);
  const u = sampleUniform(rng, [n, d], -a, a);
  const w = sampleUniform(rng, [n, n], -a, a);
  if (options.rho !== undefined) rescaleToRadius(context, w, n, options.rho, options.spectralRadius);
  return { u, w, bias: filledArray([n], 0) };
}

/**
 * The factor ρ/ρ₀ that rescales the square [n, n] matrix `w` (row-major float64) to spectral
 * radius ρ, ρ₀ its radius now (Li et al. 2023, eq. 7).
 *
 * @throws TypeError without a spectralRadius function; RangeError for ρ <= 0 or ρ₀ not > 0
 */
function radiusRescaleFactor(context: string, w: Float64Array, n: number, rhoValue: number, spectralRadius: ((data: Float64Array, n: number) => number) | undefined): number {
  const rho = requirePositive(context, "rho", rhoValue);
  if (!spectralRadius) throw new TypeError(`${context}: rho = ${rho} needs a spectralRadius function (e.g. from @dale-nn/spectra)`);
  const rho0 = spectralRadius(w, n);
  if (!(rho0 > 0) || !Number.isFinite(rho0)) throw new RangeError(`${context}: spectral radius of W before rescaling is ${rho0}; expected > 0`);
  return rho / rho0;
}

/** W ← (ρ/ρ₀) W in place. */
function rescaleToRadius(context: string, w: InitArray, n: number, rho: number, spectralRadius: ((data: Float64Array, n: number) => number) | undefined): void {
  const k = radiusRescaleFactor(context, Float64Array.from(w.values), n, rho, spectralRadius);
  for (let i = 0; i < w.values.length; i++) w.values[i] = (w.values[i] as number) * k;
}

/** The three non-negative factors of one DANN weight matrix M = M_EE − M_EI M_IE. */
export interface DannFactors {
  /** M_EE, [ne, d]. */
  ee: InitArray;
  /** M_IE, [ni, d]. */
  ie: InitArray;
  /** M_EI, [ne, ni]. */
  ei: InitArray;
}

/** Initial values of a DANN RNN layer: U = U_EE − U_EI U_IE, W = W_EE − W_EI W_IE. */
export interface DannRnnInit {
  u: DannFactors;
  w: DannFactors;
  /** b, [ne]. */
  bias: InitArray;
}

/**
 * The DANN recurrent initialisation of one factorised matrix (Li et al. 2023, Sec. 2.2):
 * M_EE ~ Exp with variance 1/(3(n_e − 1)); every row of M_IE is the mean row of M_EE; rows of
 * M_EI ~ Exp normalised to sum 1. Then M_EI M_IE has every row equal to the mean row of M_EE,
 * so M = M_EE − M_EI M_IE is exactly column-centred with element variance ≈ 1/(3 n_e), the
 * variance of PyTorch's Uniform(−1/√n, 1/√n).
 */
export function dannRecurrentFactors(rng: RandomSource, ne: number, ni: number, d: number, std: number): DannFactors {
  const ee = sampleExponential(rng, [ne, d], std);
  const mean = new Float32Array(d);
  for (let r = 0; r < ne; r++) for (let c = 0; c < d; c++) mean[c] = (mean[c] as number) + (ee.values[r * d + c] as number) / ne;
  const ie = new Float32Array(ni * d);
  for (let r = 0; r < ni; r++) ie.set(mean, r * d);
  const ei = sampleExponential(rng, [ne, ni], 1);
  for (let r = 0; r < ne; r++) {
    let s = 0;
    for (let c = 0; c < ni; c++) s += ei.values[r * ni + c] as number;
    for (let c = 0; c < ni; c++) ei.values[r * ni + c] = (ei.values[r * ni + c] as number) / s;
  }
  return { ee, ie: { values: ie, shape: [ni, d] }, ei };
}

/**
 * DANN RNN initialisation (Li et al. 2023, Sec. 2.2; subtractive inhibition as in the reference
 * code). Both U and W use std sqrt(1 / (3 (n_e − 1))) times `stdScale` for their E→E factor.
 *
 * @param options - `{ inputs: d, ne, ni, seed, stdScale? }`; `stdScale` multiplies the E→E standard
 *   deviation of W (the reference radius sweeps scale the variance by (ρ/2)², i.e. stdScale = ρ/2)
 * @returns the factors of U ([ne, d], [ni, d], [ne, ni]) and W ([ne, ne], [ni, ne], [ne, ni]) and b = 0
 * @throws RangeError when ne < 2, ni < 1 or a size is not an integer
 * @example
 * const p = dannRnnInit({ inputs: 28, ne: 90, ni: 10, seed: 0 });
 */
export function dannRnnInit(
  options: RecurrentInitBase & {
    ne: number;
    ni: number;
    stdScale?: number;
    /**
     * Target spectral radius of W = W_EE − W_EI W_IE. Scaling W_EE and W_IE by ρ/ρ₀ scales W
     * exactly (the rows of W_EI keep summing to 1). Needs `spectralRadius`; default: no rescale.
     */
    rho?: number;
    spectralRadius?: (data: Float64Array, n: number) => number;
  },
): DannRnnInit {
  const context = "dannRnnInit";
  const d = requireInteger(context, "inputs", options.inputs, 1);
  const ne = requireInteger(context, "ne", options.ne, 2);
  const ni = requireInteger(context, "ni (number of inhibitory units)", options.ni, 1);
  const scale = options.stdScale === undefined ? 1 : requirePositive(context, "stdScale", options.stdScale);
  const rng = toRandomSource(options.seed, context);
  const std = Math.sqrt(1 / (3 * (ne - 1)));
  const u = dannRecurrentFactors(rng, ne, ni, d, std);
  const w = dannRecurrentFactors(rng, ne, ni, ne, std * scale);
  if (options.rho !== undefined) {
    const m = new Float64Array(ne * ne);
    for (let r = 0; r < ne; r++) {
      for (let c = 0; c < ne; c++) {
        let s = 0;
        for (let k = 0; k < ni; k++) s += (w.ei.values[r * ni + k] as number) * (w.ie.values[k * ne + c] as number);
        m[r * ne + c] = (w.ee.values[r * ne + c] as number) - s;
      }
    }
    const k = radiusRescaleFactor(context, m, ne, options.rho, options.spectralRadius);
    for (let i = 0; i < w.ee.values.length; i++) w.ee.values[i] = (w.ee.values[i] as number) * k;
    for (let i = 0; i < w.ie.values.length; i++) w.ie.values[i] = (w.ie.values[i] as number) * k;
  }
  return { u, w, bias: filledArray([ne], 0) };
}

/** Initial values of a ColEI RNN layer. */
export interface ColEiRnnInit {
  /** U, [n, d]: all ≥ 0 for a first layer, else column-signed like W. */
  u: InitArray;
  /** W, [n, n]: the first n_e columns ≥ 0, the last n_i ≤ 0; zero diagonal by default; rescaled to radius ρ when a rescaler is given. */
  w: InitArray;
  /** b, [n]: centres a first layer, else 0. */
  bias: InitArray;
  /** Number of excitatory hidden units n_e (the first n_e). */
  ne: number;
  /** Number of non-negative columns of U. */
  nonnegInputColumns: number;
}

/** Options of {@link colEiRnnInit}. */
export interface ColEiRnnInitOptions extends RecurrentInitBase {
  /** Hidden units n = n_e + n_i. */
  hidden: number;
  /** Inhibitory hidden units n_i (the last n_i units); 10% of n by default in the paper. */
  ni: number;
  /** Inhibitory units among the inputs (layers above the first); ignored for a first layer. */
  inputNi?: number;
  /** First layer on raw non-negative input: U ~ Exp(scale 1/√d) and b = −√d E[x] (App. 6.6). */
  firstLayer?: { inputMean: number };
  /** Zero the diagonal of W (no self-connections); default true, as in the reference code. */
  zeroDiagonal?: boolean;
  /**
   * Target spectral radius ρ of W (eq. 7: W ← (ρ/ρ₀) W); default 1.5. Needs `spectralRadius`,
   * a function returning max |eig(W)| of a row-major square matrix (e.g. from `@dale-nn/spectra`);
   * without it W keeps its natural scale.
   */
  rho?: number;
  spectralRadius?: (data: Float64Array, n: number) => number;
}

function columnSigned(rng: RandomSource, rows: number, cols: number, ni: number): Float32Array {
  const ne = cols - ni;
  const sigmaE = columnEiExcitatoryScale(ne, ni);
  const meanI = (sigmaE * ne) / ni;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = c < ne ? rng.exponential(sigmaE) : -rng.exponential(meanI);
  }
  return out;
}

/**
 * ColEI RNN initialisation (Li et al. 2023, Sec. 2.2 and App. 6.6): columns drawn from the
 * balanced exponential distributions of Cornford et al. (2021), App. B.1 (E columns mean σ_E,
 * I columns mean −σ_E n_e/n_i), optional zero diagonal, then W ← (ρ/ρ₀) W with ρ₀ the spectral
 * radius of the signed matrix.
 *
 * @param options - see {@link ColEiRnnInitOptions}
 * @returns U, W, b and the E/I split
 * @throws RangeError on invalid sizes, ni >= hidden, a non-positive rho, or a zero spectral radius
 * @example
 * const p = colEiRnnInit({ inputs: 28, hidden: 100, ni: 10, seed: 0, firstLayer: { inputMean: 0.1307 }, spectralRadius });
 */
export function colEiRnnInit(options: ColEiRnnInitOptions): ColEiRnnInit {
  const context = "colEiRnnInit";
  const d = requireInteger(context, "inputs", options.inputs, 1);
  const n = requireInteger(context, "hidden", options.hidden, 2);
  const ni = requireInteger(context, "ni (number of inhibitory units)", options.ni, 1);
  if (ni >= n) throw new RangeError(`${context}: ni must be < hidden (${n}); got ${ni}`);
  const ne = n - ni;
  const rng = toRandomSource(options.seed, context);
  let u: Float32Array;
  let bias: InitArray;
  let nonnegInputColumns: number;
  if (options.firstLayer) {
    const mean = requireFinite(context, "firstLayer.inputMean", options.firstLayer.inputMean);
    const scale = 1 / Math.sqrt(d);
    u = new Float32Array(n * d);
    for (let i = 0; i < u.length; i++) u[i] = rng.exponential(scale);
    bias = filledArray([n], -Math.sqrt(d) * mean);
    nonnegInputColumns = d;
  } else {
    const inputNi = requireInteger(context, "inputNi", options.inputNi, 1);
    if (inputNi >= d) throw new RangeError(`${context}: inputNi must be < inputs (${d}); got ${inputNi}`);
    u = columnSigned(rng, n, d, inputNi);
    bias = filledArray([n], 0);
    nonnegInputColumns = d - inputNi;
  }
  const w = columnSigned(rng, n, n, ni);
  if (options.zeroDiagonal ?? true) for (let i = 0; i < n; i++) w[i * n + i] = 0;
  const rho = options.rho ?? 1.5;
  requirePositive(context, "rho", rho);
  if (options.spectralRadius) {
    const k = radiusRescaleFactor(context, Float64Array.from(w), n, rho, options.spectralRadius);
    for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) * k;
  }
  return { u: { values: u, shape: [n, d] }, w: { values: w, shape: [n, n] }, bias, ne, nonnegInputColumns };
}
