import { AdagradOptimizer } from "@tensorflow/tfjs-core";
import { requirePositive } from "@dale-nn/core";
import { splitOptions, wrapChecked } from "./internal/split-options.js";
import type { ProjectedOptimizer } from "./projected-optimizer.js";
import type { ProjectionOptions } from "./projection-options.js";

/** Options of {@link projectedAdagrad}: tfjs Adagrad's, plus the {@link ProjectionOptions}. */
export interface ProjectedAdagradOptions extends ProjectionOptions {
  /** η > 0 (required). */
  learningRate: number;
  /** The accumulator's starting value, > 0; default 0.1. */
  initialAccumulatorValue?: number;
}

/**
 * Projected Adagrad (Duchi et al. 2011): tfjs's AdagradOptimizer inside {@link ProjectedOptimizer}:
 *
 *   Δ = clip(T(∇θ)); G ← G + Δ²; θ ← proj_C(θ − η Δ / √(G + ε))
 *
 * @param options - learningRate, initialAccumulatorValue and the projection options
 * @returns the projected optimiser (its `inner` is the AdagradOptimizer)
 * @throws RangeError on learningRate or initialAccumulatorValue not > 0; TypeError on an unknown option
 * @example
 * const opt = projectedAdagrad({ learningRate: 0.05 });
 */
export function projectedAdagrad(options: ProjectedAdagradOptions): ProjectedOptimizer {
  const ctx = "projectedAdagrad";
  const { inner, projection } = splitOptions(ctx, options, ["learningRate", "initialAccumulatorValue"] as const);
  const lr = requirePositive(ctx, "learningRate", inner.learningRate);
  const initial = requirePositive(ctx, "initialAccumulatorValue", inner.initialAccumulatorValue ?? 0.1);
  return wrapChecked(ctx, projection, () => new AdagradOptimizer(lr, initial));
}
