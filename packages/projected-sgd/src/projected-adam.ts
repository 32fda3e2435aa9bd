import { AdamOptimizer } from "@tensorflow/tfjs-core";
import { requirePositive } from "@dale-nn/core";
import { requireDecay, splitOptions, wrapChecked } from "./internal/split-options.js";
import type { ProjectedOptimizer } from "./projected-optimizer.js";
import type { ProjectionOptions } from "./projection-options.js";

/** Options of {@link projectedAdam}: tfjs Adam's, plus the {@link ProjectionOptions}. */
export interface ProjectedAdamOptions extends ProjectionOptions {
  /** η > 0; default 0.001 (tfjs's and Keras's default). */
  learningRate?: number;
  /** β₁ in [0, 1); default 0.9. */
  beta1?: number;
  /** β₂ in [0, 1); default 0.999. */
  beta2?: number;
  /** ε > 0; default the backend's epsilon (tfjs's default). */
  epsilon?: number;
}

/**
 * Projected Adam: tfjs's Adam (Kingma & Ba 2015) inside {@link ProjectedOptimizer}, so the
 * transforms and clipping run first and the sign constraints hold after every step:
 *
 *   Δ = clip(T(∇θ)); m ← β₁m + (1−β₁)Δ; v ← β₂v + (1−β₂)Δ²;
 *   θ ← proj_C(θ − η (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε))
 *
 * (Adam 1e-3 with gradient clipping is the training default of the continuous-time E/I RNN
 * anchors, e.g. PsychRNN and Yang et al. 2019.)
 *
 * @param options - Adam's learningRate, beta1, beta2, epsilon and the projection options
 * @returns the projected optimiser (its `inner` is the AdamOptimizer)
 * @throws RangeError on learningRate or epsilon not > 0, or a β outside [0, 1); TypeError on an unknown option
 * @example
 * const opt = projectedAdam({ learningRate: 1e-3, clipNorm: { maxNorm: 1, scope: "per-tensor" } });
 */
export function projectedAdam(options: ProjectedAdamOptions = {}): ProjectedOptimizer {
  const ctx = "projectedAdam";
  const { inner, projection } = splitOptions(ctx, options, ["learningRate", "beta1", "beta2", "epsilon"] as const);
  const lr = requirePositive(ctx, "learningRate", inner.learningRate ?? 0.001);
  const beta1 = requireDecay(ctx, "beta1", inner.beta1 ?? 0.9);
  const beta2 = requireDecay(ctx, "beta2", inner.beta2 ?? 0.999);
  const epsilon = inner.epsilon === undefined ? undefined : requirePositive(ctx, "epsilon", inner.epsilon);
  return wrapChecked(ctx, projection, () => new AdamOptimizer(lr, beta1, beta2, epsilon));
}
