import { UserError } from "../user-error.js";

/**
 * The value of a string flag as an integer >= `min`.
 *
 * @throws UserError `<flag> must be a positive integer; got "<value>"` (or `an integer >= min`)
 * @example
 * integerFlag("--epochs", "3"); // 3
 */
export function integerFlag(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < min) {
    throw new UserError(`${flag} must be ${min === 1 ? "a positive integer" : `an integer >= ${min}`}; got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * The value of a string flag as a finite number in (low, high) (open) or [low, high].
 *
 * @throws UserError naming the flag, the value and the range
 */
export function numberFlag(flag: string, value: string, range: { above?: number; below?: number; what: string }): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x) || (range.above !== undefined && !(x > range.above)) || (range.below !== undefined && !(x < range.below))) {
    throw new UserError(`${flag} must be ${range.what}; got ${JSON.stringify(value)}`);
  }
  return x;
}

/**
 * One of a fixed set of names.
 *
 * @throws UserError `unknown <flag> "<value>"; expected one of a, b, c`
 */
export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UserError(`unknown ${flag} ${JSON.stringify(value)}; expected one of ${allowed.join(", ")}`);
  return value as T;
}

/**
 * A comma-separated list of names, each from `allowed`. A name given twice is kept once (so a
 * model named twice in --models trains once).
 *
 * @throws UserError for an unknown entry or an empty list
 */
export function listOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) throw new UserError(`${flag} needs at least one of ${allowed.join(", ")}; got ${JSON.stringify(value)}`);
  return [...new Set(items.map((m) => oneOf(`${flag} entry`, m, allowed)))];
}
