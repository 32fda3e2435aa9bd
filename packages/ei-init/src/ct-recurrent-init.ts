import type { InitArray } from "./init-array.js";

/**
 * Initial recurrent weights of a continuous-time E/I RNN ("post x pre", [n, n]), in both of the
 * forms a layer may store them:
 * - `magnitudes` |W| ≥ 0 (for the parametrisation W_eff = |W̃| · diag(s) of PsychRNN and pycog),
 * - `signed` W_eff = |W| · diag(s) (for column-sign constrained weights projected after each step;
 *   for a matrix without Dale's law, the signed matrix itself).
 */
export interface CtRecurrentInit {
  /** |W| ⊙ C, [n, n]: non-negative, zero where the mask C is 0 (the diagonal without autapses). */
  readonly magnitudes: InitArray;
  /** The effective matrix, [n, n]: `magnitudes` times the column signs (or the free matrix). */
  readonly signed: InitArray;
  /** Column signs s (+1 for the first n_e, −1 for the last n_i); all +1 without Dale's law. */
  readonly signs: Float32Array;
  /** The connectivity mask C used (0 / 1), [n, n]. */
  readonly mask: InitArray;
  readonly ne: number;
  readonly ni: number;
  /** Spectral radius of `signed` as the given `spectralRadius` function measures it. */
  readonly radius: number;
}

/** A function returning max_k |λ_k| of a row-major square float64 matrix (e.g. `spectralRadius` of `@dale-nn/spectra`). */
export type SpectralRadiusFn = (data: Float64Array, n: number) => number;
