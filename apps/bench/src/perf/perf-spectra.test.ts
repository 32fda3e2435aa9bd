import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gaussianMatrix, timeOurSpectra, writeMatrixFile } from "./perf-spectra.js";

describe("perf spectra", () => {
  it("gaussianMatrix(n, seed) is the same for the same seed, about N(0, 1)", () => {
    const a = gaussianMatrix(100, 7);
    expect(a.data).toEqual(gaussianMatrix(100, 7).data);
    expect(a.data).not.toEqual(gaussianMatrix(100, 8).data);
    const mean = a.data.reduce((s, v) => s + v, 0) / a.data.length;
    const variance = a.data.reduce((s, v) => s + (v - mean) ** 2, 0) / a.data.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(variance).toBeGreaterThan(0.9);
    expect(variance).toBeLessThan(1.1);
  });

  it("writeMatrixFile(dir, m) writes rows*cols little-endian float64 values, row-major", () => {
    const dir = mkdtempSync(join(tmpdir(), "dale-perf-spectra-"));
    try {
      const m = { data: Float64Array.from([1, -2.5, 3, 1e-300]), rows: 2, cols: 2 };
      const bytes = readFileSync(writeMatrixFile(dir, m));
      expect(bytes.length).toBe(32);
      expect([0, 1, 2, 3].map((i) => bytes.readDoubleLE(i * 8))).toEqual([1, -2.5, 3, 1e-300]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("timeOurSpectra(op, m, reps) returns positive seconds for svd and eig", () => {
    const m = gaussianMatrix(20, 1);
    expect(timeOurSpectra("svd", m, 2)).toBeGreaterThan(0);
    expect(timeOurSpectra("eig", m, 2)).toBeGreaterThan(0);
  });
});
