import { add, keep, scalar, stack, sum, tensor, tidy, type Optimizer, type Scalar, type Tensor } from "@tensorflow/tfjs-core";
import type { HostBatch, Task } from "@dale-nn/tasks";
import { evaluateError } from "./evaluate-error.js";
import { singleOutput, type ModelLike } from "./model-like.js";

/** One point of an evaluation curve. */
export interface EvalPoint {
  /** Parameter updates done when the error was measured (0 = at initialisation). */
  update: number;
  /** Mean error on the evaluation split (e.g. test error rate). */
  error: number;
}

/** Why a run stopped early because its loss stopped being finite. */
export interface Divergence {
  /** First update whose loss was seen non-finite (within `checkEvery` updates of the cause). */
  update: number;
  epoch: number;
  /** The non-finite mean loss seen. */
  loss: number;
  /** The last finite mean loss, if any. */
  lastFiniteLoss: number | null;
  /** Names of weights holding NaN or ±Infinity afterwards. */
  nonFiniteWeights: string[];
  /** A one-line explanation. */
  reason: string;
}

/** What a checkpoint holds: enough to continue a run from the end of an epoch. */
export interface TrainCheckpoint {
  /** Completed epochs. */
  epoch: number;
  /** Completed updates. */
  update: number;
  trainErrorPerEpoch: number[];
  meanLossPerEpoch: number[];
  evalCurve: EvalPoint[];
  /** Model weights in `getWeights()` order. */
  weights: Array<{ shape: number[]; values: Float32Array }>;
  /** Optimizer state from `optimizer.getWeights()` (e.g. the iteration count). */
  optimizerWeights: Array<{ name: string; shape: number[]; values: Float32Array }>;
  /** Wall-clock seconds spent before this checkpoint. */
  wallSeconds: number;
}

/** Progress callbacks. All are optional; async callbacks are awaited. */
export interface TrainCallbacks {
  /**
   * After every `checkEvery` updates, with the mean loss since the previous call; with
   * `progress: "per-update"`, once for each of those updates, with its own loss.
   */
  onProgress?(info: { epoch: number; update: number; updateInEpoch: number; updatesPerEpoch: number | null; meanLoss: number }): void | Promise<void>;
  /** After each evaluation of the eval split. */
  onEvaluation?(point: EvalPoint & { epoch: number }): void | Promise<void>;
  /** After each epoch. */
  onEpochEnd?(info: { epoch: number; update: number; trainError: number; meanLoss: number; seconds: number }): void | Promise<void>;
}

