import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "@dale-nn/ei-init";
import { CtEiRnn } from "@dale-nn/ei-layers";
import { projectedAdam, type ProjectedOptimizer } from "@dale-nn/projected-sgd";
import {
  batchTrials, perceptualDecisionMaking, psychometricLevels, scoreTrials, trialHostBatches, trialSet, trialTaskAdapter, unbatchOutputs,
  type HostBatch, type Trial, type TrialBatch, type TrialTask,
} from "@dale-nn/tasks";
import { trainModel, type TrainResult } from "@dale-nn/train";

/**
 * The settings of the demo's learnable-Dale run: a continuous-time E/I RNN whose recurrent matrix
 * is the mixture W_rec = a · W_dale + (1 − a) · W_free (seed 004), a = σ(k ã) trained with the
 * other weights, on perceptual decision making. The defaults mirror `dale-bench mix`'s "quick"
 * profile (batch 16, the SHORT timing with a 500 ms stimulus, dt 20 ms, τ 100 ms, input noise σ 1,
 * recurrent noise 0.05, Adam 1e-3 with per-tensor clipping at 1, Frobenius normalisation) at a
 * browser-friendly 40 units, with k = 10 so that a visibly moves within a few hundred updates.
 */
export interface CtMixtureSettings {
  /** Recurrent units (80 % excitatory). */
  units: number;
  /** Trials per update. */
  batchSize: number;
  /** a₀ ∈ (0, 1): the initial weight of the Dale matrix. */
  a0: number;
  /**
   * k in a = σ(k ã). Adam moves ã by about the learning rate per update whatever the gradient's
   * size, so a's logit k ã moves about k · lr per update: k sets how fast a can move.
   */
  logitScale: number;
  /** Adam's η. */
  learningRate: number;
  /** Per-tensor gradient-norm clip (PsychRNN: 1); 0 = none. */
  clip: number;
  /** Euler step (ms). */
  dt: number;
  /** Time constant of every unit (ms), ≥ dt. */
  tau: number;
  /** Stimulus period (ms); fixation and decision keep the task's 100 ms each. */
  stimulusMs: number;
  /** Stimulus noise σ (neurogym's convention: N(0, σ²/dt) per step). */
  inputNoise: number;
  /** σ_rec of the recurrent noise (training only). */
  recurrentNoise: number;
  /** Trials of the fixed test set (the same for every seed). */
  testTrials: number;
  /** Evaluate the test set every this many updates (a multiple of `checkEvery`). */
  evalEvery: number;
  /**
   * Read the losses and a back every this many updates, in one read. 1 by default: on software
   * WebGL (SwiftShader, which shares the CPU with the page) an update takes ~0.2 s and the read
   * after 5 of them blocked the page for up to 0.9 s, with fewer updates per second than reading
   * after every update (5.7 against 4.7 updates/s after warm-up in headless Chromium here).
   */
  checkEvery: number;
  /** Updates per epoch: each epoch draws fresh training trials (a multiple of `checkEvery`). */
  updatesPerEpoch: number;
  /** Stop after this many updates. */
  maxUpdates: number;
  /** Seed of the weights, the training trials and the noise. */
  seed: number;
}

export const DEFAULT_CT_SETTINGS: CtMixtureSettings = {
  units: 40,
  batchSize: 16,
  a0: 0.5,
  logitScale: 10,
  learningRate: 1e-3,
  clip: 1,
  dt: 20,
  tau: 100,
  stimulusMs: 500,
  inputNoise: 1,
  recurrentNoise: 0.05,
  testTrials: 400,
  evalEvery: 25,
  checkEvery: 1,
  updatesPerEpoch: 100,
  maxUpdates: 5000,
  seed: 0,
};

/** One point of the psychometric curve: P(choice 1) at a signed coherence. */
export interface PsychometricPoint {
  /** Signed coherence (%), positive toward choice 1. */
  coherence: number;
  /** Fraction of the test trials at this coherence decided as choice 1. */
  pChoice1: number;
  trials: number;
}

/** A test-set evaluation. */
export interface CtEvaluation {
  update: number;
  /** Fraction of test trials decided correctly (coherence-0 trials have a random truth: at most ~90 %). */
  accuracy: number;
  psychometric: PsychometricPoint[];
}

/** The fixed test set, uploaded once. */
export interface CtTestSet {
  trials: Trial[];
  batch: TrialBatch;
  /** The inputs [size, T, nIn], resident on the backend. */
  inputs: tf.Tensor3D;
}

