import { RMSPropOptimizer } from "@tensorflow/tfjs-core";
import { requireNonNegative, requirePositive } from "@dale-nn/core";
import { requireBoolean, requireDecay, splitOptions, wrapChecked } from "./internal/split-options.js";
import type { ProjectedOptimizer } from "./projected-optimizer.js";
import type { ProjectionOptions } from "./projection-options.js";

/** Options of {@link projectedRmsProp}: tfjs RMSProp's, plus the {@link ProjectionOptions}. */
export interface ProjectedRmsPropOptions extends ProjectionOptions {
  /** η > 0 (required, as in tfjs). */
  learningRate: number;
  /** ρ, the decay of the mean square, in [0, 1); default 0.9. */
  decay?: number;
  /** μ >= 0; default 0. */
  momentum?: number;
  /** ε > 0; default the backend's epsilon. */
  epsilon?: number;
  /** Divide by the centred second moment (an estimate of the variance); default false. */
  centered?: boolean;
}

/**
 * Projected RMSProp (Tieleman & Hinton 2012): tfjs's RMSProp inside {@link ProjectedOptimizer}:
 *
 *   Δ = clip(T(∇θ)); s ← ρs + (1−ρ)Δ²; u ← μu + η Δ / √(s + ε)   (centred: √(s − ḡ² + ε), ḡ ← ρḡ + (1−ρ)Δ)
 *   θ ← proj_C(θ − u)
 *
 * @param options - RMSProp's learningRate, decay, momentum, epsilon, centered and the projection options
 * @returns the projected optimiser (its `inner` is the RMSPropOptimizer)
 * @throws RangeError on learningRate or epsilon not > 0, decay outside [0, 1) or momentum < 0;
 *   TypeError on a non-boolean centered or an unknown option
 * @example
 * const opt = projectedRmsProp({ learningRate: 1e-3, decay: 0.9, clipNorm: { maxNorm: 1, scope: "global" } });
 */
export function projectedRmsProp(options: ProjectedRmsPropOptions): ProjectedOptimizer {
  const ctx = "projectedRmsProp";
  const { inner, projection } = splitOptions(ctx, options, ["learningRate", "decay", "momentum", "epsilon", "centered"] as const);
  const lr = requirePositive(ctx, "learningRate", inner.learningRate);
  const decay = requireDecay(ctx, "decay", inner.decay ?? 0.9);
  const momentum = requireNonNegative(ctx, "momentum", inner.momentum ?? 0);
  const epsilon = inner.epsilon === undefined ? undefined : requirePositive(ctx, "epsilon", inner.epsilon);
  const centered = requireBoolean(ctx, "centered", inner.centered ?? false);
  return wrapChecked(ctx, projection, () => new RMSPropOptimizer(lr, decay, momentum, epsilon as number, centered));
}
