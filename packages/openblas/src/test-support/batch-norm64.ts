/**
 * Test helper (not part of the package): BatchNorm over every axis but the last, written out in
 * float64 plain loops over flat row-major arrays, independent of tfjs and of the addon, for the
 * agreement and finite-difference checks of `DaleBatchNorm_v1` and `FusedBatchNorm`.
 */

/** What {@link batchNormTrain64} computes: the output and the batch statistics. */
export interface BatchNorm64 {
  /** y, x's length. */
  y: Float64Array;
  /** μ, one per channel. */
  mean: Float64Array;
  /** σ² (biased: divided by N), one per channel. */
  variance: Float64Array;
}

/**
 * y = offset + scale (x − mean) / √(variance + ε) per channel c = i mod C of a channels-last x,
 * in float64: the inference-mode (moving statistics) BatchNorm, tf.batchNorm's formula.
 *
 * @param x - [..., C] flat
 * @param mean - [C]
 * @param variance - [C]
 * @param scale - γ, [C]
 * @param offset - β, [C]
 * @param channels - C
 * @param epsilon - ε
 * @returns y, x's length
 */
export function batchNormWithStatistics64(
  x: ArrayLike<number>, mean: ArrayLike<number>, variance: ArrayLike<number>, scale: ArrayLike<number>, offset: ArrayLike<number>, channels: number, epsilon: number,
): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    y[i] = (scale[c]! * (x[i]! - mean[c]!)) / Math.sqrt(variance[c]! + epsilon) + offset[c]!;
  }
  return y;
}

/**
 * Training-mode BatchNorm (Ioffe & Szegedy 2015, Alg. 1) in float64, over the N = x.length / C
 * positions of each channel: μ = Σ x / N, then σ² = Σ (x − μ)² / N (two passes), then
 * y = γ (x − μ) / √(σ² + ε) + β.
 *
 * @param x - [..., C] flat
 * @param gamma - γ, [C]
 * @param beta - β, [C]
 * @param channels - C
 * @param epsilon - ε
 * @returns y and the batch statistics
 */
export function batchNormTrain64(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, channels: number, epsilon: number): BatchNorm64 {
  const n = x.length / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) mean[i % channels]! += x[i]!;
  for (let c = 0; c < channels; c++) mean[c]! /= n;
  for (let i = 0; i < x.length; i++) variance[i % channels]! += (x[i]! - mean[i % channels]!) ** 2;
  for (let c = 0; c < channels; c++) variance[c]! /= n;
  return { y: batchNormWithStatistics64(x, mean, variance, gamma, beta, channels, epsilon), mean, variance };
}
