import { registerGradient, zerosLike, type GradConfig, type KernelConfig, type NamedAttrMap, type Tensor, type Tensor1D, type TensorInfo } from "@tensorflow/tfjs-core";
import { formatValue } from "../validation/index.js";
import { backendHasKernels, runTypedKernel, typedKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/** The fused training-mode BatchNorm kernel family; versioned names are `${family}_v${version}`. */
export const BATCH_NORM_KERNEL_FAMILY = "DaleBatchNorm";
/** The version of the BatchNorm contract this package defines. */
export const BATCH_NORM_KERNEL_VERSION = 1;
/**
 * "DaleBatchNorm_v1": BatchNorm in training mode over every axis but the last (a channels-last
 * image batch: batch and both spatial axes), batch statistics and normalised output in one
 * kernel, instead of the ~10 of moments + normalise (and ~20 in the gradient).
 */
export const BATCH_NORM_KERNEL = versionedKernelName(BATCH_NORM_KERNEL_FAMILY, BATCH_NORM_KERNEL_VERSION);
/** "DaleBatchNormGrad_v1": its gradient kernel (dx, dγ, dβ in one call). */
export const BATCH_NORM_GRAD_KERNEL = versionedKernelName(`${BATCH_NORM_KERNEL_FAMILY}Grad`, BATCH_NORM_KERNEL_VERSION);

/** Inputs of {@link BATCH_NORM_KERNEL}; all float32. `X` is the data type, `V` the per-channel vector type. */
export interface BatchNormInputs<X = Tensor, V = Tensor1D> {
  /** x, [..., C] (rank >= 2): statistics over every axis but the last. */
  readonly x: X;
  /** γ, [C]. */
  readonly gamma: V;
  /** β, [C]. */
  readonly beta: V;
}

/** Attributes of {@link BATCH_NORM_KERNEL} and {@link BATCH_NORM_GRAD_KERNEL}. */
export interface BatchNormAttrs {
  /** ε > 0 added to the variance. */
  readonly epsilon: number;
}

/**
 * Outputs of {@link BATCH_NORM_KERNEL}, in this order (a type alias, so it can be returned from
 * `tf.tidy`). With N the number of positions per channel (the product of all but the last axis):
 * μ = Σ x / N, σ² = Σ (x − μ)² / N (biased, as tf.moments), y = γ (x − μ) / √(σ² + ε) + β.
 */
export type BatchNormOutputs<X = Tensor, V = Tensor1D> = {
  /** y, x's shape. */
  readonly y: X;
  /** μ, [C]: the batch mean (for a moving average). */
  readonly mean: V;
  /** σ², [C]: the biased batch variance (for a moving average). */
  readonly variance: V;
};

/**
 * Inputs of {@link BATCH_NORM_GRAD_KERNEL}: the upstream gradients of all three outputs (dmean and
 * dvariance zeros when nothing downstream depends on the statistics) and the forward's x, γ, μ, σ².
 */
export interface BatchNormGradInputs<X = Tensor, V = Tensor1D> {
  readonly dy: X;
  readonly dmean: V;
  readonly dvariance: V;
  readonly x: X;
  readonly gamma: V;
  readonly mean: V;
  readonly variance: V;
}

/**
 * Outputs of {@link BATCH_NORM_GRAD_KERNEL}, in this order. With r = 1/√(σ² + ε), x̂ = (x − μ) r,
 * dβ = Σ dy and dγ = Σ dy x̂ over the N positions of each channel:
 * dx = (γ r / N)(N dy − dβ − x̂ dγ) + dmean / N + dvariance · 2 (x − μ) / N
 * (the statistics depend on x; the first term is the gradient through y).
 */
export type BatchNormGradOutputs<X = Tensor, V = Tensor1D> = {
  readonly dx: X;
  readonly dgamma: V;
  readonly dbeta: V;
};

const OUTPUTS: readonly (keyof BatchNormOutputs)[] = ["y", "mean", "variance"];
const GRAD_OUTPUTS: readonly (keyof BatchNormGradOutputs)[] = ["dx", "dgamma", "dbeta"];

/**
 * The gradient of {@link BATCH_NORM_KERNEL}: one {@link BATCH_NORM_GRAD_KERNEL} call for dx, dγ
 * and dβ, with zeros for the statistics' upstream gradients when the engine has none.
 */
export const batchNormGradConfig: GradConfig = {
  kernelName: BATCH_NORM_KERNEL,
  inputsToSave: ["x", "gamma"],
  outputsToSave: [false, true, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const list = Array.isArray(dys) ? dys : [dys];
    const [x, gamma, mean, variance] = saved as [Tensor, Tensor1D, Tensor1D, Tensor1D];
    const dy = list[0] ?? zerosLike(x);
    const dmean = (list[1] ?? zerosLike(mean)) as Tensor1D;
    const dvariance = (list[2] ?? zerosLike(variance)) as Tensor1D;
    // Computed here, not in the closures: the engine runs each closure in its own tidy.
    const grads = runTypedKernel<BatchNormGradInputs, BatchNormAttrs, BatchNormGradOutputs>(
      BATCH_NORM_GRAD_KERNEL, GRAD_OUTPUTS, { dy, dmean, dvariance, x, gamma, mean, variance }, { epsilon: (attrs as unknown as BatchNormAttrs).epsilon },
    );
    return { x: () => grads.dx, gamma: () => grads.dgamma, beta: () => grads.dbeta };
  },
};

let gradientRegistered = false;

/**
 * Whether the backend runs this version of the fused BatchNorm and its gradient. A backend
 * without them, or with another version, makes the library use separate ops.
 *
 * @param backendName - default: the active backend
 * @returns true when both {@link BATCH_NORM_KERNEL} and {@link BATCH_NORM_GRAD_KERNEL} are registered
 * @example
 * if (isBatchNormAvailable()) ({ y, mean, variance } = runBatchNormKernel({ x, gamma, beta }, { epsilon: 1e-5 }));
 */
export function isBatchNormAvailable(backendName?: string): boolean {
  return backendHasKernels([BATCH_NORM_KERNEL, BATCH_NORM_GRAD_KERNEL], backendName);
}

/**
 * Runs training-mode BatchNorm over every axis but the last (Ioffe & Szegedy 2015):
 * μ = Σ x / N, σ² = Σ (x − μ)² / N, y = γ (x − μ) / √(σ² + ε) + β, registering its gradient on
 * first use (dx through y and through μ and σ², dγ = Σ dy x̂, dβ = Σ dy). Check
 * {@link isBatchNormAvailable} first; shapes and dtypes are checked by the backend.
 *
 * @param inputs - x [..., C], γ [C], β [C], float32
 * @param attrs - ε
 * @returns y (x's shape), the batch mean and the biased batch variance ([C] each)
 * @throws RangeError naming the value when ε is not a finite number > 0; Error from tfjs when the active backend lacks the kernel
 * @example
 * const { y, mean, variance } = runBatchNormKernel({ x, gamma, beta }, { epsilon: 1e-5 });
 */
export function runBatchNormKernel(inputs: BatchNormInputs, attrs: BatchNormAttrs): BatchNormOutputs {
  if (typeof attrs.epsilon !== "number" || !Number.isFinite(attrs.epsilon) || attrs.epsilon <= 0) {
    throw new RangeError(`${BATCH_NORM_KERNEL}: epsilon must be a finite number > 0; got ${formatValue(attrs.epsilon)}`);
  }
  if (!gradientRegistered) {
    registerGradient(batchNormGradConfig);
    gradientRegistered = true;
  }
  return runTypedKernel<BatchNormInputs, BatchNormAttrs, BatchNormOutputs>(BATCH_NORM_KERNEL, OUTPUTS, inputs, attrs);
}

/** A backend's implementation of {@link BATCH_NORM_KERNEL}. */
export type BatchNormKernelImpl<Backend> = TypedKernelImpl<BatchNormInputs<TensorInfo, TensorInfo>, BatchNormAttrs, BatchNormOutputs<TensorInfo, TensorInfo>, Backend>;
/** A backend's implementation of {@link BATCH_NORM_GRAD_KERNEL}. */
export type BatchNormGradKernelImpl<Backend> = TypedKernelImpl<BatchNormGradInputs<TensorInfo, TensorInfo>, BatchNormAttrs, BatchNormGradOutputs<TensorInfo, TensorInfo>, Backend>;

/**
 * The kernel configs a backend registers to implement this contract (forward and gradient).
 *
 * @param backendName - the backend
 * @param impl - the forward and gradient implementations
 * @returns two configs for `tf.registerKernel`
 * @example
 * for (const config of batchNormKernelConfigs("openblas", { forward, gradient })) registerKernel(config);
 */
export function batchNormKernelConfigs<Backend>(
  backendName: string,
  impl: { forward: BatchNormKernelImpl<Backend>; gradient: BatchNormGradKernelImpl<Backend> },
): KernelConfig[] {
  return [
    typedKernelConfig(BATCH_NORM_KERNEL, backendName, OUTPUTS, impl.forward),
    typedKernelConfig(BATCH_NORM_GRAD_KERNEL, backendName, GRAD_OUTPUTS, impl.gradient),
  ];
}
