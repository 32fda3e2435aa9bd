import { add, scalar, sqrt, square, sum, tidy, type Scalar, type Tensor } from "@tensorflow/tfjs-core";
import type { NamedGradients } from "@dale-nn/core";

/**
 * The Euclidean norm of a set of tensors taken together, ||g|| = sqrt(Σ_v Σ_i g_{v,i}²) — the
 * norm that Alg. 5 (Cornford et al. 2021, App. E.4) compares with M. Stays on the device.
 *
 * @param grads - gradients keyed by variable name, or a list of tensors
 * @returns a scalar tensor the caller owns (0 for an empty set)
 * @example
 * const n = globalNorm({ a: tf.tensor1d([3]), b: tf.tensor1d([4]) }); // 5
 */
export function globalNorm(grads: Readonly<NamedGradients> | readonly Tensor[]): Scalar {
  const tensors: readonly Tensor[] = Array.isArray(grads) ? (grads as readonly Tensor[]) : Object.values(grads as NamedGradients);
  return tidy(() => {
    let total: Scalar = scalar(0);
    for (const g of tensors) total = add(total, sum(square(g)));
    return sqrt(total);
  });
}
