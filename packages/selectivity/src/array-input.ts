/**
 * An n-dimensional array as this package reads it: row-major values and their shape, e.g.
 * `{ data: t.dataSync(), shape: t.shape }` of a tensor, or a plain typed array with its shape.
 */
export interface NdArrayLike {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/**
 * The part of a TensorFlow.js tensor this package reads: its shape and a synchronous copy of its
 * values. Any `tf.Tensor` satisfies it (duck-typed; the package never imports tfjs and creates no
 * tensor).
 */
export interface TensorLikeInput {
  readonly shape: readonly number[];
  dataSync(): ArrayLike<number>;
  readonly dtype?: string;
}

