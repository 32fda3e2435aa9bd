/**
 * The part of a TensorFlow.js tensor this package reads: its shape and a synchronous copy of its
 * values. A `tf.Tensor2D` satisfies it, and so does any object of the same form, so the package
 * needs no tfjs import at runtime (`@tensorflow/tfjs-core` is an optional peer dependency).
 */
export interface TensorLike {
  /** Dimensions; a matrix has two, `[rows, cols]`. */
  readonly shape: readonly number[];
  /** Values in row-major order (tfjs: a synchronous download, no new tensor is created). */
  dataSync(): ArrayLike<number>;
  /** tfjs data type; `string` and `complex64` are rejected. */
  readonly dtype?: string;
}

/**
 * Tells whether a value is tensor-like (duck-typed): it has an array `shape` and a `dataSync()`
 * method, as every `tf.Tensor` does.
 *
 * @param value - anything
 * @returns `true` when `value` can be read as a {@link TensorLike}
 * @example
 * isTensorLike(tf.zeros([2, 2])); // true
 * isTensorLike([[1, 0], [0, 1]]); // false
 */
export function isTensorLike(value: unknown): value is TensorLike {
  if (value === null || typeof value !== "object") return false;
  const candidate = value as { shape?: unknown; dataSync?: unknown };
  return Array.isArray(candidate.shape) && typeof candidate.dataSync === "function";
}
