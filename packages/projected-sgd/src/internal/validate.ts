/** Renders a value for an error message: strings quoted, numbers as JavaScript prints them. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
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

/** Throws a RangeError unless `value` is a finite number in [lo, hi]. */
export function requireInRange(context: string, name: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < lo || value > hi) {
    throw new RangeError(`${context}: ${name} must be a finite number in [${lo}, ${hi}]; got ${formatValue(value)}`);
  }
  return value;
}

/** Throws a TypeError unless `value` is one of `allowed`. */
export function requireOneOf<T extends string>(context: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw new TypeError(`${context}: ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}; got ${formatValue(value)}`);
  }
  return value as T;
}
