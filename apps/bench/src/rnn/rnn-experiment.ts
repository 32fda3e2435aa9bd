import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { deriveSeed } from "@dale-nn/ei-init";
import { buildRecurrentNetwork, type EiRnnKind } from "@dale-nn/ei-layers";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
import { addingProblemSplits, classificationTask, regressionTask, type Task } from "@dale-nn/tasks";
import { trainModel } from "@dale-nn/train";
import { DATASET_PIXEL_MEANS, fullView, iterateBatches, subsetView, type ImageSplit, type SplitView } from "@dale-nn/datasets";
import { loadMnist } from "@dale-nn/datasets/node";
import { CheckpointStore } from "../checkpoint-store.js";

/** The recurrent tasks of Li et al. (2023), Sec. 2.3 / App. 6.2. */
export type RnnTaskName = "adding" | "seqmnist";
export const RNN_TASKS: readonly RnnTaskName[] = ["adding", "seqmnist"];

/** The networks of Fig. 2 A-B: standard RNN, ColEI with and without gradient clipping, DANN. */
export type RnnBenchModel = "rnn" | "colei" | "colei-noclip" | "dann";
export const RNN_BENCH_MODELS: readonly RnnBenchModel[] = ["rnn", "colei", "colei-noclip", "dann"];

const KIND: Record<RnnBenchModel, EiRnnKind> = { rnn: "standard", colei: "colei", "colei-noclip": "colei", dann: "dann" };

/** Task settings (App. 6.2). Clipping thresholds are ours: the paper grid-searched them. */
export interface TaskSettings {
  hidden: number[];
  dense: number[];
  outputs: number;
  steps: number;
  inputs: number;
  learningRate: number;
  /** Multiply the learning rate by `factor` every `every` updates (adding problem: 0.99 / 20). */
  decay: { factor: number; every: number } | null;
  batchSize: number;
}

export const RNN_TASK_SETTINGS: Record<RnnTaskName, TaskSettings> = {
  adding: { hidden: [10], dense: [], outputs: 1, steps: 20, inputs: 2, learningRate: 0.1, decay: { factor: 0.99, every: 20 }, batchSize: 32 },
  seqmnist: { hidden: [100, 100, 100], dense: [100], outputs: 10, steps: 28, inputs: 28, learningRate: 0.01, decay: null, batchSize: 32 },
};

/** Gradient clipping per model (App. 6.3: clipping in all experiments; per-tensor for ColEI, REFERENCE-NOTES). */
export const RNN_CLIPPING: Record<RnnBenchModel, { maxNorm: number; scope: "global" | "per-tensor" } | null> = {
  rnn: { maxNorm: 10, scope: "global" },
  dann: { maxNorm: 10, scope: "global" },
  colei: { maxNorm: 5, scope: "per-tensor" },
  "colei-noclip": null,
};

export interface RnnProfile {
  name: "smoke" | "quick" | "paper";
  epochs: Record<RnnTaskName, number>;
  seeds: number[];
  trainLimit: Record<RnnTaskName, number | null>;
  /** Evaluate on the first N test examples only (smoke); null = all. */
  testLimit: number | null;
  evalEveryUpdates: number;
}

export const RNN_PROFILES: Record<RnnProfile["name"], RnnProfile> = {
  smoke: { name: "smoke", epochs: { adding: 2, seqmnist: 1 }, seeds: [0], trainLimit: { adding: 2000, seqmnist: 2000 }, testLimit: 1000, evalEveryUpdates: 1000 },
  quick: { name: "quick", epochs: { adding: 40, seqmnist: 2 }, seeds: [0], trainLimit: { adding: null, seqmnist: null }, testLimit: null, evalEveryUpdates: 500 },
  paper: { name: "paper", epochs: { adding: 100, seqmnist: 30 }, seeds: [0, 1, 2, 3, 4], trainLimit: { adding: null, seqmnist: null }, testLimit: null, evalEveryUpdates: 200 },
};

/** One finished recurrent run. */
export interface RnnRecord {
  schema: 1;
  experiment: "rnn" | "transplant" | "ei-sweep";
  runId: string;
  task: RnnTaskName;
  /** The network: an RnnBenchModel for "rnn", a configuration label for the other experiments. */
  model: string;
  /** Experiment-specific settings (transplant configuration, E:I ratio, size, NSE at init, ...). */
  variant?: Record<string, string | number | boolean>;
  profile: string;
  seed: number;
  learningRate: number;
  clipping: { maxNorm: number; scope: string } | null;
  epochs: number;
  batchSize: number;
  metric: string;
  trainErrorPerEpoch: number[];
  evalCurve: Array<{ update: number; error: number }>;
  finalTrainError: number | null;
  finalEvalError: number | null;
  wallSeconds: number;
  backend: string;
  versions: Record<string, string>;
  finishedAt: string;
  diverged?: { update: number; reason: string };
}

