import type { KernelConfig, Tensor, TensorInfo } from "@tensorflow/tfjs-core";
import { backendHasKernels, runTypedKernel, typedKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import type { SgdStepProjection } from "./projected-sgd-step-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/** The fused learning-rate backoff sums kernel family; versioned names are `${family}_v${version}`. */
export const BACKOFF_COSINE_SUMS_KERNEL_FAMILY = "DaleBackoffCosineSums";
/** The version of the backoff sums contract this package defines. */
export const BACKOFF_COSINE_SUMS_KERNEL_VERSION = 1;
/**
 * "DaleBackoffCosineSums_v1": for every candidate step size η_i of Alg. 6 (Cornford et al. 2021,
 * App. E.4), the three sums its cosine needs, in one pass over w and g instead of about ten ops
 * per candidate.
 */
export const BACKOFF_COSINE_SUMS_KERNEL = versionedKernelName(BACKOFF_COSINE_SUMS_KERNEL_FAMILY, BACKOFF_COSINE_SUMS_KERNEL_VERSION);

/** Which cosine the sums are for: of the actual and intended update (`update`), or of the projected and unprojected weight (`parameter`). */
export type BackoffCosineMeasure = "update" | "parameter";

/** Inputs of {@link BACKOFF_COSINE_SUMS_KERNEL}; float32. */
export interface BackoffCosineSumsInputs<T = Tensor> {
  /** The weight, any shape. */
  readonly w: T;
  /** Its update direction Δ, the weight's shape. */
  readonly g: T;
  /** The candidate step sizes η_1 … η_F, shape [F]. */
  readonly rates: T;
}

/** Attributes of {@link BACKOFF_COSINE_SUMS_KERNEL}. */
export interface BackoffCosineSumsAttrs {
  /** P: the identity, max(0, ·) or min(·, 0). */
  readonly projection: SgdStepProjection;
  readonly measure: BackoffCosineMeasure;
}

/** Output of {@link BACKOFF_COSINE_SUMS_KERNEL} (a type alias, so it can be returned from `tf.tidy`). */
export type BackoffCosineSumsOutputs<T = Tensor> = {
  /**
   * Shape [F, 3], float32, accumulated in float64: row i is (Σ a·b, Σ a², Σ b²) for step η_i with
   * m = w − η_i g, and a = P(m) − w, b = −η_i g (`update`) or a = P(m), b = m (`parameter`);
   * the cosine is Σ a·b / √(Σ a² Σ b²).
   */
  readonly sums: T;
};

const OUTPUTS: readonly (keyof BackoffCosineSumsOutputs)[] = ["sums"];

/**
 * Whether the backend runs this version of the backoff sums kernel. Not differentiated, so no
 * gradient kernel.
 *
 * @param backendName - default: the active backend
 * @returns true when {@link BACKOFF_COSINE_SUMS_KERNEL} is registered
 * @example
 * if (isBackoffCosineSumsAvailable()) sums = runBackoffCosineSumsKernel({ w, g, rates }, { projection: "nonneg", measure: "update" }).sums;
 */
export function isBackoffCosineSumsAvailable(backendName?: string): boolean {
  return backendHasKernels([BACKOFF_COSINE_SUMS_KERNEL], backendName);
}

/**
 * Runs the sums of Alg. 6's cosines for every candidate step size as one kernel. Check
 * {@link isBackoffCosineSumsAvailable} first.
 *
 * @param inputs - w, g (same shape) and the [F] candidate rates
 * @param attrs - the projection and the measure
 * @returns the [F, 3] sums
 * @throws Error from tfjs when the active backend lacks the kernel
 * @example
 * const { sums } = runBackoffCosineSumsKernel({ w, g, rates: tf.tensor1d([0.1, 0.05]) }, { projection: "nonneg", measure: "update" });
 */
export function runBackoffCosineSumsKernel(inputs: BackoffCosineSumsInputs, attrs: BackoffCosineSumsAttrs): BackoffCosineSumsOutputs {
  return runTypedKernel<BackoffCosineSumsInputs, BackoffCosineSumsAttrs, BackoffCosineSumsOutputs>(BACKOFF_COSINE_SUMS_KERNEL, OUTPUTS, inputs, attrs);
}

/** A backend's implementation of {@link BACKOFF_COSINE_SUMS_KERNEL}. */
export type BackoffCosineSumsKernelImpl<Backend> = TypedKernelImpl<BackoffCosineSumsInputs<TensorInfo>, BackoffCosineSumsAttrs, BackoffCosineSumsOutputs<TensorInfo>, Backend>;

/**
 * The kernel config a backend registers to implement this contract.
 *
 * @param backendName - the backend
 * @param impl - the implementation
 * @returns one config for `tf.registerKernel`
 * @example
 * registerKernel(backoffCosineSumsKernelConfig("openblas", impl));
 */
export function backoffCosineSumsKernelConfig<Backend>(backendName: string, impl: BackoffCosineSumsKernelImpl<Backend>): KernelConfig {
  return typedKernelConfig(BACKOFF_COSINE_SUMS_KERNEL, backendName, OUTPUTS, impl);
}
