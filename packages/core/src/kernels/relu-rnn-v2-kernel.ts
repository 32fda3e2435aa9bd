import { registerGradient, type GradConfig, type KernelConfig, type NamedAttrMap, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type TensorInfo } from "@tensorflow/tfjs-core";
import { madeByRecordedOp } from "../internal/made-by-recorded-op.js";
import { formatValue } from "../validation/index.js";
import { RELU_RNN_KERNEL_FAMILY } from "./relu-rnn-kernel.js";
import { runKernelRecordingOneOutput } from "./record-one-output.js";
import { backendHasKernels, runTypedKernel, typedKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/**
 * Version 2 of the ReLU recurrence contract: the whole layer (input product, bias, recurrence)
 * on the layer's batch-major layout, one output (all states or the last), and every gradient,
 * dL/dx when asked, in one backward call.
 */
export const RELU_RNN_V2_KERNEL_VERSION = 2;
/** "DaleReluRnn_v2": a whole ReLU RNN layer, H_t = ReLU(X_t Uᵀ + b + H_{t−1} Wᵀ) (Li et al. 2023, eq. 1). */
export const RELU_RNN_V2_KERNEL = versionedKernelName(RELU_RNN_KERNEL_FAMILY, RELU_RNN_V2_KERNEL_VERSION);
/** "DaleReluRnnGrad_v2": its backpropagation through time, all gradients in one call. */
export const RELU_RNN_V2_GRAD_KERNEL = versionedKernelName(`${RELU_RNN_KERNEL_FAMILY}Grad`, RELU_RNN_V2_KERNEL_VERSION);

/**
 * Inputs of {@link RELU_RNN_V2_KERNEL}; all float32; x batch-major (the layer's input as it is,
 * so nothing around the kernel transposes). `T3` / `T2` / `T1` are the rank-3 / -2 / -1 types
 * (tensors for callers, `TensorInfo` for backends).
 */
export interface ReluRnnV2Inputs<T3 = Tensor3D, T2 = Tensor2D, T1 = Tensor1D> {
  /** The input sequence x, [B, T, d]. */
  readonly x: T3;
  /** Input weights U, [n, d], "post x pre". */
  readonly u: T2;
  /** Bias b, [n]. */
  readonly bias: T1;
  /** Recurrent weights W, [n, n], "post x pre". */
  readonly w: T2;
  /** Initial state H_{−1}, [B, n]. */
  readonly h0: T2;
}

/** Attributes of {@link RELU_RNN_V2_KERNEL} (its gradient kernel receives the same). */
export interface ReluRnnV2Attrs {
  /**
   * true: the output is every state, `states` [B, T, n]; false: the last state, `last` [B, n]
   * (plus `saved`, the states in the layout the gradient reads).
   */
  readonly returnSequences: boolean;
  /**
   * Whether the gradient kernel also forms dL/dx = dA U. Not a property of the layer: the
   * engine's need, which {@link runReluRnnV2Kernel} reads from the tape (x made by a recorded op,
   * such as an earlier layer; not a network's input). When false and the engine asks for dL/dx
   * anyway (`tf.grad` with respect to an input), the gradient runs the gradient kernel once more for it.
   */
  readonly inputGradient: boolean;
}

/** What a caller sets of {@link ReluRnnV2Attrs}: returnSequences defaults to false, inputGradient to what the tape says. */
export interface ReluRnnV2Options {
  readonly returnSequences?: boolean;
  readonly inputGradient?: boolean;
}

/**
 * Outputs of {@link RELU_RNN_V2_KERNEL}, in the order {@link reluRnnV2OutputNames} gives: `states`
 * when `returnSequences`, else `saved` then `last`.
 */
export type ReluRnnV2Outputs<T3 = Tensor3D, T2 = Tensor2D> = {
  /** Every state H, [B, T, n], batch-major (a sequence-returning layer's output as it is); exactly when `returnSequences`. */
  readonly states?: T3;
  /** H_{T−1}, [B, n]; exactly when not `returnSequences`. */
  readonly last?: T2;
  /**
   * Exactly when not `returnSequences`: every state, time-major [T, B, n] (each step's block
   * contiguous, for the gradient's per-step products), for the gradient only. It feeds nothing:
   * the gradient ignores any dy for it (the engine's zeros), so read the model's value from `last`.
   */
  readonly saved?: T3;
};

/** Inputs of {@link RELU_RNN_V2_GRAD_KERNEL}: dL/d(output) and the forward's x, states, U, W, h0. */
export interface ReluRnnV2GradInputs<T3 = Tensor3D, T2 = Tensor2D> {
  /** dL/dH, [B, T, n], when `returnSequences`; else dL/dH_{T−1}, [B, n]. */
  readonly dy: T3 | T2;
  /** x, [B, T, d]. */
  readonly x: T3;
  /**
   * The forward's states: `states` [B, T, n] when `returnSequences`, else `saved` [T, B, n].
   * relu′ is read from them (1 where H > 0, else 0).
   */
  readonly h: T3;
  readonly u: T2;
  readonly w: T2;
  readonly h0: T2;
}

/**
 * Outputs of {@link RELU_RNN_V2_GRAD_KERNEL}, in this order (dx last, present exactly when the
 * attr `inputGradient` is true). With dA_t the gradient of step t's pre-activation:
 */
export type ReluRnnV2GradOutputs<T3 = Tensor3D, T2 = Tensor2D, T1 = Tensor1D> = {
  /** dL/dU = Σ_t dA_tᵀ X_t, [n, d]. */
  readonly du: T2;
  /** dL/db = Σ_t Σ_b dA_t, [n]. */
  readonly dbias: T1;
  /** dL/dW = Σ_t dA_tᵀ H_{t−1}, [n, n]. */
  readonly dw: T2;
  /** dL/dh0 = dA_0 W, [B, n]. */
  readonly dh0: T2;
  /** dL/dx = dA U, [B, T, d]: only when `inputGradient`. */
  readonly dx?: T3;
};

/**
 * The forward kernel's outputs for these attrs, in order: `states` when `returnSequences`, else
 * `saved`, `last` (the states first either way: the gradient saves output 0).
 *
 * @param attrs - the kernel's attrs
 * @returns the output names
 * @example
 * reluRnnV2OutputNames({ returnSequences: false }); // ["saved", "last"]
 */
export function reluRnnV2OutputNames(attrs: Pick<ReluRnnV2Attrs, "returnSequences">): (keyof ReluRnnV2Outputs)[] {
  return attrs.returnSequences ? ["states"] : ["saved", "last"];
}

/**
 * The gradient kernel's outputs for these attrs, in order: du, dbias, dw, dh0, then dx when
 * `inputGradient`.
 *
 * @param attrs - the kernel's attrs
 * @returns the output names
 * @example
 * reluRnnV2GradOutputNames({ inputGradient: false }); // ["du", "dbias", "dw", "dh0"]
 */
export function reluRnnV2GradOutputNames(attrs: Pick<ReluRnnV2Attrs, "inputGradient">): (keyof ReluRnnV2GradOutputs)[] {
  return attrs.inputGradient ? ["du", "dbias", "dw", "dh0", "dx"] : ["du", "dbias", "dw", "dh0"];
}

/**
 * The gradient of {@link RELU_RNN_V2_KERNEL}: one {@link RELU_RNN_V2_GRAD_KERNEL} call for every
 * input (a second one only when dL/dx is asked for although the tape said no). Saves x, U, W, h0
 * and the forward's output 0 (the states, in either layout); not b.
 */
export const reluRnnV2GradConfig: GradConfig = {
  kernelName: RELU_RNN_V2_KERNEL,
  inputsToSave: ["x", "u", "w", "h0"],
  outputsToSave: [true, false],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, u, w, h0, h] = saved as [Tensor3D, Tensor2D, Tensor2D, Tensor2D, Tensor3D];
    const a = attrs as unknown as ReluRnnV2Attrs;
    // Not returnSequences: dy[0] is the engine's zeros for `saved`, which feeds nothing.
    const dyOut = (a.returnSequences ? (Array.isArray(dy) ? dy[0] : dy) : (dy as Tensor[])[1]) as Tensor3D | Tensor2D;
    const gradInputs: ReluRnnV2GradInputs = { dy: dyOut, x, h, u, w, h0 };
    const run = (inputGradient: boolean): ReluRnnV2GradOutputs => {
      const gradAttrs: ReluRnnV2Attrs = { returnSequences: a.returnSequences, inputGradient };
      return runTypedKernel<ReluRnnV2GradInputs, ReluRnnV2Attrs, ReluRnnV2GradOutputs>(RELU_RNN_V2_GRAD_KERNEL, reluRnnV2GradOutputNames(gradAttrs), gradInputs, gradAttrs);
    };
    // Computed here, not inside the closures: the engine runs each closure in its own tidy,
    // which would dispose the parts another closure returns. Unused parts are disposed with
    // the backward pass's scope.
    const grads = run(a.inputGradient);
    return {
      // Asked for although the tape said no (x is an input being differentiated): one more call.
      x: () => grads.dx ?? run(true).dx!,
      u: () => grads.du,
      bias: () => grads.dbias,
      w: () => grads.dw,
      h0: () => grads.dh0,
    };
  },
};

