import type { KernelConfig, Tensor, TensorInfo } from "@tensorflow/tfjs-core";
import type { SgdStepProjection } from "./projected-sgd-step-kernel.js";
import { backendHasKernels, runTypedListKernel, typedListKernelConfig, type TypedKernelImpl } from "./typed-kernel.js";
import { versionedKernelName } from "./versioned-kernel-name.js";

/** The multi-tensor optimiser step kernel family; versioned names are `${family}_v${version}`. */
export const MULTI_TENSOR_STEP_KERNEL_FAMILY = "DaleMultiTensorStep";
/** The version of the multi-tensor step contract this package defines. */
export const MULTI_TENSOR_STEP_KERNEL_VERSION = 1;
/**
 * "DaleMultiTensorStep_v1": one optimiser step of every variable of a model in one kernel call
 * (the "multi-tensor apply" of PyTorch's fused / foreach optimisers): gradient scaling, the SGD,
 * momentum or Adam update and the sign projection, in one pass per variable.
 */
export const MULTI_TENSOR_STEP_KERNEL = versionedKernelName(MULTI_TENSOR_STEP_KERNEL_FAMILY, MULTI_TENSOR_STEP_KERNEL_VERSION);

/** The update rules the kernel runs. */
export type MultiTensorMethod = "sgd" | "momentum" | "adam";
/** Every {@link MultiTensorMethod}. */
export const MULTI_TENSOR_METHODS: readonly MultiTensorMethod[] = ["sgd", "momentum", "adam"];

/** How many optimiser-state tensors each method keeps per variable. */
export const MULTI_TENSOR_STATE_COUNT: Readonly<Record<MultiTensorMethod, number>> = { sgd: 0, momentum: 1, adam: 2 };

/**
 * One variable of a {@link runMultiTensorStepKernel} call; float32 tensors of one shape.
 */
export interface MultiTensorEntry<T = Tensor> {
  /** The weight θ. */
  readonly w: T;
  /** Its gradient (or update direction) ∇. */
  readonly g: T;
  /** The method's state: none (sgd), [accumulation] (momentum), [first moment, second moment] (adam). */
  readonly state: readonly T[];
}

/**
 * Attributes of {@link MULTI_TENSOR_STEP_KERNEL}. Per variable i, with s_i = `gradScales[i]`,
 * η_i = `learningRates[i]`, P_i = `projections[i]` and ĝ = s_i ∇ (every product rounded to float32,
 * in the order the separate tfjs ops use):
 *
 * - `sgd`:      θ ← P_i(θ − η_i ĝ)
 * - `momentum`: a ← μ a + ĝ;  θ ← P_i(θ − η_i a)  (Nesterov: θ ← P_i(θ − η_i (ĝ + μ a)))
 * - `adam`:     m ← β₁ m + (1 − β₁) ĝ;  v ← β₂ v + (1 − β₂) ĝ²;
 *               θ ← P_i(θ − η_i (m / c₁) / (√(v / c₂) + ε)),  c_k = 1 − β_k^t (tfjs's AdamOptimizer)
 *
 * P is the identity, max(0, ·) or min(·, 0).
 */
export interface MultiTensorStepAttrs {
  readonly method: MultiTensorMethod;
  /** η_i per variable (a constant scaling of a gradient transform may be folded in here). */
  readonly learningRates: readonly number[];
  /** s_i per variable (1: the gradient as given). */
  readonly gradScales: readonly number[];
  /** P_i per variable. */
  readonly projections: readonly SgdStepProjection[];
  /** μ (momentum). */
  readonly momentum?: number;
  /** Nesterov momentum (momentum). */
  readonly nesterov?: boolean;
  /** β₁, β₂, ε, c₁ = 1 − β₁^t, c₂ = 1 − β₂^t (adam). */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  readonly biasCorrection1?: number;
  readonly biasCorrection2?: number;
  /**
   * Update each weight and state tensor in its own buffer when the backend can prove nothing else
   * sees that buffer (its only tensor is the one passed in, and no host array aliases it);
   * otherwise, and when false, the outputs are new buffers. The values are the same either way.
   */
  readonly inPlace: boolean;
}

/** Output of {@link runMultiTensorStepKernel}: per variable, the new weight and the new state. */
export type MultiTensorStepOutputs<T = Tensor> = {
  readonly updated: readonly T[];
  readonly state: ReadonlyArray<readonly T[]>;
};

/**
 * The kernel's tfjs interface: inputs named `w{i}`, `g{i}` and `s{i}_{k}` (state k of variable i);
 * outputs the n new weights, then the state tensors in the order of the inputs.
 */
export type MultiTensorStepInputs<T = TensorInfo> = Readonly<Record<string, T>>;

/** A backend's implementation: the entries (in order) and the attrs in; the new weights and state out. */
export type MultiTensorStepKernelImpl<Backend> = TypedKernelImpl<
  { readonly entries: readonly MultiTensorEntry<TensorInfo>[] },
  MultiTensorStepAttrs,
  MultiTensorStepOutputs<TensorInfo>,
  Backend
>;

const ctx = MULTI_TENSOR_STEP_KERNEL;

