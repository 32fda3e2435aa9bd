import { add, moments, mul, rsqrt, sub, type Tensor1D, type Tensor4D } from "@tensorflow/tfjs-core";
import { isBatchNormAvailable, runBatchNormKernel } from "@dale-nn/core";

/** The default BatchNorm decay of the reference code (TF `decay`; Keras / tfjs `momentum`). */
export const CONV_BATCH_NORM_MOMENTUM = 0.997;
/** The default BatchNorm epsilon of the reference code. */
export const CONV_BATCH_NORM_EPSILON = 1e-5;

/** One time step's BatchNorm parameters (per channel): γ, β and the moving statistics. */
export interface ConvBatchNormParams {
  readonly gamma: Tensor1D;
  readonly beta: Tensor1D;
  readonly movingMean: Tensor1D;
  readonly movingVariance: Tensor1D;
}

/** The result of {@link convBatchNorm}. */
export interface ConvBatchNormResult {
  /** The normalised tensor. */
  readonly y: Tensor4D;
  /** Training mode: the batch mean and (biased) variance per channel, for the moving averages; else null. */
  readonly batchStatistics: { readonly mean: Tensor1D; readonly variance: Tensor1D } | null;
}

/**
 * BatchNorm over the batch and both spatial axes of an NHWC tensor (Ioffe & Szegedy 2015), as
 * applied to C_t (Standard) and Curr_E (StandardEI) in paper 002, Sec. 1:
 *
 * y = γ ∘ (x − μ) / √(σ² + ε) + β
 *
 * with μ, σ² the batch mean and biased variance per channel in training mode and the moving
 * statistics in inference mode. Pure: the caller updates the moving statistics with
 * {@link movingAverage}. In training mode, on a backend with the fused BatchNorm kernel of
 * `@dale-nn/core` (`DaleBatchNorm_v1`, e.g. `@dale-nn/openblas`), statistics, normalisation and
 * the gradient are one kernel each instead of ~10 and ~20 separate ops (same values to float32
 * rounding); `fused: false` forces the separate ops.
 *
 * @param x - [batch, H, W, C]
 * @param params - γ, β, moving mean and variance, each [C]
 * @param training - use batch statistics (true) or the moving ones (false)
 * @param epsilon - ε; default 1e-5
 * @param options - fused (default true): use the fused kernel when the backend has it
 * @returns the normalised tensor and, in training mode, the batch statistics
 * @example
 * const { y, batchStatistics } = convBatchNorm(c, bn[t], true);
 */
export function convBatchNorm(x: Tensor4D, params: ConvBatchNormParams, training: boolean, epsilon = CONV_BATCH_NORM_EPSILON, options: { fused?: boolean } = {}): ConvBatchNormResult {
  if (training && options.fused !== false && x.dtype === "float32" && isBatchNormAvailable()) {
    const { y, mean, variance } = runBatchNormKernel({ x, gamma: params.gamma, beta: params.beta }, { epsilon });
    return { y: y as Tensor4D, batchStatistics: { mean, variance } };
  }
  if (training) {
    const { mean, variance } = moments(x, [0, 1, 2]);
    const y = add(mul(mul(sub(x, mean), rsqrt(add(variance, epsilon))), params.gamma), params.beta) as Tensor4D;
    return { y, batchStatistics: { mean: mean as Tensor1D, variance: variance as Tensor1D } };
  }
  const y = add(mul(mul(sub(x, params.movingMean), rsqrt(add(params.movingVariance, epsilon))), params.gamma), params.beta) as Tensor4D;
  return { y, batchStatistics: null };
}

/**
 * The moving-average update of a BatchNorm statistic: m ← momentum · m + (1 − momentum) · batch
 * (TF's decay, default 0.997).
 *
 * @param moving - the current moving statistic
 * @param batch - this batch's statistic
 * @param momentum - the decay
 * @returns the new moving statistic
 * @example
 * movingMean.assign(movingAverage(movingMean, mean, 0.997));
 */
export function movingAverage(moving: Tensor1D, batch: Tensor1D, momentum = CONV_BATCH_NORM_MOMENTUM): Tensor1D {
  return add(mul(moving, momentum), mul(batch, 1 - momentum)) as Tensor1D;
}

/** BatchNorm for every step of an unrolled cell: separate γ, β and moving statistics per step. */
export interface ConvBatchNormSteps {
  /** One entry per time step. */
  readonly steps: readonly ConvBatchNormParams[];
  /** Batch statistics (true) or moving statistics (false). */
  readonly training: boolean;
  /** ε; default 1e-5. */
  readonly epsilon?: number;
}
