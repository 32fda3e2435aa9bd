import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { BATCH_NORM_GRAD_KERNEL, BATCH_NORM_KERNEL, type BatchNormGradKernelImpl, type BatchNormKernelImpl } from "@dale-nn/core";
import { float32Data, outputBuffer, requireFloat32, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

/**
 * FusedBatchNorm (tf.batchNorm; tfjs-layers' BatchNormalization in both modes) with the plain CPU
 * kernel's arithmetic to the bit, in a C loop into a pooled buffer (native/batch_norm.c):
 *
 *   y = offset + (x − mean) · scale / √(variance + ε)
 *
 * per channel of a channels-last float32 tensor, in float64, rounded once. Fast path: every
 * statistic (and the optional scale and offset) has one value per channel of the last axis, or
 * a single value; anything else (other broadcasts, other dtypes, empty tensors) runs `fallback`,
 * the plain CPU kernel.
 */
export function fastBatchNorm(addon: OpenBlasAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as {
      inputs: { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale?: TensorInfo | null; offset?: TensorInfo | null };
      attrs: { varianceEpsilon?: number };
      backend: CpuBackendLike;
    };
    const { x } = inputs;
    const xv = float32Data(backend, x);
    const channels = x.shape.at(-1) ?? 0;
    if (!xv || xv.length === 0 || channels < 1) return fallback(args);
    /** A statistic as one value per channel (a single value repeated), or null outside the fast path. */
    const perChannel = (t: TensorInfo | null | undefined, absent: number): Float32Array | null => {
      if (t == null) return new Float32Array(channels).fill(absent);
      const v = float32Data(backend, t);
      if (!v) return null;
      if (v.length === channels) return v;
      return v.length === 1 ? new Float32Array(channels).fill(v[0]!) : null;
    };
    const mean = perChannel(inputs.mean, Number.NaN);
    const variance = perChannel(inputs.variance, Number.NaN);
    const scale = perChannel(inputs.scale, 1);
    const offset = perChannel(inputs.offset, 0);
    if (!mean || !variance || !scale || !offset || inputs.mean == null || inputs.variance == null) return fallback(args);
    const y = outputBuffer(backend, xv.length);
    addon.batchNorm(xv, mean, variance, scale, offset, y, channels, attrs.varianceEpsilon ?? 0.001);
    return backend.makeTensorInfo(x.shape.slice(), "float32", y);
  };
}

/** C of x [..., C] with every vector [C]; a one-line RangeError naming the shapes otherwise. */
function channelsOf(kernel: string, x: TensorInfo, vectors: Record<string, TensorInfo>): number {
  const c = x.shape.at(-1) ?? 0;
  const size = x.shape.reduce((p, d) => p * d, 1);
  const bad = Object.entries(vectors).filter(([, v]) => v.shape.length !== 1 || v.shape[0] !== c);
  if (x.shape.length < 2 || c < 1 || size === 0 || bad.length > 0) {
    const shapes = Object.entries(vectors).map(([k, v]) => `${k} [${v.shape}]`).join(", ");
    throw new RangeError(`${kernel}: expected x [..., C] (rank >= 2, not empty) and vectors [C]; got x [${x.shape}], ${shapes}`);
  }
  return c;
}

/**
 * The fused training-mode BatchNorm of @dale-nn/core's DaleBatchNorm_v1 contract on the OpenBLAS
 * backend (native/batch_norm.c): batch mean and biased variance per channel in float64 (two
 * passes), then y = γ (x − μ) / √(σ² + ε) + β in one pass.
 */
export function openBlasBatchNormTrain(addon: OpenBlasAddon): BatchNormKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const k = BATCH_NORM_KERNEL;
    const { x, gamma, beta } = inputs;
    const c = channelsOf(k, x, { gamma, beta });
    const xv = requireFloat32(backend, x, "x", k);
    const gv = requireFloat32(backend, gamma, "gamma", k);
    const bv = requireFloat32(backend, beta, "beta", k);
    const y = outputBuffer(backend, xv.length);
    const mean = outputBuffer(backend, c);
    const variance = outputBuffer(backend, c);
    addon.batchNormTrainForward(xv, gv, bv, y, mean, variance, c, attrs.epsilon);
    return {
      y: backend.makeTensorInfo(x.shape.slice(), "float32", y),
      mean: backend.makeTensorInfo([c], "float32", mean),
      variance: backend.makeTensorInfo([c], "float32", variance),
    };
  };
}

/** Its gradient (DaleBatchNormGrad_v1): per-channel sums of dy and dy (x − μ) in float64, then dx in one pass. */
export function openBlasBatchNormTrainGrad(addon: OpenBlasAddon): BatchNormGradKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const k = BATCH_NORM_GRAD_KERNEL;
    const { dy, dmean, dvariance, x, gamma, mean, variance } = inputs;
    const c = channelsOf(k, x, { dmean, dvariance, gamma, mean, variance });
    if (dy.shape.join() !== x.shape.join()) throw new RangeError(`${k}: dy must have x's shape [${x.shape}]; got [${dy.shape}]`);
    const f = (t: TensorInfo, name: string): Float32Array => requireFloat32(backend, t, name, k);
    const xv = f(x, "x");
    const dx = outputBuffer(backend, xv.length);
    const dgamma = outputBuffer(backend, c);
    const dbeta = outputBuffer(backend, c);
    addon.batchNormTrainBackward(f(dy, "dy"), f(dmean, "dmean"), f(dvariance, "dvariance"), xv, f(gamma, "gamma"), f(mean, "mean"), f(variance, "variance"), dx, dgamma, dbeta, c, attrs.epsilon);
    return {
      dx: backend.makeTensorInfo(x.shape.slice(), "float32", dx),
      dgamma: backend.makeTensorInfo([c], "float32", dgamma),
      dbeta: backend.makeTensorInfo([c], "float32", dbeta),
    };
  };
}
