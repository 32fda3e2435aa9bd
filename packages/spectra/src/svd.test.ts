import { describe, expect, it } from "vitest";
import { svd } from "./svd.js";
import { colEiLikeMatrix, gaussianMatrix } from "./test-support/random.js";
import { matMul, transpose, type Dense } from "./test-support/reference-linalg.js";

function maxAbsDifference(a: Dense, b: Dense): number {
  let worst = 0;
  for (let k = 0; k < a.data.length; k++) worst = Math.max(worst, Math.abs(a.data[k]! - b.data[k]!));
  return worst;
}

function identity(n: number): Dense {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return { data, rows: n, cols: n };
}

function reconstruct({ u, s, v }: ReturnType<typeof svd>): Dense {
  const us = { data: Float64Array.from(u.data, (x, k) => x * s[k % u.cols]!), rows: u.rows, cols: u.cols };
  return matMul(us, transpose(v));
}

describe("svd", () => {
  it("svd(W) gives U diag(s) Vᵀ = W with orthogonal U, V (square, ColEI-like 120 x 120)", () => {
    const w = colEiLikeMatrix(120, 12, 4);
    const parts = svd(w);
    expect([parts.u.rows, parts.u.cols, parts.v.rows, parts.v.cols, parts.s.length]).toEqual([120, 120, 120, 120, 120]);
    expect(maxAbsDifference(reconstruct(parts), w)).toBeLessThan(1e-12);
    expect(maxAbsDifference(matMul(transpose(parts.u), parts.u), identity(120))).toBeLessThan(1e-12);
    expect(maxAbsDifference(matMul(transpose(parts.v), parts.v), identity(120))).toBeLessThan(1e-12);
    for (let i = 1; i < 120; i++) expect(parts.s[i]!).toBeLessThanOrEqual(parts.s[i - 1]!);
  });

  it("svd(W) of a rectangular matrix is the economy SVD (u: rows x k, v: cols x k)", () => {
    for (const [rows, cols] of [[30, 20], [20, 30]] as const) {
      const w = gaussianMatrix(rows, cols, rows);
      const parts = svd(w);
      const k = Math.min(rows, cols);
      expect([parts.u.rows, parts.u.cols, parts.v.rows, parts.v.cols, parts.s.length]).toEqual([rows, k, cols, k, k]);
      expect(maxAbsDifference(reconstruct(parts), w)).toBeLessThan(1e-12);
      expect(maxAbsDifference(matMul(transpose(parts.u), parts.u), identity(k))).toBeLessThan(1e-12);
      expect(maxAbsDifference(matMul(transpose(parts.v), parts.v), identity(k))).toBeLessThan(1e-12);
    }
  });

  it("svd([[0, 2], [1, 0]]) has s = [2, 1] and float64 outputs", () => {
    const parts = svd([[0, 2], [1, 0]]);
    expect(Array.from(parts.s)).toEqual([2, 1]);
    expect(parts.u.data).toBeInstanceOf(Float64Array);
    expect(parts.v.data).toBeInstanceOf(Float64Array);
  });

  it("svd(m) rejects a NaN entry naming it", () => {
    expect(() => svd([[1, 2], [3, Number.NaN]])).toThrow("svd: matrix has a non-finite entry NaN at (1, 1)");
  });
});
