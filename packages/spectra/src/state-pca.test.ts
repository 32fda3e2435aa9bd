import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { normalArray, seededRandom } from "@dale-nn/test-support";
import { statePca } from "./state-pca.js";

const B = 16;
const T = 40;
const n = 12;

/** Orthonormal e1, e2 in ℝⁿ (Gram–Schmidt of seeded draws). */
function directions(seed: number): [Float64Array, Float64Array] {
  const rng = seededRandom(seed);
  const e1 = normalArray(rng, n);
  const e2 = normalArray(rng, n);
  const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
  const n1 = Math.sqrt(dot(e1, e1));
  e1.forEach((v, i) => (e1[i] = v / n1));
  const p = dot(e2, e1);
  e2.forEach((v, i) => (e2[i] = v - p * e1[i]!));
  const n2 = Math.sqrt(dot(e2, e2));
  e2.forEach((v, i) => (e2[i] = v / n2));
  return [e1, e2];
}

/** States v = c + α e1 + β e2 + noise with α, β centred and exactly uncorrelated over the points, var α ≈ 9, var β ≈ 1. */
function lowRankStates(seed: number, noise: number) {
  const rng = seededRandom(seed);
  const [e1, e2] = directions(seed + 1);
  const P = B * T;
  const alpha = Float64Array.from({ length: P }, (_, p) => 3 * Math.SQRT2 * Math.sin((2 * Math.PI * (p % T)) / T + rng.uniform() * 6));
  const beta = normalArray(rng, P);
  const centre = (v: Float64Array): void => {
    const m = v.reduce((s, x) => s + x, 0) / P;
    v.forEach((x, i) => (v[i] = x - m));
  };
  centre(alpha);
  centre(beta);
  const ab = alpha.reduce((s, x, i) => s + x * beta[i]!, 0) / alpha.reduce((s, x) => s + x * x, 0);
  beta.forEach((x, i) => (beta[i] = x - ab * alpha[i]!));
  const offset = Float64Array.from({ length: n }, (_, i) => 0.5 + i);
  const data = new Float64Array(P * n);
  for (let p = 0; p < P; p++) for (let i = 0; i < n; i++) data[p * n + i] = offset[i]! + alpha[p]! * e1[i]! + beta[p]! * e2[i]! + noise * rng.normal();
  return { data, e1, e2, alpha, beta, offset };
}

/** Independent two-pass float64 covariance. */
function covariance(data: Float64Array, points: number): Float64Array {
  const mean = new Float64Array(n);
  for (let p = 0; p < points; p++) for (let i = 0; i < n; i++) mean[i] = mean[i]! + data[p * n + i]! / points;
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < points; p++) s += (data[p * n + i]! - mean[i]!) * (data[p * n + j]! - mean[j]!);
      c[i * n + j] = s / (points - 1);
    }
  }
  return c;
}

const column = (m: { data: Float64Array; rows: number; cols: number }, c: number): Float64Array => Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + c]!);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, v, i) => s + v * b[i]!, 0);

