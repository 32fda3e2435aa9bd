/** Formats a value for an error message: strings quoted, numbers as written, other values as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Throws a RangeError unless `value` is an integer in [min, max]. */
export function requireIntegerInRange(context: string, name: string, value: unknown, min: number, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${context}: ${name} must be an integer ${range}; got ${formatValue(value)}`);
  }
  return value;
}
