import * as tf from "@tensorflow/tfjs";
import { centralDifferencesInPlace } from "@dale-nn/test-support";
import { createRandomSource, type RandomSource } from "@dale-nn/ei-init";
import { maps, type Cell64Options, type Maps } from "./float64-conv.js";
import { weightsOf } from "./layer-weights.js";

/** Moves every weight of a built cell layer to random values so that all paths matter; returns the float32-exact host copies. Test helper. */
export function randomizeCellWeights(layer: tf.layers.Layer, seed: number, projected: boolean): Record<string, Float64Array> {
  const rng = createRandomSource(seed);
  const all = weightsOf(layer, false);
  const u = (lo: number, hi: number): number => lo + (hi - lo) * rng.uniform();
  for (const [name, v] of Object.entries(all)) {
    const n = v.size;
    let values: number[];
    if (name.endsWith("_depthwise") || name.endsWith("_pointwise")) values = Array.from({ length: n }, () => (projected ? u(0.05, 0.7) : (rng.uniform() < 0.5 ? -1 : 1) * u(0.05, 0.7)));
    else if (name.startsWith("bn_gamma")) values = Array.from({ length: n }, () => u(0.6, 1.4));
    else if (name.startsWith("bn_beta")) values = Array.from({ length: n }, () => u(-0.1, 0.5));
    else if (name.startsWith("bn_moving_mean")) values = Array.from({ length: n }, () => u(-0.2, 0.3));
    else if (name.startsWith("bn_moving_variance")) values = Array.from({ length: n }, () => u(0.5, 1.5));
    else if (name === "fE" || name === "fI") values = Array.from({ length: n }, () => u(-1.5, 0.5));
    else values = Array.from({ length: n }, () => u(-0.3, 0.4));
    tf.tidy(() => v.assign(tf.tensor(values, v.shape, "float32")));
  }
  return hostWeights(layer);
}

/** Every weight of a layer as float64 host arrays (exactly the float32 values). */
export function hostWeights(layer: tf.layers.Layer): Record<string, Float64Array> {
  return Object.fromEntries(Object.entries(weightsOf(layer, false)).map(([k, v]) => [k, Float64Array.from(v.dataSync())]));
}

/** The float64 cell options of a layer (per-step BatchNorm read from `host`). */
export function options64(
  layer: { cellOptions: { constraint: string; principal: string; ablation: string; forgetOffset: number; inhibitoryPrincipalOffset: number }; useBatchNorm: boolean; timeSteps: number; batchNormEpsilon: number },
  host: Record<string, Float64Array>,
  training: boolean,
): Cell64Options {
  const o = layer.cellOptions;
  return {
    abs: o.constraint === "abs",
    inhibitoryPrincipal: o.principal === "inhibitory",
    ablation: o.ablation as Cell64Options["ablation"],
    forgetOffset: o.forgetOffset,
    inhibitoryPrincipalOffset: o.inhibitoryPrincipalOffset,
    bn: layer.useBatchNorm
      ? {
          training,
          eps: layer.batchNormEpsilon,
          steps: Array.from({ length: layer.timeSteps }, (_, t) => ({
            gamma: host[`bn_gamma_t${t}`]!,
            beta: host[`bn_beta_t${t}`]!,
            mean: host[`bn_moving_mean_t${t}`]!,
            variance: host[`bn_moving_variance_t${t}`]!,
          })),
        }
      : null,
  };
}

/** Random non-negative images (float32-exact), as host maps and as a tensor. */
export function randomImages(rng: RandomSource, b: number, h: number, w: number, c: number): { host: Maps; tensor: tf.Tensor4D } {
  const values = Float32Array.from({ length: b * h * w * c }, () => rng.uniform());
  return { host: maps(b, h, w, c, values), tensor: tf.tensor4d(values, [b, h, w, c]) };
}

/** Σ_t Σ y_t · R_t in float64. */
export function weightedSum(ys: Maps[], r: Float64Array): number {
  let s = 0;
  let k = 0;
  for (const y of ys) for (let q = 0; q < y.data.length; q++) s += y.data[q]! * r[k++]!;
  return s;
}

/** Stacks per-step maps [B, H, W, C] into a flat [B, T, H, W, C] array (the layer's returnSequences layout). */
export function stackSteps(ys: Maps[]): Float64Array {
  const T = ys.length;
  const y0 = ys[0]!;
  const per = y0.h * y0.w * y0.c;
  const out = new Float64Array(y0.b * T * per);
  for (let n = 0; n < y0.b; n++) for (let t = 0; t < T; t++) out.set(ys[t]!.data.subarray(n * per, (n + 1) * per), (n * T + t) * per);
  return out;
}

/**
 * Compares tf gradients with float64 central finite differences for every parameter group and
 * returns the worst error. The error of a group is ||g − fd|| / max(||fd||, 1e-3 · max_groups ||fd||):
 * relative for every group with a real gradient, and absolute on the scale of the others for a
 * group whose exact gradient is 0 (e.g. b_c when IG is silenced: with i_t constant per channel,
 * BatchNorm removes the per-channel constant b_c adds), where float32 rounding alone would give a
 * huge relative error.
 */
export function compareWithFiniteDifferences(
  label: string,
  weights: Record<string, tf.Variable>,
  grads: Record<string, tf.Tensor>,
  host: Record<string, Float64Array>,
  loss64: () => number,
  tolerance = 2e-3,
): number {
  const fds: Record<string, Float64Array> = {};
  let scale = 0;
  for (const name of Object.keys(weights)) {
    fds[name] = centralDifferencesInPlace(host[name]!, loss64);
    scale = Math.max(scale, Math.hypot(...fds[name]!));
  }
  let worst = 0;
  for (const [name, v] of Object.entries(weights)) {
    const g = grads[v.name];
    if (!g) throw new Error(`${label}: no gradient for ${name}`);
    const gv = g.dataSync();
    const fd = fds[name]!;
    let num = 0;
    for (let k = 0; k < fd.length; k++) num += (gv[k]! - fd[k]!) ** 2;
    const err = Math.sqrt(num) / Math.max(Math.hypot(...fd), 1e-3 * scale);
    worst = Math.max(worst, err);
    if (!(err < tolerance)) throw new Error(`${label} ${name}: gradient error ${err} >= ${tolerance} (||fd|| = ${Math.hypot(...fd)}, scale ${scale})`);
  }
  return worst;
}