export function readRnnRecords(out: string): RnnRecord[] {
  const file = join(out, "results.jsonl");
  if (!existsSync(file)) return [];
  const records = new Map<string, RnnRecord>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as RnnRecord;
      if (r.experiment === "rnn" || r.experiment === "transplant" || r.experiment === "ei-sweep") records.set(r.runId, r);
    } catch {
      // A line cut by a killed process: that run is simply run again.
    }
  }
  return [...records.values()];
}

export interface TaskData {
  task: Task;
  train: SplitView;
  test: SplitView;
}

export function taskData(name: RnnTaskName, profile: RnnProfile): TaskData {
  const s = RNN_TASK_SETTINGS[name];
  let train: SplitView;
  let test: SplitView;
  let task: Task;
  if (name === "adding") {
    const splits = addingProblemSplits({ seed: 0, length: s.steps });
    train = fullView(splits.train);
    test = fullView(splits.test);
    task = regressionTask({ name: "adding problem", inputSize: s.steps * s.inputs, inputShape: [s.steps, s.inputs] });
  } else {
    const data = loadMnist();
    train = fullView(data.train as ImageSplit);
    test = fullView(data.test as ImageSplit);
    task = classificationTask({ name: "sequential MNIST", numClasses: 10, inputSize: 784, inputShape: [28, 28] });
  }
  const limit = profile.trainLimit[name];
  if (limit !== null) train = subsetView(train, Math.min(limit, train.count));
  if (profile.testLimit !== null) test = subsetView(test, Math.min(profile.testLimit, test.count));
  return { task, train, test };
}

/**
 * Trains one recurrent network on a task with projected SGD (clipping, DANN correction and learning-rate
 * decay as given), appends its record to `<out>/results.jsonl`, and removes its checkpoint.
 */
export async function trainAndRecord(o: {
  experiment: RnnRecord["experiment"];
  runId: string;
  taskName: RnnTaskName;
  label: string;
  seed: number;
  model: ReturnType<typeof buildRecurrentNetwork>;
  clipping: { maxNorm: number; scope: "global" | "per-tensor" } | null;
  correction: boolean;
  settings: TaskSettings;
  profile: RnnProfile;
  data: TaskData;
  out: string;
  backend: string;
  checkpoints: CheckpointStore;
  log: (line: string) => void;
  variant?: Record<string, string | number | boolean>;
}): Promise<RnnRecord> {
  const { settings, profile, data, model, clipping, log } = o;
  const optimizer = new ProjectedSGD({
    learningRate: settings.learningRate,
    transforms: o.correction ? [dannUpdateCorrection()] : [],
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
      trainError: "running",
      evaluation: { batches: () => iterateBatches(data.test, { batchSize: 1000, shuffle: false }), everyUpdates: profile.evalEveryUpdates },
      checkEvery: settings.decay?.every ?? 20,
      resumeFrom: o.checkpoints.load(o.runId) ?? undefined,
      checkpoint: (cp) => o.checkpoints.save(o.runId, cp),
      callbacks: {
        onProgress: ({ update }) => {
          if (settings.decay) optimizer.learningRate = settings.learningRate * Math.pow(settings.decay.factor, Math.floor(update / settings.decay.every));
        },
        onEpochEnd: (e) => log(`    epoch ${e.epoch}: train ${data.task.metricName} ${e.trainError.toFixed(4)}, loss ${e.meanLoss.toFixed(4)}, ${e.seconds.toFixed(1)} s`),
      },
    });
    const record: RnnRecord = {
      schema: 1, experiment: o.experiment, runId: o.runId, task: o.taskName, model: o.label, ...(o.variant ? { variant: o.variant } : {}),
      profile: profile.name, seed: o.seed, learningRate: settings.learningRate, clipping, epochs, batchSize: settings.batchSize,
      metric: data.task.metricName, trainErrorPerEpoch: result.trainErrorPerEpoch, evalCurve: result.evalCurve,
      finalTrainError: result.finalTrainError, finalEvalError: result.finalEvalError, wallSeconds: result.wallSeconds, backend: o.backend,
      versions: { node: process.version, tfjs: tf.version.tfjs }, finishedAt: new Date().toISOString(),
      ...(result.diverged ? { diverged: { update: result.diverged.update, reason: result.diverged.reason } } : {}),
    };
    const file = join(o.out, "results.jsonl");
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    appendFileSync(file, `${text.length > 0 && !text.endsWith("\n") ? "\n" : ""}${JSON.stringify(record)}\n`);
    o.checkpoints.remove(o.runId);
    log(`    final test ${data.task.metricName} ${record.finalEvalError?.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)${record.diverged ? ` DIVERGED: ${record.diverged.reason}` : ""}`);
    return record;
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

/** Runs every (task, model, seed) of the profile not yet in `<out>/results.jsonl`. */
export async function runRnnExperiment(options: {
  tasks: readonly RnnTaskName[];
  models: readonly RnnBenchModel[];
  profile: RnnProfile;
  out: string;
  backend: string;
  log: (line: string) => void;
}): Promise<RnnRecord[]> {
  const { profile, out, log } = options;
  mkdirSync(out, { recursive: true });
  const done = new Set(readRnnRecords(out).map((r) => r.runId));
  const checkpoints = new CheckpointStore(join(out, "checkpoints"));
  for (const taskName of options.tasks) {
    const settings = RNN_TASK_SETTINGS[taskName];
    const runs = options.models.flatMap((model) => profile.seeds.map((seed) => ({ model, seed, runId: `rnn/${taskName}/${model}/${profile.name}/seed=${seed}` })));
    const todo = runs.filter((r) => !done.has(r.runId));
    log(`dale-bench rnn ${taskName}: ${runs.length} runs, ${runs.length - todo.length} already done`);
    if (todo.length === 0) continue;
    const data = taskData(taskName, profile);
    for (const run of todo) {
      const model = buildRecurrentNetwork({
        kind: KIND[run.model],
        seed: deriveSeed(run.seed, "rnn", taskName),
        steps: settings.steps,
        inputs: settings.inputs,
        hidden: settings.hidden,
        dense: settings.dense,
        outputs: settings.outputs,
        inhibitoryFraction: 0.1,
        inputMean: taskName === "seqmnist" ? DATASET_PIXEL_MEANS.mnist : 0.25,
      });
      const clipping = RNN_CLIPPING[run.model];
      await trainAndRecord({
        experiment: "rnn", runId: run.runId, taskName, label: run.model, seed: run.seed, model, clipping,
        correction: run.model === "dann", settings, profile, data, out, backend: options.backend, checkpoints, log,
      });
    }
  }
  return readRnnRecords(out);
}

function meanStd(xs: number[]): string {
  if (xs.length === 0) return "—";
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length === 1) return m.toFixed(4);
  const s = Math.sqrt(xs.reduce((a, v) => a + (v - m) ** 2, 0) / (xs.length - 1));
  return `${m.toFixed(4)} ± ${s.toFixed(4)}`;
}

