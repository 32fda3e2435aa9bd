import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { createRandomSource, deriveSeed } from "@dale-nn/ei-init";
import { buildPaperNetwork } from "@dale-nn/ei-layers";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
import { classificationTask } from "@dale-nn/tasks";
import { trainModel } from "@dale-nn/train";
import { DATASET_PIXEL_MEANS, fullView, iterateBatches, subsetView, trainValidationSplit, batchCount, type SplitView } from "@dale-nn/datasets";
import { loadDataset } from "@dale-nn/datasets/node";
import { CheckpointStore } from "../checkpoint-store.js";
import { readRunRecords } from "../report/read-run-records.js";
import type { RunRecord } from "../report/run-record.js";
import { UserError } from "../user-error.js";
import { FFWD_MODEL_SPECS, paperLearningRate, type FfwdDataset, type FfwdModel } from "./ffwd-models.js";
import type { FfwdProfile } from "./ffwd-profiles.js";
import type { Progress } from "../progress.js";

/** One training run of the plan. */
export interface FfwdRunSpec {
  runId: string;
  dataset: FfwdDataset;
  model: FfwdModel;
  profile: string;
  seed: number;
  learningRate: number;
  learningRateSource: string;
  epochs: number;
  batchSize: number;
  evalSplit: "test" | "validation";
  trainLimit: number | null;
  evalEveryUpdates: number;
  trainError: "full-pass" | "running";
}

/** The learning-rate search of Sec. 5.1: log-uniform in [1e-5, 10], 3 seeds, 10k validation split. */
export const SEARCH_RANGE = { low: 1e-5, high: 10 } as const;
export const SEARCH_SEEDS = [0, 1, 2] as const;

function runId(s: Omit<FfwdRunSpec, "runId">): string {
  return `${s.dataset}/${s.model}/${s.profile}/lr=${s.learningRate}/seed=${s.seed}/eval=${s.evalSplit}`;
}

/**
 * The runs of one invocation: every model x seed of the profile with the paper's learning rates,
 * or, with `search`, `search` log-uniform learning rates per model x 3 seeds on the validation split.
 */
export function planFfwdRuns(options: { dataset: FfwdDataset; models: readonly FfwdModel[]; profile: FfwdProfile; search?: number }): FfwdRunSpec[] {
  const { dataset, models, profile } = options;
  const runs: FfwdRunSpec[] = [];
  for (const model of models) {
    if (options.search) {
      for (let trial = 0; trial < options.search; trial++) {
        const rng = createRandomSource(deriveSeed(2021, dataset, model, trial));
        const lr = Number((SEARCH_RANGE.low * Math.pow(SEARCH_RANGE.high / SEARCH_RANGE.low, rng.uniform())).toPrecision(4));
        for (const seed of SEARCH_SEEDS) {
          const spec = {
            dataset, model, profile: `search-${profile.label}`, seed, learningRate: lr, learningRateSource: `random search trial ${trial}`,
            epochs: profile.epochs, batchSize: profile.batchSize, evalSplit: "validation" as const, trainLimit: profile.trainLimit,
            evalEveryUpdates: profile.evalEveryUpdates, trainError: profile.trainError,
          };
          runs.push({ ...spec, runId: runId(spec) });
        }
      }
    } else {
      const { learningRate, source } = paperLearningRate(dataset, model);
      for (const seed of profile.seeds) {
        const spec = {
          dataset, model, profile: profile.label, seed, learningRate, learningRateSource: source,
          epochs: profile.epochs, batchSize: profile.batchSize, evalSplit: "test" as const, trainLimit: profile.trainLimit,
          evalEveryUpdates: profile.evalEveryUpdates, trainError: profile.trainError,
        };
        runs.push({ ...spec, runId: runId(spec) });
      }
    }
  }
  return runs;
}

/** Run ids already in `<out>/results.jsonl`. */
export function finishedRunIds(out: string): Set<string> {
  const file = join(out, "results.jsonl");
  if (!existsSync(file)) return new Set();
  const { records } = readRunRecords(file);
  return new Set(records.map((r) => r.runId));
}

/** Appends one record as a single line (one write call, so a crash leaves at most a partial last line). */
export function appendRecord(out: string, record: RunRecord): void {
  const file = join(out, "results.jsonl");
  // If a previous process died mid-line, start on a fresh line so both rows stay parseable.
  let prefix = "";
  if (existsSync(file)) {
    const text = readFileSync(file, "utf8");
    if (text.length > 0 && !text.endsWith("\n")) prefix = "\n";
  }
  appendFileSync(file, `${prefix}${JSON.stringify(record)}\n`);
}