let gradientRegistered = false;

/** Registers {@link reluRnnV2GradConfig} on first use. */
function ensureGradientRegistered(): void {
  if (!gradientRegistered) {
    registerGradient(reluRnnV2GradConfig);
    gradientRegistered = true;
  }
}

/**
 * Whether the backend runs version 2 of the fused recurrence and its gradient. A backend
 * without them, or with another version only, makes the library use the version it has or the
 * per-step ops.
 *
 * @param backendName - default: the active backend
 * @returns true when both {@link RELU_RNN_V2_KERNEL} and {@link RELU_RNN_V2_GRAD_KERNEL} are registered
 * @example
 * if (isReluRnnV2Available()) ({ last } = runReluRnnV2Kernel({ x, u, bias, w, h0 }));
 */
export function isReluRnnV2Available(backendName?: string): boolean {
  return backendHasKernels([RELU_RNN_V2_KERNEL, RELU_RNN_V2_GRAD_KERNEL], backendName);
}

/** Checks the options; returns the complete attrs (inputGradient from the tape unless given). */
function reluRnnV2Attrs(inputs: ReluRnnV2Inputs, options: ReluRnnV2Options): ReluRnnV2Attrs {
  for (const key of ["returnSequences", "inputGradient"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "boolean") {
      throw new TypeError(`${RELU_RNN_V2_KERNEL}: ${key} must be a boolean; got ${formatValue(options[key])}`);
    }
  }
  return { returnSequences: options.returnSequences ?? false, inputGradient: options.inputGradient ?? madeByRecordedOp(inputs.x) };
}

