import { registerGradient, type GradConfig, type KernelConfig, type NamedAttrMap, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type TensorInfo } from "@tensorflow/tfjs-core";
import { backendHasKernels, runTypedKernel, typedKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/** The fused continuous-time RNN (Euler recurrence) kernel family; versioned names are `${family}_v${version}`. */
export const CT_RNN_KERNEL_FAMILY = "DaleCtRnn";
/** The version of the continuous-time recurrence contract this package defines. */
export const CT_RNN_KERNEL_VERSION = 1;
/** "DaleCtRnn_v1": every Euler step of a continuous-time rate RNN in one call (Song, Yang & Wang 2016, eqs. 1-2). */
export const CT_RNN_KERNEL = versionedKernelName(CT_RNN_KERNEL_FAMILY, CT_RNN_KERNEL_VERSION);
/** "DaleCtRnnGrad_v1": its backpropagation through time in one call. */
export const CT_RNN_GRAD_KERNEL = versionedKernelName(`${CT_RNN_KERNEL_FAMILY}Grad`, CT_RNN_KERNEL_VERSION);

/** The rate functions φ the kernel implements. */
export type CtRnnKernelActivation = "relu" | "softplus" | "tanh";
/** Every {@link CtRnnKernelActivation}, in the order backends number them (0, 1, 2). */
export const CT_RNN_KERNEL_ACTIVATIONS: readonly CtRnnKernelActivation[] = ["relu", "softplus", "tanh"];

/**
 * Inputs of {@link CT_RNN_KERNEL}; all float32, time-major. `T3` / `T2` / `T1` are the rank-3 / 2 / 1
 * types (tensors for callers, `TensorInfo` for backends).
 *
 * The cut: only the recurrence is fused. The recurrent matrix arrives already composed (Dale,
 * free or mixture, masks, norms: tfjs ops outside), the inputs already projected (W_in u_t + b,
 * one product over all steps outside), α = dt / τ already computed (τ fixed or trainable
 * outside), so every parametrisation keeps its own gradient through tfjs.
 */
export interface CtRnnInputs<T3 = Tensor3D, T2 = Tensor2D, T1 = Tensor1D> {
  /** d_t = W_in u_t + b (plus any noise folded in, see {@link runCtRnnKernel}) for every step, [T, B, n]. */
  readonly drive: T3;
  /** The effective recurrent weight W_rec, [n, n], "post x pre". */
  readonly w: T2;
  /** α = dt / τ per unit, [n], in (0, 1]. */
  readonly alpha: T1;
  /** v_0, [B, n]. */
  readonly v0: T2;
}

/** Attributes of {@link CT_RNN_KERNEL} and {@link CT_RNN_GRAD_KERNEL}. */
export interface CtRnnAttrs {
  /** φ: max(v, 0), log(1 + e^v) (tfjs's thresholds) or tanh(v). */
  readonly activation: CtRnnKernelActivation;
}

/**
 * Outputs of {@link CT_RNN_KERNEL}: v_{t+1} = (1 − α) ⊙ v_t + α ⊙ (φ(v_t) W_recᵀ + d_t) for
 * t = 0 … T − 1, rounded as the separate float32 ops round it (φ, the product, + d_t, then
 * (1 − α) · v and α · inner summed).
 */
export type CtRnnOutputs<T3 = Tensor3D> = {
  /** v_1 … v_T, [T, B, n]. */
  readonly states: T3;
};

/** Inputs of {@link CT_RNN_GRAD_KERNEL}: dL/dstates and the forward's inputs and output. */
export interface CtRnnGradInputs<T3 = Tensor3D, T2 = Tensor2D, T1 = Tensor1D> {
  /** dL/dv_1 … dL/dv_T, [T, B, n]. */
  readonly dy: T3;
  /** The forward's v_1 … v_T, [T, B, n]. */
  readonly states: T3;
  readonly drive: T3;
  readonly w: T2;
  readonly alpha: T1;
  readonly v0: T2;
}

/**
 * Outputs of {@link CT_RNN_GRAD_KERNEL}, in this order. With g_t = dL/dv_t through the rest of
 * the sequence (g_T = dy_T; g_t = dy_t + (1 − α) ⊙ g_{t+1} + φ'(v_t) ⊙ ((α ⊙ g_{t+1}) W_rec)):
 */
export type CtRnnGradOutputs<T3 = Tensor3D, T2 = Tensor2D, T1 = Tensor1D> = {
  /** dL/dd_t = α ⊙ g_{t+1}, [T, B, n]. */
  readonly dDrive: T3;
  /** dL/dW_rec = Σ_t (α ⊙ g_{t+1})ᵀ φ(v_t), [n, n]. */
  readonly dw: T2;
  /** dL/dα = Σ_{t,b} g_{t+1} ⊙ (φ(v_t) W_recᵀ + d_t − v_t), [n]. */
  readonly dAlpha: T1;
  /** dL/dv_0 = g_0, [B, n]. */
  readonly dv0: T2;
};

const OUTPUTS: readonly (keyof CtRnnOutputs)[] = ["states"];
const GRAD_OUTPUTS: readonly (keyof CtRnnGradOutputs)[] = ["dDrive", "dw", "dAlpha", "dv0"];

/** The gradient of {@link CT_RNN_KERNEL}: one {@link CT_RNN_GRAD_KERNEL} call for all four inputs. */
export const ctRnnGradConfig: GradConfig = {
  kernelName: CT_RNN_KERNEL,
  inputsToSave: ["drive", "w", "alpha", "v0"],
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [drive, w, alpha, v0, states] = saved as [Tensor3D, Tensor2D, Tensor1D, Tensor2D, Tensor3D];
    const dStates = (Array.isArray(dy) ? dy[0] : dy) as Tensor3D;
    // Computed here, not inside the closures: the engine runs each closure in its own tidy,
    // which would dispose the parts another closure returns. Unused parts go with the backward pass's scope.
    const grads = runTypedKernel<CtRnnGradInputs, CtRnnAttrs, CtRnnGradOutputs>(
      CT_RNN_GRAD_KERNEL,
      GRAD_OUTPUTS,
      { dy: dStates, states, drive, w, alpha, v0 },
      { activation: attrs.activation as CtRnnKernelActivation },
    );
    return { drive: () => grads.dDrive, w: () => grads.dw, alpha: () => grads.dAlpha, v0: () => grads.dv0 };
  },
};

