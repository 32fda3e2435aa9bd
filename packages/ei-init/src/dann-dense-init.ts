import { filledArray, type InitArray } from "./init-array.js";
import { toRandomSource, type RandomSource } from "./random-source.js";
import { sampleExponential } from "./samplers.js";
import { requireInteger, requirePositive, formatValue } from "@dale-nn/core/validation";

const TWO_PI = 2 * Math.PI;

/** Which excitatory weight scale a DANN layer starts from. */
export type DannInitVariant =
  /** Alg. 1 / App. C.1: scale 1/λ_E = sqrt(2π / (d (2π − 1))), so that Var(z_E) = σ² of the input. */
  | "paper"
  /** The public reference code's first (pixel-input) layer: scale sqrt(1 / (2d)). */
  | "reference-first-layer";

/** Options of {@link dannDenseInit}. */
export interface DannDenseInitOptions {
  /** Input dimension d (excitatory units of the layer below, or pixels). */
  d: number;
  /** Excitatory units n_e of this layer. */
  ne: number;
  /** Inhibitory units n_i of this layer (>= 1). */
  ni: number;
  /** Seed or random source (randomness is explicit). */
  seed: number | RandomSource;
  /** Excitatory weight scale; default `"paper"`. */
  variant?: DannInitVariant;
  /** Overrides the exponential scale (mean) of W_EE and W_IE. */
  excitatoryScale?: number;
}

/** Initial values of one DANN dense layer, shapes in "post x pre" order. */
export interface DannDenseInit {
  /** W_EE, shape [ne, d]. */
  wEE: InitArray;
  /** W_IE, shape [ni, d]. */
  wIE: InitArray;
  /** W_EI, shape [ne, ni]. */
  wEI: InitArray;
  /** α (log divisive-inhibition strength), shape [ni]. */
  alpha: InitArray;
  /** g (gain), shape [ne]. */
  g: InitArray;
  /** β (bias), shape [ne]. */
  beta: InitArray;
}

/**
 * Mean (= std) of the exponential distribution of excitatory weights in a DANN layer:
 * 1/λ_E with λ_E = sqrt(d (2π − 1)) / sqrt(2π) (Cornford et al. 2021, App. C.1, eq. 24), which
 * gives Var(z_E) = σ² for inputs x ~ max(0, N(0, σ²)).
 *
 * @param d - input dimension
 * @returns sqrt(2π / (d (2π − 1)))
 * @example
 * dannExcitatoryScale(784); // ≈ 0.0388
 */
export function dannExcitatoryScale(d: number): number {
  requireInteger("dannExcitatoryScale", "d", d, 1);
  return Math.sqrt(TWO_PI / (d * (TWO_PI - 1)));
}

/**
 * Initial α of a DANN layer: α = log(c) with c = sqrt(2π − 1) / sqrt(d)
 * (Cornford et al. 2021, Sec. 3 eq. 3 and Alg. 1), so that γ ≈ std(z_E) at initialisation.
 *
 * @param d - input dimension
 * @returns log(sqrt(2π − 1) / sqrt(d))
 * @example
 * dannAlphaInit(784); // ≈ -2.43
 */
export function dannAlphaInit(d: number): number {
  requireInteger("dannAlphaInit", "d", d, 1);
  return Math.log(Math.sqrt(TWO_PI - 1) / Math.sqrt(d));
}

/**
 * Initialises one DANN dense layer (Cornford et al. 2021, Alg. 1, Sec. 3, App. B.2, C.1).
 *
 * - W_EE ~ Exp(λ_E) i.i.d., scale 1/λ_E = sqrt(2π / (d (2π − 1)))
 * - n_i > 1: W_IE ~ Exp(λ_E) i.i.d. and W_EI = 1/n_i, so E[z_E] = E[(W_EI z_I)_k] for all k
 * - n_i = 1: W_IE = mean row of W_EE and W_EI = 1 (exact balance of the layer mean)
 * - α = log(sqrt(2π − 1) / sqrt(d)), g = 1, β = 0
 *
 * @param options - sizes, seed and variant, see {@link DannDenseInitOptions}
 * @returns the layer's initial parameters in "post x pre" order
 * @throws RangeError if a size is not a positive integer, the variant is unknown, or no seed is given
 * @example
 * const p = dannDenseInit({ d: 784, ne: 500, ni: 50, seed: 0 });
 * p.wEE.shape; // [500, 784]
 */
export function dannDenseInit(options: DannDenseInitOptions): DannDenseInit {
  const context = "dannDenseInit";
  const d = requireInteger(context, "d", options.d, 1);
  const ne = requireInteger(context, "ne", options.ne, 1);
  const ni = requireInteger(context, "ni (number of inhibitory units)", options.ni, 1);
  const rng = toRandomSource(options.seed, context);
  const variant = options.variant ?? "paper";
  let scale: number;
  if (options.excitatoryScale !== undefined) {
    scale = requirePositive(context, "excitatoryScale", options.excitatoryScale);
  } else if (variant === "paper") {
    scale = dannExcitatoryScale(d);
  } else if (variant === "reference-first-layer") {
    scale = Math.sqrt(1 / (2 * d));
  } else {
    throw new RangeError(`${context}: unknown variant ${formatValue(variant)}; expected "paper" or "reference-first-layer"`);
  }

  const wEE = sampleExponential(rng, [ne, d], scale);
  let wIE: InitArray;
  let wEI: InitArray;
  if (ni === 1) {
    const mean = new Float32Array(d);
    for (let j = 0; j < ne; j++) {
      for (let k = 0; k < d; k++) mean[k] = (mean[k] as number) + (wEE.values[j * d + k] as number);
    }
    for (let k = 0; k < d; k++) mean[k] = (mean[k] as number) / ne;
    wIE = { values: mean, shape: [1, d] };
    wEI = filledArray([ne, 1], 1);
  } else {
    wIE = sampleExponential(rng, [ni, d], scale);
    wEI = filledArray([ne, ni], 1 / ni);
  }
  return {
    wEE,
    wIE,
    wEI,
    alpha: filledArray([ni], dannAlphaInit(d)),
    g: filledArray([ne], 1),
    beta: filledArray([ne], 0),
  };
}
