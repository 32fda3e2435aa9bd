import {
  add,
  concat,
  div,
  exp,
  matMul,
  mul,
  registerGradient,
  relu,
  reshape,
  sub,
  tidy,
  type GradConfig,
  type KernelConfig,
  type NamedAttrMap,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { madeByRecordedOp } from "../internal/made-by-recorded-op.js";
import { formatValue } from "../validation/index.js";
import { DANN_DENSE_KERNEL_FAMILY } from "./dann-dense-kernel.js";
import { DENSE_ACTIVATIONS, type DenseActivation } from "./dense-kernel.js";
import { runKernelRecordingOneOutput } from "./record-one-output.js";
import { backendHasKernels, runTypedKernel, typedKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/** Version 2 of the DANN dense contract: the activation inside, one packed saved tensor, dL/dx in the gradient call. */
export const DANN_DENSE_V2_KERNEL_VERSION = 2;
/** "DaleDannDense_v2": the fused DANN dense layer y = f(z) of Cornford et al. (2021), eq. 1, f linear or ReLU. */
export const DANN_DENSE_V2_KERNEL = versionedKernelName(DANN_DENSE_KERNEL_FAMILY, DANN_DENSE_V2_KERNEL_VERSION);
/** "DaleDannDenseGrad_v2": its gradient kernel (every parameter gradient and, when asked, dL/dx in one call). */
export const DANN_DENSE_V2_GRAD_KERNEL = versionedKernelName(`${DANN_DENSE_KERNEL_FAMILY}Grad`, DANN_DENSE_V2_KERNEL_VERSION);

/**
 * Inputs of {@link DANN_DENSE_V2_KERNEL}, "post x pre" weights, batch first; all float32. `M` is
 * the matrix type, `V` the vector type (tensors for callers, `TensorInfo` for backends).
 */
export interface DannDenseV2Inputs<M = Tensor2D, V = Tensor1D> {
  /** Input x, [B, d]. */
  readonly x: M;
  /** W_EE, [ne, d]. */
  readonly wEE: M;
  /** W_IE, [ni, d]. */
  readonly wIE: M;
  /** W_EI, [ne, ni]. */
  readonly wEI: M;
  /** Bias b (β of eq. 1), [ne]. */
  readonly b: V;
  /** α, [ni]: present exactly when `divisive` (log strength of divisive inhibition). */
  readonly alpha?: V;
  /** g, [ne]: present exactly when `divisive` (gain). */
  readonly g?: V;
}

/** Attributes of {@link DANN_DENSE_V2_KERNEL} (its gradient kernel receives the same). */
export interface DannDenseV2Attrs {
  /** f: "linear" (identity) or "relu". */
  readonly activation: DenseActivation;
  /**
   * true: eq. 1 with divisive inhibition, z = g ⊙ c / γ + b (inputs α and g); false: subtractive
   * inhibition only, z = c + b (DannLinear; no α, g).
   */
  readonly divisive: boolean;
  /** Added to γ to keep the division finite (1e-8 in the reference code); unused when not divisive. */
  readonly eps: number;
  /**
   * Whether the gradient kernel also forms dL/dx. Not a property of the layer: the engine's need,
   * which {@link runDannDenseV2Kernel} reads from the tape (x made by a recorded op, such as an
   * earlier layer; not a network's input). When false and the engine asks for dL/dx anyway
   * (`tf.grad` with respect to an input), the gradient runs the gradient kernel once more for it.
   */
  readonly inputGradient: boolean;
}

/** What a caller sets of {@link DannDenseV2Attrs}: eps defaults to 1e-8, inputGradient to what the tape says. */
export interface DannDenseV2Options {
  readonly activation: DenseActivation;
  readonly divisive: boolean;
  readonly eps?: number;
  readonly inputGradient?: boolean;
}

/**
 * Outputs of {@link DANN_DENSE_V2_KERNEL}, in this order. With z_E = x W_EEᵀ, z_I = x W_IEᵀ and
 * c = z_E − z_I W_EIᵀ: divisive, γ = (z_I ⊙ e^α) W_EIᵀ + eps and z = g ⊙ c / γ + b; subtractive,
 * z = c + b. y = f(z).
 */
export type DannDenseV2Outputs<M = Tensor2D, V = Tensor1D> = {
  /** y = f(z), [B, ne]. */
  readonly y: M;
  /**
   * What the gradient needs beyond x, the weights and y, packed in one 1-D tensor: divisive,
   * B rows of P = 2 ne + ni, row b = [c_b (ne) | γ_b (ne) | z_I,b (ni)], then g (ne) and e^α (ni),
   * B·P + ne + ni in all; subtractive, the B rows z_I,b (P = ni), B·ni in all.
   */
  readonly saved: V;
};

/**
 * Inputs of {@link DANN_DENSE_V2_GRAD_KERNEL}: dy = dL/dy [B, ne], the forward's x and matrices,
 * and its outputs (g and e^α are read from the packed tensor).
 */
export interface DannDenseV2GradInputs<M = Tensor2D, V = Tensor1D> {
  readonly dy: M;
  readonly x: M;
  readonly wEE: M;
  readonly wIE: M;
  readonly wEI: M;
  /** The forward's y: relu′ is read from it (tfjs's step: 1 where y > 0, 0 elsewhere, NaN kept). */
  readonly y: M;
  /** The forward's packed tensor. */
  readonly saved: V;
}

/**
 * Outputs of {@link DANN_DENSE_V2_GRAD_KERNEL}, in this order: dwEE, dwIE, dwEI, db, then dalpha
 * and dg when `divisive`, then dx when `inputGradient` (see {@link dannDenseV2GradOutputNames}).
 * With dz = dy ⊙ f′(z): subtractive, q = dz; divisive, q = dz ⊙ g / γ and dγ = −q ⊙ c / γ; then
 * dz_I = −q W_EI (+ e^α ⊙ (dγ W_EI) when divisive), dW_EE = qᵀ x, dW_IE = dz_Iᵀ x,
 * dW_EI = −qᵀ z_I (+ dγᵀ (z_I ⊙ e^α)), db = Σ_batch dz, dg = Σ_batch dz ⊙ c / γ,
 * dα = Σ_batch (dγ W_EI) ⊙ z_I ⊙ e^α and dx = q W_EE + dz_I W_IE.
 */
export type DannDenseV2GradOutputs<M = Tensor2D, V = Tensor1D> = {
  readonly dwEE: M;
  readonly dwIE: M;
  readonly dwEI: M;
  readonly db: V;
  readonly dalpha?: V;
  readonly dg?: V;
  readonly dx?: M;
};

const OUTPUTS: readonly (keyof DannDenseV2Outputs)[] = ["y", "saved"];

/**
 * The outputs {@link DANN_DENSE_V2_GRAD_KERNEL} returns for these attrs, in order.
 *
 * @param attrs - divisive and inputGradient
 * @returns e.g. ["dwEE", "dwIE", "dwEI", "db", "dalpha", "dg", "dx"]
 * @example
 * dannDenseV2GradOutputNames({ divisive: false, inputGradient: false }); // ["dwEE", "dwIE", "dwEI", "db"]
 */
export function dannDenseV2GradOutputNames(attrs: Pick<DannDenseV2Attrs, "divisive" | "inputGradient">): (keyof DannDenseV2GradOutputs)[] {
  const names: (keyof DannDenseV2GradOutputs)[] = ["dwEE", "dwIE", "dwEI", "db"];
  if (attrs.divisive) names.push("dalpha", "dg");
  if (attrs.inputGradient) names.push("dx");
  return names;
}

/**
 * The gradient of {@link DANN_DENSE_V2_KERNEL} (as tfjs's `gradients/*_grad.ts`): runs
 * {@link DANN_DENSE_V2_GRAD_KERNEL} once for every parameter gradient and, when the forward's
 * `inputGradient` said so, dL/dx. It keeps x, W_EE, W_IE, W_EI, y and the packed tensor (g and
 * e^α travel in the packed tensor: the engine copies no optional input), six kept tensors where
 * version 1 with its ReLU keeps ten.
 */
export const dannDenseV2GradConfig: GradConfig = {
  kernelName: DANN_DENSE_V2_KERNEL,
  inputsToSave: ["x", "wEE", "wIE", "wEI"],
  outputsToSave: [true, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    // dy[1] (for the packed tensor) is the engine's zeros: the packed tensor feeds nothing.
    const dyy = (Array.isArray(dy) ? dy[0] : dy) as Tensor2D;
    const [x, wEE, wIE, wEI, y, packed] = saved as [Tensor2D, Tensor2D, Tensor2D, Tensor2D, Tensor2D, Tensor1D];
    const a = attrs as unknown as DannDenseV2Attrs;
    const gradInputs: DannDenseV2GradInputs = { dy: dyy, x, wEE, wIE, wEI, y, saved: packed };
    const run = (inputGradient: boolean): DannDenseV2GradOutputs => {
      const gradAttrs: DannDenseV2Attrs = { activation: a.activation, divisive: a.divisive, eps: a.eps, inputGradient };
      return runTypedKernel<DannDenseV2GradInputs, DannDenseV2Attrs, DannDenseV2GradOutputs>(DANN_DENSE_V2_GRAD_KERNEL, dannDenseV2GradOutputNames(gradAttrs), gradInputs, gradAttrs);
    };
    // Computed here, not in the closures: the engine runs each closure in its own tidy.
    const grads = run(a.inputGradient);
    return {
      // Asked for although the tape said no (x is an input being differentiated): one more call.
      x: () => grads.dx ?? run(true).dx!,
      wEE: () => grads.dwEE,
      wIE: () => grads.dwIE,
      wEI: () => grads.dwEI,
      b: () => grads.db,
      alpha: () => grads.dalpha!,
      g: () => grads.dg!,
    };
  },
};

let gradientRegistered = false;

/** Registers {@link dannDenseV2GradConfig} on first use. */
function ensureGradientRegistered(): void {
  if (!gradientRegistered) {
    registerGradient(dannDenseV2GradConfig);
    gradientRegistered = true;
  }
}

/**
 * Whether the backend runs this version of the fused DANN dense layer and its gradient. A backend
 * without them, or with another version (another name, such as version 1 only), makes the
 * library use the version it has or separate ops.
 *
 * @param backendName - default: the active backend
 * @returns true when both {@link DANN_DENSE_V2_KERNEL} and {@link DANN_DENSE_V2_GRAD_KERNEL} are registered
 * @example
 * const y = isDannDenseV2Available() ? runDannDenseV2Kernel(inputs, { activation: "relu", divisive: true }).y : dannDenseV2Fallback(inputs, attrs).y;
 */
export function isDannDenseV2Available(backendName?: string): boolean {
  return backendHasKernels([DANN_DENSE_V2_KERNEL, DANN_DENSE_V2_GRAD_KERNEL], backendName);
}

/** Checks the activation, the optional inputs and eps; returns the complete attrs. */
function completeAttrs(kernel: string, inputs: DannDenseV2Inputs, options: DannDenseV2Options): DannDenseV2Attrs {
  if (!DENSE_ACTIVATIONS.includes(options.activation)) {
    throw new TypeError(`${kernel}: unknown activation ${formatValue(options.activation)}; expected one of ${DENSE_ACTIVATIONS.join(", ")}`);
  }
  if (typeof options.divisive !== "boolean") throw new TypeError(`${kernel}: divisive must be a boolean; got ${formatValue(options.divisive)}`);
  const hasAlpha = inputs.alpha !== undefined;
  const hasG = inputs.g !== undefined;
  if (options.divisive && (!hasAlpha || !hasG)) {
    throw new TypeError(`${kernel}: divisive inhibition needs alpha and g; got ${hasAlpha ? "alpha" : "no alpha"} and ${hasG ? "g" : "no g"}`);
  }
  if (!options.divisive && (hasAlpha || hasG)) {
    throw new TypeError(`${kernel}: subtractive inhibition (divisive: false) takes no alpha or g; got ${[hasAlpha ? "alpha" : "", hasG ? "g" : ""].filter(Boolean).join(" and ")}`);
  }
  const eps = options.eps ?? DANN_DENSE_V2_DEFAULT_EPS;
  if (!Number.isFinite(eps) || eps < 0) throw new RangeError(`${kernel}: eps must be a finite number >= 0; got ${formatValue(eps)}`);
  return { activation: options.activation, divisive: options.divisive, eps, inputGradient: options.inputGradient ?? madeByRecordedOp(inputs.x) };
}

/** The default eps added to γ (the reference code's 1e-8). */
export const DANN_DENSE_V2_DEFAULT_EPS = 1e-8;

/**
 * Runs the fused DANN dense layer, Cornford et al. (2021), Sec. 2.1, eq. 1, with f inside:
 *
 *   y = f(g ⊙ (W_EE x − W_EI W_IE x) / (W_EI (e^α ⊙ W_IE x) + eps) + b)   (divisive)
 *   y = f(W_EE x − W_EI W_IE x + b)                                       (subtractive only)
 *
 * f the identity or ReLU, registering its gradient on first use (one backward call: every
 * parameter gradient and, when an earlier op made x, dL/dx). Check {@link isDannDenseV2Available}
 * first; shapes and dtypes are checked by the backend.
 *
 * @param inputs - x [B, d], W_EE [ne, d], W_IE [ni, d], W_EI [ne, ni], b [ne]; α [ni] and g [ne] when divisive; float32
 * @param options - activation, divisive, eps (default 1e-8), inputGradient (default: from the tape)
 * @returns y [B, ne] and the packed tensor the gradient reads
 * @throws TypeError naming the value for an unknown activation, or α / g missing (divisive) or given (subtractive); RangeError for a bad eps; Error from tfjs when the active backend lacks the kernel
 * @example
 * const { y } = runDannDenseV2Kernel({ x, wEE, wIE, wEI, b: beta, alpha, g }, { activation: "relu", divisive: true });
 */
export function runDannDenseV2Kernel(inputs: DannDenseV2Inputs, options: DannDenseV2Options): DannDenseV2Outputs {
  const attrs = completeAttrs(DANN_DENSE_V2_KERNEL, inputs, options);
  ensureGradientRegistered();
  return runTypedKernel<DannDenseV2Inputs, DannDenseV2Attrs, DannDenseV2Outputs>(DANN_DENSE_V2_KERNEL, OUTPUTS, inputs, attrs);
}

/**
 * The contract in separate tfjs ops, for a backend without the kernel and as the reference its
 * implementations are tested against; differentiable by tfjs's own gradients. Divisive: the ops
 * of ei-layers' `dannDenseParts` (matMul with transposeB, exp, mul, add, sub, div), then ReLU, so
 * its numbers exactly; subtractive: the factored form sub(x W_EEᵀ, (x W_IEᵀ) W_EIᵀ) + b, then
 * ReLU (ei-layers' `DannLinear` without the kernel composes W = W_EE − W_EI W_IE instead, which
 * rounds differently).
 *
 * @param inputs - as for {@link runDannDenseV2Kernel}
 * @param options - as for {@link runDannDenseV2Kernel} (inputGradient is ignored)
 * @param withSaved - also build the packed tensor (default false: then `saved` is null)
 * @returns y and, when asked, the packed tensor in the contract's layout
 * @throws TypeError / RangeError as {@link runDannDenseV2Kernel}
 * @example
 * const { y } = dannDenseV2Fallback({ x, wEE, wIE, wEI, b }, { activation: "linear", divisive: false });
 */
export function dannDenseV2Fallback(inputs: DannDenseV2Inputs, options: DannDenseV2Options, withSaved = false): { y: Tensor2D; saved: Tensor1D | null } {
  const attrs = completeAttrs(`${DANN_DENSE_V2_KERNEL} fallback`, inputs, { ...options, inputGradient: false });
  const out = tidy(() => {
    const { x, wEE, wIE, wEI, b } = inputs;
    const zE = matMul(x, wEE, false, true);
    const zI = matMul(x, wIE, false, true);
    const c = sub(zE, matMul(zI, wEI, false, true));
    let z: Tensor;
    let saved: Tensor | undefined;
    if (attrs.divisive) {
      const expAlpha = exp(inputs.alpha!);
      const gamma = add(matMul(mul(zI, expAlpha), wEI, false, true), attrs.eps);
      z = add(div(mul(inputs.g!, c), gamma), b);
      if (withSaved) saved = concat([reshape(concat([c, gamma, zI], 1), [-1]), inputs.g!, expAlpha]);
    } else {
      z = add(c, b);
      if (withSaved) saved = reshape(zI, [-1]);
    }
    const y = attrs.activation === "relu" ? relu(z) : z;
    return saved === undefined ? [y] : [y, saved];
  }) as Tensor[];
  return { y: out[0] as Tensor2D, saved: (out[1] as Tensor1D | undefined) ?? null };
}

/**
 * The DANN dense layer through this contract: the kernel when the backend has it and every
 * tensor is float32, else {@link dannDenseV2Fallback}. Same equations either way. The kernel
 * runs through {@link runKernelRecordingOneOutput}: only y is recorded on the gradient tape, so
 * the backward pass makes no zero tensor of the packed tensor's size.
 *
 * @param inputs - as for {@link runDannDenseV2Kernel}
 * @param options - as for {@link runDannDenseV2Kernel}
 * @returns y, [B, ne]
 * @throws TypeError / RangeError as {@link runDannDenseV2Kernel}
 * @example
 * const h = dannDenseV2({ x, wEE, wIE, wEI, b, alpha, g }, { activation: "relu", divisive: true });
 */
export function dannDenseV2(inputs: DannDenseV2Inputs, options: DannDenseV2Options): Tensor2D {
  const all = [inputs.x, inputs.wEE, inputs.wIE, inputs.wEI, inputs.b, inputs.alpha, inputs.g];
  if (isDannDenseV2Available() && all.every((t) => t === undefined || t.dtype === "float32")) {
    // Only y goes on the tape: the packed tensor is saved for the gradient but gets no zero dy
    // in the backward pass (runKernelRecordingOneOutput).
    const attrs = completeAttrs(DANN_DENSE_V2_KERNEL, inputs, options);
    ensureGradientRegistered(); // for an engine without runKernelFunc, which records every output
    return runKernelRecordingOneOutput<DannDenseV2Inputs, DannDenseV2Attrs, DannDenseV2Outputs>(dannDenseV2GradConfig, OUTPUTS, "y", inputs, attrs) as Tensor2D;
  }
  return dannDenseV2Fallback(inputs, options).y;
}

/** A backend's implementation of {@link DANN_DENSE_V2_KERNEL}. */
export type DannDenseV2KernelImpl<Backend> = TypedKernelImpl<DannDenseV2Inputs<TensorInfo, TensorInfo>, DannDenseV2Attrs, DannDenseV2Outputs<TensorInfo, TensorInfo>, Backend>;
/** A backend's implementation of {@link DANN_DENSE_V2_GRAD_KERNEL}. */
export type DannDenseV2GradKernelImpl<Backend> = TypedKernelImpl<DannDenseV2GradInputs<TensorInfo, TensorInfo>, DannDenseV2Attrs, DannDenseV2GradOutputs<TensorInfo, TensorInfo>, Backend>;

/**
 * The kernel configs a backend registers to implement this contract (forward and gradient).
 *
 * @param backendName - the backend
 * @param impl - the forward and gradient implementations
 * @returns two configs for `tf.registerKernel`
 * @example
 * for (const config of dannDenseV2KernelConfigs("openblas", { forward, gradient })) registerKernel(config);
 */
export function dannDenseV2KernelConfigs<Backend>(
  backendName: string,
  impl: { forward: DannDenseV2KernelImpl<Backend>; gradient: DannDenseV2GradKernelImpl<Backend> },
): KernelConfig[] {
  return [
    typedKernelConfig(DANN_DENSE_V2_KERNEL, backendName, OUTPUTS, impl.forward),
    typedKernelConfig(DANN_DENSE_V2_GRAD_KERNEL, backendName, dannDenseV2GradOutputNames, impl.gradient),
  ];
}
