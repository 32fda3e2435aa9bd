import type { Tensor, Variable } from "@tensorflow/tfjs-core";
import {
  isMultiTensorStepAvailable,
  runMultiTensorStepKernel,
  type MultiTensorStepAttrs,
  type SgdStepProjection,
  type SignConstraint,
} from "@dale-nn/core";

const PROJECTION_OF: Partial<Record<SignConstraint["kind"], SgdStepProjection>> = { free: "none", nonneg: "nonneg", nonpos: "nonpos" };

/** One variable of a multi-tensor step. */
export interface MultiStepVariable {
  variable: Variable;
  grad: Tensor;
  constraint: SignConstraint;
  /** The method's state variables (none for SGD). */
  state: readonly Variable[];
}

/** The projection the kernel applies for a constraint, or undefined when it has none for it (column-sign, frozen-sign). */
export function kernelProjection(constraint: SignConstraint): SgdStepProjection | undefined {
  return PROJECTION_OF[constraint.kind];
}

/**
 * Whether every variable can go through the multi-tensor step kernel (the
 * `MULTI_TENSOR_STEP_KERNEL` contract of `@dale-nn/core`): the active backend has this version
 * of it, and each variable is float32 with a free, nonneg or nonpos constraint.
 */
export function canRunMultiTensorStep(entries: readonly Pick<MultiStepVariable, "variable" | "grad" | "constraint">[]): boolean {
  if (entries.length === 0 || !isMultiTensorStepAvailable()) return false;
  return entries.every((e) => e.variable.dtype === "float32" && e.grad.dtype === "float32" && kernelProjection(e.constraint) !== undefined);
}

/**
 * One optimiser step of all `entries` in one kernel call, in place where the backend allows it:
 * assigns each variable (and state variable) its new value. Check {@link canRunMultiTensorStep} first.
 *
 * @param entries - the variables, their gradients, constraints and state
 * @param rule - the method and its constants; per-variable learning rates and gradient scales
 */
export function runMultiTensorStep(
  entries: readonly MultiStepVariable[],
  rule: Omit<MultiTensorStepAttrs, "projections" | "inPlace">,
): void {
  const { updated, state } = runMultiTensorStepKernel(
    entries.map((e) => ({ w: e.variable, g: e.grad, state: e.state })),
    { ...rule, projections: entries.map((e) => kernelProjection(e.constraint) as SgdStepProjection), inPlace: true },
  );
  entries.forEach((e, i) => {
    e.variable.assign(updated[i]!);
    e.state.forEach((s, k) => s.assign(state[i]![k]!));
  });
}
