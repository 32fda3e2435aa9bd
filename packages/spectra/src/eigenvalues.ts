import type { MatrixInput } from "./matrix-input.js";
import { eigenvaluesOf } from "./internal/decompose.js";
import { readMatrix } from "./internal/read-matrix.js";

/** Eigenvalues λ_k = re[k] + i·im[k] of a real square matrix. */
export interface Eigenvalues {
  /** Real parts. */
  re: Float64Array;
  /** Imaginary parts; complex eigenvalues come in adjacent conjugate pairs (+im first). */
  im: Float64Array;
}

/**
 * Eigenvalues of a real square matrix, symmetric or not (complex ones in conjugate pairs), in float64.
 *
 * Solves det(W − λI) = 0. Li et al. 2023 (Sec. 3.2, Fig. 3 A-C) plot these in the complex plane:
 * ColEI matrices are rescaled so that max|λ| = 1.5, standard and DANN RNNs have radius ≈ 1/√3.
 * Computed values-only on flat Float64Arrays (no eigenvectors): balancing, Householder reduction
 * to Hessenberg form and Francis double-shift QR (EISPACK balanc + hqr); Householder
 * tridiagonalisation and implicit QL when W = Wᵀ exactly (eigenvalues then exactly real). Order: by modulus |λ| descending, then by
 * real part descending, then imaginary part descending (moduli equal in exact arithmetic may
 * differ by rounding, which then decides their order). Eigenvalues of a defective (non-
 * diagonalisable) matrix are ill-conditioned: a Jordan block of size k perturbed by ε moves them
 * by about ε^(1/k).
 *
 * @param m - a real square matrix: `{ data, rows, cols }`, `number[][]` or a 2-D tensor
 * @returns `{ re, im }`, two new Float64Arrays of length n
 * @throws RangeError on a non-square matrix (`eigenvalues: matrix must be square; got 3 x 4`),
 *   an empty matrix, a wrong data length or a NaN / ±Infinity entry
 * @throws Error if the QR iteration does not converge within 30 n iterations
 *   (`eigenvalues: the Hessenberg QR iteration did not converge after …`); not seen in practice
 * @example
 * const t = Math.PI / 6;
 * eigenvalues([[Math.cos(t), -Math.sin(t)], [Math.sin(t), Math.cos(t)]]);
 * // { re: [0.866, 0.866], im: [0.5, -0.5] }
 */
export function eigenvalues(m: MatrixInput): Eigenvalues {
  const { re, im } = eigenvaluesOf(readMatrix(m, "eigenvalues", true));
  const modulus = Float64Array.from(re, (x, k) => Math.hypot(x, im[k]!));
  const order = Array.from(re.keys()).sort(
    (a, b) => modulus[b]! - modulus[a]! || re[b]! - re[a]! || im[b]! - im[a]!,
  );
  return { re: Float64Array.from(order, (k) => re[k]!), im: Float64Array.from(order, (k) => im[k]!) };
}
