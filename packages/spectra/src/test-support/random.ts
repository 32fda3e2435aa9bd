/** Test support: seeded matrices (from @dale-nn/test-support's seededRandom); not part of the package. */
import { normalArray, seededRandom } from "@dale-nn/test-support";

/** n x n (or rows x cols) matrix with i.i.d. N(0, 1/cols) entries, row-major float64. */
export function gaussianMatrix(rows: number, cols: number, seed: number): { data: Float64Array; rows: number; cols: number } {
  return { data: normalArray(seededRandom(seed), rows * cols, 1 / Math.sqrt(cols)), rows, cols };
}

/**
 * ColEI-like n x n recurrent matrix (Li et al. 2023, App. 6.6): the last ni columns negative,
 * exponential magnitudes with balanced column means, zero diagonal. Non-normal, with a large
 * singular-value mode: the hard case for both the SVD and the eigenvalue solver.
 */
export function colEiLikeMatrix(n: number, ni: number, seed: number): { data: Float64Array; rows: number; cols: number } {
  const rng = seededRandom(seed);
  const ne = n - ni;
  const meanE = 1 / Math.sqrt(n);
  const meanI = (meanE * ne) / ni;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      data[i * n + j] = j < ne ? rng.exponential(meanE) : -rng.exponential(meanI);
    }
  }
  return { data, rows: n, cols: n };
}
