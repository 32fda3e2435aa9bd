import { matMul, registerGradient, type GradConfig, type KernelConfig, type NamedAttrMap, type Tensor, type Tensor1D, type Tensor2D, type TensorInfo } from "@tensorflow/tfjs-core";
import { formatValue } from "../validation/index.js";
import { backendHasKernels, runTypedKernel, typedKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/** The fused dense layer kernel family; versioned names are `${family}_v${version}`. */
export const DENSE_KERNEL_FAMILY = "DaleDense";
/** The version of the dense-layer contract this package defines. */
export const DENSE_KERNEL_VERSION = 1;
/** "DaleDense_v1": the fused dense layer y = f(x Wᵀ + b), one kernel instead of BatchMatMul + Add + activation. */
export const DENSE_KERNEL = versionedKernelName(DENSE_KERNEL_FAMILY, DENSE_KERNEL_VERSION);
/** "DaleDenseGrad_v1": its gradient kernel (dz, dW, db in one call). */
export const DENSE_GRAD_KERNEL = versionedKernelName(`${DENSE_KERNEL_FAMILY}Grad`, DENSE_KERNEL_VERSION);

/** The activations the fused dense kernel applies: the identity and max(0, ·). */
export type DenseActivation = "linear" | "relu";
/** Every {@link DenseActivation}. */
export const DENSE_ACTIVATIONS: readonly DenseActivation[] = ["linear", "relu"];

/**
 * Inputs of {@link DENSE_KERNEL}, "post x pre" weight, batch first; all float32. `M` is the
 * matrix type, `V` the vector type (tensors for callers, `TensorInfo` for backends).
 */
export interface DenseInputs<M = Tensor2D, V = Tensor1D> {
  /** Input x, [B, d]. */
  readonly x: M;
  /** Weight W, [out, d] ("post x pre", as the dale-nn layers store it). */
  readonly w: M;
  /** Bias b, [out]. */
  readonly b: V;
}

/** Attributes of {@link DENSE_KERNEL} and {@link DENSE_GRAD_KERNEL}. */
export interface DenseAttrs {
  /** f: "linear" (identity) or "relu". */
  readonly activation: DenseActivation;
}

/** Output of {@link DENSE_KERNEL} (a type alias, so it can be returned from `tf.tidy`). */
export type DenseOutputs<M = Tensor2D> = {
  /** y = f(x Wᵀ + b), [B, out]: what add(matMul(x, W, false, true), b) then relu give. */
  readonly y: M;
};

/** Inputs of {@link DENSE_GRAD_KERNEL}: dy = dL/dy [B, out], the forward's x and its output y. */
export interface DenseGradInputs<M = Tensor2D> {
  readonly dy: M;
  readonly x: M;
  /** The forward's y, [B, out]: relu′ is read from it (y > 0 exactly where x Wᵀ + b > 0). */
  readonly y: M;
}

/**
 * Outputs of {@link DENSE_GRAD_KERNEL}, in this order: with dz = dy ⊙ f′ (f′ = 1 for "linear";
 * for "relu" tfjs's convention step(z) = 1 where z > 0, else 0, NaN kept), dW = dzᵀ x,
 * db = Σ_batch dz and dz itself, from which dL/dx = dz W is formed only when x needs a gradient.
 */
export type DenseGradOutputs<M = Tensor2D, V = Tensor1D> = {
  /** dL/dW, [out, d]. */
  readonly dw: M;
  /** dL/db, [out]. */
  readonly db: V;
  /** dL/dz for z = x Wᵀ + b, [B, out]. */
  readonly dz: M;
};

const OUTPUTS: readonly (keyof DenseOutputs)[] = ["y"];
const GRAD_OUTPUTS: readonly (keyof DenseGradOutputs)[] = ["dw", "db", "dz"];

/**
 * The gradient of {@link DENSE_KERNEL} (as tfjs's `gradients/*_grad.ts`): runs
 * {@link DENSE_GRAD_KERNEL} once for dW, db and dz; dL/dx = dz W is one matMul, run only when
 * the engine asks for it (not for a network's input layer).
 */
export const denseGradConfig: GradConfig = {
  kernelName: DENSE_KERNEL,
  inputsToSave: ["x", "w"],
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const dyy = (Array.isArray(dy) ? dy[0] : dy) as Tensor2D;
    const [x, w, y] = saved as [Tensor2D, Tensor2D, Tensor2D];
    const activation = (attrs as unknown as DenseAttrs).activation;
    // Computed here, not in the closures: the engine runs each closure in its own tidy.
    const grads = runTypedKernel<DenseGradInputs, DenseAttrs, DenseGradOutputs>(DENSE_GRAD_KERNEL, GRAD_OUTPUTS, { dy: dyy, x, y }, { activation });
    return {
      x: () => matMul(grads.dz, w),
      w: () => grads.dw,
      b: () => grads.db,
    };
  },
};