/** Writes `report.md` and one test-metric curve SVG per task. */
export async function writeRnnReport(out: string, records: RnnRecord[]): Promise<string> {
  const lines = [
    "# Recurrent E/I networks (Li et al. 2023, Fig. 2 A-B)",
    "",
    "Final test metric after the profile's epochs (adding problem: MSE, predicting 1 gives ≈ 0.167; sequential MNIST: error rate), mean ± std over seeds. Clipping thresholds are ours (the paper grid-searched them): global norm 10 for the RNN and DANN, per-tensor norm 5 for ColEI.",
    "",
  ];
  for (const task of RNN_TASKS) {
    const rs = records.filter((r) => r.task === task);
    if (rs.length === 0) continue;
    lines.push(`## ${task === "adding" ? "Adding problem (T = 20, 10 units)" : "Sequential MNIST (28 x 28, 3 x 100 units)"}`, "", `![test curve](test-${task}.svg)`, "", "| model | seeds | epochs | final train | final test | wall time / run |", "| --- | --- | --- | --- | --- | --- |");
    for (const model of RNN_BENCH_MODELS) {
      const m = rs.filter((r) => r.model === model);
      if (m.length === 0) continue;
      const fin = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null && Number.isFinite(x));
      lines.push(
        `| ${model} | ${m.length} | ${m[0]!.epochs} | ${meanStd(fin(m.map((r) => r.finalTrainError)))} | ${meanStd(fin(m.map((r) => r.finalEvalError)))} | ${(m.reduce((a, r) => a + r.wallSeconds, 0) / m.length).toFixed(0)} s |`,
      );
    }
    lines.push("");
    const points = rs.flatMap((r) => r.evalCurve.map((p) => ({ model: r.model, seed: r.seed, update: p.update, error: Math.max(p.error, 1e-6) })));
    const spec: TopLevelSpec = {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      title: { text: `${task === "adding" ? "Adding problem: test MSE" : "Sequential MNIST: test error"} vs updates`, subtitle: "mean over seeds" },
      width: 520,
      height: 300,
      data: { values: points },
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "update", type: "quantitative", title: "updates" },
        y: { aggregate: "mean", field: "error", type: "quantitative", scale: { type: "log" }, title: task === "adding" ? "test MSE (log scale)" : "test error (log scale)" },
        color: { field: "model", type: "nominal", sort: [...RNN_BENCH_MODELS] },
      },
    };
    const svg = await new View(parse(compile(spec).spec), { renderer: "none" }).toSVG();
    writeFileSync(join(out, `test-${task}.svg.tmp`), svg);
    renameSync(join(out, `test-${task}.svg.tmp`), join(out, `test-${task}.svg`));
  }
  const path = join(out, "report.md");
  writeFileSync(`${path}.tmp`, `${lines.join("\n")}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}
