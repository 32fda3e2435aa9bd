import * as tf from "@tensorflow/tfjs";
import type { ImageSplit } from "@dale-nn/datasets";
import { yieldMacrotask } from "./lockstep.js";
import { counterDelta, type CounterSnapshot, type StepCounters } from "./step-counters.js";
import { DEFAULT_SETTINGS, disposeRun, startRun, type FeedforwardKind, type TrainingSettings } from "./training.js";

/** Options of {@link profileTraining}. */
export interface ProfileTrainingOptions {
  /** Updates before timing starts (shader compilation, the first evaluation, JIT); default 20. */
  warmup?: number;
  /** Updates per timed repetition; default 50. */
  steps?: number;
  /** Timed repetitions; the reported rate is their median; default 5. */
  repetitions?: number;
  /** The demo's settings; default {@link DEFAULT_SETTINGS}. */
  settings?: TrainingSettings;
  /** The yield between updates; default a MessageChannel macrotask (the demo's yield without its animation-frame waits). */
  yieldFn?: () => Promise<void>;
}

/** What {@link profileTraining} measured for one network on the active backend. */
export interface TrainingProfile {
  kind: FeedforwardKind;
  backend: string;
  /** The settings' `evalEvery`: the test split is evaluated after every this many updates. */
  evalEvery: number;
  /** Median over the repetitions of updates / wall-clock second (each repetition ends with a device sync). */
  updatesPerSecond: number;
  repetitionUpdatesPerSecond: number[];
  /**
   * Median milliseconds of one timed update, from its release at the yield to its next yield
   * (the yield's own wait excluded), for updates without and with an evaluation of the test split.
   */
  medianUpdateMs: { training: number; evaluating: number | null };
  /** The durations those medians are of, ms, in order. */
  updateMs: { training: number[]; evaluating: number[] };
  /** Means per update over all timed updates (the evaluations every `evalEvery` updates included). */
  perUpdate: CounterSnapshot;
  /** Kernels tfjs ran for one training update without an evaluation (`tf.profile`). */
  kernelsPerUpdate: number;
  /** Those kernels by name. */
  kernelsByName: Record<string, number>;
  /** Their `tf.profile` times by name, ms (on WebGL without timer queries each kernel is synced, so only a rough guide). */
  kernelMsByName: Record<string, number>;
  /** Extra kernels of an update that also evaluates the test split (null when the next evaluation is over {@link MAX_UPDATES_TO_EVALUATION} updates away). */
  evaluationKernels: number | null;
  /** Tensors left over after the run was stopped and disposed (should be 0). */
  leakedTensors: number;
  /** Updates done in all (warm-up, timed, profiled). */
  updates: number;
  /** The last loss the demo's chart got, and the last test error. */
  lastLoss: { update: number; loss: number } | null;
  lastTestError: { update: number; error: number } | null;
}

/** How far {@link profileTraining} trains on to profile an evaluating update. */
export const MAX_UPDATES_TO_EVALUATION = 200;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function requireCount(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`profileTraining: ${name} must be an integer >= ${min}; got ${value}`);
  return value;
}

/**
 * Trains one of the demo's networks exactly as the page does (`startRun` of training.ts) on the
 * active backend and measures its update loop: updates per second (median of `repetitions` runs
 * of `steps` updates after `warmup`, each ended by a device sync so queued WebGL work is paid
 * for), the median time of an update without and with the evaluation, host read-backs, tensors
 * created, host uploads and WebGL draws per update (`counters`), and the
 * kernels of one update (`tf.profile`, outside the timed updates since profiling syncs every
 * kernel). Between updates the loop is held at its `yieldFn`, so nothing is measured twice.
 *
 * @param kind - which network
 * @param data - the train and test splits (the demo's MNIST subset)
 * @param counters - from `installStepCounters()`
 * @param options - see {@link ProfileTrainingOptions}
 * @returns the measurements; the run is stopped and its tensors freed
 * @throws RangeError on a non-integer or too small count; the training's own errors
 * @example
 * const c = installStepCounters();
 * const p = await profileTraining("dann", subset, c, { steps: 50, repetitions: 5 });
 * p.updatesPerSecond;
 */
