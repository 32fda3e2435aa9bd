/** A running average of a scalar stream (internal to the alignment tracker). */
export interface ScalarAverage {
  /** Adds a value; non-finite values (NaN from an undefined cosine) are skipped. */
  push(value: number): void;
  /** The current average, NaN before the first finite value. */
  readonly value: number;
  /** How many finite values were pushed (over the whole stream, not only the window). */
  readonly count: number;
}

/** Mean of the last `window` finite values (a ring buffer, summed on read for exactness). */
export function windowAverage(window: number): ScalarAverage {
  const buffer = new Float64Array(window);
  let count = 0;
  return {
    push(value) {
      if (!Number.isFinite(value)) return;
      buffer[count % window] = value;
      count++;
    },
    get value() {
      const n = Math.min(count, window);
      if (n === 0) return Number.NaN;
      let s = 0;
      for (let i = 0; i < n; i++) s += buffer[i] as number;
      return s / n;
    },
    get count() {
      return count;
    },
  };
}

/** Exponential moving average m ← k v + (1 − k) m, initialised to the first finite value. */
export function exponentialAverage(momentum: number): ScalarAverage {
  let m = Number.NaN;
  let count = 0;
  return {
    push(value) {
      if (!Number.isFinite(value)) return;
      m = count === 0 ? value : momentum * value + (1 - momentum) * m;
      count++;
    },
    get value() {
      return m;
    },
    get count() {
      return count;
    },
  };
}
