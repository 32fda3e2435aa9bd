import type { RunRecordBase } from "../../runner/experiment.js";
import { CONV_DATASETS, CONV_MODELS, type ConvDataset, type ConvModel } from "./conv-models.js";

/** One finished run of `dale-bench conv`. */
export interface ConvRecord extends RunRecordBase {
  schema: 1;
  experiment: "conv";
  dataset: ConvDataset;
  model: ConvModel;
  /** The ei-conv variant and whether the recurrent areas had BatchNorm. */
  variant: string;
  batchNorm: boolean;
  constraint: "abs" | "projected";
  profile: string;
  seed: number;
  epochs: number;
  batchSize: number;
  /** The initial learning rate 0.1 × batch / 128 (unless --lr). */
  learningRate: number;
  /** ÷10 at these epochs. */
  decayEpochs: number[];
  l2: number;
  /**
   * Training images (standardised, not augmented) whose batch statistics replace the BatchNorm
   * moving statistics before every evaluation and kept checkpoint ("precise BN",
   * `recomputeBatchNormStatistics`); 0 = the moving averages (decay 0.997) as trained.
   */
  batchNormImages: number;
  trainImages: number;
  testImages: number;
  updatesPerEpoch: number;
  evalEveryUpdates: number;
  /** Trainable parameters (describeNetwork) and per area. */
  parameters: number;
  parametersPerArea: Record<string, number>;
  /** Running train error of each epoch's mini-batches (augmented, training mode). */
  trainErrorPerEpoch: number[];
  meanLossPerEpoch: number[];
  /** Test accuracy at initialisation and after each epoch. */
  testAccuracyPerEpoch: number[];
  /** Test accuracy every evalEveryUpdates updates (update 0 = initialisation). */
  testCurve: Array<{ update: number; accuracy: number }>;
  finalTestAccuracy: number;
  finalTestError: number;
  /** Epochs whose weights are under models/ (for `dale-bench selectivity`). */
  savedEpochs: number[];
  wallSeconds: number;
  backend: string;
  backends: string[];
  versions: Record<string, string>;
  startedAt: string;
  finishedAt: string;
  diverged?: { update: number; reason: string };
}

function fail(where: string, field: string, value: unknown, expected: string): never {
  throw new Error(`${where}: ${field} is ${JSON.stringify(value)?.slice(0, 80) ?? String(value)}; expected ${expected}`);
}

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isNumArray = (x: unknown, allowNaN = false): x is number[] => Array.isArray(x) && x.every((v) => isNum(v) || (allowNaN && v === null));

/**
 * Checks a parsed `conv` record field by field.
 *
 * @returns the record
 * @throws Error naming `where`, the field and its value
 */
export function validateConvRecord(value: unknown, where: string): ConvRecord {
  if (value == null || typeof value !== "object" || Array.isArray(value)) fail(where, "record", value, "an object");
  const r = value as Record<string, unknown>;
  if (r.schema !== 1) fail(where, "schema", r.schema, "1");
  if (r.experiment !== "conv") fail(where, "experiment", r.experiment, '"conv"');
  for (const k of ["runId", "variant", "profile", "backend", "startedAt", "finishedAt"]) if (typeof r[k] !== "string" || r[k] === "") fail(where, k, r[k], "a non-empty string");
  if (!CONV_DATASETS.includes(r.dataset as ConvDataset)) fail(where, "dataset", r.dataset, CONV_DATASETS.join(" | "));
  if (!CONV_MODELS.includes(r.model as ConvModel)) fail(where, "model", r.model, "a conv model name");
  if (typeof r.batchNorm !== "boolean") fail(where, "batchNorm", r.batchNorm, "a boolean");
  if (r.constraint !== "abs" && r.constraint !== "projected") fail(where, "constraint", r.constraint, '"abs" | "projected"');
  for (const k of ["seed", "epochs", "batchSize", "trainImages", "testImages", "updatesPerEpoch", "evalEveryUpdates", "parameters"]) {
    if (!Number.isInteger(r[k]) || (r[k] as number) < (k === "seed" ? 0 : 1)) fail(where, k, r[k], k === "seed" ? "an integer >= 0" : "an integer >= 1");
  }
  if (!Number.isInteger(r.batchNormImages) || (r.batchNormImages as number) < 0) fail(where, "batchNormImages", r.batchNormImages, "an integer >= 0");
  for (const k of ["learningRate", "l2", "wallSeconds"]) if (!isNum(r[k]) || (r[k] as number) < 0) fail(where, k, r[k], "a finite number >= 0");
  if (!((r.learningRate as number) > 0)) fail(where, "learningRate", r.learningRate, "> 0");
  for (const k of ["decayEpochs", "trainErrorPerEpoch", "meanLossPerEpoch", "testAccuracyPerEpoch", "savedEpochs"]) if (!isNumArray(r[k])) fail(where, k, r[k], "an array of finite numbers");
  const diverged = r.diverged !== undefined;
  const epochs = r.epochs as number;
  if (!diverged) {
    if ((r.trainErrorPerEpoch as number[]).length !== epochs) fail(where, "trainErrorPerEpoch", r.trainErrorPerEpoch, `${epochs} values (one per epoch)`);
    if ((r.testAccuracyPerEpoch as number[]).length !== epochs + 1) fail(where, "testAccuracyPerEpoch", r.testAccuracyPerEpoch, `${epochs + 1} values (initialisation, then each epoch)`);
    if (!isNum(r.finalTestAccuracy) || (r.finalTestAccuracy as number) < 0 || (r.finalTestAccuracy as number) > 1) fail(where, "finalTestAccuracy", r.finalTestAccuracy, "a number in [0, 1]");
    if (!isNum(r.finalTestError) || Math.abs((r.finalTestError as number) + (r.finalTestAccuracy as number) - 1) > 1e-9) fail(where, "finalTestError", r.finalTestError, "1 − finalTestAccuracy");
  } else {
    const d = r.diverged as Record<string, unknown>;
    if (d == null || !Number.isInteger(d.update) || typeof d.reason !== "string") fail(where, "diverged", r.diverged, "{ update, reason }");
  }
  for (const v of [...(r.testAccuracyPerEpoch as number[]), ...(r.trainErrorPerEpoch as number[])]) if (v < 0 || v > 1) fail(where, "accuracy / error", v, "values in [0, 1]");
  if (!Array.isArray(r.testCurve) || !r.testCurve.every((p) => p != null && Number.isInteger((p as { update: unknown }).update) && isNum((p as { accuracy: unknown }).accuracy))) {
    fail(where, "testCurve", r.testCurve, "an array of { update, accuracy }");
  }
  if (r.parametersPerArea == null || typeof r.parametersPerArea !== "object" || !Object.values(r.parametersPerArea).every((v) => Number.isInteger(v))) fail(where, "parametersPerArea", r.parametersPerArea, "an object of integer counts");
  if (!Array.isArray(r.backends) || !r.backends.every((b) => typeof b === "string")) fail(where, "backends", r.backends, "an array of backend names");
  if (r.versions == null || typeof r.versions !== "object") fail(where, "versions", r.versions, "an object");
  return r as unknown as ConvRecord;
}
