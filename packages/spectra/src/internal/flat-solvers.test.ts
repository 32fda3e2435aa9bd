import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { normalArray, seededRandom } from "@dale-nn/test-support";
import { colEiLikeMatrix, gaussianMatrix } from "../test-support/random.js";
import { eigenvaluesFlat } from "./eigenvalues-flat.js";
import { singularValuesFlat } from "./singular-values-flat.js";

interface Dense {
  data: Float64Array;
  rows: number;
  cols: number;
}

const SIZES = [1, 2, 3, 10, 57, 200];

function toMl(a: Dense): Matrix {
  const out = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.set(i, j, a.data[i * a.cols + j]!);
  return out;
}

function fromRows(rows: number[][]): Dense {
  return { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0]!.length };
}

function symmetricMatrix(n: number, seed: number): Dense {
  const g = gaussianMatrix(n, n, seed);
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = g.data[i * n + j]! + g.data[j * n + i]!;
  return { data, rows: n, cols: n };
}

/** Rank n − 2 (two dependent columns) plus a 1e-13 perturbation. */
function nearlySingularMatrix(n: number, seed: number): Dense {
  const a = gaussianMatrix(n, n, seed);
  const rng = seededRandom(seed + 1);
  for (let i = 0; i < n; i++) {
    if (n >= 2) a.data[i * n + n - 1] = a.data[i * n]! * 2 + 1e-13 * rng.normal();
    if (n >= 3) a.data[i * n + n - 2] = a.data[i * n + 1]! - 3 * a.data[i * n]!;
  }
  return a;
}

/** S J S⁻¹-like: a block-diagonal of 2 x 2 Jordan blocks J(λ) = [[λ, 1], [0, λ]] under an orthogonal-ish similarity (Householder). */
function defectiveMatrix(n: number, seed: number): Dense {
  const rng = seededRandom(seed);
  const t = new Float64Array(n * n);
  for (let k = 0; k < n; k += 2) {
    const lambda = rng.normal();
    t[k * n + k] = lambda;
    if (k + 1 < n) {
      t[(k + 1) * n + k + 1] = lambda;
      t[k * n + k + 1] = 1;
    }
  }
  // H T H with H = I − 2 u uᵀ, ‖u‖ = 1 (H = H⁻¹): a similarity that keeps the Jordan structure.
  const u = normalArray(rng, n);
  const norm = Math.hypot(...u);
  for (let i = 0; i < n; i++) u[i]! /= norm;
  const h = (i: number, j: number): number => (i === j ? 1 : 0) - 2 * u[i]! * u[j]!;
  const ht = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += h(i, k) * t[k * n + j]!;
    ht[i * n + j] = s;
  }
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += ht[i * n + k]! * h(k, j);
    data[i * n + j] = s;
  }
  return { data, rows: n, cols: n };
}

/** Block diagonal of rotations scaled by r_k (complex pairs r(cos θ ± i sin θ)), with repeats, shuffled by a permutation similarity. */
function complexRepeatedMatrix(n: number, seed: number): Dense {
  const rng = seededRandom(seed);
  const data = new Float64Array(n * n);
  for (let k = 0; k + 1 < n; k += 2) {
    const r = k % 4 === 0 ? 1 : 0.5 + rng.uniform();
    const theta = k % 4 === 0 ? 0.7 : 3 * rng.uniform();
    data[k * n + k] = r * Math.cos(theta);
    data[k * n + k + 1] = -r * Math.sin(theta);
    data[(k + 1) * n + k] = r * Math.sin(theta);
    data[(k + 1) * n + k + 1] = r * Math.cos(theta);
  }
  if (n % 2 === 1) data[n * n - 1] = 1;
  const perm = Array.from({ length: n }, (_, i) => (i * 7 + 3) % n);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[perm[i]! * n + perm[j]!] = data[i * n + j]!;
  return { data: out, rows: n, cols: n };
}

function cyclicPermutation(n: number): Dense {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + ((i + 1) % n)] = 1;
  return { data, rows: n, cols: n };
}

/** Greedy nearest matching of two complex multisets; returns the largest distance. */
function matchDistance(re: Float64Array, im: Float64Array, re2: ArrayLike<number>, im2: ArrayLike<number>): number {
  const used = new Uint8Array(re2.length);
  let worst = 0;
  const order = Array.from(re.keys()).sort((a, b) => Math.hypot(re[b]!, im[b]!) - Math.hypot(re[a]!, im[a]!));
  for (const k of order) {
    let best = Infinity;
    let bestJ = -1;
    for (let j = 0; j < re2.length; j++) {
      if (used[j]) continue;
      const dist = Math.hypot(re[k]! - re2[j]!, im[k]! - im2[j]!);
      if (dist < best) {
        best = dist;
        bestJ = j;
      }
    }
    used[bestJ] = 1;
    worst = Math.max(worst, best);
  }
  return worst;
}

