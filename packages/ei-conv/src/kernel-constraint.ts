import { abs, type Tensor } from "@tensorflow/tfjs-core";
import { requireOneOf, type SignConstraint } from "@dale-nn/core";

/**
 * How a conv kernel's sign constraint is kept (paper 002, Sec. 1 and App. H):
 *
 * - `"abs"`: the paper's parametrisation, W = |W̃|: the trainable variable W̃ is unconstrained and
 *   the convolution uses its absolute value (the paper reports that ReLU instead of abs trains
 *   much worse). W̃ is tagged `free`: an optimiser must not project it.
 * - `"projected"`: W is the trainable variable itself, tagged `nonneg`, and a projected optimiser
 *   (`@dale-nn/projected-sgd`) keeps W ≥ 0 after every step.
 * - `"none"`: no constraint (the NoConstraint networks): W = W̃, tagged `free`; the cell keeps its
 *   gate structure and ± signs.
 */
export type KernelConstraint = "abs" | "projected" | "none";

/** Every {@link KernelConstraint}. */
export const KERNEL_CONSTRAINTS: readonly KernelConstraint[] = ["abs", "projected", "none"];

/**
 * Checks a {@link KernelConstraint} option.
 *
 * @param context - the caller, named in the error
 * @param value - what was passed
 * @returns the constraint
 * @throws TypeError naming the value and the allowed constraints
 * @example
 * checkKernelConstraint("StandardConvRnn", "abs");
 */
export function checkKernelConstraint(context: string, value: unknown): KernelConstraint {
  return requireOneOf(context, "constraint", value, KERNEL_CONSTRAINTS);
}

/**
 * The kernel a convolution uses: W = |W̃| for `"abs"`, W̃ itself otherwise.
 *
 * @param raw - the trainable kernel W̃
 * @param constraint - the parametrisation
 * @returns the effective kernel (a new tensor for `"abs"`, `raw` itself otherwise)
 * @example
 * const w = effectiveKernel(depthwiseVariable, "abs"); // ≥ 0
 */
export function effectiveKernel<T extends Tensor>(raw: T, constraint: KernelConstraint): T {
  return constraint === "abs" ? abs(raw) : raw;
}

/**
 * The sign constraint a kernel variable is tagged with: `nonneg` for `"projected"`, `free` for
 * `"abs"` (W̃ itself is unconstrained) and `"none"`.
 *
 * @param constraint - the parametrisation
 * @returns the core {@link SignConstraint}
 * @example
 * kernelSignConstraint("projected"); // { kind: "nonneg" }
 */
export function kernelSignConstraint(constraint: KernelConstraint): SignConstraint {
  return constraint === "projected" ? { kind: "nonneg" } : { kind: "free" };
}
