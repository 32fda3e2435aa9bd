import { activeDenseSolvers, eigenvalues, normalisedSvdEntropy, registerDenseSolvers, singularValues, spectralRadius } from "@dale-nn/spectra";
import { createRandomSource } from "@dale-nn/ei-init";
import { afterEach, describe, expect, it } from "vitest";
import { registerOpenBlasSpectra } from "./lapack-spectra.js";

function gaussian(n: number, seed: number): { data: Float64Array; rows: number; cols: number } {
  const rng = createRandomSource(seed);
  return { data: Float64Array.from({ length: n * n }, () => rng.normal()), rows: n, cols: n };
}

/** Sorted copies for order-free comparison (eigenvalues by real then imaginary part). */
const sortedEig = (e: { re: Float64Array; im: Float64Array }) =>
  Array.from(e.re.keys())
    .map((k) => [e.re[k]!, e.im[k]!] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);

afterEach(() => registerDenseSolvers(null));

describe("registerOpenBlasSpectra()", () => {
  const first = registerOpenBlasSpectra();
  registerDenseSolvers(null);
  if (!first.registered) {
    it("without the addon leaves the JavaScript solvers in place and says why", () => {
      expect(process.env.DALE_EXPECT_OPENBLAS).not.toBe("1");
      expect(first.notice).toMatch(/^spectra: LAPACK unavailable/);
      expect(activeDenseSolvers()).toBe("javascript");
    });
    return;
  }

  it("switches spectra to LAPACK and back", () => {
    expect(activeDenseSolvers()).toBe("javascript");
    expect(registerOpenBlasSpectra().notice).toMatch(/^spectra: eigenvalues and singular values by LAPACK \(OpenBLAS /);
    expect(activeDenseSolvers()).toMatch(/^LAPACK/);
    registerDenseSolvers(null);
    expect(activeDenseSolvers()).toBe("javascript");
  });

  it("LAPACK and the JavaScript solvers agree on random 300 x 300 matrices to 1e-9 (singular values, eigenvalues, NSE, radius)", () => {
    const m = gaussian(300, 1);
    const js = { s: singularValues(m), e: sortedEig(eigenvalues(m)), nse: normalisedSvdEntropy(m), rho: spectralRadius(m) };
    registerOpenBlasSpectra();
    const lapack = { s: singularValues(m), e: sortedEig(eigenvalues(m)), nse: normalisedSvdEntropy(m), rho: spectralRadius(m) };
    const scale = js.s[0]!;
    for (let k = 0; k < 300; k++) expect(Math.abs(lapack.s[k]! - js.s[k]!) / scale).toBeLessThan(1e-9);
    for (let k = 0; k < 300; k++) {
      expect(Math.abs(lapack.e[k]![0] - js.e[k]![0]) / js.rho).toBeLessThan(1e-9);
      expect(Math.abs(lapack.e[k]![1] - js.e[k]![1]) / js.rho).toBeLessThan(1e-9);
    }
    expect(Math.abs(lapack.nse - js.nse)).toBeLessThan(1e-12);
    expect(Math.abs(lapack.rho - js.rho) / js.rho).toBeLessThan(1e-9);
  });

  it("gives exact answers on known matrices: rotation eigenvalues, diagonal and wide singular values; inputs untouched", () => {
    registerOpenBlasSpectra();
    const t = Math.PI / 6;
    const rotation = [
      [Math.cos(t), -Math.sin(t)],
      [Math.sin(t), Math.cos(t)],
    ];
    const e = eigenvalues(rotation);
    expect(Array.from(e.re)).toEqual([expect.closeTo(Math.cos(t), 14), expect.closeTo(Math.cos(t), 14)]);
    expect(Array.from(e.im)).toEqual([expect.closeTo(0.5, 14), expect.closeTo(-0.5, 14)]);
    expect(Array.from(singularValues([[3, 0, 0], [0, -4, 0]]))).toEqual([4, 3]);
    const data = Float64Array.from([1, 2, 3, 4]);
    singularValues({ data, rows: 2, cols: 2 });
    eigenvalues({ data, rows: 2, cols: 2 });
    expect(Array.from(data)).toEqual([1, 2, 3, 4]);
  });

  it("keeps spectra's input validation: NaN entries and non-square matrices still give clear errors", () => {
    registerOpenBlasSpectra();
    expect(() => eigenvalues([[1, 2, 3], [4, 5, 6]])).toThrow(/eigenvalues: matrix must be square; got 2 x 3/);
    expect(() => singularValues([[1, NaN], [0, 1]])).toThrow(/non-finite entry NaN/);
  });
});
