/**
 * Renders a tensor shape for an error message: `[2, 3]`.
 *
 * @param shape - the dimensions
 * @returns the bracketed, comma-separated dimensions
 * @example
 * formatShape([32, 784]); // "[32, 784]"
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
