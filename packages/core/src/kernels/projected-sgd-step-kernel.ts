import type { KernelConfig, Tensor, TensorInfo } from "@tensorflow/tfjs-core";
import { backendHasKernels, runTypedKernel, typedKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/** The fused projected-SGD step kernel family; versioned names are `${family}_v${version}`. */
export const PROJECTED_SGD_STEP_KERNEL_FAMILY = "DaleProjectedSgdStep";
/** The version of the projected-SGD step contract this package defines. */
export const PROJECTED_SGD_STEP_KERNEL_VERSION = 1;
/** "DaleProjectedSgdStep_v1": P(w − lr·g) in one pass (Cornford et al. 2021, Alg. 5's step and projection). */
export const PROJECTED_SGD_STEP_KERNEL = versionedKernelName(PROJECTED_SGD_STEP_KERNEL_FAMILY, PROJECTED_SGD_STEP_KERNEL_VERSION);

/** The projections the kernel applies: identity, max(0, ·), min(·, 0). */
export type SgdStepProjection = "none" | "nonneg" | "nonpos";
/** Every {@link SgdStepProjection}. */
export const SGD_STEP_PROJECTIONS: readonly SgdStepProjection[] = ["none", "nonneg", "nonpos"];

/** Inputs of {@link PROJECTED_SGD_STEP_KERNEL}; float32. */
export interface ProjectedSgdStepInputs<T = Tensor> {
  /** The weight, any shape. */
  readonly w: T;
  /** Its gradient (or update direction), the weight's shape. */
  readonly g: T;
  /** The learning rate, a scalar. */
  readonly lr: T;
}

/** Attributes of {@link PROJECTED_SGD_STEP_KERNEL}. */
export interface ProjectedSgdStepAttrs {
  readonly projection: SgdStepProjection;
}

/** Output of {@link PROJECTED_SGD_STEP_KERNEL} (a type alias, so it can be returned from `tf.tidy`). */
export type ProjectedSgdStepOutputs<T = Tensor> = {
  /** P(w − lr·g), the weight's shape: bit-for-bit what sub(w, mul(lr, g)) then relu / minimum(·, 0) give. */
  readonly updated: T;
};

const OUTPUTS: readonly (keyof ProjectedSgdStepOutputs)[] = ["updated"];

/**
 * Whether the backend runs this version of the fused projected-SGD step. Not differentiated, so
 * no gradient kernel.
 *
 * @param backendName - default: the active backend
 * @returns true when {@link PROJECTED_SGD_STEP_KERNEL} is registered
 * @example
 * if (isProjectedSgdStepAvailable()) w2 = runProjectedSgdStepKernel({ w, g, lr }, { projection: "nonneg" }).updated;
 */
export function isProjectedSgdStepAvailable(backendName?: string): boolean {
  return backendHasKernels([PROJECTED_SGD_STEP_KERNEL], backendName);
}

/**
 * Runs P(w − lr·g) as one kernel, P the identity, max(0, ·) or min(·, 0). Check
 * {@link isProjectedSgdStepAvailable} first.
 *
 * @param inputs - w, g (same shape) and the scalar lr
 * @param attrs - the projection
 * @returns the updated weight
 * @throws Error from tfjs when the active backend lacks the kernel
 * @example
 * const { updated } = runProjectedSgdStepKernel({ w, g, lr }, { projection: "nonneg" });
 */
export function runProjectedSgdStepKernel(inputs: ProjectedSgdStepInputs, attrs: ProjectedSgdStepAttrs): ProjectedSgdStepOutputs {
  return runTypedKernel<ProjectedSgdStepInputs, ProjectedSgdStepAttrs, ProjectedSgdStepOutputs>(PROJECTED_SGD_STEP_KERNEL, OUTPUTS, inputs, attrs);
}

/** A backend's implementation of {@link PROJECTED_SGD_STEP_KERNEL}. */
export type ProjectedSgdStepKernelImpl<Backend> = TypedKernelImpl<ProjectedSgdStepInputs<TensorInfo>, ProjectedSgdStepAttrs, ProjectedSgdStepOutputs<TensorInfo>, Backend>;

/**
 * The kernel config a backend registers to implement this contract.
 *
 * @param backendName - the backend
 * @param impl - the implementation
 * @returns one config for `tf.registerKernel`
 * @example
 * registerKernel(projectedSgdStepKernelConfig("openblas", impl));
 */
export function projectedSgdStepKernelConfig<Backend>(backendName: string, impl: ProjectedSgdStepKernelImpl<Backend>): KernelConfig {
  return typedKernelConfig(PROJECTED_SGD_STEP_KERNEL, backendName, OUTPUTS, impl);
}
