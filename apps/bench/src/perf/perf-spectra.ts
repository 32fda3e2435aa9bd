import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRandomSource } from "@dale-nn/ei-init";
import { eigenvalues, singularValues, type MatrixLike } from "@dale-nn/spectra";
import { median } from "./measure-throughput.js";

/** The spectra operations timed: values-only SVD and non-symmetric eigenvalues. */
export const SPECTRA_OPS = ["svd", "eig"] as const;
/** A spectra operation. */
export type SpectraOp = (typeof SPECTRA_OPS)[number];

/**
 * A random Gaussian n x n matrix, entries N(0, 1) from `createRandomSource(seed).normal()`, row-major.
 *
 * @param n - size
 * @param seed - random seed
 * @returns `{ data, rows: n, cols: n }`
 * @example
 * gaussianMatrix(300, 300).data.length; // 90000
 */
export function gaussianMatrix(n: number, seed: number): MatrixLike & { data: Float64Array } {
  const random = createRandomSource(seed);
  const data = new Float64Array(n * n);
  for (let i = 0; i < data.length; i++) data[i] = random.normal();
  return { data, rows: n, cols: n };
}

/**
 * Writes a matrix as raw little-endian float64, row-major, for `numpy.fromfile(path, "<f8")`.
 *
 * @param dir - folder
 * @param m - the matrix
 * @returns the file path
 */
export function writeMatrixFile(dir: string, m: MatrixLike & { data: Float64Array }): string {
  const file = join(dir, `gaussian-${m.rows}x${m.cols}.f64`);
  const bytes = new Uint8Array(m.data.length * 8);
  const view = new DataView(bytes.buffer); // explicit little-endian: typed arrays are host-endian
  for (let i = 0; i < m.data.length; i++) view.setFloat64(i * 8, m.data[i]!, true);
  writeFileSync(file, bytes);
  return file;
}

/**
 * Median seconds of `singularValues` (op "svd") or `eigenvalues` (op "eig") from
 * `@dale-nn/spectra` on a matrix, with whatever dense solvers are registered: one untimed run,
 * then `reps` timed runs.
 *
 * @param op - "svd" or "eig"
 * @param m - the matrix
 * @param reps - timed repetitions (>= 1)
 * @returns median seconds
 */
export function timeOurSpectra(op: SpectraOp, m: MatrixLike, reps: number): number {
  const run = (): unknown => (op === "svd" ? singularValues(m) : eigenvalues(m));
  run();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    run();
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}
