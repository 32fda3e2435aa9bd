import { add, div, exp, mul, relu, sub, tidy, min, type Tensor1D, type Tensor2D } from "@tensorflow/tfjs-core";
import { linear } from "./internal/linear.js";
import { DENSE_ACTIVATIONS, isDannDenseAvailable, isDannDenseV2Available, runDannDenseKernel, dannDenseV2, type DenseActivation } from "@dale-nn/core";

/** Parameters of one DANN dense layer, "post x pre" shapes (Cornford et al. 2021, eq. 1). */
export interface DannDenseParams {
  /** W_EE, [ne, d], ≥ 0: excitatory input to excitatory units. */
  wEE: Tensor2D;
  /** W_IE, [ni, d], ≥ 0: excitatory input to inhibitory units. */
  wIE: Tensor2D;
  /** W_EI, [ne, ni], ≥ 0: inhibitory units onto excitatory units. */
  wEI: Tensor2D;
  /** α, [ni]: log strength of divisive inhibition per inhibitory unit. */
  alpha: Tensor1D;
  /** g, [ne], ≥ 0: gain. */
  g: Tensor1D;
  /** β, [ne]: bias. */
  beta: Tensor1D;
}

/** Options of {@link dannDense}. */
export interface DannDenseOptions {
  /** Added to γ to keep the division finite; default 1e-8 (reference code). */
  eps?: number;
  /**
   * Check that every input is ≥ 0 (Dale's law: the layer's inputs are excitatory). Reads the
   * minimum back to the host, so it costs a synchronisation; default false.
   */
  requireNonNegativeInput?: boolean;
  /**
   * {@link dannDense} only: run the layer as one fused kernel when the backend has it, as the
   * OpenBLAS backend of `@dale-nn/openblas` does: the `DANN_DENSE_V2_KERNEL` contract of
   * `@dale-nn/core` (activation inside, one gradient call), else `DANN_DENSE_KERNEL` (version 1,
   * the activation as a separate op); default true. Same equations; false forces the separate ops.
   * ({@link dannDenseParts} always uses the separate ops: it returns the parts.)
   */
  fused?: boolean;
  /**
   * {@link dannDense} only: f applied to z, "linear" (default: z itself) or "relu" (inside the
   * fused kernel where the backend has version 2 of it, else `tf.relu`).
   */
  activation?: DenseActivation;
  /** Name used in error messages. */
  name?: string;
}

/** The intermediate quantities of eq. 1, for analyses of E/I balance. */
export interface DannDenseParts {
  /** z_E = W_EE x, [batch, ne]. */
  zE: Tensor2D;
  /** z_I = W_IE x (linear inhibitory units, h_I = z_I), [batch, ni]. */
  zI: Tensor2D;
  /** Subtractive inhibition W_EI z_I, [batch, ne]. */
  subtractive: Tensor2D;
  /** Divisive inhibition γ = W_EI (e^α ⊙ z_I) + eps, [batch, ne]. */
  gamma: Tensor2D;
  /** z = g ⊙ (z_E − W_EI z_I) / γ + β, [batch, ne]. */
  z: Tensor2D;
}

/** Default eps added to γ. */
export const DANN_EPS = 1e-8;

/**
 * Throws a clear error when the parameter shapes do not fit each other or the input.
 * @internal exported for the layer wrapper
 */
export function checkDannShapes(x: Tensor2D, p: DannDenseParams, name: string): void {
  const [ne, d] = p.wEE.shape;
  const ni = p.wIE.shape[0];
  const expect = (what: string, shape: readonly number[], want: readonly number[]): void => {
    if (shape.length !== want.length || shape.some((s, i) => s !== want[i])) {
      throw new RangeError(`${name}: ${what} must have shape [${want.join(", ")}]; got [${shape.join(", ")}]`);
    }
  };
  if (x.rank !== 2) throw new RangeError(`${name}: input must be rank 2 [batch, d=${d}]; got shape [${x.shape.join(", ")}]`);
  if (x.shape[1] !== d) throw new RangeError(`${name}: input width must be d = ${d} (columns of wEE); got ${x.shape[1]}`);
  expect("wIE", p.wIE.shape, [ni, d]);
  expect("wEI", p.wEI.shape, [ne, ni]);
  expect("alpha", p.alpha.shape, [ni]);
  expect("g", p.g.shape, [ne]);
  expect("beta", p.beta.shape, [ne]);
}

