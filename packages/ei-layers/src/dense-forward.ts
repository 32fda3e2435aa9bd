import { add, tidy, type Tensor1D, type Tensor2D } from "@tensorflow/tfjs-core";
import { DENSE_ACTIVATIONS, isDenseAvailable, runDenseKernel, type DenseActivation } from "@dale-nn/core";
import { linear } from "./internal/linear.js";
import { applyActivation, checkActivation, type EiActivation } from "./internal/layer-support.js";

/** Parameters of one dense layer with a "post x pre" weight. */
export interface DenseParams {
  /** W, [out, d]: row i holds the weights onto output unit i. */
  w: Tensor2D;
  /** b, [out]. */
  b: Tensor1D;
}

/** Options of {@link denseForward}. */
export interface DenseForwardOptions {
  /** f; default "relu". */
  activation?: EiActivation;
  /**
   * Run the layer as one fused kernel (the `DENSE_KERNEL` contract of `@dale-nn/core`) when the
   * backend has this version of it, as the OpenBLAS backend of `@dale-nn/openblas` does, the
   * activation is "linear" or "relu" and the tensors are float32; default true. Same equations;
   * false forces the separate ops.
   */
  fused?: boolean;
  /** Name used in error messages; default "denseForward". */
  name?: string;
}

/**
 * A dense layer with its weight stored "post x pre", the forward pass of `StandardDense`,
 * `ColEiDense` (Cornford et al. 2021, Sec. 5 and App. B.1) and `DannLinear` (W = W_EE − W_EI W_IE):
 *
 *   y = f(x Wᵀ + b),  x [B, d], W [out, d], b [out],
 *
 * with gradients dz = dy ⊙ f′(x Wᵀ + b), dL/dW = dzᵀ x, dL/db = Σ_batch dz, dL/dx = dz W (the
 * last only when something upstream needs it). On a backend with the fused dense kernel it is one
 * kernel forward and one (plus the dL/dx product) backward, instead of BatchMatMul, Add, Relu
 * and their five gradient kernels; otherwise matMul, add and the activation.
 *
 * @param x - input, [B, d]
 * @param params - W [out, d] and b [out]
 * @param options - activation (default "relu"), fused (default true), name
 * @returns y, [B, out]
 * @throws RangeError naming the shapes when x is not rank 2 or W, b do not fit it; TypeError on an unknown activation
 * @example
 * const h = denseForward(x, { w, b }, { activation: "relu" });
 */
export function denseForward(x: Tensor2D, params: DenseParams, options: DenseForwardOptions = {}): Tensor2D {
  const name = options.name ?? "denseForward";
  const activation = checkActivation(name, options.activation ?? "relu");
  const { w, b } = params;
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[1]) {
    throw new RangeError(`${name}: expected x [B, d] and w [out, d] with the same d; got x [${x.shape.join(", ")}], w [${w.shape.join(", ")}]`);
  }
  if (b.rank !== 1 || b.shape[0] !== w.shape[0]) {
    throw new RangeError(`${name}: bias must have shape [${w.shape[0]}] (the rows of w); got [${b.shape.join(", ")}]`);
  }
  const fusable = DENSE_ACTIVATIONS.includes(activation as DenseActivation) && x.dtype === "float32" && w.dtype === "float32" && b.dtype === "float32";
  if (options.fused !== false && fusable && isDenseAvailable()) {
    return runDenseKernel({ x, w, b }, { activation: activation as DenseActivation }).y;
  }
  return tidy(() => applyActivation(add(linear(x, w), b), activation) as Tensor2D);
}
