import { describe, expect, it } from "vitest";
import { seededRandom } from "@dale-nn/test-support";
import { normalisedSvdEntropy, normalisedSvdEntropyFromSingularValues, nse } from "./normalised-svd-entropy.js";
import { singularValues } from "./singular-values.js";
import { colEiLikeMatrix, gaussianMatrix } from "./test-support/random.js";
import { jacobiSingularValues, orthogonalMatrix } from "./test-support/reference-linalg.js";

/** eq. 4 written out once more, independently, for the reference values. */
function referenceNse(s: Float64Array): number {
  const total = s.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const x of s) if (x > 0) h += (x / total) * Math.log(x / total);
  return -h / Math.log(s.length);
}

describe("normalisedSvdEntropy", () => {
  it("nse(Q) is 1 for an orthogonal matrix (Li et al. 2023, Sec. 2.3.2)", () => {
    const rng = seededRandom(12);
    expect(nse(orthogonalMatrix(50, () => rng.normal()))).toBeCloseTo(1, 12);
    expect(nse([[0, 1, 0], [0, 0, 1], [1, 0, 0]])).toBe(1);
    expect(nse([[3, 0], [0, 3]])).toBe(1);
  });

  it("nse(u vᵀ) is 0 for a rank-1 matrix", () => {
    const u = [1, -2, 0.5, 3];
    const v = [0.3, 1, -1, 2];
    expect(nse(u.map((a) => v.map((b) => a * b)))).toBeCloseTo(0, 10);
    expect(nse([[1, 0], [0, 0]])).toBe(0);
  });

  it("normalisedSvdEntropy(diag(3, 1)) is −(¾ log ¾ + ¼ log ¼) / log 2 (sum-normalised, not squares)", () => {
    const expected = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(2);
    expect(normalisedSvdEntropy([[3, 0], [0, -1]])).toBeCloseTo(expected, 14);
    expect(normalisedSvdEntropyFromSingularValues([1, 3])).toBeCloseTo(expected, 14);
  });

  it("nse is the alias of normalisedSvdEntropy", () => {
    expect(nse).toBe(normalisedSvdEntropy);
  });

  it("normalisedSvdEntropy(300 x 300) matches eq. 4 on one-sided-Jacobi singular values to 1e-10", () => {
    const gaussian = gaussianMatrix(300, 300, 21);
    const colEi = colEiLikeMatrix(300, 30, 22);
    const hGaussian = normalisedSvdEntropy(gaussian);
    const hColEi = normalisedSvdEntropy(colEi);
    expect(Math.abs(hGaussian - referenceNse(jacobiSingularValues(gaussian)))).toBeLessThan(1e-10);
    expect(Math.abs(hColEi - referenceNse(jacobiSingularValues(colEi)))).toBeLessThan(1e-10);
    // Quarter-circle spectrum: H ≈ 0.96 at n = 300 (Li et al. 2023, Table 3: standard RNN 0.962).
    expect(hGaussian).toBeGreaterThan(0.95);
    expect(hGaussian).toBeLessThan(0.97);
    // ColEI with 10% I units is more dispersed (Sec. 3.4, Fig. 7).
    expect(hColEi).toBeLessThan(hGaussian - 0.05);
  });

  it("normalisedSvdEntropyFromSingularValues(singularValues(W)) equals normalisedSvdEntropy(W)", () => {
    const w = gaussianMatrix(40, 40, 2);
    expect(normalisedSvdEntropyFromSingularValues(singularValues(w))).toBe(normalisedSvdEntropy(w));
  });

  it("normalisedSvdEntropy rejects N < 2 and the zero matrix; FromSingularValues rejects negative values", () => {
    expect(() => normalisedSvdEntropy([[2]])).toThrow(
      "normalisedSvdEntropy: needs at least 2 singular values (H divides by log N); got N = 1",
    );
    expect(() => normalisedSvdEntropy([[1, 2, 3]])).toThrow(/got N = 1/);
    expect(() => normalisedSvdEntropy([[0, 0], [0, 0]])).toThrow(
      "normalisedSvdEntropy: all 2 singular values are 0 (zero matrix); H is undefined",
    );
    expect(() => normalisedSvdEntropyFromSingularValues([1, -0.5])).toThrow(
      "normalisedSvdEntropyFromSingularValues: singular values must be finite and >= 0; got -0.5 at index 1",
    );
    expect(() => normalisedSvdEntropyFromSingularValues([1, Number.NaN])).toThrow(/got NaN at index 1/);
  });
});
