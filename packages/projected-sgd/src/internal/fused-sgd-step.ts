import { engine, getBackend, getKernel, type NamedTensorMap, type Tensor } from "@tensorflow/tfjs-core";
import type { SignConstraint } from "@dale-nn/ei-layers";

/**
 * The fused projected-SGD update, run as one kernel on backends that provide it (the OpenBLAS
 * backend of `@dale-nn/openblas`): inputs { w, g, lr } and attrs { projection } → P(w − lr·g),
 * bit-for-bit the separate ops' result. Kernel name and layout are the contract with the backend.
 */
export const SGD_STEP_KERNEL = "DaleProjectedSgdStep";

const PROJECTION_OF: Partial<Record<SignConstraint["kind"], string>> = { free: "none", nonneg: "nonneg", nonpos: "nonpos" };

/**
 * P(w − lr·g) through the fused kernel when the active backend has it and the constraint is
 * free, nonneg or nonpos; otherwise undefined (the caller uses the separate ops).
 */
export function fusedSgdStep(w: Tensor, g: Tensor, lr: Tensor, constraint: SignConstraint): Tensor | undefined {
  const projection = PROJECTION_OF[constraint.kind];
  if (projection === undefined || w.dtype !== "float32" || g.dtype !== "float32") return undefined;
  if (getKernel(SGD_STEP_KERNEL, getBackend()) === undefined) return undefined;
  return engine().runKernel(SGD_STEP_KERNEL, { w, g, lr } as unknown as NamedTensorMap, { projection }) as unknown as Tensor;
}
