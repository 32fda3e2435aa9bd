import { separableConv2d, type Tensor4D } from "@tensorflow/tfjs-core";
import { formatShape } from "@dale-nn/core";
import { effectiveKernel, type KernelConstraint } from "./kernel-constraint.js";

/**
 * The two kernels of a 3 × 3 depthwise-separable convolution (channel multiplier 1), in tfjs
 * layout: `depthwise` [3, 3, C_in, 1] (one spatial filter per input channel) and `pointwise`
 * [1, 1, C_in, C_out] (the channel mixing). Both hold the trainable values W̃.
 */
export interface SeparableKernel {
  readonly depthwise: Tensor4D;
  readonly pointwise: Tensor4D;
}

/**
 * A 3 × 3 depthwise-separable convolution, SAME padding, stride 1, channel multiplier 1
 * (paper 002, App. A, after Chollet 2017), with the kernels' sign parametrisation:
 *
 * y[b, h, w, o] = Σ_c P[c, o] · Σ_{dy, dx ∈ {−1, 0, 1}} D[dy, dx, c] · x[b, h + dy, w + dx, c]
 *
 * with D = |D̃|, P = |P̃| for `"abs"` (so the conv is non-negative: W = |W̃|, Sec. 1), and the
 * variables themselves for `"projected"` and `"none"`. No bias.
 *
 * @param x - input [batch, H, W, C_in]
 * @param kernel - depthwise [3, 3, C_in, 1] and pointwise [1, 1, C_in, C_out] kernels
 * @param constraint - "abs" (default), "projected" or "none"
 * @returns [batch, H, W, C_out]
 * @throws RangeError naming the shapes when they do not fit together
 * @example
 * const y = separableConv3x3(x, { depthwise, pointwise }, "abs");
 */
export function separableConv3x3(x: Tensor4D, kernel: SeparableKernel, constraint: KernelConstraint = "abs"): Tensor4D {
  checkSeparableShapes("separableConv3x3", x.shape, kernel);
  return separableConv2d(x, effectiveKernel(kernel.depthwise, constraint), effectiveKernel(kernel.pointwise, constraint), 1, "same");
}

/**
 * Checks that x [B, H, W, C_in], depthwise [3, 3, C_in, 1] and pointwise [1, 1, C_in, C_out] fit.
 *
 * @param context - the caller, named in the error
 * @param xShape - the input's shape
 * @param kernel - the kernels
 * @throws RangeError naming the offending shape and the expected one
 * @example
 * checkSeparableShapes("myCell", x.shape, kernel);
 */
export function checkSeparableShapes(context: string, xShape: readonly number[], kernel: SeparableKernel): void {
  if (xShape.length !== 4) throw new RangeError(`${context}: input must be rank 4 [batch, H, W, C]; got shape ${formatShape(xShape)}`);
  const c = xShape[3]!;
  const d = kernel.depthwise.shape;
  if (d.length !== 4 || d[0] !== 3 || d[1] !== 3 || d[2] !== c || d[3] !== 1) {
    throw new RangeError(`${context}: depthwise kernel must have shape [3, 3, ${c}, 1] for ${c} input channels; got ${formatShape(d)}`);
  }
  const p = kernel.pointwise.shape;
  if (p.length !== 4 || p[0] !== 1 || p[1] !== 1 || p[2] !== c) {
    throw new RangeError(`${context}: pointwise kernel must have shape [1, 1, ${c}, C_out] for ${c} input channels; got ${formatShape(p)}`);
  }
}
