/**
 * A plain, backend-free array of initial parameter values with its shape (row-major).
 * Matrices use the "post x pre" convention of the papers: `shape = [outputs, inputs]`.
 */
export interface InitArray {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/** Creates an {@link InitArray} filled with `value`. */
export function filledArray(shape: readonly number[], value: number): InitArray {
  const size = shape.reduce((a, b) => a * b, 1);
  return { values: new Float32Array(size).fill(value), shape: [...shape] };
}
