import { add, addN, clipByValue, div, greater, mul, neg, scalar, sqrt, stack, sub, sum, tensor1d, unstack, where, zerosLike, type Scalar, type Tensor } from "@tensorflow/tfjs-core";
import { isBackoffCosineSumsAvailable, runBackoffCosineSumsKernel, type BackoffCosineMeasure, type SgdStepProjection } from "@dale-nn/core";
import { projectWith } from "./projection.js";
import type { StepEntry } from "./sign-projection.js";

const PROJECTION_OF: Partial<Record<StepEntry["constraint"]["kind"], SgdStepProjection>> = { free: "none", nonneg: "nonneg", nonpos: "nonpos" };

/**
 * Alg. 6's cosines (Cornford et al. 2021, App. E.4) of one layer's parameters taken together, for
 * every candidate step size η_i, as a [F] tensor:
 *
 *   `update`:    cos(P(θ − η_i Δ) − θ, −η_i Δ)      `parameter`: cos(P(θ − η_i Δ), θ − η_i Δ)
 *
 * 1 where the intended vector is zero (nothing to follow), 0 where only the actual one is. Through
 * the fused sums kernel (`BACKOFF_COSINE_SUMS_KERNEL` of `@dale-nn/core`: one pass over θ and Δ for
 * all candidates) when the backend has it and every constraint of the layer is free, nonneg or
 * nonpos; else op by op.
 *
 * @param group - the layer's step entries
 * @param rates - the candidate step sizes η_1 … η_F
 * @param measure - which cosine
 */
export function backoffCosines(group: readonly StepEntry[], rates: readonly number[], measure: BackoffCosineMeasure): Tensor {
  const fused = group.every((e) => PROJECTION_OF[e.constraint.kind] !== undefined && e.variable.dtype === "float32" && e.grad.dtype === "float32") && isBackoffCosineSumsAvailable();
  if (!fused) return stack(rates.map((r) => opByOpCosine(group, scalar(r), measure)));
  const eta = tensor1d(rates as number[]);
  const sums = addN(group.map((e) => runBackoffCosineSumsKernel({ w: e.variable, g: e.grad, rates: eta }, { projection: PROJECTION_OF[e.constraint.kind]!, measure }).sums));
  const [dot, actual, intended] = unstack(sums, 1) as [Tensor, Tensor, Tensor];
  return cosineOf(dot, actual, intended);
}

/** The cosine from its sums, with the zero-vector conventions above. */
function cosineOf(dot: Tensor, actual: Tensor, intended: Tensor): Tensor {
  const cos = clipByValue(div(dot, mul(sqrt(actual), sqrt(intended))), -1, 1);
  const zero = zerosLike(cos);
  return where(greater(intended, zero), where(greater(actual, zero), cos, zero), add(zero, 1));
}

/** One candidate's cosine op by op (any constraint, any backend). */
function opByOpCosine(group: readonly StepEntry[], eta: Scalar, measure: BackoffCosineMeasure): Tensor {
  let dot: Scalar = scalar(0);
  let actual: Scalar = scalar(0);
  let intended: Scalar = scalar(0);
  for (const e of group) {
    const step = mul(eta, e.grad);
    const moved = sub(e.variable, step);
    const projected = projectWith(moved, e.constraint, e.aux);
    const a = measure === "update" ? sub(projected, e.variable) : projected;
    const b = measure === "update" ? neg(step) : moved;
    dot = add(dot, sum(mul(a, b)));
    actual = add(actual, sum(mul(a, a)));
    intended = add(intended, sum(mul(b, b)));
  }
  return cosineOf(dot, actual, intended);
}