function versions(): Record<string, string> {
  return { node: process.version, tfjs: tf.version.tfjs, "tfjs-core": tf.version["tfjs-core"] ?? "", daleNn: "0.0.0" };
}

/** Executes the plan, skipping finished runs and resuming a run from its last epoch checkpoint. */
export async function executeFfwdRuns(options: {
  runs: FfwdRunSpec[];
  out: string;
  dataDir?: string;
  backend: string;
  progress: Progress;
}): Promise<{ ran: number; skipped: number }> {
  const { runs, out, progress } = options;
  mkdirSync(out, { recursive: true });
  const finished = finishedRunIds(out);
  const todo = runs.filter((r) => !finished.has(r.runId));
  // A run killed between writing its result and removing its checkpoint leaves a stale checkpoint.
  const checkpoints = new CheckpointStore(join(out, "checkpoints"));
  for (const r of runs) if (finished.has(r.runId)) checkpoints.remove(r.runId);
  progress.log(`dale-bench ffwd: ${runs.length} runs planned, ${runs.length - todo.length} already in ${join(out, "results.jsonl")}, ${todo.length} to run`);
  if (todo.length === 0) return { ran: 0, skipped: runs.length };

  const dataset = todo[0]!.dataset;
  let data;
  try {
    data = loadDataset(dataset, options.dataDir);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  const task = classificationTask({ numClasses: 10, inputSize: data.train.features, name: dataset });
  const split = trainValidationSplit(data.train, { validationSize: 10_000, seed: 0 });

  let index = 0;
  for (const spec of todo) {
    index++;
    let train: SplitView = spec.evalSplit === "validation" ? split.train : fullView(data.train);
    const evalView: SplitView = spec.evalSplit === "validation" ? split.validation : fullView(data.test);
    if (spec.trainLimit !== null) train = subsetView(train, Math.min(spec.trainLimit, train.count));
    const modelSpec = FFWD_MODEL_SPECS[spec.model];
    const model = buildPaperNetwork({ kind: modelSpec.kind, seed: spec.seed, inputs: data.train.features, inputMean: DATASET_PIXEL_MEANS[dataset] });
    const optimizer = new ProjectedSGD({ learningRate: spec.learningRate, transforms: modelSpec.correction ? [dannUpdateCorrection()] : [] });
    const resumeFrom = checkpoints.load(spec.runId) ?? undefined;
    const updatesPerEpoch = batchCount(train, spec.batchSize, false);
    const startedAt = new Date().toISOString();
    progress.startRun({ index, total: todo.length, spec, updatesPerEpoch, resumedFromEpoch: resumeFrom?.epoch ?? 0 });
    try {
      const result = await trainModel({
        model,
        optimizer,
        task,
        epochs: spec.epochs,
        updatesPerEpoch,
        trainBatches: (epoch) => iterateBatches(train, { batchSize: spec.batchSize, seed: deriveSeed(spec.seed, "batches"), epoch }),
        trainError: spec.trainError,
        trainEvalBatches: () => iterateBatches(train, { batchSize: 1000, seed: 0, epoch: 0, shuffle: false }),
        evaluation: { batches: () => iterateBatches(evalView, { batchSize: 1000, seed: 0, epoch: 0, shuffle: false }), everyUpdates: spec.evalEveryUpdates },
        checkEvery: 50,
        resumeFrom,
        checkpoint: (cp) => {
          checkpoints.save(spec.runId, cp);
          progress.log(`  checkpoint saved after epoch ${cp.epoch}`);
        },
        callbacks: {
          onProgress: (p) => progress.update(p),
          onEpochEnd: (e) => progress.epochEnd(e),
        },
      });
      const record: RunRecord = {
        schema: 1,
        experiment: "ffwd",
        runId: spec.runId,
        dataset: spec.dataset,
        model: spec.model,
        profile: spec.profile,
        seed: spec.seed,
        learningRate: spec.learningRate,
        epochs: spec.epochs,
        batchSize: spec.batchSize,
        evalSplit: spec.evalSplit,
        trainErrorPerEpoch: result.trainErrorPerEpoch,
        evalCurve: result.evalCurve,
        finalTrainError: result.finalTrainError ?? Number.NaN,
        finalEvalError: result.finalEvalError ?? Number.NaN,
        wallSeconds: result.wallSeconds,
        backend: options.backend,
        versions: versions(),
        startedAt,
        finishedAt: new Date().toISOString(),
        ...(result.diverged ? { diverged: { update: result.diverged.update, reason: result.diverged.reason } } : {}),
      };
      appendRecord(out, record);
      checkpoints.remove(spec.runId);
      progress.endRun(record);
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  }
  return { ran: todo.length, skipped: runs.length - todo.length };
}
