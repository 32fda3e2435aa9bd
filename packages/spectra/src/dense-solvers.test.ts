import { afterEach, describe, expect, it } from "vitest";
import { activeDenseSolvers, registerDenseSolvers } from "./dense-solvers.js";
import { eigenvalues } from "./eigenvalues.js";
import { singularValues } from "./singular-values.js";

afterEach(() => registerDenseSolvers(null));

describe("registerDenseSolvers", () => {
  it("registerDenseSolvers(s) routes singularValues and eigenvalues through s after validation; null restores JavaScript", () => {
    const calls: string[] = [];
    registerDenseSolvers({
      name: "test solvers",
      singularValues: (data, rows, cols) => {
        calls.push(`sv ${rows}x${cols}`);
        return Float64Array.from([1, 5]); // any order: spectra sorts descending
      },
      eigenvalues: (_data, n) => {
        calls.push(`eig ${n}`);
        return { re: Float64Array.from([1, 3]), im: new Float64Array(2) };
      },
    });
    expect(activeDenseSolvers()).toBe("test solvers");
    expect(Array.from(singularValues([[1, 0], [0, 2]]))).toEqual([5, 1]);
    expect(Array.from(eigenvalues([[1, 0], [0, 2]]).re)).toEqual([3, 1]);
    expect(() => singularValues([[NaN, 0], [0, 1]])).toThrow(/non-finite/);
    expect(calls).toEqual(["sv 2x2", "eig 2"]);
    registerDenseSolvers(null);
    expect(activeDenseSolvers()).toBe("javascript");
    expect(Array.from(singularValues([[1, 0], [0, 2]]))).toEqual([2, 1]);
  });

  it("registerDenseSolvers rejects a nameless object or one without solvers", () => {
    expect(() => registerDenseSolvers({ name: "" })).toThrow(/expected \{ name, eigenvalues\?, singularValues\? \} or null/);
    expect(() => registerDenseSolvers({ name: "empty" })).toThrow(/"empty" provides neither eigenvalues nor singularValues/);
  });
});
