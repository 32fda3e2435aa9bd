import { readMatrix } from "./internal/read-matrix.js";
import type { TensorLike } from "./tensor-like.js";

/** A dense real matrix in row-major order: entry (i, j) is `data[i * cols + j]`. */
export interface MatrixLike {
  /** `rows * cols` values, row after row (Float64Array, Float32Array, number[], ...). */
  readonly data: ArrayLike<number>;
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
}

/**
 * A dense float64 matrix in row-major order, as every function of this package returns them.
 * To make a tensor of it: `tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols])` (tfjs takes no
 * Float64Array).
 */
export interface DenseMatrix extends MatrixLike {
  readonly data: Float64Array;
}

/**
 * Anything the functions of this package read as a matrix: `{ data, rows, cols }` (row-major),
 * nested rows (`number[][]`, or an array of typed-array rows), or a 2-D tensor-like
 * (`tf.Tensor2D`, read through `dataSync()`).
 */
export type MatrixInput = MatrixLike | ReadonlyArray<ArrayLike<number>> | TensorLike;

/**
 * Reads any {@link MatrixInput} into a validated float64 copy, row-major.
 *
 * The copy is what every other function of the package works on; call this once when you pass the
 * same tensor to several functions, so it is downloaded once.
 *
 * @param input - `{ data, rows, cols }`, `number[][]` or a 2-D tensor
 * @returns a new {@link DenseMatrix} (the input is never modified or retained)
 * @throws RangeError on an empty matrix, a data length other than rows * cols, ragged rows,
 *   a tensor that is not 2-D, or a NaN / ±Infinity entry (the message names the entry and its
 *   zero-based (row, column) position); TypeError on an input of another kind
 * @example
 * toDenseMatrix([[1, 2], [3, 4]]); // { data: Float64Array [1, 2, 3, 4], rows: 2, cols: 2 }
 * toDenseMatrix(tf.eye(3)); // reads the tensor once; no tensor is created or disposed
 */
export function toDenseMatrix(input: MatrixInput): DenseMatrix {
  return readMatrix(input, "toDenseMatrix", false);
}