/** Options of {@link trainModel}. */
export interface TrainModelOptions {
  model: ModelLike;
  optimizer: Optimizer;
  task: Task;
  /** Number of epochs (>= 1). */
  epochs: number;
  /** The training batches of an epoch (1-based); shuffle with a seed derived from the epoch. */
  trainBatches: (epoch: number) => Iterable<HostBatch>;
  /** Updates per epoch, for progress reporting; optional. */
  updatesPerEpoch?: number;
  /**
   * An evaluation split measured every `everyUpdates` updates, at initialisation and at the end
   * of training (the paper plots test error every 200 updates).
   */
  evaluation?: {
    batches: () => Iterable<HostBatch>;
    everyUpdates: number;
    /**
     * Awaited before each evaluation, e.g. to recompute BatchNorm statistics from training
     * batches with the current weights (`recomputeBatchNormStatistics` of @dale-nn/ei-conv).
     */
    prepare?: () => void | Promise<void>;
  };
  /**
   * Train error per epoch: "full-pass" evaluates `trainEvalBatches` at the end of each epoch in
   * inference mode (what the paper's tables report); "running" averages the error of the epoch's
   * own mini-batches during training (free, but the model changes within the epoch). Default
   * "full-pass" when `trainEvalBatches` is given, else "running".
   */
  trainError?: "full-pass" | "running";
  trainEvalBatches?: () => Iterable<HostBatch>;
  /** Read the loss back every this many updates to check it is finite; default 10. */
  checkEvery?: number;
  /**
   * What `onProgress` reports: "per-check" (default) the mean loss of each `checkEvery` updates;
   * "per-update" every update's own loss, in order, read back with the check (the losses wait on
   * the device, so the host still reads once per `checkEvery` updates). A plot of every update
   * then costs one read-back per `checkEvery` updates instead of one per update, and a non-finite
   * loss is traced to the exact update. The epoch means are the same in both modes.
   */
  progress?: "per-check" | "per-update";
  /**
   * How each check reads the loss back: "sync" (default, `dataSync`) or "async" (`await data()`).
   * On WebGL a read waits for all the work queued before it; "async" waits without blocking the
   * page (no main-thread task as long as the update's device time), with the same numbers. The
   * evaluation split is still read synchronously.
   */
  readBack?: "sync" | "async";
  callbacks?: TrainCallbacks;
  /**
   * A learning-rate schedule by global update count: called before every update with the number
   * of updates already done in the whole run (0 for the first, continuing across epochs and
   * resumes), and its value is written to `optimizer.learningRate`, so decays land on the exact
   * update whatever `checkEvery` and the epoch length (e.g. the adding problem's ×0.99 every 20
   * updates, Li et al. 2023, App. 6.2). The optimizer must have a writable `learningRate` (or tfjs's `setLearningRate`).
   */
  learningRateSchedule?: (update: number) => number;
  /**
   * Called synchronously before every update, inside the update's `tf.tidy`, with the batch's
   * tensors (as `task.toTensors` made them) and the number of updates already done in the whole
   * run (0 for the first, continuing across epochs and resumes, as for `learningRateSchedule`).
   * For state that must see each training batch before its step, e.g. the diagonal-Fisher estimate
   * of Cornford et al. (2021), App. E.3 Alg. 4 (`DiagonalFisherPreconditioner.observe(inputs)`).
   * Tensors it makes are freed when the update ends unless it keeps them; it must not dispose the
   * batch's tensors. Not called for evaluation batches.
   */
  beforeUpdate?: (info: { inputs: Tensor; targets: Tensor; update: number; epoch: number; batch: HostBatch }) => void;
  /** Called at the end of every epoch with the state to resume from. */
  checkpoint?: (state: TrainCheckpoint) => void | Promise<void>;
  /** Continue from a checkpoint (weights and optimizer state are restored). */
  resumeFrom?: TrainCheckpoint;
  /** Stops after the current update when aborted; the result has `aborted: true`. */
  signal?: AbortSignal;
  /** Await `yieldFn` every this many updates (keeps a browser tab responsive); default never. */
  yieldEvery?: number;
  yieldFn?: () => Promise<void>;
}

/** The outcome of {@link trainModel}. */
export interface TrainResult {
  epochsCompleted: number;
  updates: number;
  trainErrorPerEpoch: number[];
  meanLossPerEpoch: number[];
  evalCurve: EvalPoint[];
  finalTrainError: number | null;
  finalEvalError: number | null;
  wallSeconds: number;
  diverged?: Divergence;
  aborted?: boolean;
}

