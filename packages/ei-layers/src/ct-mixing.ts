import { clipByValue, mul, sigmoid, tidy, type Tensor } from "@tensorflow/tfjs-core";
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
 * With a `logitScale` k ≠ 1 the variable is scaled first, a = σ(k ã) or clip(k ã, 0, 1): under
 * Adam, whose step in ã is about its learning rate η whatever the gradient's size, a's logit then
 * moves by about k η per update instead of η, so a can travel from a₀ towards 0 or 1 within a
 * training run of a few thousand updates (with k = 1 and η = 1e-3 it moves at most about
 * a₀ (1 − a₀) · 1e-3 per update).
 *
 * @param raw - ã, a scalar or one value per presynaptic unit [n]
 * @param parametrisation - "sigmoid" or "clip"
 * @param logitScale - k > 0; default 1
 * @returns a, same shape (the caller owns it)
 * @example
 * const a = mixingWeight(aRaw, "sigmoid");
 */
export function mixingWeight(raw: Tensor, parametrisation: MixingParametrisation, logitScale = 1): Tensor {
  return tidy(() => {
    const z = logitScale === 1 ? raw : mul(raw, logitScale);
    return parametrisation === "sigmoid" ? sigmoid(z) : clipByValue(z, 0, 1);
  });
}

/**
 * ã for an initial a₀ (inverse of {@link mixingWeight} with the same `logitScale`).
 *
 * @throws RangeError for a₀ outside [0, 1], or a₀ ∈ {0, 1} with "sigmoid", or a logitScale that is not a finite number > 0
 * @example
 * mixingLogit(0.5, "sigmoid"); // 0
 */
export function mixingLogit(a0: number, parametrisation: MixingParametrisation, context = "mixingLogit", logitScale = 1): number {
  if (typeof a0 !== "number" || !(a0 >= 0 && a0 <= 1)) throw new RangeError(`${context}: mixing weight a0 must be a number in [0, 1]; got ${formatValue(a0)}`);
  if (typeof logitScale !== "number" || !Number.isFinite(logitScale) || !(logitScale > 0)) {
    throw new RangeError(`${context}: mixing.logitScale must be a finite number > 0; got ${formatValue(logitScale)}`);
  }
  if (parametrisation === "clip") return a0 / logitScale;
  if (a0 === 0 || a0 === 1) {
    throw new RangeError(`${context}: mixing weight a0 = ${a0} is unreachable by a = sigmoid(ã); use a0 in (0, 1) or mixing.parametrisation "clip"`);
  }
  return Math.log(a0 / (1 - a0)) / logitScale;
}
