import { div, maximum, mul, scalar, square, sub, sum, tidy, type Scalar, type Tensor } from "@tensorflow/tfjs-core";
import { broadcastMask, shapeOf } from "./internal/broadcast-mask.js";

/** Options of {@link maskedMse} and {@link maskedCrossEntropy}. */
export interface MaskedLossOptions {
  /**
   * The denominator: "mask-sum" (default; pycog's convention, the mean over the supervised
   * elements, so the loss scale does not depend on how much of the trial is masked) or
   * "all-elements" (PsychRNN's: the mean over every element, masked zeros included).
   */
  divideBy?: "mask-sum" | "all-elements";
}

/**
 * Masked mean squared error, L = Σ m ⊙ (z − z*)² / Σ m (pycog, Song et al. 2016, eq. 8; the sum of
 * the mask, broadcast over outputs when it is per step). With `divideBy: "all-elements"` the
 * denominator is the number of elements instead (PsychRNN's `tf.reduce_mean(mask * (z − z*)²)`).
 * An all-zero mask gives 0.
 *
 * @param outputs - z, e.g. [batch, T, nOut]
 * @param targets - z*, the same shape
 * @param mask - m, the same shape or without the last axis ([batch, T])
 * @returns a scalar (differentiable in `outputs`)
 * @throws RangeError when the shapes differ
 * @example
 * const loss = maskedMse(model.apply(x) as tf.Tensor, targets, mask);
 */
export function maskedMse(outputs: Tensor, targets: Tensor, mask: Tensor, options: MaskedLossOptions = {}): Scalar {
  if (outputs.shape.length !== targets.shape.length || outputs.shape.some((d, i) => d !== targets.shape[i])) {
    throw new RangeError(`maskedMse: outputs have shape ${shapeOf(outputs)} and targets ${shapeOf(targets)}; expected equal shapes`);
  }
  const divideBy = options.divideBy ?? "mask-sum";
  if (divideBy !== "mask-sum" && divideBy !== "all-elements") throw new RangeError(`maskedMse: divideBy must be "mask-sum" or "all-elements"; got ${JSON.stringify(divideBy)}`);
  return tidy(() => {
    const m = broadcastMask("maskedMse", mask, targets.shape);
    const num = sum(mul(square(sub(outputs, targets)), m));
    const den = divideBy === "mask-sum" ? maximum(sum(m), scalar(1e-30)) : scalar(targets.size);
    return div(num, den) as Scalar;
  });
}
