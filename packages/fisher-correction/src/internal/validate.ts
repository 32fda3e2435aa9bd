/** Formats a value for an error message: strings quoted, numbers as written, objects as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Throws a RangeError unless `value` is a finite number > 0. */
export function requirePositive(context: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${context}: ${name} must be a finite number > 0; got ${formatValue(value)}`);
  }
  return value;
}

/** Throws a RangeError unless `value` is a finite number >= 0. */
export function requireNonNegative(context: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${context}: ${name} must be a finite number >= 0; got ${formatValue(value)}`);
  }
  return value;
}

/** Throws a RangeError unless `value` is a number in the half-open interval (0, 1]. */
export function requireUnitInterval(context: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value <= 1)) {
    throw new RangeError(`${context}: ${name} must be a number in (0, 1]; got ${formatValue(value)}`);
  }
  return value;
}

/** Throws a RangeError unless `value` is an integer >= `min`. */
export function requireInteger(context: string, name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${context}: ${name} must be an integer >= ${min}; got ${formatValue(value)}`);
  }
  return value;
}

/** True when two shapes are equal element by element. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** `[2, 3]` for an error message. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