/**
 * The mixture RNN as `trainModel`'s model: `apply(x, { training: true })` runs with recurrent
 * noise seeded from the update number (so a run is reproducible), any other call runs noise-free
 * (evaluation).
 */
export class CtMixtureModel {
  readonly rnn: CtEiRnn;
  /** Training forward passes so far (= updates done). */
  trainCalls = 0;

  constructor(
    readonly settings: CtMixtureSettings,
    inputs: number,
    outputs: number,
  ) {
    const s = settings;
    this.rnn = new CtEiRnn({
      units: s.units,
      outputs,
      kind: "mixture",
      dt: s.dt,
      tau: s.tau,
      recurrentNoise: s.recurrentNoise,
      mixing: { a0: s.a0, logitScale: s.logitScale, normalisation: "frobenius" },
      seed: deriveSeed(s.seed, "ct-mixture"),
    });
    this.rnn.build([null, null, inputs]);
  }

  apply(inputs: tf.Tensor | tf.Tensor[], kwargs?: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const args = kwargs?.training === true ? { noise: true, noiseSeed: deriveSeed(this.settings.seed, "ct-noise", this.trainCalls++) } : { noise: false };
    return this.rnn.apply(x, args) as tf.Tensor;
  }

  /** The mixing weight a ∈ [0, 1] (one small read-back). */
  get a(): number {
    return this.rnn.mixingWeight as number;
  }

  getWeights(): tf.Tensor[] {
    return this.rnn.getWeights();
  }

  setWeights(weights: tf.Tensor[]): void {
    this.rnn.setWeights(weights);
  }

  dispose(): void {
    (this.rnn as unknown as { disposeWeights(): number }).disposeWeights();
  }
}

/** Perceptual decision making at the settings' dt, stimulus length and input noise. */
export function ctTrialTask(s: CtMixtureSettings): TrialTask {
  return perceptualDecisionMaking({ dt: s.dt, inputNoise: s.inputNoise, timing: { stimulus: s.stimulusMs } });
}

/** The fixed test set (seeded independently of the run's seed, so every run is scored on the same trials). */
export function ctTestSet(task: TrialTask, count: number): CtTestSet {
  const trials = trialSet(task, { seed: deriveSeed(0, "ct-mixture-test"), count });
  const batch = batchTrials(trials);
  const inputs = tf.tensor3d(batch.inputs, [batch.size, batch.steps, batch.nIn]);
  return { trials, batch, inputs };
}

/**
 * Scores the test set without noise: the task's decision read-out (arg-max of the two choice
 * outputs over the decision period) per trial, the accuracy, and the psychometric curve P(choice 1)
 * against signed coherence (`psychometricLevels`). Reads the outputs back asynchronously.
 */
export async function evaluateCtMixture(model: CtMixtureModel, task: TrialTask, test: CtTestSet, update: number): Promise<CtEvaluation> {
  const z = tf.tidy(() => model.apply(test.inputs));
  let values: Float32Array;
  try {
    values = (await z.data()) as Float32Array;
  } finally {
    z.dispose();
  }
  const scores = scoreTrials(task, test.trials, unbatchOutputs(test.batch, values));
  const levels = psychometricLevels(
    test.trials.map((t) => t.meta.psychometric),
    scores.decisions.map((d) => d === 0),
  );
  return { update, accuracy: scores.accuracy, psychometric: levels.map((l) => ({ coherence: l.x, pChoice1: l.fraction, trials: l.trials })) };
}

/** What a run reports. */
export interface CtMixtureCallbacks {
  /** Every update's training loss (masked MSE), `checkEvery` at a time; `a` after every `checkEvery`-th update, else null. */
  onUpdate?(update: number, loss: number, a: number | null): void;
  /** The test set's evaluation, at update 0, every `evalEvery` updates and at the end. */
  onEvaluation?(evaluation: CtEvaluation): void;
}

/** A running learnable-Dale training. */
export interface CtMixtureRun {
  settings: CtMixtureSettings;
  task: TrialTask;
  model: CtMixtureModel;
  optimizer: ProjectedOptimizer;
  test: CtTestSet;
  /** Resolves when training ended (maxUpdates, divergence or abort); the last evaluation has been reported. */
  done: Promise<TrainResult>;
}

function check(name: string, value: number, ok: boolean, expected: string): void {
  if (!ok) throw new RangeError(`startCtMixture: ${name} must be ${expected}; got ${value}`);
}

