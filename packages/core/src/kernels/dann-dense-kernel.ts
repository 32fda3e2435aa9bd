import { add, matMul, registerGradient, type GradConfig, type KernelConfig, type Tensor, type Tensor1D, type Tensor2D, type TensorInfo } from "@tensorflow/tfjs-core";
import { backendHasKernels, runTypedKernel, typedKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/** The DANN dense kernel family; versioned names are `${family}_v${version}`. */
export const DANN_DENSE_KERNEL_FAMILY = "DaleDannDense";
/** The version of the DANN dense contract this package defines. */
export const DANN_DENSE_KERNEL_VERSION = 1;
/** "DaleDannDense_v1": the fused DANN dense layer (Cornford et al. 2021, eq. 1). */
export const DANN_DENSE_KERNEL = versionedKernelName(DANN_DENSE_KERNEL_FAMILY, DANN_DENSE_KERNEL_VERSION);
/** "DaleDannDenseGrad_v1": its gradient kernel. */
export const DANN_DENSE_GRAD_KERNEL = versionedKernelName(`${DANN_DENSE_KERNEL_FAMILY}Grad`, DANN_DENSE_KERNEL_VERSION);

/**
 * Inputs of {@link DANN_DENSE_KERNEL}, "post x pre" weights, batch first; all float32.
 * `M` is the matrix type, `V` the vector type (tensors for callers, `TensorInfo` for backends).
 */
export interface DannDenseInputs<M = Tensor2D, V = Tensor1D> {
  /** Input x, [B, d]. */
  readonly x: M;
  /** W_EE, [ne, d]. */
  readonly wEE: M;
  /** W_IE, [ni, d]. */
  readonly wIE: M;
  /** W_EI, [ne, ni]. */
  readonly wEI: M;
  /** α, [ni]. */
  readonly alpha: V;
  /** g, [ne]. */
  readonly g: V;
  /** β, [ne]. */
  readonly beta: V;
}

/** Attributes of {@link DANN_DENSE_KERNEL}. */
export interface DannDenseAttrs {
  /** Added to γ to keep the division finite (1e-8 in the reference code). */
  readonly eps: number;
}

/**
 * Outputs of {@link DANN_DENSE_KERNEL}, in this order: with z_E = x W_EEᵀ and z_I = x W_IEᵀ,
 * c = z_E − z_I W_EIᵀ, γ = (z_I ⊙ e^α) W_EIᵀ + eps and z = g ⊙ c / γ + β.
 */
export type DannDenseOutputs<M = Tensor2D> = {
  /** z, [B, ne]. */
  readonly z: M;
  /** c = z_E − W_EI z_I, [B, ne]. */
  readonly c: M;
  /** γ, [B, ne]. */
  readonly gamma: M;
  /** z_I, [B, ni]. */
  readonly zI: M;
};

/** Inputs of {@link DANN_DENSE_GRAD_KERNEL}: dz = dL/dz [B, ne], and the forward's inputs and outputs. */
export interface DannDenseGradInputs<M = Tensor2D, V = Tensor1D> {
  readonly dz: M;
  readonly x: M;
  readonly wEI: M;
  readonly alpha: V;
  readonly g: V;
  readonly c: M;
  readonly gamma: M;
  readonly zI: M;
}

/**
 * Outputs of {@link DANN_DENSE_GRAD_KERNEL}, in this order: the weight gradients (shapes of the
 * weights), q = dL/dc [B, ne] and dzI = dL/dz_I [B, ni], from which dL/dx = q W_EE + dzI W_IE
 * is formed only when x needs a gradient.
 */
export type DannDenseGradOutputs<M = Tensor2D, V = Tensor1D> = {
  readonly dwEE: M;
  readonly dwIE: M;
  readonly dwEI: M;
  readonly dalpha: V;
  readonly dg: V;
  readonly dbeta: V;
  readonly q: M;
  readonly dzI: M;
};

const OUTPUTS: readonly (keyof DannDenseOutputs)[] = ["z", "c", "gamma", "zI"];
const GRAD_OUTPUTS: readonly (keyof DannDenseGradOutputs)[] = ["dwEE", "dwIE", "dwEI", "dalpha", "dg", "dbeta", "q", "dzI"];

/**
 * The gradient of {@link DANN_DENSE_KERNEL} (as tfjs's `gradients/*_grad.ts`): runs
 * {@link DANN_DENSE_GRAD_KERNEL} once and hands each input its part.
 */
export const dannDenseGradConfig: GradConfig = {
  kernelName: DANN_DENSE_KERNEL,
  inputsToSave: ["x", "wEE", "wIE", "wEI", "alpha", "g"],
  outputsToSave: [false, true, true, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const dz = (Array.isArray(dy) ? dy[0] : dy) as Tensor2D;
    const [x, wEE, wIE, wEI, alpha, g, c, gamma, zI] = saved as [Tensor2D, Tensor2D, Tensor2D, Tensor2D, Tensor1D, Tensor1D, Tensor2D, Tensor2D, Tensor2D];
    // Computed here, not in the closures: the engine runs each closure in its own tidy.
    const grads = runTypedKernel<DannDenseGradInputs, Record<string, never>, DannDenseGradOutputs>(DANN_DENSE_GRAD_KERNEL, GRAD_OUTPUTS, { dz, x, wEI, alpha, g, c, gamma, zI }, {});
    return {
      x: () => add(matMul(grads.q, wEE), matMul(grads.dzI, wIE)),
      wEE: () => grads.dwEE,
      wIE: () => grads.dwIE,
      wEI: () => grads.dwEI,
      alpha: () => grads.dalpha,
      g: () => grads.dg,
      beta: () => grads.dbeta,
    };
  },
};

let gradientRegistered = false;

/**
 * Whether the backend runs this version of the fused DANN dense layer and its gradient. A backend
 * without them, or with another version (another name), makes the library use separate ops.
 *
 * @param backendName - default: the active backend
 * @returns true when both {@link DANN_DENSE_KERNEL} and {@link DANN_DENSE_GRAD_KERNEL} are registered
 * @example
 * if (isDannDenseAvailable()) z = runDannDenseKernel(inputs, { eps }).z;
 */
export function isDannDenseAvailable(backendName?: string): boolean {
  return backendHasKernels([DANN_DENSE_KERNEL, DANN_DENSE_GRAD_KERNEL], backendName);
}

/**
 * Runs the fused DANN dense layer, eq. 1 of Cornford et al. (2021), Sec. 2.1:
 * z = g ⊙ (W_EE x − W_EI W_IE x) / (W_EI (e^α ⊙ W_IE x) + eps) + β, registering its gradient
 * on first use. Check {@link isDannDenseAvailable} first; shapes are the caller's to check.
 *
 * @param inputs - x and the layer's parameters
 * @param attrs - eps
 * @returns z and the intermediates c, γ, z_I
 * @throws Error from tfjs when the active backend lacks the kernel
 * @example
 * const { z } = runDannDenseKernel({ x, wEE, wIE, wEI, alpha, g, beta }, { eps: 1e-8 });
 */
export function runDannDenseKernel(inputs: DannDenseInputs, attrs: DannDenseAttrs): DannDenseOutputs {
  if (!gradientRegistered) {
    registerGradient(dannDenseGradConfig);
    gradientRegistered = true;
  }
  return runTypedKernel<DannDenseInputs, DannDenseAttrs, DannDenseOutputs>(DANN_DENSE_KERNEL, OUTPUTS, inputs, attrs);
}

/** A backend's implementation of {@link DANN_DENSE_KERNEL}. */
export type DannDenseKernelImpl<Backend> = TypedKernelImpl<DannDenseInputs<TensorInfo, TensorInfo>, DannDenseAttrs, DannDenseOutputs<TensorInfo>, Backend>;
/** A backend's implementation of {@link DANN_DENSE_GRAD_KERNEL}. */
export type DannDenseGradKernelImpl<Backend> = TypedKernelImpl<DannDenseGradInputs<TensorInfo, TensorInfo>, Record<string, never>, DannDenseGradOutputs<TensorInfo, TensorInfo>, Backend>;

/**
 * The kernel configs a backend registers to implement this contract (forward and gradient).
 *
 * @param backendName - the backend
 * @param impl - the forward and gradient implementations
 * @returns two configs for `tf.registerKernel`
 * @example
 * for (const config of dannDenseKernelConfigs("openblas", { forward, gradient })) registerKernel(config);
 */
export function dannDenseKernelConfigs<Backend>(
  backendName: string,
  impl: { forward: DannDenseKernelImpl<Backend>; gradient: DannDenseGradKernelImpl<Backend> },
): KernelConfig[] {
  return [
    typedKernelConfig(DANN_DENSE_KERNEL, backendName, OUTPUTS, impl.forward),
    typedKernelConfig(DANN_DENSE_GRAD_KERNEL, backendName, GRAD_OUTPUTS, impl.gradient),
  ];
}
