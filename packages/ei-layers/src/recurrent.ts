import { add, div, exp, matMul, mul, relu, reshape, stack, sub, tidy, transpose, unstack, zeros, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D } from "@tensorflow/tfjs-core";
import { linear } from "./internal/linear.js";
import { isReluRnnAvailable, isReluRnnV2Available, runReluRnnKernel, runReluRnnV2Layer, unstackSteps } from "@dale-nn/core";

/** The effective weights of one recurrent layer, "post x pre". */
export interface RecurrentWeights {
  /** Input weights U, [n, d]. */
  u: Tensor2D;
  /** Recurrent weights W, [n, n]. */
  w: Tensor2D;
  /** Bias b, [n]. */
  bias: Tensor1D;
}

/** The three non-negative factors of a DANN matrix M = M_EE − M_EI M_IE. */
export interface DannMatrixFactors {
  ee: Tensor2D;
  ie: Tensor2D;
  ei: Tensor2D;
}

/**
 * M = M_EE − M_EI M_IE (Li et al. 2023, eq. 3): the effective weight of a DANN factorisation.
 *
 * @throws RangeError when the factor shapes do not fit ([ne, d], [ni, d], [ne, ni])
 */
export function composeDann(f: DannMatrixFactors, name = "composeDann"): Tensor2D {
  const [ne, d] = f.ee.shape;
  const [ni, d2] = f.ie.shape;
  if (d2 !== d || f.ei.shape[0] !== ne || f.ei.shape[1] !== ni) {
    throw new RangeError(
      `${name}: factor shapes must be EE [ne, d], IE [ni, d], EI [ne, ni]; got EE [${f.ee.shape.join(", ")}], IE [${f.ie.shape.join(", ")}], EI [${f.ei.shape.join(", ")}]`,
    );
  }
  return tidy(() => sub(f.ee, matMul(f.ei, f.ie)) as Tensor2D);
}

/** Options of {@link rnnForward}. */
export interface RnnForwardOptions {
  /** Return every hidden state [batch, T, n] (true) or the last one [batch, n] (false, default). */
  returnSequences?: boolean;
  /** Initial state h_0, [batch, n]; default 0. */
  h0?: Tensor2D;
  /** Name for error messages. */
  name?: string;
  /**
   * Run the layer as one fused kernel when the backend has one, as the OpenBLAS backend of
   * `@dale-nn/openblas` does: version 2 (`RELU_RNN_V2_KERNEL` of `@dale-nn/core`: input product,
   * bias and recurrence on the batch-major layout, nothing transposed), else version 1
   * (`RELU_RNN_KERNEL`: the recurrence on a time-major precomputed drive); default true. Same
   * equations either way; false forces the per-step ops.
   */
  fused?: boolean;
}

/**
 * Runs a ReLU RNN layer over a sequence (Li et al. 2023, eq. 1):
 * h_t = ReLU(U x_t + W h_{t−1} + b), h_0 = 0. Differentiable end to end, so `tf.grad` through it
 * is full backpropagation through time. Where the backend has a fused kernel for it (see
 * `fused`), the whole layer is one kernel each way; otherwise U x_t is computed for all steps in
 * one product, then the recurrence per step.
 *
 * @param x - inputs [batch, T, d]
 * @param weights - effective U [n, d], W [n, n], b [n] (compose DANN factors with {@link composeDann})
 * @param options - returnSequences, h0
 * @returns [batch, T, n] or [batch, n]
 * @throws RangeError on T = 0 or mismatched widths
 * @example
 * const h = rnnForward(x, { u, w, bias }, { returnSequences: true });
 */
