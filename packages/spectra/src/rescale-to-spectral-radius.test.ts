import { describe, expect, it } from "vitest";
import { rescaleToSpectralRadius } from "./rescale-to-spectral-radius.js";
import { spectralRadius } from "./spectral-radius.js";
import { colEiLikeMatrix } from "./test-support/random.js";

describe("rescaleToSpectralRadius", () => {
  it("rescaleToSpectralRadius(W, 1.5) has spectral radius 1.5 and keeps every sign (ColEI init, Li et al. 2023, eq. 7)", () => {
    const w = colEiLikeMatrix(150, 15, 41);
    const before = spectralRadius(w);
    const r = rescaleToSpectralRadius(w, 1.5);
    expect(Math.abs(spectralRadius(r) - 1.5)).toBeLessThan(1e-10);
    for (let k = 0; k < w.data.length; k++) {
      expect(Math.sign(r.data[k]!)).toBe(Math.sign(w.data[k]!));
      expect(r.data[k]).toBeCloseTo((w.data[k]! * 1.5) / before, 12);
    }
  });

  it("rescaleToSpectralRadius([[0, 2], [2, 0]], 1.5) is [[0, 1.5], [1.5, 0]] and leaves the input alone", () => {
    const input = [[0, 2], [2, 0]];
    const r = rescaleToSpectralRadius(input, 1.5);
    expect(Array.from(r.data)).toEqual([0, 1.5, 1.5, 0]);
    expect(input).toEqual([[0, 2], [2, 0]]);
  });

  it("rescaleToSpectralRadius rejects a non-square matrix, rho <= 0 and a nilpotent matrix", () => {
    expect(() => rescaleToSpectralRadius({ data: new Float64Array(12), rows: 3, cols: 4 }, 1.5)).toThrow(
      "rescaleToSpectralRadius: matrix must be square; got 3 x 4",
    );
    expect(() => rescaleToSpectralRadius([[1, 0], [0, 1]], 0)).toThrow(
      "rescaleToSpectralRadius: rho must be a finite number > 0; got 0",
    );
    expect(() => rescaleToSpectralRadius([[0, 1], [0, 0]], 1.5)).toThrow(
      /rescaleToSpectralRadius: the matrix has spectral radius 0 .*nilpotent or zero matrix cannot be rescaled to radius 1.5/,
    );
  });
});