function expectEigenvaluesLikeMlMatrix(a: Dense, relTol: number): void {
  const n = a.rows;
  const { re, im } = eigenvaluesFlat(a.data, n);
  expect(re.length).toBe(n);
  for (let k = 0; k < n; k++) {
    expect(Number.isFinite(re[k])).toBe(true);
    expect(Number.isFinite(im[k])).toBe(true);
  }
  const ref = new EigenvalueDecomposition(toMl(a));
  const reRef = ref.realEigenvalues;
  const imRef = ref.imaginaryEigenvalues;
  let scale = 0;
  for (let k = 0; k < n; k++) scale = Math.max(scale, Math.hypot(reRef[k]!, imRef[k]!));
  let frob = 0;
  for (const x of a.data) frob += x * x;
  scale = Math.max(scale, Math.sqrt(frob) * 1e-3, Number.MIN_VALUE);
  expect(matchDistance(re, im, reRef, imRef)).toBeLessThanOrEqual(relTol * scale);
  // Conjugate pairs adjacent and exact.
  for (let k = 0; k < n; k++) {
    if (im[k]! > 0) {
      expect(re[k + 1]).toBe(re[k]);
      expect(im[k + 1]).toBe(-im[k]!);
    }
  }
}

function expectSingularValuesLikeMlMatrix(a: Dense, relTol: number): void {
  const s = Array.from(singularValuesFlat(a.data, a.rows, a.cols)).sort((x, y) => y - x);
  const ref = new SingularValueDecomposition(toMl(a), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  }).diagonal
    .slice(0, Math.min(a.rows, a.cols))
    .map(Math.abs)
    .sort((x, y) => y - x);
  expect(s.length).toBe(ref.length);
  const top = ref[0]!;
  for (let k = 0; k < s.length; k++) {
    expect(Number.isFinite(s[k])).toBe(true);
    expect(s[k]).toBeGreaterThanOrEqual(0);
    // Relative to σ_k for well-separated values; small σ of a nearly singular matrix only to σ_max ε-level.
    expect(Math.abs(s[k]! - ref[k]!)).toBeLessThanOrEqual(relTol * Math.max(ref[k]!, 1e-4 * top, Number.MIN_VALUE));
  }
}

describe("eigenvaluesFlat (values-only Hessenberg QR) agrees with ml-matrix", () => {
  for (const n of SIZES) {
    it(`random Gaussian, ColEI-like, symmetric and nearly singular ${n} x ${n}`, () => {
      expectEigenvaluesLikeMlMatrix(gaussianMatrix(n, n, 100 + n), 1e-9);
      if (n >= 2) expectEigenvaluesLikeMlMatrix(colEiLikeMatrix(n, Math.max(1, Math.floor(n / 10)), 200 + n), 1e-9);
      expectEigenvaluesLikeMlMatrix(symmetricMatrix(n, 300 + n), 1e-9);
      expectEigenvaluesLikeMlMatrix(nearlySingularMatrix(n, 400 + n), 1e-9);
    });

    it(`complex pairs with repeats, defective Jordan blocks and cyclic permutations ${n} x ${n}`, () => {
      expectEigenvaluesLikeMlMatrix(complexRepeatedMatrix(n, 500 + n), 1e-9);
      // A 2 x 2 Jordan block perturbed by ε moves by √ε: both solvers are only that accurate.
      expectEigenvaluesLikeMlMatrix(defectiveMatrix(n, 600 + n), 1e-6);
      expectEigenvaluesLikeMlMatrix(cyclicPermutation(n), 1e-9);
    });
  }

  it("exact zeros: zero matrix, zero rows and columns, strictly triangular (nilpotent), identity", () => {
    for (const n of [1, 3, 10]) {
      const zero = { data: new Float64Array(n * n), rows: n, cols: n };
      expect(Array.from(eigenvaluesFlat(zero.data, n).re)).toEqual(new Array(n).fill(0));
      const identity = new Float64Array(n * n);
      for (let i = 0; i < n; i++) identity[i * n + i] = 1;
      expect(Array.from(eigenvaluesFlat(identity, n).re)).toEqual(new Array(n).fill(1));
      const g = gaussianMatrix(n, n, 700 + n);
      for (let j = 0; j < n; j++) g.data[j] = 0; // zero first row: a simple eigenvalue 0
      expectEigenvaluesLikeMlMatrix(g, 1e-9);
      const h = gaussianMatrix(n, n, 750 + n);
      for (let i = 0; i < n; i++) h.data[i * n + n - 1] = 0; // zero last column
      expectEigenvaluesLikeMlMatrix(h, 1e-9);
      const upper = gaussianMatrix(n, n, 800 + n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) upper.data[i * n + j] = 0;
      const { re, im } = eigenvaluesFlat(upper.data, n);
      for (let k = 0; k < n; k++) {
        expect(re[k]).toBe(0);
        expect(im[k]).toBe(0);
      }
    }
    const triangular = fromRows([[3, 1, 2], [0, -1, 5], [0, 0, 3]]);
    expect(Array.from(eigenvaluesFlat(triangular.data, 3).re).sort()).toEqual([-1, 3, 3]);
  });

  it("extreme scales (1e±200) give scaled eigenvalues, no overflow or NaN", () => {
    const a = gaussianMatrix(20, 20, 901);
    const base = eigenvaluesFlat(a.data, 20);
    for (const factor of [1e200, 1e-200]) {
      const { re, im } = eigenvaluesFlat(Float64Array.from(a.data, (x) => x * factor), 20);
      expect(matchDistance(Float64Array.from(re, (x) => x / factor), Float64Array.from(im, (x) => x / factor), base.re, base.im)).toBeLessThan(1e-12);
    }
  });

  it("stops at the iteration limit with an error naming the count", () => {
    const a = gaussianMatrix(10, 10, 902);
    expect(() => eigenvaluesFlat(a.data, 10, { maxIterations: 1 })).toThrow(
      /^eigenvalues: the Hessenberg QR iteration did not converge after 1 iterations \(\d+ of 10 eigenvalues found\)/,
    );
    const s = symmetricMatrix(10, 903);
    expect(() => eigenvaluesFlat(s.data, 10, { context: "spectralRadius", maxIterations: 1 })).toThrow(
      /^spectralRadius: the symmetric QL iteration did not converge after 1 iterations/,
    );
  });
});

