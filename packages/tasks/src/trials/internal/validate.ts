/** Validation helpers shared by the trial-based tasks (never re-exported). */

export function fmt(value: unknown): string {
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s;
  } catch {
    return String(value);
  }
}

export function requirePositive(context: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${context}: ${name} must be a finite number > 0; got ${fmt(value)}`);
  }
  return value;
}

export function requireNonNegative(context: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${context}: ${name} must be a finite number >= 0; got ${fmt(value)}`);
  }
  return value;
}

export function requireCount(context: string, name: string, value: unknown, min = 1): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${context}: ${name} must be an integer >= ${min}; got ${fmt(value)}`);
  }
  return value;
}

/** A non-empty list of finite, non-negative numbers (coherences, frequencies). */
export function requireNonNegativeList(context: string, name: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new RangeError(`${context}: ${name} must be a non-empty list of numbers >= 0; got ${fmt(value)}`);
  }
  value.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`${context}: ${name}[${i}] must be a finite number >= 0; got ${fmt(v)} in ${fmt(value)}`);
    }
  });
  return [...(value as number[])];
}
