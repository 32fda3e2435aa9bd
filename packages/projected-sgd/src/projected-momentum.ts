import { MomentumOptimizer } from "@tensorflow/tfjs-core";
import { requireNonNegative, requirePositive } from "@dale-nn/core";
import { requireBoolean, splitOptions, wrapChecked } from "./internal/split-options.js";
import type { ProjectedOptimizer } from "./projected-optimizer.js";
import type { ProjectionOptions } from "./projection-options.js";

/** Options of {@link projectedMomentum}: tfjs momentum SGD's, plus the {@link ProjectionOptions}. */
export interface ProjectedMomentumOptions extends ProjectionOptions {
  /** η > 0 (required). */
  learningRate: number;
  /** μ >= 0; default 0.9 (the convolutional E/I networks of paper 002 train with 0.9). */
  momentum?: number;
  /** Nesterov momentum; default false. */
  useNesterov?: boolean;
}

/**
 * Projected momentum SGD: tfjs's MomentumOptimizer inside {@link ProjectedOptimizer}:
 *
 *   Δ = clip(T(∇θ)); a ← μa + Δ; θ ← proj_C(θ − η a)      (Nesterov: θ ← proj_C(θ − η (Δ + μa)))
 *
 * The accumulator a sees the clipped gradients, not the projection.
 *
 * @param options - learningRate, momentum, useNesterov and the projection options
 * @returns the projected optimiser (its `inner` is the MomentumOptimizer)
 * @throws RangeError on learningRate not > 0 or momentum < 0; TypeError on a non-boolean useNesterov or an unknown option
 * @example
 * const opt = projectedMomentum({ learningRate: 0.1, momentum: 0.9 });
 */
export function projectedMomentum(options: ProjectedMomentumOptions): ProjectedOptimizer {
  const ctx = "projectedMomentum";
  const { inner, projection } = splitOptions(ctx, options, ["learningRate", "momentum", "useNesterov"] as const);
  const lr = requirePositive(ctx, "learningRate", inner.learningRate);
  const momentum = requireNonNegative(ctx, "momentum", inner.momentum ?? 0.9);
  const useNesterov = requireBoolean(ctx, "useNesterov", inner.useNesterov ?? false);
  return wrapChecked(ctx, projection, () => new MomentumOptimizer(lr, momentum, useNesterov));
}
