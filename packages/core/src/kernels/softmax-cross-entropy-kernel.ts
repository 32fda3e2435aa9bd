import { div, logSoftmax, mul, neg, registerGradient, type GradConfig, type KernelConfig, type Scalar, type Tensor, type Tensor2D, type TensorInfo } from "@tensorflow/tfjs-core";
import { backendHasKernels, runTypedKernel, typedKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/** The fused softmax cross-entropy kernel family; versioned names are `${family}_v${version}`. */
export const SOFTMAX_CROSS_ENTROPY_KERNEL_FAMILY = "DaleSoftmaxCrossEntropy";
/** The version of the softmax cross-entropy contract this package defines. */
export const SOFTMAX_CROSS_ENTROPY_KERNEL_VERSION = 1;
/**
 * "DaleSoftmaxCrossEntropy_v1": the mean softmax cross-entropy over a batch and its logits
 * gradient in one pass, instead of the ~25 kernels of `tf.losses.softmaxCrossEntropy`.
 */
export const SOFTMAX_CROSS_ENTROPY_KERNEL = versionedKernelName(SOFTMAX_CROSS_ENTROPY_KERNEL_FAMILY, SOFTMAX_CROSS_ENTROPY_KERNEL_VERSION);

/** Inputs of {@link SOFTMAX_CROSS_ENTROPY_KERNEL}, batch first; float32. */
export interface SoftmaxCrossEntropyInputs<M = Tensor2D> {
  /** Unscaled logits, [B, C]. */
  readonly logits: M;
  /** One-hot (or soft) labels, each row a distribution over the C classes, [B, C]. */
  readonly labels: M;
}

/**
 * Outputs of {@link SOFTMAX_CROSS_ENTROPY_KERNEL}, in this order. With the row maximum m_b
 * subtracted for stability, log_softmax(z)_bc = z_bc − m_b − log Σ_k e^(z_bk − m_b):
 * loss = (1/B) Σ_b −Σ_c labels_bc · log_softmax(logits)_bc and
 * dlogits = (softmax(logits) − labels) · (1/B), 1/B rounded to float32 (as tfjs's gradient of
 * `tf.losses.softmaxCrossEntropy` forms it).
 */
export type SoftmaxCrossEntropyOutputs<S = Scalar, M = Tensor2D> = {
  /** The mean loss, a scalar: `tf.losses.softmaxCrossEntropy(labels, logits)` with its defaults. */
  readonly loss: S;
  /** ∂loss/∂logits, [B, C]; the kernel's gradient multiplies it by dL/dloss. Not itself differentiable (treated as a constant). */
  readonly dlogits: M;
};

const OUTPUTS: readonly (keyof SoftmaxCrossEntropyOutputs)[] = ["loss", "dlogits"];

/**
 * The gradient of {@link SOFTMAX_CROSS_ENTROPY_KERNEL}: logits get dy · dlogits (one Multiply of
 * the saved output); labels get the derivative −log_softmax(logits) · dy / B, computed with ops
 * only when asked for (labels are rarely trained). That is the true derivative, as TensorFlow's
 * `softmax_cross_entropy_with_logits_v2` gives it; tfjs's own `tf.losses.softmaxCrossEntropy`
 * returns dy · (labels − softmax(logits)) / B for the labels instead.
 */
export const softmaxCrossEntropyGradConfig: GradConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY_KERNEL,
  inputsToSave: ["logits"],
  outputsToSave: [false, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    // dy[1], the gradient reaching dlogits, is ignored: dlogits is a constant to autodiff.
    const dLoss = (Array.isArray(dy) ? dy[0] : dy) as Scalar;
    const [logits, dlogits] = saved as [Tensor2D, Tensor2D];
    return {
      logits: () => mul(dLoss, dlogits),
      labels: () => mul(neg(logSoftmax(logits)), div(dLoss, logits.shape[0])),
    };
  },
};

let gradientRegistered = false;

/**
 * Whether the backend runs this version of the fused softmax cross-entropy (the gradient needs
 * no kernel of its own).
 *
 * @param backendName - default: the active backend
 * @returns true when {@link SOFTMAX_CROSS_ENTROPY_KERNEL} is registered
 * @example
 * if (isSoftmaxCrossEntropyAvailable()) loss = runSoftmaxCrossEntropyKernel({ logits, labels }).loss;
 */
export function isSoftmaxCrossEntropyAvailable(backendName?: string): boolean {
  return backendHasKernels([SOFTMAX_CROSS_ENTROPY_KERNEL], backendName);
}

/**
 * Runs the fused softmax cross-entropy, registering its gradient on first use:
 * loss = (1/B) Σ_b −Σ_c labels_bc · log_softmax(logits)_bc and dlogits = (softmax(logits) − labels) / B
 * in one pass over the logits. Check {@link isSoftmaxCrossEntropyAvailable} first; shapes and
 * dtypes are checked by the backend. Most callers want `softmaxCrossEntropy`, which falls back to
 * `tf.losses.softmaxCrossEntropy` and disposes dlogits.
 *
 * @param inputs - logits and labels, [B, C], float32
 * @returns the mean loss and dlogits (the caller disposes both, e.g. in a `tf.tidy`)
 * @throws Error from tfjs when the active backend lacks the kernel
 * @example
 * const loss = tf.tidy(() => runSoftmaxCrossEntropyKernel({ logits, labels }).loss);
 */
export function runSoftmaxCrossEntropyKernel(inputs: SoftmaxCrossEntropyInputs): SoftmaxCrossEntropyOutputs {
  if (!gradientRegistered) {
    registerGradient(softmaxCrossEntropyGradConfig);
    gradientRegistered = true;
  }
  return runTypedKernel<SoftmaxCrossEntropyInputs, Record<string, never>, SoftmaxCrossEntropyOutputs>(SOFTMAX_CROSS_ENTROPY_KERNEL, OUTPUTS, inputs, {});
}

/** A backend's implementation of {@link SOFTMAX_CROSS_ENTROPY_KERNEL}. */
export type SoftmaxCrossEntropyKernelImpl<Backend> = TypedKernelImpl<
  SoftmaxCrossEntropyInputs<TensorInfo>,
  Record<string, never>,
  SoftmaxCrossEntropyOutputs<TensorInfo, TensorInfo>,
  Backend
>;

/**
 * The kernel config a backend registers to implement this contract.
 *
 * @param backendName - the backend
 * @param impl - the implementation
 * @returns a config for `tf.registerKernel`
 * @example
 * registerKernel(softmaxCrossEntropyKernelConfig("openblas", impl));
 */
export function softmaxCrossEntropyKernelConfig<Backend>(backendName: string, impl: SoftmaxCrossEntropyKernelImpl<Backend>): KernelConfig {
  return typedKernelConfig(SOFTMAX_CROSS_ENTROPY_KERNEL, backendName, OUTPUTS, impl);
}
