import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "@dale-nn/ei-init";
import type { buildRecurrentNetwork } from "@dale-nn/ei-layers";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
import { evaluateError, trainModel } from "@dale-nn/train";
import type { GradientTransform } from "@dale-nn/core";
import { iterateBatches, type SplitView } from "@dale-nn/datasets";
import type { RunContext } from "../../runner/experiment.js";
import { runEnvironment } from "../../runner/run-environment.js";
import type { RnnProfile, RnnTaskName, TaskSettings } from "./rnn-profiles.js";
import type { RnnRecord } from "./rnn-record.js";
import type { TaskData } from "./task-data.js";

/**
 * The learning rate of update `k` (0-based, counted over the whole run, resumes included):
 * lr · factor^⌊k / every⌋ (the adding problem's ×0.99 every 20 updates).
 */
export function decayedLearningRate(settings: TaskSettings, k: number): number {
  return settings.decay ? settings.learningRate * Math.pow(settings.decay.factor, Math.floor(k / settings.decay.every)) : settings.learningRate;
}

/**
 * Trains one recurrent network on a task with projected SGD (clipping, DANN correction and
 * learning-rate decay by global update count as given), resuming from the context's checkpoint,
 * and returns its record. Disposes the model.
 */
export async function trainRecurrent(o: {
  experiment: RnnRecord["experiment"];
  runId: string;
  taskName: RnnTaskName;
  label: string;
  seed: number;
  model: ReturnType<typeof buildRecurrentNetwork>;
  clipping: { maxNorm: number; scope: "global" | "per-tensor" } | null;
  correction: boolean;
  /** Gradient transforms after the DANN correction (e.g. the ColEI inhibitory scaling of the radius sweep); the optimiser disposes them. */
  transforms?: GradientTransform[];
  settings: TaskSettings;
  profile: RnnProfile;
  data: TaskData;
  context: RunContext;
  variant?: Record<string, string | number | boolean>;
  /**
   * When `data.test` is a validation split (selection-split.ts): the test set, on which the final
   * network is measured once after training (`finalTestError`; null when the run diverged).
   */
  finalTest?: SplitView;
}): Promise<RnnRecord> {
  const { settings, profile, data, model, clipping, context } = o;
  const log = context.log;
  const optimizer = new ProjectedSGD({
    learningRate: settings.learningRate,
    transforms: [...(o.correction ? [dannUpdateCorrection()] : []), ...(o.transforms ?? [])],
    ...(clipping ? { clipNorm: clipping } : {}),
  });
  const epochs = profile.epochs[o.taskName];
  const t0 = performance.now();
  log(`  ${o.label} seed ${o.seed}: ${epochs} epoch(s), lr ${settings.learningRate}${clipping ? `, clip ${clipping.scope} ${clipping.maxNorm}` : ", no clipping"}`);
  try {
    const result = await trainModel({
      model,
      optimizer,
      task: data.task,
      epochs,
      trainBatches: (epoch) => iterateBatches(data.train, { batchSize: settings.batchSize, seed: deriveSeed(o.seed, "batches"), epoch }),
      // The decay follows the global update count (across epochs and resumes), not onProgress's reports.
      ...(settings.decay ? { learningRateSchedule: (update: number) => decayedLearningRate(settings, update) } : {}),
      trainError: "running",
      evaluation: { batches: () => iterateBatches(data.test, { batchSize: 1000, shuffle: false }), everyUpdates: profile.evalEveryUpdates },
      checkEvery: settings.decay?.every ?? 20,
      resumeFrom: context.resumeFrom,
      checkpoint: (cp) => context.saveCheckpoint(cp),
      callbacks: {
        onEpochEnd: (e) => log(`    epoch ${e.epoch}: train ${data.task.metricName} ${e.trainError.toFixed(4)}, loss ${e.meanLoss.toFixed(4)}, ${e.seconds.toFixed(1)} s`),
      },
    });
    const finalTestError = o.finalTest === undefined ? undefined : result.diverged ? null : evaluateError(model, data.task, iterateBatches(o.finalTest, { batchSize: 1000, shuffle: false })).error;
    const record: RnnRecord = {
      schema: 1, experiment: o.experiment, runId: o.runId, task: o.taskName, model: o.label, ...(o.variant ? { variant: o.variant } : {}),
      profile: profile.name, seed: o.seed, learningRate: settings.learningRate, clipping, epochs, batchSize: settings.batchSize,
      metric: data.task.metricName, trainErrorPerEpoch: result.trainErrorPerEpoch, evalCurve: result.evalCurve,
      finalTrainError: result.finalTrainError, finalEvalError: result.finalEvalError, ...(finalTestError !== undefined ? { finalTestError } : {}), wallSeconds: result.wallSeconds, backend: context.backend,
      versions: runEnvironment(), finishedAt: new Date().toISOString(),
      ...(result.diverged ? { diverged: { update: result.diverged.update, reason: result.diverged.reason } } : {}),
    };
    log(`    final ${finalTestError !== undefined ? `validation ${data.task.metricName} ${record.finalEvalError?.toFixed(4)}, test ${finalTestError?.toFixed(4)}` : `test ${data.task.metricName} ${record.finalEvalError?.toFixed(4)}`} (${((performance.now() - t0) / 1000).toFixed(0)} s)${record.diverged ? ` DIVERGED: ${record.diverged.reason}` : ""}`);
    return record;
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}
