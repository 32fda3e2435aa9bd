import { fmt } from "./internal/validate.js";

/** One stimulus level of a psychometric curve: how often the counted choice was made at x. */
export interface PsychometricLevel {
  /** The stimulus value (e.g. signed coherence in %). */
  readonly x: number;
  /** Trials at this level, n. */
  readonly trials: number;
  /** Trials on which the counted choice was made, k. */
  readonly chosen: number;
  /** p̂ = k / n. */
  readonly fraction: number;
  /** Binomial standard error of p̂, √(p̂ (1 − p̂) / n) (0 when p̂ is 0 or 1). */
  readonly standardError: number;
}

const key = (x: number): number => Number(x.toPrecision(12));

/**
 * The points of a psychometric curve: per distinct stimulus value x (to 12 significant digits, so
 * float noise such as −6.4 vs −6.3999999999999995 falls on one level), the number of trials n, the
 * number k on which the counted choice was made, the fraction p̂ = k / n and its binomial standard
 * error √(p̂ (1 − p̂) / n) (Britten et al. 1992, Fig. 5: fraction of "preferred" choices per signed
 * coherence; Song, Yang & Wang 2016, Fig. 2: percent choices "right" against signed coherence).
 *
 * @param stimulus - per trial, the stimulus value x (finite)
 * @param chose - per trial, 1 / true when the counted choice (e.g. "choice 1", "right") was made, 0 / false otherwise
 * @returns the levels, sorted by x
 * @throws RangeError when the lengths differ or are 0, a stimulus is not finite, or a choice is not 0, 1, true or false
 * @example
 * psychometricLevels([-5, -5, 5, 5, 5], [0, 1, 1, 1, 0]);
 * // [{ x: -5, trials: 2, chosen: 1, fraction: 0.5, ... }, { x: 5, trials: 3, chosen: 2, ... }]
 */
export function psychometricLevels(stimulus: ArrayLike<number>, chose: ArrayLike<number | boolean>): PsychometricLevel[] {
  if (stimulus.length !== chose.length) {
    throw new RangeError(`psychometricLevels: got ${stimulus.length} stimulus values and ${chose.length} choices; expected one choice per stimulus value`);
  }
  if (stimulus.length === 0) throw new RangeError("psychometricLevels: got 0 trials; expected at least one");
  const groups = new Map<number, { n: number; k: number }>();
  for (let i = 0; i < stimulus.length; i++) {
    const x = stimulus[i] as number;
    if (typeof x !== "number" || !Number.isFinite(x)) throw new RangeError(`psychometricLevels: stimulus[${i}] must be a finite number; got ${fmt(x)}`);
    const c = chose[i];
    if (!(c === 0 || c === 1 || c === true || c === false)) throw new RangeError(`psychometricLevels: chose[${i}] must be 0, 1, true or false; got ${fmt(c)}`);
    const g = groups.get(key(x)) ?? { n: 0, k: 0 };
    g.n++;
    if (c === 1 || c === true) g.k++;
    groups.set(key(x), g);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([x, { n, k }]) => {
      const p = k / n;
      return { x, trials: n, chosen: k, fraction: p, standardError: Math.sqrt((p * (1 - p)) / n) };
    });
}