describe("singularValuesFlat (values-only bidiagonal QR) agrees with ml-matrix", () => {
  for (const n of SIZES) {
    it(`random Gaussian, ColEI-like, symmetric, nearly singular and defective ${n} x ${n}`, () => {
      expectSingularValuesLikeMlMatrix(gaussianMatrix(n, n, 1100 + n), 1e-9);
      if (n >= 2) expectSingularValuesLikeMlMatrix(colEiLikeMatrix(n, Math.max(1, Math.floor(n / 10)), 1200 + n), 1e-9);
      expectSingularValuesLikeMlMatrix(symmetricMatrix(n, 1300 + n), 1e-9);
      expectSingularValuesLikeMlMatrix(nearlySingularMatrix(n, 1400 + n), 1e-9);
      expectSingularValuesLikeMlMatrix(defectiveMatrix(n, 1500 + n), 1e-9);
      expectSingularValuesLikeMlMatrix(complexRepeatedMatrix(n, 1600 + n), 1e-9);
    });

    it(`rectangular ${n} x ${n + 7} and ${n + 7} x ${n}`, () => {
      expectSingularValuesLikeMlMatrix(gaussianMatrix(n, n + 7, 1700 + n), 1e-9);
      expectSingularValuesLikeMlMatrix(gaussianMatrix(n + 7, n, 1800 + n), 1e-9);
    });
  }

  it("exact zeros, repeated values and rank 1", () => {
    expect(Array.from(singularValuesFlat(new Float64Array(12), 3, 4))).toEqual([0, 0, 0]);
    const identity = new Float64Array(25);
    for (let i = 0; i < 5; i++) identity[i * 5 + i] = -1;
    expect(Array.from(singularValuesFlat(identity, 5, 5))).toEqual([1, 1, 1, 1, 1]);
    const rank1 = fromRows([[1, 2, 3], [2, 4, 6], [3, 6, 9], [0, 0, 0]]);
    const s = Array.from(singularValuesFlat(rank1.data, 4, 3)).sort((x, y) => y - x);
    expect(s[0]).toBeCloseTo(14, 13);
    expect(s[1]).toBeLessThan(1e-14);
    expect(s[2]).toBeLessThan(1e-14);
    const g = gaussianMatrix(30, 20, 1901);
    for (let i = 0; i < 30; i++) g.data[i * 20 + 5] = 0;
    for (let j = 0; j < 20; j++) g.data[7 * 20 + j] = 0;
    expectSingularValuesLikeMlMatrix(g, 1e-9);
  });

  it("extreme scales (1e±200) give scaled singular values, no overflow or NaN", () => {
    const a = gaussianMatrix(20, 15, 1902);
    const base = singularValuesFlat(a.data, 20, 15).sort();
    for (const factor of [1e200, 1e-200]) {
      const s = singularValuesFlat(Float64Array.from(a.data, (x) => x * factor), 20, 15).sort();
      for (let k = 0; k < 15; k++) expect(Math.abs(s[k]! / factor - base[k]!)).toBeLessThan(1e-13 * base[14]!);
    }
  });

  it("stops at the iteration limit with an error naming the count", () => {
    const a = gaussianMatrix(10, 10, 1903);
    expect(() => singularValuesFlat(a.data, 10, 10, "nse", 1)).toThrow(
      /^nse: the bidiagonal QR iteration did not converge after 1 iterations \(\d+ of 10 singular values found\)/,
    );
  });
});
