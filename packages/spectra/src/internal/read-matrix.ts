import type { DenseMatrix, MatrixInput, MatrixLike } from "../matrix-input.js";
import { isTensorLike } from "../tensor-like.js";
import { formatValue } from "@dale-nn/core/validation";

/**
 * Reads and validates a matrix input into a float64 row-major copy.
 * `context` names the public function in error messages; `square` adds the square-shape check.
 */
export function readMatrix(input: MatrixInput, context: string, square: boolean): DenseMatrix {
  let rows: number;
  let cols: number;
  let data: Float64Array;
  if (Array.isArray(input)) {
    const nested = input as ReadonlyArray<unknown>;
    rows = nested.length;
    const first = nested[0];
    cols = rows === 0 ? 0 : isArrayLike(first) ? first.length : -1;
    if (cols < 0) {
      throw new TypeError(
        `${context}: a nested-array matrix must be an array of rows (number[][]); row 0 is ${formatValue(first)}`,
      );
    }
    checkShape(context, rows, cols, square);
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = nested[i];
      if (!isArrayLike(row) || row.length !== cols) {
        throw new RangeError(
          `${context}: row ${i} has ${isArrayLike(row) ? `length ${row.length}` : `value ${formatValue(row)}`}; ` +
            `expected an array of length ${cols} (all rows of a number[][] must have equal length)`,
        );
      }
      for (let j = 0; j < cols; j++) data[i * cols + j] = checkEntry(context, row[j], i, j);
    }
    return { data, rows, cols };
  }
  if (isTensorLike(input)) {
    const shape = input.shape;
    if (shape.length !== 2) {
      throw new RangeError(`${context}: a tensor must be 2-D; got shape [${shape.join(", ")}]`);
    }
    if (input.dtype === "string" || input.dtype === "complex64") {
      throw new TypeError(`${context}: a tensor must be real and numeric (float32, int32 or bool); got dtype ${input.dtype}`);
    }
    rows = shape[0]!;
    cols = shape[1]!;
    checkShape(context, rows, cols, square);
    return copyFlat(context, input.dataSync(), rows, cols, "tensor data");
  }
  if (isMatrixLike(input)) {
    rows = input.rows;
    cols = input.cols;
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new RangeError(
        `${context}: rows and cols must be non-negative integers; got rows ${formatValue(rows)}, cols ${formatValue(cols)}`,
      );
    }
    checkShape(context, rows, cols, square);
    return copyFlat(context, input.data, rows, cols, "data");
  }
  throw new TypeError(
    `${context}: expected a matrix as { data, rows, cols }, number[][] or a 2-D tensor; got ${formatValue(input)}`,
  );
}

function checkShape(context: string, rows: number, cols: number, square: boolean): void {
  if (rows === 0 || cols === 0) throw new RangeError(`${context}: matrix must be non-empty; got ${rows} x ${cols}`);
  if (square && rows !== cols) throw new RangeError(`${context}: matrix must be square; got ${rows} x ${cols}`);
}

function copyFlat(context: string, source: ArrayLike<number>, rows: number, cols: number, what: string): DenseMatrix {
  const expected = rows * cols;
  if (source.length !== expected) {
    throw new RangeError(`${context}: ${what} length must be rows * cols = ${rows} * ${cols} = ${expected}; got ${source.length}`);
  }
  const data = new Float64Array(expected);
  for (let k = 0; k < expected; k++) {
    data[k] = checkEntry(context, source[k], Math.floor(k / cols), k % cols);
  }
  return { data, rows, cols };
}

function checkEntry(context: string, value: unknown, i: number, j: number): number {
  if (typeof value !== "number") {
    throw new TypeError(`${context}: matrix has a non-numeric entry ${formatValue(value)} at (${i}, ${j}); expected a finite number`);
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`${context}: matrix has a non-finite entry ${value} at (${i}, ${j}); expected a finite number`);
  }
  return value;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { length?: unknown }).length === "number" &&
    (Array.isArray(value) || ArrayBuffer.isView(value))
  );
}

function isMatrixLike(value: unknown): value is MatrixLike {
  if (value === null || typeof value !== "object") return false;
  const candidate = value as { data?: unknown; rows?: unknown; cols?: unknown };
  return isArrayLike(candidate.data) && typeof candidate.rows === "number" && typeof candidate.cols === "number";
}