export async function profileTraining(
  kind: FeedforwardKind,
  data: { train: ImageSplit; test: ImageSplit },
  counters: StepCounters,
  options: ProfileTrainingOptions = {},
): Promise<TrainingProfile> {
  const warmup = requireCount("warmup", options.warmup ?? 20, 1);
  const steps = requireCount("steps", options.steps ?? 50, 1);
  const repetitions = requireCount("repetitions", options.repetitions ?? 5, 1);
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const baseYield = options.yieldFn ?? yieldMacrotask;

  // The loop's clock: `updates` counts arrivals at yieldFn; `advance(n)` lets n more updates happen
  // and resolves with the loop held at its next yield.
  let updates = 0;
  let target = 0;
  let arrived: (() => void) | null = null;
  let gate: Promise<void> | null = null;
  let openGate: (() => void) | null = null;
  const hold = (): void => {
    gate = new Promise<void>((resolve) => (openGate = resolve));
  };
  const release = (): void => {
    const open = openGate;
    gate = null;
    openGate = null;
    open?.();
  };
  // Durations of the timed updates (when `timing`), keyed by whether the update evaluated.
  let timing = false;
  let releasedAt = performance.now();
  const trainingMs: number[] = [];
  const evaluatingMs: number[] = [];
  const yieldFn = async (): Promise<void> => {
    updates++;
    if (timing) (updates % settings.evalEvery === 0 ? evaluatingMs : trainingMs).push(performance.now() - releasedAt);
    if (updates >= target && arrived) {
      hold();
      const a = arrived;
      arrived = null;
      a();
    }
    await baseYield();
    while (gate) await gate;
    releasedAt = performance.now();
  };
  const advance = (n: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      target = updates + n;
      arrived = resolve;
      run.done.then(() => reject(new Error(`profileTraining: ${kind} stopped after ${updates} updates, before ${target}`)), reject);
      release();
    });

  let lastLoss: TrainingProfile["lastLoss"] = null;
  let lastTestError: TrainingProfile["lastTestError"] = null;
  const tensorsBefore = tf.memory().numTensors;
  const abort = new AbortController();
  hold(); // Held from its first yield until advance() is called.
  target = Number.POSITIVE_INFINITY;
  const run = startRun(kind, data, settings, yieldFn, abort.signal, {
    onLoss: (_k, update, loss) => (lastLoss = { update, loss }),
    onTestError: (_k, update, error) => (lastTestError = { update, error }),
  });
  const sync = async (): Promise<void> => {
    await run.model.trainableWeights[0]!.read().data();
  };

  let result: Omit<TrainingProfile, "leakedTensors">;
  try {
    await advance(warmup);
    await sync();
    const rates: number[] = [];
    let counted: CounterSnapshot | null = null;
    for (let r = 0; r < repetitions; r++) {
      const c0 = counters.snapshot();
      const t0 = performance.now();
      timing = true;
      await advance(steps);
      timing = false;
      const c1 = counters.snapshot();
      await sync();
      rates.push((1000 * steps) / (performance.now() - t0));
      const d = counterDelta(c0, c1);
      counted = counted === null ? d : sumSnapshots(counted, d);
    }
    const timed = steps * repetitions;
    const perUpdate = scaleSnapshot(counted!, 1 / timed);

    // One update that does not evaluate, then (at the next evaluation update) one that does.
    const every = settings.evalEvery;
    if ((updates + 1) % every === 0) await advance(1);
    // tf.profile returns the engine's one profile object, overwritten by the next call: copy the lists.
    const training = [...(await tf.profile(() => advance(1))).kernels];
    const toEval = every - (updates % every) - 1;
    let withEval: unknown[] | null = null;
    if (toEval <= MAX_UPDATES_TO_EVALUATION) {
      if (toEval > 0) await advance(toEval);
      withEval = [...(await tf.profile(() => advance(1))).kernels];
    }
    const kernelsByName: Record<string, number> = {};
    const kernelMsByName: Record<string, number> = {};
    for (const k of training) {
      kernelsByName[k.name] = (kernelsByName[k.name] ?? 0) + 1;
      const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
      kernelMsByName[k.name] = +((kernelMsByName[k.name] ?? 0) + ms).toFixed(3);
    }
    result = {
      kind,
      backend: tf.getBackend(),
      evalEvery: settings.evalEvery,
      updatesPerSecond: median(rates),
      repetitionUpdatesPerSecond: rates,
      medianUpdateMs: { training: median(trainingMs), evaluating: evaluatingMs.length > 0 ? median(evaluatingMs) : null },
      updateMs: { training: trainingMs.map(round3), evaluating: evaluatingMs.map(round3) },
      perUpdate,
      kernelsPerUpdate: training.length,
      kernelsByName,
      kernelMsByName,
      evaluationKernels: withEval === null ? null : withEval.length - training.length,
      updates,
      lastLoss,
      lastTestError,
    };
  } finally {
    abort.abort();
    target = Number.POSITIVE_INFINITY;
    arrived = null;
    release();
    await run.done.catch(() => undefined);
    disposeRun(run);
  }
  return { ...result, leakedTensors: tf.memory().numTensors - tensorsBefore };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function sumSnapshots(a: CounterSnapshot, b: CounterSnapshot): CounterSnapshot {
  return {
    readBacks: a.readBacks + b.readBacks,
    readBacksByMethod: Object.fromEntries(Object.entries(a.readBacksByMethod).map(([k, v]) => [k, v + b.readBacksByMethod[k as keyof CounterSnapshot["readBacksByMethod"]]])) as CounterSnapshot["readBacksByMethod"],
    tensorsCreated: a.tensorsCreated + b.tensorsCreated,
    hostTensors: a.hostTensors + b.hostTensors,
    draws: a.draws + b.draws,
  };
}

function scaleSnapshot(s: CounterSnapshot, f: number): CounterSnapshot {
  return {
    readBacks: s.readBacks * f,
    readBacksByMethod: Object.fromEntries(Object.entries(s.readBacksByMethod).map(([k, v]) => [k, v * f])) as CounterSnapshot["readBacksByMethod"],
    tensorsCreated: s.tensorsCreated * f,
    hostTensors: s.hostTensors * f,
    draws: s.draws * f,
  };
}