describe("statePca", () => {
  it("statePca(states on 2 known orthogonal directions + small noise) finds them (up to sign), with the explained-variance ratios of an independent float64 covariance", () => {
    const { data, e1, e2, alpha, beta, offset } = lowRankStates(3, 1e-3);
    const pca = statePca({ data, shape: [B, T, n] }, { components: 3 });
    expect(pca.points).toBe(B * T);
    expect(pca.axes).toMatchObject({ rows: n, cols: 3 });
    const a1 = column(pca.axes, 0);
    const a2 = column(pca.axes, 1);
    expect(Math.abs(dot(a1, e1))).toBeGreaterThan(1 - 1e-6);
    expect(Math.abs(dot(a2, e2))).toBeGreaterThan(1 - 1e-6);
    // Orthonormal axes.
    for (let c = 0; c < 3; c++) for (let d = 0; d < 3; d++) expect(dot(column(pca.axes, c), column(pca.axes, d))).toBeCloseTo(c === d ? 1 : 0, 12);
    // Against the independent covariance: C a = λ a, the ratios λ / tr C, and the known variances of α and β.
    const C = covariance(data, B * T);
    const trace = Array.from({ length: n }, (_, i) => C[i * n + i]!).reduce((s, v) => s + v, 0);
    for (let c = 0; c < 3; c++) {
      const a = column(pca.axes, c);
      for (let i = 0; i < n; i++) expect(Math.abs(dot(C.subarray(i * n, (i + 1) * n), a) - pca.variances[c]! * a[i]!)).toBeLessThan(1e-10);
      expect(pca.explainedVarianceRatio[c]).toBeCloseTo(pca.variances[c]! / trace, 12);
    }
    const varOf = (v: Float64Array): number => v.reduce((s, x) => s + x * x, 0) / (v.length - 1);
    // Up to the noise (σ = 1e-3) and its sample correlation with α, β.
    expect(Math.abs(pca.variances[0]! / varOf(alpha) - 1)).toBeLessThan(2e-4);
    expect(Math.abs(pca.variances[1]! / varOf(beta) - 1)).toBeLessThan(2e-4);
    expect(pca.explainedVarianceRatio[0]).toBeCloseTo(varOf(alpha) / (varOf(alpha) + varOf(beta)), 3);
    expect(pca.explainedVarianceRatio[0]! + pca.explainedVarianceRatio[1]!).toBeGreaterThan(1 - 1e-5);
    expect(pca.explainedVarianceRatio.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    // The mean is the offset; projections on axis 1 are ±α.
    pca.mean.forEach((m, i) => expect(m).toBeCloseTo(offset[i]!, 3));
    expect(pca.projections.shape).toEqual([B, T, 3]);
    const sign = Math.sign(dot(a1, e1));
    for (let p = 0; p < B * T; p += 37) expect(pca.projections.data[p * 3]!).toBeCloseTo(sign * alpha[p]!, 2);
    // Sign convention: each axis's largest-magnitude entry is positive.
    for (let c = 0; c < 3; c++) {
      const a = Array.from(column(pca.axes, c));
      expect(a.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0)).toBeGreaterThan(0);
    }
  });

  it("statePca({ lengths }) ignores the padding steps in the fit (padding of 1e6) and still projects them", () => {
    const { data } = lowRankStates(5, 0.01);
    const lengths = Array.from({ length: B }, (_, b) => T - (b % 4) * 5);
    const padded = Float64Array.from(data);
    const kept: number[] = [];
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const o = (b * T + t) * n;
        if (t >= lengths[b]!) padded.fill(1e6, o, o + n);
        else kept.push(...data.subarray(o, o + n));
      }
    }
    const pca = statePca({ data: padded, shape: [B, T, n] }, { lengths, components: 2 });
    const ref = statePca({ data: kept, shape: [1, kept.length / n, n] }, { components: 2 });
    expect(pca.points).toBe(kept.length / n);
    pca.variances.forEach((v, i) => expect(v).toBeCloseTo(ref.variances[i]!, 9));
    pca.axes.data.forEach((v, i) => expect(v).toBeCloseTo(ref.axes.data[i]!, 9));
    expect(pca.projections.data.length).toBe(B * T * 2);
    expect(Math.abs(pca.projections.data[((B - 1) * T + T - 1) * 2]!)).toBeGreaterThan(1e5);
  });

  it("statePca(3-D tensor) equals statePca({ data, shape }) and creates no tensor", () => {
    const { data } = lowRankStates(7, 0.01);
    const x = tf.tensor3d(Float32Array.from(data), [B, T, n]);
    const before = tf.memory().numTensors;
    const a = statePca(x);
    expect(tf.memory().numTensors).toBe(before);
    const b = statePca({ data: Float32Array.from(data), shape: [B, T, n] });
    expect(a).toEqual(b);
    expect(a.axes.cols).toBe(3);
    x.dispose();
  });

  it("statePca refuses bad shapes, data, components, lengths and constant states with one line naming the value", () => {
    const ok = { data: new Float64Array(2 * 3 * 4).map((_, i) => Math.sin(i)), shape: [2, 3, 4] };
    expect(() => statePca({ data: ok.data, shape: [6, 4] })).toThrow("statePca: states must be 3-D [trials, T, n] with sizes >= 1; got shape [6,4]");
    expect(() => statePca({ data: ok.data.subarray(1), shape: [2, 3, 4] })).toThrow("statePca: states data length must be trials * T * n = 2 * 3 * 4 = 24; got 23");
    const nan = Float64Array.from(ok.data);
    nan[1 * 12 + 2 * 4 + 3] = Number.NaN;
    expect(() => statePca({ data: nan, shape: [2, 3, 4] })).toThrow("statePca: state (trial 1, step 2, unit 3) is NaN; expected a finite number");
    expect(() => statePca(ok, { components: 5 })).toThrow("statePca: components must be an integer in [1, n = 4]; got 5");
    expect(() => statePca(ok, { lengths: [3] })).toThrow("statePca: lengths must hold one length per trial (2); got [3]");
    expect(() => statePca(ok, { lengths: [3, 4] })).toThrow("statePca: lengths[1] must be an integer in [0, T = 3]; got 4");
    expect(() => statePca(ok, { lengths: [1, 0] })).toThrow("statePca: got 1 state point(s); expected at least 2 to estimate a covariance");
    expect(() => statePca({ data: new Float64Array(24).fill(2), shape: [2, 3, 4] })).toThrow("statePca: the 6 states have zero variance (all equal); principal axes are undefined");
    expect(() => statePca(tf.zeros([2, 2]) as unknown as tf.Tensor3D)).toThrow("statePca: states must be 3-D [trials, T, n]; got shape [2, 2]");
    expect(() => statePca(42 as never)).toThrow("statePca: expected states as { data, shape: [trials, T, n] } or a 3-D tensor; got 42");
  });
});
