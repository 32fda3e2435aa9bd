import { describe, expect, it } from "vitest";
import { eigenvalues } from "./eigenvalues.js";
import { colEiLikeMatrix, gaussianMatrix } from "./test-support/random.js";
import {
  eigenvalueResidual,
  frobenius,
  logDeterminant,
  tracePowers,
  type Dense,
} from "./test-support/reference-linalg.js";

/** Σ λ^k for k = 1, 2, 3 (real parts; the imaginary parts cancel over conjugate pairs). */
function powerSums(re: Float64Array, im: Float64Array): { sums: number[]; imaginary: number[]; scale: number[] } {
  const sums = [0, 0, 0];
  const imaginary = [0, 0, 0];
  const scale = [0, 0, 0];
  for (let k = 0; k < re.length; k++) {
    let pr = 1;
    let pi = 0;
    for (let p = 0; p < 3; p++) {
      [pr, pi] = [pr * re[k]! - pi * im[k]!, pr * im[k]! + pi * re[k]!];
      sums[p]! += pr;
      imaginary[p]! += pi;
      scale[p]! += Math.hypot(pr, pi);
    }
  }
  return { sums, imaginary, scale };
}

function checkInvariants(a: Dense): void {
  const n = a.rows;
  const { re, im } = eigenvalues(a);
  expect(re.length).toBe(n);
  // 1. Σ λ^k = trace(A^k), k = 1, 2, 3 (Newton's identities pin the characteristic polynomial's top coefficients).
  const traces = tracePowers(a);
  const { sums, imaginary, scale } = powerSums(re, im);
  for (let p = 0; p < 3; p++) {
    expect(Math.abs(sums[p]! - traces[p]!)).toBeLessThan(1e-9 * scale[p]!);
    expect(Math.abs(imaginary[p]!)).toBeLessThan(1e-9 * scale[p]!);
  }
  // 2. Π λ = det A, through logs: Σ log|λ| = log|det A| (LU with partial pivoting) and matching signs.
  const det = logDeterminant(a);
  let logAbs = 0;
  let sign = 1;
  for (let k = 0; k < n; k++) {
    logAbs += Math.log(Math.hypot(re[k]!, im[k]!));
    if (im[k] === 0 && re[k]! < 0) sign = -sign;
  }
  expect(Math.abs(logAbs - det.logAbs)).toBeLessThan(1e-6 * Math.max(1, Math.abs(det.logAbs)));
  expect(sign).toBe(det.sign);
  // 3. Schur's inequality Σ|λ|² ≤ ‖A‖_F².
  let sumSquares = 0;
  for (let k = 0; k < n; k++) sumSquares += re[k]! ** 2 + im[k]! ** 2;
  expect(sumSquares).toBeLessThanOrEqual(frobenius(a) ** 2 * (1 + 1e-12));
  // 4. Each sampled λ is an eigenvalue of A + E with ‖E‖ tiny: ‖(A − λI) z‖ ≤ 1e-10 ‖A‖_F for a unit z.
  const complexIndex = im.findIndex((x) => x !== 0);
  const realIndex = im.findIndex((x) => x === 0);
  const sample = new Set([0, 1, n - 1, Math.floor(n / 2), complexIndex, complexIndex + 1, realIndex].filter((k) => k >= 0));
  for (const k of sample) {
    expect(eigenvalueResidual(a, re[k]!, im[k]!)).toBeLessThan(1e-10 * frobenius(a));
  }
  // Conjugate pairs are adjacent and exact.
  for (let k = 0; k < n; k++) {
    if (im[k]! > 0) {
      expect(re[k + 1]).toBe(re[k]);
      expect(im[k + 1]).toBe(-im[k]!);
    }
  }
}

describe("eigenvalues", () => {
  it("eigenvalues(rotation by θ) is cos θ ± i sin θ", () => {
    for (const theta of [0.3, 1.2, 2.5]) {
      const { re, im } = eigenvalues([[Math.cos(theta), -Math.sin(theta)], [Math.sin(theta), Math.cos(theta)]]);
      expect(re[0]).toBeCloseTo(Math.cos(theta), 14);
      expect(re[1]).toBeCloseTo(Math.cos(theta), 14);
      expect(im[0]).toBeCloseTo(Math.sin(theta), 14);
      expect(im[1]).toBeCloseTo(-Math.sin(theta), 14);
    }
  });

  it("eigenvalues(diag(d)) is d, ordered by |λ| descending", () => {
    const { re, im } = eigenvalues([[2, 0, 0, 0], [0, -5, 0, 0], [0, 0, 0.5, 0], [0, 0, 0, -1]]);
    expect(Array.from(re)).toEqual([-5, 2, -1, 0.5]);
    expect(Array.from(im)).toEqual([0, 0, 0, 0]);
  });

  it("eigenvalues([[2, 1], [0, 2]]) (defective Jordan block) is 2, 2", () => {
    const { re, im } = eigenvalues([[2, 1], [0, 2]]);
    expect(Array.from(re)).toEqual([2, 2]);
    expect(Array.from(im)).toEqual([0, 0]);
  });

  it("eigenvalues(S J S⁻¹) of a hidden Jordan block is 2, 2 to √ε accuracy", () => {
    // S = [[1, 1], [1, 2]], S⁻¹ = [[2, -1], [-1, 1]], J = [[2, 1], [0, 2]]: S J S⁻¹ = [[1, 1], [-1, 3]].
    const { re, im } = eigenvalues([[1, 1], [-1, 3]]);
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(re[k]! - 2)).toBeLessThan(1e-7);
      expect(Math.abs(im[k]!)).toBeLessThan(1e-7);
    }
  });

  it("eigenvalues(symmetric) is real: [[2, 1], [1, 2]] gives 3, 1", () => {
    const { re, im } = eigenvalues([[2, 1], [1, 2]]);
    expect(re[0]).toBeCloseTo(3, 14);
    expect(re[1]).toBeCloseTo(1, 14);
    expect(Array.from(im)).toEqual([0, 0]);
  });

  it("eigenvalues(companion of (x−1)(x+2)(x²+1)) is 1, −2, ±i", () => {
    // x⁴ + x³ − x² + x − 2 = (x − 1)(x + 2)(x² + 1)
    const companion = [[-1, 1, -1, 2], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]];
    const { re, im } = eigenvalues(companion);
    expect(re[0]).toBeCloseTo(-2, 12);
    expect(im[0]).toBe(0);
    // 1 and ±i tie in modulus, so rounding decides their order: match each to its nearest.
    for (const [r, i] of [[1, 0], [0, 1], [0, -1]] as const) {
      const distance = Math.min(...[1, 2, 3].map((k) => Math.hypot(re[k]! - r, im[k]! - i)));
      expect(distance).toBeLessThan(1e-12);
    }
  });

  it("eigenvalues(300 x 300 Gaussian) satisfies trace, trace-power, determinant and residual invariants", () => {
    checkInvariants(gaussianMatrix(300, 300, 7));
  });

  it("eigenvalues(300 x 300 ColEI-like, non-normal) satisfies the same invariants", () => {
    checkInvariants(colEiLikeMatrix(300, 30, 8));
  });

  it("eigenvalues(m) rejects a non-square matrix: 'matrix must be square; got 3 x 4'", () => {
    expect(() => eigenvalues({ data: new Float64Array(12), rows: 3, cols: 4 })).toThrow(
      "eigenvalues: matrix must be square; got 3 x 4",
    );
    expect(() => eigenvalues([[1, Number.NaN], [0, 1]])).toThrow("eigenvalues: matrix has a non-finite entry NaN at (0, 1)");
  });
});
