import { createRandomSource, deriveSeed } from "@dale-nn/ei-init";
import { requireCount } from "./internal/validate.js";
import type { Trial } from "./trial.js";
import type { TrialTask } from "./trial-task.js";

/** Options of {@link trialSet}. */
export interface TrialSetOptions {
  /** A non-negative integer: the set depends only on (task, seed). */
  seed: number;
  /** Number of trials (>= 1). */
  count: number;
}

/**
 * A reproducible set of trials: trial i is the i-th draw of one xoshiro128** stream seeded with
 * `seed`, so the same (task options, seed) gives the same trials on every machine and backend (all
 * draws happen in JavaScript float64), and `trialSet(task, { seed, count: 10 })` is the first ten
 * trials of `trialSet(task, { seed, count: 1000 })`. (neurogym's `Dataset` takes no seed; its
 * issue #282 asks for seeded train / eval sets.)
 *
 * @param task - any {@link TrialTask}
 * @returns `count` trials, `meta.index` = 0 … count − 1
 * @throws RangeError when count is not an integer >= 1 or the seed is not an integer >= 0
 * @example
 * const trials = trialSet(perceptualDecisionMaking(), { seed: 0, count: 64 });
 */
export function trialSet(task: TrialTask, options: TrialSetOptions): Trial[] {
  const count = requireCount(`trialSet(${task.name})`, "count", options.count);
  const rng = createRandomSource(options.seed);
  const trials: Trial[] = [];
  for (let i = 0; i < count; i++) trials.push(task.sample(rng, i));
  return trials;
}

/** Options of {@link trialSplits}. */
export interface TrialSplitsOptions {
  seed: number;
  /** Trials in the training set (>= 1). */
  train: number;
  /** Trials in the test set (>= 1). */
  test: number;
  /** Trials in an optional validation set (>= 1). */
  validation?: number;
}

/**
 * Training, test (and optional validation) sets of a task drawn from distinct seeds derived from
 * one seed: seed_split = deriveSeed(seed, "trials", task.name, split). The derived seeds are checked
 * to differ, so no test trial replays the training stream.
 *
 * @returns the sets and the seeds they were drawn from
 * @throws RangeError on a bad seed or count (naming the split)
 * @example
 * const { train, test } = trialSplits(contextDecisionMaking(), { seed: 1, train: 5000, test: 500 });
 */
export function trialSplits(
  task: TrialTask,
  options: TrialSplitsOptions,
): { train: Trial[]; test: Trial[]; validation?: Trial[]; seeds: { train: number; test: number; validation?: number } } {
  const ctx = `trialSplits(${task.name})`;
  requireCount(ctx, "train", options.train);
  requireCount(ctx, "test", options.test);
  if (options.validation !== undefined) requireCount(ctx, "validation", options.validation);
  const seedOf = (split: string): number => deriveSeed(options.seed, "trials", task.name, split);
  const seeds = { train: seedOf("train"), test: seedOf("test"), ...(options.validation !== undefined ? { validation: seedOf("validation") } : {}) };
  const all = Object.values(seeds);
  if (new Set(all).size !== all.length) {
    throw new RangeError(`${ctx}: seed ${options.seed} derived equal split seeds ${JSON.stringify(seeds)}; choose another seed`);
  }
  return {
    train: trialSet(task, { seed: seeds.train, count: options.train }),
    test: trialSet(task, { seed: seeds.test, count: options.test }),
    ...(options.validation !== undefined ? { validation: trialSet(task, { seed: seeds.validation as number, count: options.validation }) } : {}),
    seeds,
  };
}
