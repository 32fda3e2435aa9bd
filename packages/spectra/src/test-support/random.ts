/** Test support: a small seeded generator (mulberry32 + Box-Muller); not part of the package. */
export interface TestRng {
  uniform(): number;
  normal(): number;
  exponential(mean: number): number;
}

export function testRng(seed: number): TestRng {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal: () => {
      const u = 1 - uniform();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
    },
    exponential: (mean) => -mean * Math.log(1 - uniform()),
  };
}

/** n x n (or rows x cols) matrix with i.i.d. N(0, 1/cols) entries, row-major float64. */
export function gaussianMatrix(rows: number, cols: number, seed: number): { data: Float64Array; rows: number; cols: number } {
  const rng = testRng(seed);
  const scale = 1 / Math.sqrt(cols);
  return { data: Float64Array.from({ length: rows * cols }, () => rng.normal() * scale), rows, cols };
}

/**
 * ColEI-like n x n recurrent matrix (Li et al. 2023, App. 6.6): the last ni columns negative,
 * exponential magnitudes with balanced column means, zero diagonal. Non-normal, with a large
 * singular-value mode: the hard case for both the SVD and the eigenvalue solver.
 */
export function colEiLikeMatrix(n: number, ni: number, seed: number): { data: Float64Array; rows: number; cols: number } {
  const rng = testRng(seed);
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
