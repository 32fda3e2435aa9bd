import { registerGradient, type GradConfig, type KernelConfig, type Tensor, type Tensor2D, type Tensor3D, type TensorInfo } from "@tensorflow/tfjs-core";
import { backendHasKernels, runTypedKernel, typedKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/** The fused ReLU recurrence kernel family; versioned names are `${family}_v${version}`. */
export const RELU_RNN_KERNEL_FAMILY = "DaleReluRnn";
/** The version of the ReLU recurrence contract this package defines. */
export const RELU_RNN_KERNEL_VERSION = 1;
/** "DaleReluRnn_v1": the fused ReLU recurrence (Li et al. 2023, eq. 2). */
export const RELU_RNN_KERNEL = versionedKernelName(RELU_RNN_KERNEL_FAMILY, RELU_RNN_KERNEL_VERSION);
/** "DaleReluRnnGrad_v1": backpropagation through time in one call. */
export const RELU_RNN_GRAD_KERNEL = versionedKernelName(`${RELU_RNN_KERNEL_FAMILY}Grad`, RELU_RNN_KERNEL_VERSION);

/**
 * Inputs of {@link RELU_RNN_KERNEL}; all float32, time-major. `T3` / `T2` are the rank-3 / rank-2
 * types (tensors for callers, `TensorInfo` for backends).
 */
export interface ReluRnnInputs<T3 = Tensor3D, T2 = Tensor2D> {
  /** u_t = U x_t + b for every step, [T, B, n]. */
  readonly u: T3;
  /** Recurrent weights W, [n, n], "post x pre". */
  readonly w: T2;
  /** Initial state H_{−1}, [B, n]. */
  readonly h0: T2;
}

/** Outputs of {@link RELU_RNN_KERNEL}, in this order: H_t = ReLU(u_t + H_{t−1} Wᵀ). */
export type ReluRnnOutputs<T3 = Tensor3D, T2 = Tensor2D> = {
  /** Every state H, [T, B, n]. */
  readonly states: T3;
  /** H_{T−1}, [B, n]: a separate output, so a model reading only the last state does not back-propagate through a slice of H. */
  readonly last: T2;
};

/** Inputs of {@link RELU_RNN_GRAD_KERNEL}: at least one of dy / dyLast, and the forward's H, W, h0. */
export interface ReluRnnGradInputs<T3 = Tensor3D, T2 = Tensor2D> {
  /** dL/dH, [T, B, n]. */
  readonly dy?: T3;
  /** dL/dH_{T−1}, [B, n]. */
  readonly dyLast?: T2;
  /** H, [T, B, n]. */
  readonly h: T3;
  readonly w: T2;
  readonly h0: T2;
}

/** Outputs of {@link RELU_RNN_GRAD_KERNEL}, in this order. */
export type ReluRnnGradOutputs<T3 = Tensor3D, T2 = Tensor2D> = {
  /** dL/du, [T, B, n]. */
  readonly du: T3;
  /** dL/dW, [n, n]. */
  readonly dw: T2;
  /** dL/dh0, [B, n]. */
  readonly dh0: T2;
};

const OUTPUTS: readonly (keyof ReluRnnOutputs)[] = ["states", "last"];
const GRAD_OUTPUTS: readonly (keyof ReluRnnGradOutputs)[] = ["du", "dw", "dh0"];

/** The gradient of {@link RELU_RNN_KERNEL}: one {@link RELU_RNN_GRAD_KERNEL} call for all inputs. */
export const reluRnnGradConfig: GradConfig = {
  kernelName: RELU_RNN_KERNEL,
  inputsToSave: ["w", "h0"],
  outputsToSave: [true, false],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [w, h0, h] = saved as [Tensor2D, Tensor2D, Tensor3D];
    const [dyAll, dyLast] = (Array.isArray(dy) ? dy : [dy, null]) as [Tensor3D | null, Tensor2D | null];
    // Computed here, not inside the closures: the engine runs each closure in its own tidy,
    // which would dispose the parts another closure returns. Unused parts are disposed with
    // the backward pass's scope.
    const grads = runTypedKernel<ReluRnnGradInputs, Record<string, never>, ReluRnnGradOutputs>(
      RELU_RNN_GRAD_KERNEL,
      GRAD_OUTPUTS,
      { h, w, h0, ...(dyAll ? { dy: dyAll } : {}), ...(dyLast ? { dyLast } : {}) },
      {},
    );
    return { u: () => grads.du, w: () => grads.dw, h0: () => grads.dh0 };
  },
};

let gradientRegistered = false;

/**
 * Whether the backend runs this version of the fused recurrence and its gradient. A backend
 * without them, or with another version, makes the library use the per-step ops.
 *
 * @param backendName - default: the active backend
 * @returns true when both {@link RELU_RNN_KERNEL} and {@link RELU_RNN_GRAD_KERNEL} are registered
 * @example
 * if (isReluRnnAvailable()) ({ states } = runReluRnnKernel({ u, w, h0 }));
 */
export function isReluRnnAvailable(backendName?: string): boolean {
  return backendHasKernels([RELU_RNN_KERNEL, RELU_RNN_GRAD_KERNEL], backendName);
}

/**
 * Runs the fused ReLU recurrence H_t = ReLU(u_t + H_{t−1} Wᵀ), t = 0..T−1 (Li et al. 2023,
 * eq. 2 with u_t = U x_t + b precomputed), registering its gradient on first use. Check
 * {@link isReluRnnAvailable} first.
 *
 * @param inputs - u [T, B, n], W [n, n], h0 [B, n]
 * @returns all states and the last one
 * @throws Error from tfjs when the active backend lacks the kernel
 * @example
 * const { states, last } = runReluRnnKernel({ u, w, h0 });
 */
export function runReluRnnKernel(inputs: ReluRnnInputs): ReluRnnOutputs {
  if (!gradientRegistered) {
    registerGradient(reluRnnGradConfig);
    gradientRegistered = true;
  }
  return runTypedKernel<ReluRnnInputs, Record<string, never>, ReluRnnOutputs>(RELU_RNN_KERNEL, OUTPUTS, inputs, {});
}

/** A backend's implementation of {@link RELU_RNN_KERNEL}. */
export type ReluRnnKernelImpl<Backend> = TypedKernelImpl<ReluRnnInputs<TensorInfo, TensorInfo>, Record<string, never>, ReluRnnOutputs<TensorInfo, TensorInfo>, Backend>;
/** A backend's implementation of {@link RELU_RNN_GRAD_KERNEL}. */
export type ReluRnnGradKernelImpl<Backend> = TypedKernelImpl<ReluRnnGradInputs<TensorInfo, TensorInfo>, Record<string, never>, ReluRnnGradOutputs<TensorInfo, TensorInfo>, Backend>;

/**
 * The kernel configs a backend registers to implement this contract (forward and gradient).
 *
 * @param backendName - the backend
 * @param impl - the forward and gradient implementations
 * @returns two configs for `tf.registerKernel`
 * @example
 * for (const config of reluRnnKernelConfigs("openblas", { forward, gradient })) registerKernel(config);
 */
export function reluRnnKernelConfigs<Backend>(
  backendName: string,
  impl: { forward: ReluRnnKernelImpl<Backend>; gradient: ReluRnnGradKernelImpl<Backend> },
): KernelConfig[] {
  return [
    typedKernelConfig(RELU_RNN_KERNEL, backendName, OUTPUTS, impl.forward),
    typedKernelConfig(RELU_RNN_GRAD_KERNEL, backendName, GRAD_OUTPUTS, impl.gradient),
  ];
}