export function rnnForward(x: Tensor3D, weights: RecurrentWeights, options: RnnForwardOptions = {}): Tensor {
  const name = options.name ?? "rnnForward";
  if (x.rank !== 3) throw new RangeError(`${name}: input must be rank 3 [batch, T, d]; got shape [${x.shape.join(", ")}]`);
  const [batch, steps, d] = x.shape;
  const [n, du] = weights.u.shape;
  if (steps === 0) throw new RangeError(`${name}: sequence length must be >= 1; got 0`);
  if (d !== du) throw new RangeError(`${name}: input width must be ${du} (columns of U); got ${d}`);
  if (weights.w.shape[0] !== n || weights.w.shape[1] !== n) throw new RangeError(`${name}: W must be [${n}, ${n}]; got [${weights.w.shape.join(", ")}]`);
  if (weights.bias.shape[0] !== n) throw new RangeError(`${name}: bias must be [${n}]; got [${weights.bias.shape.join(", ")}]`);
  return tidy(() => {
    const fused = options.fused !== false;
    if (fused && isReluRnnV2Available()) {
      const h0 = options.h0 ?? (zeros([batch, n]) as Tensor2D);
      const returnSequences = options.returnSequences === true;
      return runReluRnnV2Layer({ x, u: weights.u, bias: weights.bias, w: weights.w, h0 }, { returnSequences });
    }
    const inputs = reshape(add(linear(reshape(x, [batch * steps, d]) as Tensor2D, weights.u), weights.bias), [batch, steps, n]);
    const timeMajor = transpose(inputs, [1, 0, 2]) as Tensor3D;
    if (fused && isReluRnnAvailable()) {
      const h0 = options.h0 ?? (zeros([batch, n]) as Tensor2D);
      const { states, last } = runReluRnnKernel({ u: timeMajor, w: weights.w, h0 });
      return options.returnSequences ? transpose(states, [1, 0, 2]) : last;
    }
    // Time-major before splitting: slices along axis 0 are contiguous copies on every backend.
    const perStep = unstackSteps<Tensor2D>(timeMajor, 0);
    let h: Tensor2D = options.h0 ?? (zeros([batch, n]) as Tensor2D);
    const states: Tensor2D[] = [];
    for (const ut of perStep) {
      h = relu(add(ut, linear(h, weights.w))) as Tensor2D;
      if (options.returnSequences) states.push(h);
    }
    return options.returnSequences ? stack(states, 1) : h;
  });
}

/** Parameters of a DANN recurrent layer with subtractive and divisive inhibition. */
export interface DivisiveDannRnnParams {
  u: DannMatrixFactors;
  w: DannMatrixFactors;
  /** log divisive strength of the input-side (U) interneurons, [ni]. */
  alphaU: Tensor1D;
  /** log divisive strength of the recurrent-side (W) interneurons, [ni]. */
  alphaW: Tensor1D;
  /** Gain g, [ne], ≥ 0. */
  g: Tensor1D;
  bias: Tensor1D;
}

/**
 * A DANN RNN layer with divisive as well as subtractive inhibition: eq. 1 of Cornford et al. (2021)
 * applied at every step to the layer's input [x_t; h_{t−1}], each with its own interneurons:
 *
 *   z_E = U_EE x_t + W_EE h_{t−1},  a = U_IE x_t,  r = W_IE h_{t−1}
 *   γ = U_EI (e^{α_U} ⊙ a) + W_EI (e^{α_W} ⊙ r) + eps
 *   h_t = ReLU(g ⊙ (z_E − U_EI a − W_EI r) / γ + b)
 *
 * Without the divisive term this is {@link rnnForward} with U and W from {@link composeDann}.
 * (Li et al. 2023 use the subtractive form; this is an option.)
 */
export function divisiveDannRnnForward(x: Tensor3D, p: DivisiveDannRnnParams, options: RnnForwardOptions & { eps?: number } = {}): Tensor {
  const name = options.name ?? "divisiveDannRnnForward";
  if (x.rank !== 3) throw new RangeError(`${name}: input must be rank 3 [batch, T, d]; got shape [${x.shape.join(", ")}]`);
  const [batch, steps, d] = x.shape;
  const [ne, du] = p.u.ee.shape;
  const ni = p.u.ie.shape[0];
  if (steps === 0) throw new RangeError(`${name}: sequence length must be >= 1; got 0`);
  if (d !== du) throw new RangeError(`${name}: input width must be ${du} (columns of U_EE); got ${d}`);
  const eps = options.eps ?? 1e-8;
  return tidy(() => {
    const flat = reshape(x, [batch * steps, d]) as Tensor2D;
    const xE = unstack(transpose(reshape(linear(flat, p.u.ee), [batch, steps, ne]), [1, 0, 2]), 0) as Tensor2D[];
    const xI = unstack(transpose(reshape(linear(flat, p.u.ie), [batch, steps, ni]), [1, 0, 2]), 0) as Tensor2D[];
    const eU = exp(p.alphaU);
    const eW = exp(p.alphaW);
    let h: Tensor2D = options.h0 ?? (zeros([batch, ne]) as Tensor2D);
    const states: Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      const a = xI[t]!;
      const r = linear(h, p.w.ie);
      const zE = add(xE[t]!, linear(h, p.w.ee));
      const subtractive = add(linear(a, p.u.ei), linear(r, p.w.ei));
      const gamma = add(add(linear(mul(a, eU) as Tensor2D, p.u.ei), linear(mul(r, eW) as Tensor2D, p.w.ei)), eps);
      h = relu(add(div(mul(p.g, sub(zE, subtractive)), gamma), p.bias)) as Tensor2D;
      if (options.returnSequences) states.push(h);
    }
    return options.returnSequences ? stack(states, 1) : h;
  });
}
