import { add, mul, sigmoid, type Tensor } from "@tensorflow/tfjs-core";
import { formatValue } from "@dale-nn/core";

/**
 * Time constants kept within bounds by a sigmoid: τ = τ_min + (τ_max − τ_min) · σ(θ), so any
 * real θ (what the optimiser trains) gives τ ∈ (τ_min, τ_max) and α = dt / τ ≤ 1 whenever
 * τ_min ≥ dt. The map is smooth, so gradients reach θ everywhere (a clipped τ would stall at a
 * bound). Inverse: {@link tauLogit}.
 *
 * @param theta - θ, any shape
 * @param tauMin - τ_min > 0 (ms)
 * @param tauMax - τ_max > τ_min (ms)
 * @returns τ, same shape (the caller owns it)
 * @example
 * const tau = boundedTau(theta, 20, 500);
 */
export function boundedTau(theta: Tensor, tauMin: number, tauMax: number): Tensor {
  return add(mul(sigmoid(theta), tauMax - tauMin), tauMin);
}

/**
 * θ = logit((τ − τ_min) / (τ_max − τ_min)), the inverse of {@link boundedTau}, for initial values.
 *
 * @throws RangeError when τ is not strictly inside (τ_min, τ_max)
 * @example
 * tauLogit(100, 20, 500); // θ with boundedTau(θ) = 100
 */
export function tauLogit(tau: number, tauMin: number, tauMax: number, context = "tauLogit"): number {
  if (!(tau > tauMin && tau < tauMax)) {
    throw new RangeError(`${context}: a trainable tau must lie strictly inside tauBounds (${tauMin}, ${tauMax}) ms; got ${formatValue(tau)}`);
  }
  const p = (tau - tauMin) / (tauMax - tauMin);
  return Math.log(p / (1 - p));
}