/**
 * Builds the mixture RNN (`CtEiRnn`, kind "mixture") and projected Adam (per-tensor clipping), draws
 * the fixed test set, and trains with `trainModel` on fresh seeded trials each epoch
 * (`trialSet` → `trialHostBatches` → `trialTaskAdapter`'s masked MSE), calling `yieldFn` after
 * every update (the page's scheduler: pausing is not releasing it).
 *
 * @param settings - see {@link CtMixtureSettings}
 * @param yieldFn - awaited after every update
 * @param signal - aborts training (after the current update)
 * @param callbacks - per-update losses, a, and evaluations
 * @returns the run; free it with {@link disposeCtMixture} once `done` settled
 * @throws RangeError on settings that do not fit together (naming the value)
 * @example
 * const run = startCtMixture({ ...DEFAULT_CT_SETTINGS, maxUpdates: 50 }, yieldMacrotask, new AbortController().signal, { onUpdate: (u, loss, a) => console.log(u, loss, a) });
 * await run.done;
 * disposeCtMixture(run);
 */
export function startCtMixture(settings: CtMixtureSettings, yieldFn: () => Promise<void>, signal: AbortSignal, callbacks: CtMixtureCallbacks = {}): CtMixtureRun {
  const s = settings;
  check("a0", s.a0, s.a0 > 0 && s.a0 < 1, "in (0, 1)");
  check("logitScale", s.logitScale, s.logitScale > 0 && Number.isFinite(s.logitScale), "a finite number > 0");
  for (const [name, v] of [["checkEvery", s.checkEvery], ["evalEvery", s.evalEvery], ["updatesPerEpoch", s.updatesPerEpoch], ["maxUpdates", s.maxUpdates]] as const) {
    check(name, v, Number.isInteger(v) && v >= 1, "an integer >= 1");
  }
  check("evalEvery", s.evalEvery, s.evalEvery % s.checkEvery === 0, `a multiple of checkEvery = ${s.checkEvery}`);
  check("updatesPerEpoch", s.updatesPerEpoch, s.updatesPerEpoch % s.checkEvery === 0, `a multiple of checkEvery = ${s.checkEvery}`);
  const task = ctTrialTask(s);
  const model = new CtMixtureModel(s, task.inputNames.length, task.outputNames.length);
  const optimizer = projectedAdam({ learningRate: s.learningRate, ...(s.clip > 0 ? { clipNorm: { maxNorm: s.clip, scope: "per-tensor" as const } } : {}) });
  const test = ctTestSet(task, s.testTrials);
  const epochs = Math.ceil(s.maxUpdates / s.updatesPerEpoch);
  const inEpoch = (epoch: number): number => Math.min(s.updatesPerEpoch, s.maxUpdates - (epoch - 1) * s.updatesPerEpoch);
  const trainBatches = (epoch: number): HostBatch[] =>
    trialHostBatches(task, trialSet(task, { seed: deriveSeed(s.seed, "ct-train", epoch), count: inEpoch(epoch) * s.batchSize }), { batchSize: s.batchSize });
  let lastEval = -1;
  const evaluate = async (update: number): Promise<void> => {
    if (update === lastEval) return;
    lastEval = update;
    const e = await evaluateCtMixture(model, task, test, update);
    callbacks.onEvaluation?.(e);
  };
  const done = (async () => {
    await evaluate(0);
    const result = await trainModel({
      model,
      optimizer,
      task: trialTaskAdapter(task),
      epochs,
      updatesPerEpoch: s.updatesPerEpoch,
      trainBatches,
      trainError: "running",
      checkEvery: s.checkEvery,
      progress: "per-update",
      callbacks: {
        onProgress: async ({ update, meanLoss }) => {
          // The losses arrive after a read-back, so reading a now costs no extra GPU wait.
          const a = update % s.checkEvery === 0 || update === s.maxUpdates ? model.a : null;
          callbacks.onUpdate?.(update, meanLoss, a);
          if (update % s.evalEvery === 0) await evaluate(update);
        },
      },
      signal,
      yieldEvery: 1,
      yieldFn,
    });
    if (!result.diverged && !result.aborted) await evaluate(result.updates);
    return result;
  })();
  return { settings: s, task, model, optimizer, test, done };
}

/** Frees a run's tensors (call after its `done` settled). */
export function disposeCtMixture(run: CtMixtureRun): void {
  run.model.dispose();
  run.optimizer.dispose();
  run.test.inputs.dispose();
}
