import { formatShape, formatValue } from "@dale-nn/core/validation";
import type { NdArrayLike, TensorLikeInput } from "../array-input.js";

export type { NdArrayLike, TensorLikeInput };

export function isTensorLikeInput(value: unknown): value is TensorLikeInput {
  if (value === null || typeof value !== "object") return false;
  const v = value as { shape?: unknown; dataSync?: unknown };
  return Array.isArray(v.shape) && typeof v.dataSync === "function";
}

export function isNdArrayLike(value: unknown): value is NdArrayLike {
  if (value === null || typeof value !== "object") return false;
  const v = value as { shape?: unknown; data?: unknown };
  return Array.isArray(v.shape) && v.data != null && typeof (v.data as ArrayLike<number>).length === "number";
}

/**
 * Reads `{ data, shape }` or a tensor-like, checks the rank (one of `ranks`), the sizes (integers
 * >= 1), the data length and (unless `checkFinite` is false) that every entry is finite. Returns
 * the data without copying.
 */
export function readNdArray(
  input: unknown,
  context: string,
  name: string,
  ranks: readonly number[],
  checkFinite = true,
): { data: ArrayLike<number>; shape: number[] } {
  let data: ArrayLike<number>;
  let shape: number[];
  if (isTensorLikeInput(input)) {
    if (input.dtype === "string" || input.dtype === "complex64") {
      throw new TypeError(`${context}: ${name} must be a real numeric tensor; got dtype ${input.dtype}`);
    }
    shape = [...input.shape];
    checkShape(context, name, shape, ranks);
    data = input.dataSync();
  } else if (isNdArrayLike(input)) {
    shape = [...input.shape];
    checkShape(context, name, shape, ranks);
    data = input.data;
  } else {
    throw new TypeError(`${context}: ${name} must be { data, shape } or a tensor; got ${formatValue(input)}`);
  }
  const expected = shape.reduce((a, b) => a * b, 1);
  if (data.length !== expected) {
    throw new RangeError(`${context}: ${name} has ${data.length} values; shape ${formatShape(shape)} needs ${expected}`);
  }
  if (checkFinite) {
    for (let i = 0; i < data.length; i++) {
      const x = data[i];
      if (typeof x !== "number" || !Number.isFinite(x)) {
        throw new RangeError(`${context}: ${name} has a non-finite entry ${formatValue(x)} at flat index ${i}; expected finite numbers`);
      }
    }
  }
  return { data, shape };
}

function checkShape(context: string, name: string, shape: number[], ranks: readonly number[]): void {
  if (!ranks.includes(shape.length)) {
    const expected = ranks.length === 1 ? `${ranks[0]}-D` : `${ranks.join("-D or ")}-D`;
    throw new RangeError(`${context}: ${name} must be ${expected}; got shape ${formatShape(shape)}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 1) {
      throw new RangeError(`${context}: ${name} must have sizes that are integers >= 1; got shape ${formatShape(shape)}`);
    }
  }
}

/** Reads a flat list of finite numbers (array, typed array, tensor-like of any shape). */
export function readValues(input: unknown, context: string, name: string): ArrayLike<number> {
  const values = isTensorLikeInput(input) ? input.dataSync() : input;
  if (values == null || typeof values !== "object" || typeof (values as ArrayLike<number>).length !== "number") {
    throw new TypeError(`${context}: ${name} must be an array, a typed array or a tensor; got ${formatValue(input)}`);
  }
  const flat = values as ArrayLike<unknown>;
  for (let i = 0; i < flat.length; i++) {
    const x = flat[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new RangeError(`${context}: ${name} has a non-finite entry ${formatValue(x)} at index ${i}; expected finite numbers`);
    }
  }
  return flat as ArrayLike<number>;
}