/** Checks eps, shapes and (optionally) non-negative input; returns eps. */
function validateInputs(x: Tensor2D, params: DannDenseParams, options: DannDenseOptions, name: string): number {
  const eps = options.eps ?? DANN_EPS;
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new RangeError(`${name}: eps must be a finite number >= 0; got ${eps}`);
  checkDannShapes(x, params, name);
  if (options.requireNonNegativeInput) {
    const m = tidy(() => min(x)).dataSync()[0] as number;
    if (m < 0 || Number.isNaN(m)) {
      throw new RangeError(`${name}: input must be non-negative (Dale's law: inputs are excitatory); min was ${m}`);
    }
  }
  return eps;
}

/**
 * All intermediate quantities of the DANN layer (eq. 1), see {@link dannDense}.
 * The caller owns (and must dispose) the returned tensors.
 */
export function dannDenseParts(x: Tensor2D, params: DannDenseParams, options: DannDenseOptions = {}): DannDenseParts {
  const eps = validateInputs(x, params, options, options.name ?? "dannDense");
  return tidy(() => {
    const zE = linear(x, params.wEE);
    const zI = linear(x, params.wIE);
    const subtractive = linear(zI, params.wEI);
    const gamma = add(linear(mul(zI, exp(params.alpha)) as Tensor2D, params.wEI), eps) as Tensor2D;
    const z = add(div(mul(params.g, sub(zE, subtractive)), gamma), params.beta) as Tensor2D;
    return { zE, zI, subtractive, gamma, z };
  });
}

/**
 * The DANN dense layer, eq. 1 of Cornford et al. (2021), Sec. 2.1, and optionally its ReLU:
 *
 *   z_E = W_EE x,  z_I = W_IE x,  γ = W_EI (e^α ⊙ z_I) + eps,
 *   z = g ⊙ (z_E − W_EI z_I) / γ + β,  y = f(z)
 *
 * Inhibitory units are linear (f_I = identity), as in the paper. f is the identity by default
 * (y = z: apply softmax at the output yourself) or ReLU (`activation: "relu"`, hidden layers); the
 * `DannDense` layer does this. On a backend with the fused kernel (version 2) this is one kernel
 * forward and one backward, dL/dx included when an earlier op made x.
 *
 * @param x - input, [batch, d], non-negative for a Dale's-law network
 * @param params - W_EE [ne, d], W_IE [ni, d], W_EI [ne, ni], α [ni], g [ne], β [ne]
 * @param options - eps (default 1e-8), activation (default "linear"), fused (default true), an optional input-sign check
 * @returns y = f(z), [batch, ne]
 * @throws RangeError on mismatched shapes, a wrong input width, or (when asked) negative input; TypeError on an activation other than "linear" or "relu"
 * @example
 * const z = dannDense(x, { wEE, wIE, wEI, alpha, g, beta });
 * const h = dannDense(x, { wEE, wIE, wEI, alpha, g, beta }, { activation: "relu" });
 */
export function dannDense(x: Tensor2D, params: DannDenseParams, options: DannDenseOptions = {}): Tensor2D {
  const name = options.name ?? "dannDense";
  const activation = options.activation ?? "linear";
  if (!DENSE_ACTIVATIONS.includes(activation)) {
    throw new TypeError(`${name}: unknown activation ${JSON.stringify(activation)}; expected one of ${DENSE_ACTIVATIONS.join(", ")}`);
  }
  const f = (z: Tensor2D): Tensor2D => (activation === "relu" ? relu(z) : z);
  if (options.fused !== false && x.dtype === "float32") {
    if (isDannDenseV2Available()) {
      const eps = validateInputs(x, params, options, name);
      const { wEE, wIE, wEI, alpha, g, beta } = params;
      return tidy(() => dannDenseV2({ x, wEE, wIE, wEI, b: beta, alpha, g }, { activation, divisive: true, eps }));
    }
    if (isDannDenseAvailable()) {
      const eps = validateInputs(x, params, options, name);
      return tidy(() => f(runDannDenseKernel({ x, ...params }, { eps }).z));
    }
  }
  return tidy(() => f(dannDenseParts(x, params, options).z));
}
