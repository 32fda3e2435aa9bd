/**
 * Whether two shapes are equal dimension by dimension (same rank, same sizes).
 *
 * @param a - one shape
 * @param b - the other
 * @returns true when they are equal
 * @example
 * sameShape([2, 3], [2, 3]); // true
 * sameShape([2, 3], [3, 2]); // false
 */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
