import { formatValue } from "@dale-nn/core/validation";
import type { DenseMatrix } from "./matrix-input.js";
import { symmetricEigen } from "./internal/symmetric-eigen.js";
import { isTensorLike, type TensorLike } from "./tensor-like.js";

/** State trajectories [trials, T, n], row-major: `{ data, shape }` or a 3-D tensor-like (e.g. the `states` output of `CtEiRnn` with `returnStates`). */
export type TrajectoryInput = { readonly data: ArrayLike<number>; readonly shape: readonly number[] } | TensorLike;

/** Options of {@link statePca}. */
export interface StatePcaOptions {
  /** k, the number of axes and projections returned, in [1, n]; default min(3, n). */
  components?: number;
  /**
   * Real length of each trial (padded batches): only steps t < lengths[b] enter the mean and the
   * covariance; every step is projected. Default: every step of every trial.
   */
  lengths?: ArrayLike<number>;
}

/** What {@link statePca} returns. */
export interface StatePca {
  /** μ, the mean state over all (trial, step) points used, [n]. */
  readonly mean: Float64Array;
  /** The principal axes as orthonormal columns, n x k (row-major); each axis's largest-magnitude entry is positive. */
  readonly axes: DenseMatrix;
  /** λ_1 ≥ … ≥ λ_n, the variance along every axis (eigenvalues of the covariance, divisor N − 1), [n]. */
  readonly variances: Float64Array;
  /** λ_i / Σ_j λ_j, [n]. */
  readonly explainedVarianceRatio: Float64Array;
  /** (v_{b,t} − μ) · axis_i, [trials, T, k] row-major. */
  readonly projections: { readonly data: Float64Array; readonly shape: readonly [number, number, number] };
  /** N, the (trial, step) points the fit used. */
  readonly points: number;
}

const CONTEXT = "statePca";

function readStates(input: TrajectoryInput): { data: ArrayLike<number>; shape: [number, number, number] } {
  let shape: readonly number[];
  let data: ArrayLike<number>;
  if (isTensorLike(input)) {
    shape = input.shape;
    if (input.dtype === "string" || input.dtype === "complex64") throw new TypeError(`${CONTEXT}: a tensor must be real and numeric; got dtype ${input.dtype}`);
    if (shape.length !== 3) throw new RangeError(`${CONTEXT}: states must be 3-D [trials, T, n]; got shape [${shape.join(", ")}]`);
    data = input.dataSync();
  } else if (input !== null && typeof input === "object" && Array.isArray((input as { shape?: unknown }).shape)) {
    shape = (input as { shape: readonly number[] }).shape;
    data = (input as { data: ArrayLike<number> }).data;
    if (shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d >= 1)) throw new RangeError(`${CONTEXT}: states must be 3-D [trials, T, n] with sizes >= 1; got shape ${formatValue(shape)}`);
    if (data === null || typeof data !== "object" || typeof data.length !== "number") throw new TypeError(`${CONTEXT}: states.data must be an array of numbers; got ${formatValue(data)}`);
  } else {
    throw new TypeError(`${CONTEXT}: expected states as { data, shape: [trials, T, n] } or a 3-D tensor; got ${formatValue(input)}`);
  }
  const [b, t, n] = shape as [number, number, number];
  if (b === 0 || t === 0 || n === 0) throw new RangeError(`${CONTEXT}: states must be non-empty; got shape [${shape.join(", ")}]`);
  if (data.length !== b * t * n) throw new RangeError(`${CONTEXT}: states data length must be trials * T * n = ${b} * ${t} * ${n} = ${b * t * n}; got ${data.length}`);
  return { data, shape: [b, t, n] };
}

