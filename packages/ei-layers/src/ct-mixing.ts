import { clipByValue, sigmoid, type Tensor } from "@tensorflow/tfjs-core";
import { formatValue } from "@dale-nn/core";

/** How the Dale / free mixing weight a is kept in [0, 1]. */
export type MixingParametrisation = "sigmoid" | "clip";
/** Every {@link MixingParametrisation}, for validation. */
export const MIXING_PARAMETRISATIONS: readonly MixingParametrisation[] = ["sigmoid", "clip"];

/**
 * The mixing weight a of W_rec = a · W_dale + (1 − a) · W_free from its trained variable ã:
 * - "sigmoid" (default): a = σ(ã) ∈ (0, 1), smooth, never stuck; a₀ must lie in (0, 1).
 * - "clip": a = clip(ã, 0, 1) in the forward pass (a₀ may be 0 or 1); the gradient is 0 once ã
 *   leaves [0, 1], so project ã back after each step (`CtEiRnn.clampMixing()`).
 *
 * @param raw - ã, a scalar or one value per presynaptic unit [n]
 * @param parametrisation - "sigmoid" or "clip"
 * @returns a, same shape (the caller owns it)
 * @example
 * const a = mixingWeight(aRaw, "sigmoid");
 */
export function mixingWeight(raw: Tensor, parametrisation: MixingParametrisation): Tensor {
  return parametrisation === "sigmoid" ? sigmoid(raw) : clipByValue(raw, 0, 1);
}

/**
 * ã for an initial a₀ (inverse of {@link mixingWeight}).
 *
 * @throws RangeError for a₀ outside [0, 1], or a₀ ∈ {0, 1} with "sigmoid"
 * @example
 * mixingLogit(0.5, "sigmoid"); // 0
 */
export function mixingLogit(a0: number, parametrisation: MixingParametrisation, context = "mixingLogit"): number {
  if (typeof a0 !== "number" || !(a0 >= 0 && a0 <= 1)) throw new RangeError(`${context}: mixing weight a0 must be a number in [0, 1]; got ${formatValue(a0)}`);
  if (parametrisation === "clip") return a0;
  if (a0 === 0 || a0 === 1) {
    throw new RangeError(`${context}: mixing weight a0 = ${a0} is unreachable by a = sigmoid(ã); use a0 in (0, 1) or mixing.parametrisation "clip"`);
  }
  return Math.log(a0 / (1 - a0));
}
