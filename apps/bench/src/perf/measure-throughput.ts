import type { PerfProfile } from "./perf-profile.js";

/** A throughput measurement. */
export interface Throughput {
  /** Median over repetitions of samples per second. */
  samplesPerSecond: number;
  /** Samples per second of each repetition, in order. */
  reps: number[];
  /** Timed steps in all. */
  steps: number;
}

/**
 * The median of a non-empty list (the mean of the two middle values for an even length).
 *
 * @param values - numbers
 * @returns the median
 * @throws RangeError on an empty list
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median: expected at least one value; got []");
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Warm-up: runs `step` at least `warmupSteps` times and for at least `warmupSeconds`.
 *
 * @param step - one training step
 * @param profile - warm-up settings
 * @param now - clock in milliseconds (tests pass a fake one)
 * @returns the number of warm-up steps run
 */
export function warmUp(step: () => void, profile: PerfProfile, now: () => number = () => performance.now()): number {
  const start = now();
  let i = 0;
  for (; i < profile.warmupSteps || now() - start < profile.warmupSeconds * 1000; i++) step();
  return i;
}

/**
 * Times `reps` repetitions of at least `repMinSteps` steps and `repSeconds` seconds each and
 * reports the median samples/s. The step must not read results back (no `dataSync`), as in
 * training; call {@link warmUp} first.
 *
 * @param step - one synchronous training step
 * @param batch - samples per step
 * @param profile - repetition settings
 * @param now - clock in milliseconds (tests pass a fake one)
 * @returns median samples/s, per-repetition samples/s and the timed step count
 * @example
 * warmUp(trainStep, QUICK_PROFILE);
 * timeRepetitions(trainStep, 32, QUICK_PROFILE).samplesPerSecond;
 */
export function timeRepetitions(step: () => void, batch: number, profile: PerfProfile, now: () => number = () => performance.now()): Throughput {
  const reps: number[] = [];
  let steps = 0;
  for (let r = 0; r < profile.reps; r++) {
    const start = now();
    let n = 0;
    let elapsed = 0;
    while (n < profile.repMinSteps || elapsed < profile.repSeconds * 1000) {
      step();
      n++;
      elapsed = now() - start;
    }
    steps += n;
    reps.push((n * batch) / (elapsed / 1000));
  }
  return { samplesPerSecond: median(reps), reps, steps };
}
