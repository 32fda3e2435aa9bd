import type { Tensor } from "@tensorflow/tfjs-core";
import { isProjectedSgdStepAvailable, runProjectedSgdStepKernel, type SgdStepProjection, type SignConstraint } from "@dale-nn/core";

const PROJECTION_OF: Partial<Record<SignConstraint["kind"], SgdStepProjection>> = { free: "none", nonneg: "nonneg", nonpos: "nonpos" };

/**
 * P(w − lr·g) through the fused kernel (the `PROJECTED_SGD_STEP_KERNEL` contract of
 * `@dale-nn/core`) when the active backend has this version of it and the constraint is free,
 * nonneg or nonpos; otherwise undefined (the caller uses the separate ops).
 */
export function fusedSgdStep(w: Tensor, g: Tensor, lr: Tensor, constraint: SignConstraint): Tensor | undefined {
  const projection = PROJECTION_OF[constraint.kind];
  if (projection === undefined || w.dtype !== "float32" || g.dtype !== "float32") return undefined;
  if (!isProjectedSgdStepAvailable()) return undefined;
  return runProjectedSgdStepKernel({ w, g, lr }, { projection }).updated;
}
