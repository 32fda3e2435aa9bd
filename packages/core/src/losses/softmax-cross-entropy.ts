import { cast, losses, tidy, type Scalar, type Tensor, type Tensor2D } from "@tensorflow/tfjs-core";
import { isSoftmaxCrossEntropyAvailable, runSoftmaxCrossEntropyKernel } from "../kernels/softmax-cross-entropy-kernel.js";

/**
 * The mean softmax cross-entropy of a batch of logits against one-hot (or soft) labels:
 *
 *   loss = (1/B) Σ_b −Σ_c labels_bc · log_softmax(logits)_bc,
 *   log_softmax(z)_bc = z_bc − m_b − log Σ_k e^(z_bk − m_b),  m_b = max_k z_bk,
 *
 * exactly `tf.losses.softmaxCrossEntropy(labels, logits)` with its defaults (no weights, no label
 * smoothing, `Reduction.SUM_BY_NONZERO_WEIGHTS`, which without weights is the mean over the batch),
 * with ∂loss/∂logits = (softmax(logits) − labels) / B. When the active backend has the fused
 * `SOFTMAX_CROSS_ENTROPY_KERNEL` (as `@dale-nn/openblas` does) and the logits are float32 [B, C],
 * loss and gradient come from one kernel (integer or boolean labels are cast to float32 first);
 * otherwise this is `tf.losses.softmaxCrossEntropy`. The one difference: through the kernel, the
 * gradient reaching the labels (rarely wanted) is the derivative −log_softmax(logits) / B, where
 * tfjs returns (labels − softmax(logits)) / B.
 *
 * @param labels - one-hot or soft labels, the shape of the logits (rows are distributions)
 * @param logits - unscaled logits, [B, C] (other ranks go to `tf.losses.softmaxCrossEntropy`)
 * @returns the mean loss, a scalar
 * @throws RangeError when the shapes differ, naming both
 * @example
 * const loss = optimizer.minimize(() => softmaxCrossEntropy(tf.oneHot(labels, 10), model.apply(x) as tf.Tensor), true);
 */
export function softmaxCrossEntropy(labels: Tensor, logits: Tensor): Scalar {
  if (labels.rank !== logits.rank || labels.shape.some((d, i) => d !== logits.shape[i])) {
    throw new RangeError(`softmaxCrossEntropy: labels shape [${labels.shape.join(", ")}] must equal logits shape [${logits.shape.join(", ")}]`);
  }
  const labelsFuse = labels.dtype === "float32" || labels.dtype === "int32" || labels.dtype === "bool";
  if (logits.rank === 2 && logits.size > 0 && logits.dtype === "float32" && labelsFuse && isSoftmaxCrossEntropyAvailable()) {
    return tidy(() => {
      const floatLabels = (labels.dtype === "float32" ? labels : cast(labels, "float32")) as Tensor2D;
      // dlogits is disposed with this scope; the gradient keeps its own saved copy.
      return runSoftmaxCrossEntropyKernel({ logits: logits as Tensor2D, labels: floatLabels }).loss;
    });
  }
  return losses.softmaxCrossEntropy(labels, logits) as Scalar;
}
