/**
 * A difference with its sign always shown: "+0.25", "-1.50" (`digits` decimals; −0 prints as "+0.00").
 *
 * @example
 * formatSigned(0.254, 2); // "+0.25"
 */
export function formatSigned(x: number, digits: number): string {
  return `${x >= 0 || Object.is(x, -0) ? "+" : ""}${x.toFixed(digits)}`;
}