function checkAttrs(count: number, attrs: MultiTensorStepAttrs): void {
  if (!MULTI_TENSOR_METHODS.includes(attrs.method)) {
    throw new TypeError(`${ctx}: unknown method ${JSON.stringify(attrs.method)}; expected one of ${MULTI_TENSOR_METHODS.join(", ")}`);
  }
  for (const key of ["learningRates", "gradScales", "projections"] as const) {
    if (!Array.isArray(attrs[key]) || attrs[key].length !== count) {
      throw new RangeError(`${ctx}: ${key} must have one entry per variable (${count}); got ${Array.isArray(attrs[key]) ? attrs[key].length : typeof attrs[key]}`);
    }
  }
}

/** Names the entries' tensors as the kernel's inputs. */
function entryInputs<T>(entries: readonly MultiTensorEntry<T>[]): Record<string, T> {
  const inputs: Record<string, T> = {};
  entries.forEach((e, i) => {
    inputs[`w${i}`] = e.w;
    inputs[`g${i}`] = e.g;
    e.state.forEach((s, k) => (inputs[`s${i}_${k}`] = s));
  });
  return inputs;
}

/** Reads the entries back from the kernel's named inputs (the inverse of {@link entryInputs}). */
function inputEntries<T>(inputs: Readonly<Record<string, T>>, count: number, stateCount: number): MultiTensorEntry<T>[] {
  const entries: MultiTensorEntry<T>[] = [];
  for (let i = 0; i < count; i++) {
    const w = inputs[`w${i}`];
    const g = inputs[`g${i}`];
    if (w === undefined || g === undefined) throw new RangeError(`${ctx}: input w${i} or g${i} is missing`);
    const state: T[] = [];
    for (let k = 0; k < stateCount; k++) {
      const s = inputs[`s${i}_${k}`];
      if (s === undefined) throw new RangeError(`${ctx}: state input s${i}_${k} is missing`);
      state.push(s);
    }
    entries.push({ w, g, state });
  }
  return entries;
}

/**
 * Whether the backend runs this version of the multi-tensor step. Not differentiated, so no
 * gradient kernel.
 *
 * @param backendName - default: the active backend
 * @returns true when {@link MULTI_TENSOR_STEP_KERNEL} is registered
 * @example
 * if (isMultiTensorStepAvailable()) runMultiTensorStepKernel(entries, attrs);
 */
export function isMultiTensorStepAvailable(backendName?: string): boolean {
  return backendHasKernels([MULTI_TENSOR_STEP_KERNEL], backendName);
}

/**
 * Runs one optimiser step of every entry as one kernel call (see {@link MultiTensorStepAttrs} for
 * the update rules). Check {@link isMultiTensorStepAvailable} first.
 *
 * @param entries - weight, gradient and state per variable
 * @param attrs - the method, per-variable rates, scales and projections, and the method's constants
 * @returns the new weights and state, in the entries' order (with `inPlace`, possibly the same buffers)
 * @throws TypeError / RangeError on an unknown method, a per-variable list of the wrong length, or
 *   an entry with the wrong number of state tensors; Error from tfjs when the kernel is absent
 * @example
 * const { updated } = runMultiTensorStepKernel([{ w, g, state: [] }], {
 *   method: "sgd", learningRates: [0.1], gradScales: [1], projections: ["nonneg"], inPlace: true,
 * });
 */
export function runMultiTensorStepKernel(entries: readonly MultiTensorEntry[], attrs: MultiTensorStepAttrs): MultiTensorStepOutputs {
  checkAttrs(entries.length, attrs);
  const stateCount = MULTI_TENSOR_STATE_COUNT[attrs.method];
  entries.forEach((e, i) => {
    if (e.state.length !== stateCount) throw new RangeError(`${ctx}: ${attrs.method} keeps ${stateCount} state tensor(s) per variable; entry ${i} has ${e.state.length}`);
  });
  const list = runTypedListKernel(MULTI_TENSOR_STEP_KERNEL, entryInputs(entries), attrs);
  const n = entries.length;
  const state: Tensor[][] = [];
  for (let i = 0; i < n; i++) state.push(list.slice(n + i * stateCount, n + (i + 1) * stateCount));
  return { updated: list.slice(0, n), state };
}

/**
 * The kernel config a backend registers to implement this contract.
 *
 * @param backendName - the backend
 * @param impl - the implementation (gets the entries in order)
 * @returns one config for `tf.registerKernel`
 * @example
 * registerKernel(multiTensorStepKernelConfig("openblas", impl));
 */
export function multiTensorStepKernelConfig<Backend>(backendName: string, impl: MultiTensorStepKernelImpl<Backend>): KernelConfig {
  return typedListKernelConfig<MultiTensorStepInputs, MultiTensorStepAttrs, Backend>(MULTI_TENSOR_STEP_KERNEL, backendName, ({ inputs, attrs, backend }) => {
    const count = attrs.learningRates?.length ?? 0;
    checkAttrs(count, attrs);
    const out = impl({ inputs: { entries: inputEntries(inputs, count, MULTI_TENSOR_STATE_COUNT[attrs.method]) }, attrs, backend });
    return [...out.updated, ...out.state.flat()];
  });
}