/**
 * Runs a whole ReLU RNN layer as one kernel, H_t = ReLU(X_t Uᵀ + b + H_{t−1} Wᵀ), t = 0..T−1
 * (Li et al. 2023, eq. 1; H_{−1} = h0), on batch-major x [B, T, d], registering its gradient on
 * first use. Check {@link isReluRnnV2Available} first.
 *
 * @param inputs - x [B, T, d], U [n, d], b [n], W [n, n], h0 [B, n]
 * @param options - returnSequences (default false), inputGradient (default: whether a recorded op made x)
 * @returns `states` [B, T, n] when returnSequences; else `last` [B, n] and `saved` (the gradient's; feeds nothing)
 * @throws TypeError when returnSequences or inputGradient is given and not a boolean; Error from
 *   tfjs when the active backend lacks the kernel; the backend's RangeError for mismatched shapes
 * @example
 * const { last } = runReluRnnV2Kernel({ x, u, bias, w, h0 });
 * const { states } = runReluRnnV2Kernel({ x, u, bias, w, h0 }, { returnSequences: true });
 */
export function runReluRnnV2Kernel(inputs: ReluRnnV2Inputs, options: ReluRnnV2Options = {}): ReluRnnV2Outputs {
  const attrs = reluRnnV2Attrs(inputs, options);
  ensureGradientRegistered();
  return runTypedKernel<ReluRnnV2Inputs, ReluRnnV2Attrs, ReluRnnV2Outputs>(RELU_RNN_V2_KERNEL, reluRnnV2OutputNames(attrs), inputs, attrs);
}