let gradientRegistered = false;

/**
 * Whether the backend runs this version of the fused continuous-time recurrence and its gradient.
 * A backend without them, or with another version, makes the library use the per-step ops.
 *
 * @param backendName - default: the active backend
 * @returns true when both {@link CT_RNN_KERNEL} and {@link CT_RNN_GRAD_KERNEL} are registered
 * @example
 * if (isCtRnnAvailable()) ({ states } = runCtRnnKernel({ drive, w, alpha, v0 }, { activation: "relu" }));
 */
export function isCtRnnAvailable(backendName?: string): boolean {
  return backendHasKernels([CT_RNN_KERNEL, CT_RNN_GRAD_KERNEL], backendName);
}

/**
 * Runs the fused Euler recurrence of a continuous-time rate RNN (Song, Yang & Wang 2016, eqs. 1-2;
 * PsychRNN), τ ⊙ dv/dt = −v + W_rec φ(v) + W_in u + b with α = dt / τ:
 *
 *   v_{t+1} = (1 − α) ⊙ v_t + α ⊙ (W_rec φ(v_t) + d_t),   t = 0 … T − 1,
 *
 * registering its gradient on first use. Additive noise √(2α) σ ξ_t after each step is the same
 * recurrence with d_t + √(2/α) σ ξ_t as the drive (α ⊙ (… + n_t / α) = … + n_t), so callers fold
 * it in. Check {@link isCtRnnAvailable} first; shapes are the caller's to check.
 *
 * @param inputs - drive d [T, B, n], W_rec [n, n], α [n], v_0 [B, n]
 * @param attrs - the rate function φ
 * @returns the states v_1 … v_T, [T, B, n]
 * @throws Error from tfjs when the active backend lacks the kernel
 * @example
 * const { states } = runCtRnnKernel({ drive, w: wRec, alpha, v0 }, { activation: "relu" });
 */
export function runCtRnnKernel(inputs: CtRnnInputs, attrs: CtRnnAttrs): CtRnnOutputs {
  if (!gradientRegistered) {
    registerGradient(ctRnnGradConfig);
    gradientRegistered = true;
  }
  return runTypedKernel<CtRnnInputs, CtRnnAttrs, CtRnnOutputs>(CT_RNN_KERNEL, OUTPUTS, inputs, attrs);
}

/** A backend's implementation of {@link CT_RNN_KERNEL}. */
export type CtRnnKernelImpl<Backend> = TypedKernelImpl<CtRnnInputs<TensorInfo, TensorInfo, TensorInfo>, CtRnnAttrs, CtRnnOutputs<TensorInfo>, Backend>;
/** A backend's implementation of {@link CT_RNN_GRAD_KERNEL}. */
export type CtRnnGradKernelImpl<Backend> = TypedKernelImpl<CtRnnGradInputs<TensorInfo, TensorInfo, TensorInfo>, CtRnnAttrs, CtRnnGradOutputs<TensorInfo, TensorInfo, TensorInfo>, Backend>;

/**
 * The kernel configs a backend registers to implement this contract (forward and gradient).
 *
 * @param backendName - the backend
 * @param impl - the forward and gradient implementations
 * @returns two configs for `tf.registerKernel`
 * @example
 * for (const config of ctRnnKernelConfigs("openblas", { forward, gradient })) registerKernel(config);
 */
export function ctRnnKernelConfigs<Backend>(
  backendName: string,
  impl: { forward: CtRnnKernelImpl<Backend>; gradient: CtRnnGradKernelImpl<Backend> },
): KernelConfig[] {
  return [
    typedKernelConfig(CT_RNN_KERNEL, backendName, OUTPUTS, impl.forward),
    typedKernelConfig(CT_RNN_GRAD_KERNEL, backendName, GRAD_OUTPUTS, impl.gradient),
  ];
}