let gradientRegistered = false;

/**
 * Whether the backend runs this version of the fused dense layer and its gradient. A backend
 * without them, or with another version (another name), makes the library use separate ops.
 *
 * @param backendName - default: the active backend
 * @returns true when both {@link DENSE_KERNEL} and {@link DENSE_GRAD_KERNEL} are registered
 * @example
 * if (isDenseAvailable()) y = runDenseKernel({ x, w, b }, { activation: "relu" }).y;
 */
export function isDenseAvailable(backendName?: string): boolean {
  return backendHasKernels([DENSE_KERNEL, DENSE_GRAD_KERNEL], backendName);
}

/**
 * Runs the fused dense layer y = f(x Wᵀ + b), f the identity or ReLU, W "post x pre" [out, d],
 * registering its gradient on first use: dz = dy ⊙ f′(x Wᵀ + b), dL/dW = dzᵀ x,
 * dL/db = Σ_batch dz, dL/dx = dz W. Check {@link isDenseAvailable} first; shapes and dtypes are
 * checked by the backend.
 *
 * @param inputs - x [B, d], W [out, d], b [out], float32
 * @param attrs - the activation
 * @returns y, [B, out]
 * @throws TypeError naming the value for an activation other than "linear" or "relu"; Error from tfjs when the active backend lacks the kernel
 * @example
 * const { y } = runDenseKernel({ x, w, b }, { activation: "relu" });
 */
export function runDenseKernel(inputs: DenseInputs, attrs: DenseAttrs): DenseOutputs {
  if (!DENSE_ACTIVATIONS.includes(attrs.activation)) {
    throw new TypeError(`${DENSE_KERNEL}: unknown activation ${formatValue(attrs.activation)}; expected one of ${DENSE_ACTIVATIONS.join(", ")}`);
  }
  if (!gradientRegistered) {
    registerGradient(denseGradConfig);
    gradientRegistered = true;
  }
  return runTypedKernel<DenseInputs, DenseAttrs, DenseOutputs>(DENSE_KERNEL, OUTPUTS, inputs, attrs);
}

/** A backend's implementation of {@link DENSE_KERNEL}. */
export type DenseKernelImpl<Backend> = TypedKernelImpl<DenseInputs<TensorInfo, TensorInfo>, DenseAttrs, DenseOutputs<TensorInfo>, Backend>;
/** A backend's implementation of {@link DENSE_GRAD_KERNEL}. */
export type DenseGradKernelImpl<Backend> = TypedKernelImpl<DenseGradInputs<TensorInfo>, DenseAttrs, DenseGradOutputs<TensorInfo, TensorInfo>, Backend>;

/**
 * The kernel configs a backend registers to implement this contract (forward and gradient).
 *
 * @param backendName - the backend
 * @param impl - the forward and gradient implementations
 * @returns two configs for `tf.registerKernel`
 * @example
 * for (const config of denseKernelConfigs("openblas", { forward, gradient })) registerKernel(config);
 */
export function denseKernelConfigs<Backend>(
  backendName: string,
  impl: { forward: DenseKernelImpl<Backend>; gradient: DenseGradKernelImpl<Backend> },
): KernelConfig[] {
  return [
    typedKernelConfig(DENSE_KERNEL, backendName, OUTPUTS, impl.forward),
    typedKernelConfig(DENSE_GRAD_KERNEL, backendName, GRAD_OUTPUTS, impl.gradient),
  ];
}