/**
 * {@link runReluRnnV2Kernel} for a layer: returns the states (`returnSequences`) or the last
 * state, and records only that on the gradient tape; without `returnSequences` the states are
 * saved for the backward pass, not recorded, so the backward pass makes no T × B × n zero tensor
 * for them ({@link runKernelRecordingOneOutput}). Same numbers, same gradient.
 *
 * @param inputs - as for {@link runReluRnnV2Kernel}
 * @param options - as for {@link runReluRnnV2Kernel}
 * @returns H [B, T, n] when `returnSequences`, else H_{T−1} [B, n]
 * @throws as {@link runReluRnnV2Kernel}
 * @example
 * const last = runReluRnnV2Layer({ x, u, bias, w, h0 }) as Tensor2D;
 */
export function runReluRnnV2Layer(inputs: ReluRnnV2Inputs, options: ReluRnnV2Options = {}): Tensor3D | Tensor2D {
  const attrs = reluRnnV2Attrs(inputs, options);
  const order = reluRnnV2OutputNames(attrs);
  ensureGradientRegistered(); // the fallback of an engine without runKernelFunc records through it
  return runKernelRecordingOneOutput<ReluRnnV2Inputs, ReluRnnV2Attrs, ReluRnnV2Outputs>(reluRnnV2GradConfig, order, attrs.returnSequences ? "states" : "last", inputs, attrs) as Tensor3D | Tensor2D;
}

/** A backend's implementation of {@link RELU_RNN_V2_KERNEL}. */
export type ReluRnnV2KernelImpl<Backend> = TypedKernelImpl<ReluRnnV2Inputs<TensorInfo, TensorInfo, TensorInfo>, ReluRnnV2Attrs, ReluRnnV2Outputs<TensorInfo, TensorInfo>, Backend>;
/** A backend's implementation of {@link RELU_RNN_V2_GRAD_KERNEL}. */
export type ReluRnnV2GradKernelImpl<Backend> = TypedKernelImpl<
  ReluRnnV2GradInputs<TensorInfo, TensorInfo>,
  ReluRnnV2Attrs,
  ReluRnnV2GradOutputs<TensorInfo, TensorInfo, TensorInfo>,
  Backend
>;

/**
 * The kernel configs a backend registers to implement version 2 (forward and gradient).
 *
 * @param backendName - the backend
 * @param impl - the forward and gradient implementations
 * @returns two configs for `tf.registerKernel`
 * @example
 * for (const config of reluRnnV2KernelConfigs("openblas", { forward, gradient })) registerKernel(config);
 */
export function reluRnnV2KernelConfigs<Backend>(
  backendName: string,
  impl: { forward: ReluRnnV2KernelImpl<Backend>; gradient: ReluRnnV2GradKernelImpl<Backend> },
): KernelConfig[] {
  return [
    typedKernelConfig(RELU_RNN_V2_KERNEL, backendName, reluRnnV2OutputNames, impl.forward),
    typedKernelConfig(RELU_RNN_V2_GRAD_KERNEL, backendName, reluRnnV2GradOutputNames, impl.gradient),
  ];
}