/**
 * Principal component analysis of state trajectories (the state-space analysis of trained RNNs:
 * Mante et al. 2013, Methods "state space analysis"; Song, Yang & Wang 2016, Sec. "Analysis"):
 * every (trial b, step t) state v_{b,t} ∈ ℝⁿ is one point; with μ = (1/N) Σ v_{b,t} over the N
 * points used, the covariance C = (1/(N − 1)) Σ (v − μ)(v − μ)ᵀ has eigenpairs C a_i = λ_i a_i,
 * λ_1 ≥ … ≥ λ_n; the axes are a_1 … a_k, the explained-variance ratios λ_i / Σ_j λ_j (Σ_j λ_j =
 * tr C), and the projections p_{b,t,i} = (v_{b,t} − μ) · a_i.
 *
 * Float64 throughout: C is accumulated from the states (O(N n²)), then decomposed as a symmetric n x n
 * matrix (tridiagonalisation + QL, O(n³), in JavaScript; the registered dense solvers give values
 * only, not the axes). Axes are unique up to sign (and a rotation within repeated λ); the sign is
 * fixed so that each axis's largest-magnitude entry is positive.
 *
 * @param states - [trials, T, n]: `{ data, shape }` (row-major) or a 3-D tensor (read with `dataSync`; not disposed)
 * @param options - k and the per-trial lengths
 * @returns the mean, axes, variances, ratios and projections (see {@link StatePca})
 * @throws RangeError on a shape that is not 3-D, a wrong data length, a non-finite state (naming its
 *   trial, step and unit), k outside [1, n], lengths of the wrong count or value, fewer than 2 points,
 *   or states with zero variance; TypeError on an input of another kind
 * @example
 * const [z, v] = rnn.apply(x) as tf.Tensor[]; // returnStates: true
 * const pca = statePca(v, { components: 3 });
 * pca.explainedVarianceRatio.slice(0, 3);
 */
export function statePca(states: TrajectoryInput, options: StatePcaOptions = {}): StatePca {
  const { data, shape } = readStates(states);
  const [B, T, n] = shape;
  const k = options.components ?? Math.min(3, n);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`${CONTEXT}: components must be an integer in [1, n = ${n}]; got ${formatValue(k)}`);
  const lengths = new Int32Array(B).fill(T);
  if (options.lengths !== undefined) {
    const ls = options.lengths;
    if (ls === null || typeof ls !== "object" || ls.length !== B) throw new RangeError(`${CONTEXT}: lengths must hold one length per trial (${B}); got ${formatValue(ls)}`);
    for (let b = 0; b < B; b++) {
      const l = ls[b];
      if (typeof l !== "number" || !Number.isInteger(l) || l < 0 || l > T) throw new RangeError(`${CONTEXT}: lengths[${b}] must be an integer in [0, T = ${T}]; got ${formatValue(l)}`);
      lengths[b] = l;
    }
  }
  const x = new Float64Array(B * T * n);
  for (let q = 0; q < x.length; q++) {
    const v = data[q];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      const unit = q % n;
      const step = Math.floor(q / n) % T;
      throw new RangeError(`${CONTEXT}: state (trial ${Math.floor(q / (n * T))}, step ${step}, unit ${unit}) is ${formatValue(v)}; expected a finite number`);
    }
    x[q] = v;
  }
  let N = 0;
  const mean = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < (lengths[b] as number); t++) {
      const o = (b * T + t) * n;
      for (let i = 0; i < n; i++) mean[i] = (mean[i] as number) + (x[o + i] as number);
      N++;
    }
  }
  if (N < 2) throw new RangeError(`${CONTEXT}: got ${N} state point(s); expected at least 2 to estimate a covariance`);
  for (let i = 0; i < n; i++) mean[i] = (mean[i] as number) / N;
  // Upper triangle of Σ (v − μ)(v − μ)ᵀ, then mirrored (exactly symmetric).
  const cov = new Float64Array(n * n);
  const d = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < (lengths[b] as number); t++) {
      const o = (b * T + t) * n;
      for (let i = 0; i < n; i++) d[i] = (x[o + i] as number) - (mean[i] as number);
      for (let i = 0; i < n; i++) {
        const di = d[i] as number;
        if (di === 0) continue;
        const row = i * n;
        for (let j = i; j < n; j++) cov[row + j] = (cov[row + j] as number) + di * (d[j] as number);
      }
    }
  }
  let trace = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const c = (cov[i * n + j] as number) / (N - 1);
      cov[i * n + j] = c;
      cov[j * n + i] = c;
    }
    trace += cov[i * n + i] as number;
  }
  if (!(trace > 0)) throw new RangeError(`${CONTEXT}: the ${N} states have zero variance (all equal); principal axes are undefined`);
  const { values, vectors } = symmetricEigen(cov, n);
  const variances = Float64Array.from(values, (v) => Math.max(v, 0));
  const explainedVarianceRatio = Float64Array.from(variances, (v) => v / trace);
  const axes = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) axes[i * k + c] = vectors[i * n + c] as number;
  const projections = new Float64Array(B * T * k);
  for (let p = 0; p < B * T; p++) {
    const o = p * n;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += ((x[o + i] as number) - (mean[i] as number)) * (axes[i * k + c] as number);
      projections[p * k + c] = s;
    }
  }
  return { mean, axes: { data: axes, rows: n, cols: k }, variances, explainedVarianceRatio, projections: { data: projections, shape: [B, T, k] }, points: N };
}
