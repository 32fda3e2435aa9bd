import type { GradientTransform } from "@dale-nn/core";
import type { ClipNormOptions } from "./clip-gradients-by-norm.js";

/** What a projected optimiser does with a gradient whose variable has no meta. */
export type UntaggedPolicy = "free" | "error";

/**
 * The options every projected optimiser shares (`ProjectedSGD`, `ProjectedOptimizer`
 * and the `projectedAdam` family): what happens to the gradients before the step, and how the
 * step's result is projected onto the sign constraints (Cornford et al. 2021, App. E.2–E.4;
 * Li et al. 2023, Sec. 3.3):
 *
 *   Δθ = clip(T_k(… T_1(∇θ)))     transforms in order, then gradient-norm clipping (Alg. 5)
 *   θ' = step(θ, Δθ)               SGD, or the wrapped tfjs optimiser
 *   θ ← proj_C(θ')                 per the variable's sign constraint (see `projectTensor`)
 *
 * @example
 * const options: ProjectionOptions = { clipNorm: { maxNorm: 1, scope: "global" }, frozenSignMagnitude: 1e-6 };
 * const opt = projectedAdam({ learningRate: 1e-3, ...options });
 */
export interface ProjectionOptions {
  /** Applied in order to the gradients before clipping and the step, e.g. the DANN correction (Alg. 3). */
  transforms?: readonly GradientTransform[];
  /** Gradient-norm clipping (Alg. 5), after the transforms. */
  clipNorm?: ClipNormOptions;
  /** m, the magnitude a frozen-sign element is clamped to when it would cross zero; default 1e-6. */
  frozenSignMagnitude?: number;
  /** A gradient for an untagged variable: treat it as `free` (default) or throw naming the variable. */
  untagged?: UntaggedPolicy;
}

/**
 * The keys of {@link ProjectionOptions}, e.g. to split a combined options object.
 *
 * @example
 * const projection = Object.fromEntries(Object.entries(all).filter(([k]) => PROJECTION_OPTION_KEYS.includes(k as keyof ProjectionOptions)));
 */
export const PROJECTION_OPTION_KEYS: readonly (keyof ProjectionOptions)[] = ["transforms", "clipNorm", "frozenSignMagnitude", "untagged"];
