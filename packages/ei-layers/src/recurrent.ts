import { add, matMul, relu, reshape, stack, sub, tidy, unstack, zeros, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D } from "@tensorflow/tfjs-core";
import { linear } from "./internal/linear.js";

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
}

/**
 * Runs a ReLU RNN layer over a sequence (Li et al. 2023, eq. 1):
 * h_t = ReLU(U x_t + W h_{t−1} + b), h_0 = 0. Differentiable end to end, so `tf.grad` through it
 * is full backpropagation through time. U x_t is computed for all steps in one product.
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
    const inputs = reshape(add(linear(reshape(x, [batch * steps, d]) as Tensor2D, weights.u), weights.bias), [batch, steps, n]);
    const perStep = unstack(inputs, 1) as Tensor2D[];
    let h: Tensor2D = options.h0 ?? (zeros([batch, n]) as Tensor2D);
    const states: Tensor2D[] = [];
    for (const ut of perStep) {
      h = relu(add(ut, linear(h, weights.w))) as Tensor2D;
      if (options.returnSequences) states.push(h);
    }
    return options.returnSequences ? stack(states, 1) : h;
  });
}
