import { describe, expect, it } from "vitest";
import { seededRandom } from "@dale-nn/test-support";
import { singularValues } from "./singular-values.js";
import { svd } from "./svd.js";
import { colEiLikeMatrix, gaussianMatrix } from "./test-support/random.js";
import { jacobiSingularValues, orthogonalMatrix } from "./test-support/reference-linalg.js";

function expectRelativeAgreement(actual: Float64Array, expected: Float64Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.abs(expected[i]!));
  }
  expect(worst).toBeLessThan(tolerance);
}

describe("singularValues", () => {
  it("singularValues(diag(d)) is |d| sorted descending", () => {
    const d = [0.5, -3, 2, 0, -1.25];
    const n = d.length;
    const data = new Float64Array(n * n);
    d.forEach((v, i) => (data[i * n + i] = v));
    expect(Array.from(singularValues({ data, rows: n, cols: n }))).toEqual([3, 2, 1.25, 0.5, 0]);
  });

  it("singularValues(Q) is all 1 for orthogonal Q (permutation, rotation, Gram-Schmidt of a random matrix)", () => {
    const permutation = [[0, 1, 0], [0, 0, 1], [1, 0, 0]];
    const t = 0.7;
    const rotation = [[Math.cos(t), -Math.sin(t)], [Math.sin(t), Math.cos(t)]];
    const rng = seededRandom(3);
    const q = orthogonalMatrix(40, () => rng.normal());
    for (const m of [permutation, rotation, q]) {
      for (const s of singularValues(m)) expect(s).toBeCloseTo(1, 12);
    }
  });

  it("singularValues(m) of a rectangular matrix has min(rows, cols) values, equal for m and mᵀ", () => {
    const wide = [[1, 2, 3], [4, 5, 6]];
    const tall = [[1, 4], [2, 5], [3, 6]];
    const a = singularValues(wide);
    const b = singularValues(tall);
    expect(a.length).toBe(2);
    for (let i = 0; i < 2; i++) expect(a[i]).toBeCloseTo(b[i]!, 12);
    // Σσ² = ‖A‖_F² = 91
    expect(a[0]! ** 2 + a[1]! ** 2).toBeCloseTo(91, 10);
  });

  it("singularValues(m) (values only) equals svd(m).s", () => {
    const m = gaussianMatrix(60, 60, 11);
    const a = singularValues(m);
    const b = svd(m).s;
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 12);
  });

  it("singularValues(300 x 300 Gaussian) agrees with one-sided Jacobi to 1e-6 relative (each value)", () => {
    const m = gaussianMatrix(300, 300, 1);
    expectRelativeAgreement(singularValues(m), jacobiSingularValues(m), 1e-6);
  });

  it("singularValues(300 x 300 ColEI-like) agrees with one-sided Jacobi to 1e-6 relative (each value)", () => {
    const m = colEiLikeMatrix(300, 30, 2);
    const s = singularValues(m);
    expectRelativeAgreement(s, jacobiSingularValues(m), 1e-6);
    // The ColEI pathology of Li et al. 2023 (Sec. 3.2): one singular value far above the bulk.
    expect(s[0]! / s[1]!).toBeGreaterThan(3);
  });

  it("singularValues(300 x 200 and 200 x 300) agree with one-sided Jacobi to 1e-6 relative", () => {
    const tall = gaussianMatrix(300, 200, 5);
    expectRelativeAgreement(singularValues(tall), jacobiSingularValues(tall), 1e-6);
    const wide = gaussianMatrix(200, 300, 6);
    expectRelativeAgreement(singularValues(wide), jacobiSingularValues(wide), 1e-6);
  });
});
