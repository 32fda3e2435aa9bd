import { describe, expect, it } from "vitest";
import { transplantSpectrum } from "./transplant-spectrum.js";
import { svd } from "./svd.js";
import { singularValues } from "./singular-values.js";
import { colEiLikeMatrix, gaussianMatrix } from "./test-support/random.js";
import { matMul, transpose } from "./test-support/reference-linalg.js";

describe("transplantSpectrum", () => {
  it("transplantSpectrum(a, b) has b's singular values and a's singular vectors: U_aᵀ W V_a = diag(s_b)", () => {
    const n = 80;
    const rnn = gaussianMatrix(n, n, 31);
    const colEi = colEiLikeMatrix(n, 8, 32);
    const w1 = transplantSpectrum(rnn, colEi); // Li et al. 2023, Sec. 2.3.1: W₁ = U_RNN Σ_ColEI V_RNNᵀ
    const { u, v } = svd(rnn);
    const sB = singularValues(colEi);
    const core = matMul(matMul(transpose(u), w1), v);
    const tolerance = 1e-12 * sB[0]!;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const expected = i === j ? sB[i]! : 0;
        expect(Math.abs(core.data[i * n + j]! - expected)).toBeLessThan(tolerance);
      }
    }
    const s1 = singularValues(w1);
    for (let i = 0; i < n; i++) expect(Math.abs(s1[i]! - sB[i]!)).toBeLessThan(tolerance);
  });

  it("transplantSpectrum(a, a) gives back a", () => {
    const a = gaussianMatrix(30, 20, 4);
    const w = transplantSpectrum(a, a);
    expect([w.rows, w.cols]).toEqual([30, 20]);
    for (let k = 0; k < a.data.length; k++) expect(Math.abs(w.data[k]! - a.data[k]!)).toBeLessThan(1e-12);
  });

  it("transplantSpectrum(a, b) rejects different shapes", () => {
    expect(() => transplantSpectrum(gaussianMatrix(3, 3, 1), gaussianMatrix(4, 4, 1))).toThrow(
      "transplantSpectrum: a and b must have the same shape; got 3 x 3 and 4 x 4",
    );
    expect(() => transplantSpectrum([[1, 2], [3, 4]], [[1, Number.NaN], [3, 4]])).toThrow(
      "transplantSpectrum (b): matrix has a non-finite entry NaN at (0, 1)",
    );
  });
});