function requirePositiveInteger(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`trainModel: ${name} must be an integer >= 1; got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Trains a model on a task with mini-batch updates from `optimizer.minimize`, records the train
 * error per epoch and an evaluation-error curve, guards against divergence and checkpoints at
 * epoch ends. Each update is one `tf.tidy`; the loss and running error are accumulated on the
 * device and read back together, in one read, every `checkEvery` updates only (with the
 * per-update losses too for `progress: "per-update"`).
 *
 * @param options - see {@link TrainModelOptions}
 * @returns the curves and final errors; `diverged` is set (and training stopped) when the loss
 *   became NaN or infinite
 * @throws RangeError on invalid options
 * @example
 * const result = await trainModel({ model, optimizer, task, epochs: 3, trainBatches: (e) => iterateBatches(train, { batchSize: 32, seed, epoch: e }) });
 */
export async function trainModel(options: TrainModelOptions): Promise<TrainResult> {
  const { model, optimizer, task, callbacks = {} } = options;
  const epochs = requirePositiveInteger("epochs", options.epochs);
  const checkEvery = requirePositiveInteger("checkEvery", options.checkEvery ?? 10);
  const evaluation = options.evaluation;
  if (evaluation) requirePositiveInteger("evaluation.everyUpdates", evaluation.everyUpdates);
  const trainErrorMode = options.trainError ?? (options.trainEvalBatches ? "full-pass" : "running");
  if (trainErrorMode === "full-pass" && !options.trainEvalBatches) {
    throw new TypeError(`trainModel: trainError "full-pass" needs trainEvalBatches`);
  }
  if (trainErrorMode !== "full-pass" && trainErrorMode !== "running") {
    throw new TypeError(`trainModel: unknown trainError ${JSON.stringify(trainErrorMode)}; expected "full-pass" or "running"`);
  }
  const progress = options.progress ?? "per-check";
  if (progress !== "per-check" && progress !== "per-update") {
    throw new TypeError(`trainModel: unknown progress ${JSON.stringify(progress)}; expected "per-check" or "per-update"`);
  }
  const perUpdate = progress === "per-update";
  const readBack = options.readBack ?? "sync";
  if (readBack !== "sync" && readBack !== "async") {
    throw new TypeError(`trainModel: unknown readBack ${JSON.stringify(readBack)}; expected "sync" or "async"`);
  }
  const yieldEvery = options.yieldEvery;
  if (yieldEvery !== undefined) requirePositiveInteger("yieldEvery", yieldEvery);
  const schedule = options.learningRateSchedule;
  if (schedule !== undefined && !("learningRate" in optimizer)) {
    throw new TypeError(`trainModel: learningRateSchedule needs an optimizer with a learningRate property; ${optimizer.getClassName()} has none`);
  }
  const setLearningRate = (u: number): void => {
    if (!schedule) return;
    const lr = schedule(u);
    if (!(typeof lr === "number" && Number.isFinite(lr) && lr >= 0)) throw new RangeError(`trainModel: learningRateSchedule(${u}) returned ${lr}; expected a finite number >= 0`);
    const o = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
    // tfjs's SGDOptimizer caches the rate as a scalar that only setLearningRate refreshes.
    if (typeof o.setLearningRate === "function") o.setLearningRate(lr);
    else o.learningRate = lr;
  };
  const beforeUpdate = options.beforeUpdate;
  if (beforeUpdate !== undefined && typeof beforeUpdate !== "function") {
    throw new TypeError(`trainModel: beforeUpdate must be a function; got ${typeof beforeUpdate}`);
  }
  const yieldFn = options.yieldFn ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));

  const start = performance.now();
  let priorSeconds = 0;
  let update = 0;
  let firstEpoch = 1;
  const trainErrorPerEpoch: number[] = [];
  const meanLossPerEpoch: number[] = [];
  const evalCurve: EvalPoint[] = [];

  if (options.resumeFrom) {
    const cp = options.resumeFrom;
    await restoreCheckpoint(model, optimizer, cp);
    update = cp.update;
    firstEpoch = cp.epoch + 1;
    trainErrorPerEpoch.push(...cp.trainErrorPerEpoch);
    meanLossPerEpoch.push(...cp.meanLossPerEpoch);
    evalCurve.push(...cp.evalCurve);
    priorSeconds = cp.wallSeconds;
  }
  const seconds = (): number => priorSeconds + (performance.now() - start) / 1000;
  const result = (extra: Partial<TrainResult> = {}): TrainResult => ({
    epochsCompleted: trainErrorPerEpoch.length,
    updates: update,
    trainErrorPerEpoch,
    meanLossPerEpoch,
    evalCurve,
    finalTrainError: trainErrorPerEpoch.at(-1) ?? null,
    finalEvalError: evalCurve.at(-1)?.error ?? null,
    wallSeconds: seconds(),
    ...extra,
  });

  const evaluate = async (epoch: number): Promise<void> => {
    if (!evaluation) return;
    if (evalCurve.at(-1)?.update === update) return;
    await evaluation.prepare?.();
    const { error } = evaluateError(model, task, evaluation.batches());
    evalCurve.push({ update, error });
    await callbacks.onEvaluation?.({ update, error, epoch });
  };

  if (update === 0) await evaluate(0);
  let lastFiniteLoss: number | null = null;

  for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
    const epochStart = performance.now();
    let updateInEpoch = 0;
    // Device-side accumulators, read back every `checkEvery` updates.
    let lossAcc: Scalar = keep(scalar(0));
    let errAcc: Scalar = keep(scalar(0));
    let pending = 0;
    let epochLossSum = 0;
    let epochLossCount = 0;
    let epochErrors = 0;
    let epochExamples = 0;
    /** The losses of the updates since the last check ("per-update" progress), kept on the device. */
    let losses: Scalar[] = [];
    /**
     * Reads the accumulators (and the per-update losses) back in one read, restarts them and books
     * them; calls onProgress unless `report` is false. Returns a Divergence when a loss is not finite.
     */
    const check = async (report: boolean): Promise<Divergence | null> => {
      const packed = tidy(() => stack([lossAcc, errAcc, ...losses]));
      const count = pending;
      pending = 0;
      for (const l of losses) l.dispose();
      losses = [];
      lossAcc.dispose();
      errAcc.dispose();
      lossAcc = keep(scalar(0));
      errAcc = keep(scalar(0));
      let v: ArrayLike<number>;
      try {
        v = readBack === "async" ? ((await packed.data()) as Float32Array) : packed.dataSync();
      } finally {
        packed.dispose();
      }
      const updatesPerEpoch = options.updatesPerEpoch ?? null;
      if (perUpdate) {
        for (let i = 0; i < count; i++) {
          const loss = v[2 + i] as number;
          const at = update - count + 1 + i;
          if (!Number.isFinite(loss)) return diagnose(model, at, epoch, loss, lastFiniteLoss);
          lastFiniteLoss = loss;
          await callbacks.onProgress?.({ epoch, update: at, updateInEpoch: updateInEpoch - count + 1 + i, updatesPerEpoch, meanLoss: loss });
        }
      }
      const meanLoss = (v[0] as number) / count;
      if (!Number.isFinite(meanLoss)) return diagnose(model, update, epoch, meanLoss, lastFiniteLoss);
      if (!perUpdate) lastFiniteLoss = meanLoss;
      epochLossSum += meanLoss * count;
      epochLossCount += count;
      epochErrors += v[1] as number;
      if (report && !perUpdate) await callbacks.onProgress?.({ epoch, update, updateInEpoch, updatesPerEpoch, meanLoss });
      return null;
    };
    try {
      for (const batch of options.trainBatches(epoch)) {
        if (batch.size === 0) continue;
        const running = trainErrorMode === "running";
        setLearningRate(update);
        const [nextLoss, nextErr, loss] = tidy(() => {
          const { inputs, targets } = task.toTensors(batch);
          beforeUpdate?.({ inputs, targets, update, epoch, batch });
          let batchErrors: Tensor | null = null;
          const loss = optimizer.minimize(() => {
            const out = singleOutput(model.apply(inputs, { training: true }), "trainModel");
            if (running) batchErrors = keep(task.errorSum(out, targets));
            return task.loss(out, targets);
          }, true) as Scalar;
          const l = add(lossAcc, loss) as Scalar;
          const e = running && batchErrors ? (add(errAcc, batchErrors) as Scalar) : errAcc.clone();
          if (batchErrors) (batchErrors as Tensor).dispose();
          return perUpdate ? ([l, e, loss] as const) : ([l, e] as const);
        });
        lossAcc.dispose();
        errAcc.dispose();
        lossAcc = keep(nextLoss);
        errAcc = keep(nextErr);
        if (loss) losses.push(keep(loss));
        update++;
        updateInEpoch++;
        pending++;
        epochExamples += batch.size;

        if (pending >= checkEvery) {
          const diverged = await check(true);
          if (diverged) return result({ diverged });
        }
        if (evaluation && update % evaluation.everyUpdates === 0) await evaluate(epoch);
        if (options.signal?.aborted) return result({ aborted: true });
        if (yieldEvery !== undefined && update % yieldEvery === 0) await yieldFn();
      }
      if (pending > 0) {
        // The updates after the epoch's last check: booked, and reported only per update.
        const diverged = await check(false);
        if (diverged) return result({ diverged });
      }
    } finally {
      lossAcc.dispose();
      errAcc.dispose();
      for (const l of losses) l.dispose();
    }
    if (updateInEpoch === 0) throw new RangeError(`trainModel: epoch ${epoch} produced no training batch; expected a non-empty training set`);
    const trainError =
      trainErrorMode === "full-pass" ? evaluateError(model, task, options.trainEvalBatches!()).error : epochErrors / epochExamples;
    trainErrorPerEpoch.push(trainError);
    meanLossPerEpoch.push(epochLossSum / epochLossCount);
    if (epoch === epochs) await evaluate(epoch);
    await callbacks.onEpochEnd?.({ epoch, update, trainError, meanLoss: epochLossSum / epochLossCount, seconds: (performance.now() - epochStart) / 1000 });
    if (options.checkpoint) await options.checkpoint(await makeCheckpoint(model, optimizer, { epoch, update, trainErrorPerEpoch, meanLossPerEpoch, evalCurve, wallSeconds: seconds() }));
  }
  return result();
}

function diagnose(model: ModelLike, update: number, epoch: number, loss: number, lastFiniteLoss: number | null): Divergence {
  const weights = model.getWeights();
  const names = (model as { weights?: Array<{ name: string }> }).weights?.map((w) => w.name) ?? weights.map((_, i) => `weight ${i}`);
  const nonFiniteWeights: string[] = [];
  weights.forEach((w, i) => {
    const total = tidy(() => sum(w));
    const s = total.dataSync()[0] as number;
    total.dispose();
    if (!Number.isFinite(s)) nonFiniteWeights.push(names[i] ?? `weight ${i}`);
  });
  const reason =
    `loss became ${loss} by update ${update} (epoch ${epoch}); last finite mean loss ${lastFiniteLoss ?? "none"}` +
    (nonFiniteWeights.length ? `; non-finite weights: ${nonFiniteWeights.slice(0, 5).join(", ")}${nonFiniteWeights.length > 5 ? ", ..." : ""}` : "") +
    "; try a smaller learning rate or gradient clipping";
  return { update, epoch, loss, lastFiniteLoss, nonFiniteWeights, reason };
}

async function makeCheckpoint(
  model: ModelLike,
  optimizer: Optimizer,
  state: Omit<TrainCheckpoint, "weights" | "optimizerWeights">,
): Promise<TrainCheckpoint> {
  const weights = model.getWeights().map((w) => ({ shape: [...w.shape], values: Float32Array.from(w.dataSync() as Float32Array) }));
  const named = await optimizer.getWeights();
  const optimizerWeights = named.map(({ name, tensor: t }) => ({ name, shape: [...t.shape], values: Float32Array.from(t.dataSync() as Float32Array) }));
  // tfjs optimizers return a fresh iteration-count tensor from getWeights(), but Adam, RMSProp,
  // momentum and Adagrad also return their live state variables: dispose only what is not a variable.
  named.forEach(({ tensor: t }) => {
    if (typeof (t as unknown as { assign?: unknown }).assign !== "function") t.dispose();
  });
  return {
    ...state,
    trainErrorPerEpoch: [...state.trainErrorPerEpoch],
    meanLossPerEpoch: [...state.meanLossPerEpoch],
    evalCurve: state.evalCurve.map((p) => ({ ...p })),
    weights,
    optimizerWeights,
  };
}

async function restoreCheckpoint(model: ModelLike, optimizer: Optimizer, cp: TrainCheckpoint): Promise<void> {
  const current = model.getWeights();
  if (current.length !== cp.weights.length) {
    throw new RangeError(`trainModel: checkpoint has ${cp.weights.length} weight tensors; the model has ${current.length}`);
  }
  cp.weights.forEach((w, i) => {
    const shape = current[i]!.shape;
    if (shape.length !== w.shape.length || shape.some((s, j) => s !== w.shape[j])) {
      throw new RangeError(`trainModel: checkpoint weight ${i} has shape [${w.shape.join(", ")}]; the model expects [${shape.join(", ")}]`);
    }
  });
  const tensors = cp.weights.map((w) => tensor(w.values, w.shape, "float32"));
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  if (cp.optimizerWeights.length > 0) {
    const named = cp.optimizerWeights.map((w) => ({ name: w.name, tensor: tensor(w.values, w.shape, "float32") }));
    await optimizer.setWeights(named);
    named.forEach(({ tensor: t }) => t.dispose());
  }
}
