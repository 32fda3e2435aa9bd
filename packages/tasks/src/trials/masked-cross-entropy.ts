import { cast, div, logSoftmax, maximum, mul, neg, oneHot, scalar, sum, tidy, type Scalar, type Tensor } from "@tensorflow/tfjs-core";
import type { MaskedLossOptions } from "./masked-mse.js";

/**
 * Masked softmax cross-entropy over time, L = −Σ_{b,t} m_bt log softmax(z_bt)[y_bt] / Σ m
 * (neurogym's supervised training: cross-entropy of the per-step ground-truth action, 0 = fixate,
 * 1 … k = choice; here weighted by a mask and divided by its sum, or by the number of steps with
 * `divideBy: "all-elements"`). An all-zero mask gives 0.
 *
 * @param logits - z, [..., K] (e.g. [batch, T, nOut])
 * @param labels - y, integer classes in [0, K), shape [...] (e.g. [batch, T])
 * @param mask - m, shape [...] like `labels`
 * @returns a scalar (differentiable in `logits`)
 * @throws RangeError when the shapes do not fit
 * @example
 * const loss = maskedCrossEntropy(logits, labels, stepMask);
 */
export function maskedCrossEntropy(logits: Tensor, labels: Tensor, mask: Tensor, options: MaskedLossOptions = {}): Scalar {
  const lead = logits.shape.slice(0, -1);
  const fits = (t: Tensor): boolean => t.shape.length === lead.length && t.shape.every((d, i) => d === lead[i]);
  if (!fits(labels) || !fits(mask)) {
    throw new RangeError(
      `maskedCrossEntropy: logits have shape [${logits.shape.join(", ")}], labels [${labels.shape.join(", ")}], mask [${mask.shape.join(", ")}]; expected labels and mask of shape [${lead.join(", ")}]`,
    );
  }
  const divideBy = options.divideBy ?? "mask-sum";
  if (divideBy !== "mask-sum" && divideBy !== "all-elements") throw new RangeError(`maskedCrossEntropy: divideBy must be "mask-sum" or "all-elements"; got ${JSON.stringify(divideBy)}`);
  const K = logits.shape[logits.shape.length - 1] as number;
  return tidy(() => {
    const nll = neg(sum(mul(logSoftmax(logits), oneHot(cast(labels, "int32"), K)), -1));
    const num = sum(mul(nll, mask));
    const den = divideBy === "mask-sum" ? maximum(sum(mask), scalar(1e-30)) : scalar(mask.size);
    return div(num, den) as Scalar;
  });
}
