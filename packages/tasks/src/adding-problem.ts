import { createRandomSource, deriveSeed } from "@dale-nn/ei-init";
import type { ImageSplit } from "@dale-nn/datasets";

/** Options of {@link addingProblem}. */
export interface AddingProblemOptions {
  /** Sequence length T; default 20 (Li et al. 2023, App. 6.2.1). */
  length?: number;
  /** Number of examples. */
  count: number;
  seed: number;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; Li et al. 2023, App. 6.2.1): each step has two
 * inputs, a value ~ Uniform(0, 1) and a marker; exactly two steps are marked 1, one in each half of
 * the sequence, and the target is the sum of the two marked values. Predicting 1 always gives
 * MSE ≈ 0.167, the baseline a model must beat.
 *
 * @returns a split with `images` = inputs [count, T · 2] (step-major: value, marker), `targets` [count]
 * @throws RangeError on length < 2, count < 1 or a bad seed
 * @example
 * const train = addingProblem({ count: 8000, seed: 0 });
 */
export function addingProblem(options: AddingProblemOptions): ImageSplit {
  const T = options.length ?? 20;
  if (!Number.isInteger(T) || T < 2) throw new RangeError(`addingProblem: length must be an integer >= 2; got ${JSON.stringify(options.length)}`);
  const count = options.count;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`addingProblem: count must be an integer >= 1; got ${JSON.stringify(count)}`);
  const rng = createRandomSource(options.seed);
  const images = new Float32Array(count * T * 2);
  const targets = new Float32Array(count);
  const half = Math.floor(T / 2);
  for (let i = 0; i < count; i++) {
    const a = rng.integer(half);
    const b = half + rng.integer(T - half);
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const v = rng.uniform();
      images[(i * T + t) * 2] = v;
      if (t === a || t === b) {
        images[(i * T + t) * 2 + 1] = 1;
        sum += Math.fround(v);
      }
    }
    targets[i] = sum;
  }
  return { images, labels: new Uint8Array(count), count, features: T * 2, numClasses: 0, targets, targetSize: 1 };
}

/**
 * The adding problem's mean input over its two features, E[x] = (E[value] + E[marker]) / 2 =
 * (1/2 + 2/T) / 2 = 1/4 + 1/T (0.3 at T = 20, the reference code's `pixel_mean` for 'Adding' in
 * lib/init_policies.py): what a ColEI first layer centres on (Li et al. 2023, App. 6.6).
 *
 * @throws RangeError on length < 2
 * @example
 * addingProblemInputMean(); // 0.3
 */
export function addingProblemInputMean(length = 20): number {
  if (!Number.isInteger(length) || length < 2) throw new RangeError(`addingProblemInputMean: length must be an integer >= 2; got ${JSON.stringify(length)}`);
  return 0.25 + 1 / length;
}

/**
 * The adding problem's fixed splits of Li et al. (2023), App. 6.2.1: 8,000 / 1,000 / 1,000
 * examples drawn from independent seeds derived from `seed`.
 *
 * @example
 * const { train, validation, test } = addingProblemSplits({ seed: 0 });
 */
export function addingProblemSplits(options: { seed: number; length?: number; sizes?: { train: number; validation: number; test: number } }): {
  train: ImageSplit;
  validation: ImageSplit;
  test: ImageSplit;
} {
  const sizes = options.sizes ?? { train: 8000, validation: 1000, test: 1000 };
  const make = (name: string, count: number): ImageSplit =>
    addingProblem({ count, seed: deriveSeed(options.seed, "adding", name), ...(options.length !== undefined ? { length: options.length } : {}) });
  return { train: make("train", sizes.train), validation: make("validation", sizes.validation), test: make("test", sizes.test) };
}
