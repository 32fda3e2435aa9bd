import { resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "@dale-nn/ei-init";
import { buildPaperNetwork } from "@dale-nn/ei-layers";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
import { classificationTask, type Task } from "@dale-nn/tasks";
import { trainModel } from "@dale-nn/train";
import { DATASET_PIXEL_MEANS, fullView, iterateBatches, subsetView, trainValidationSplit, batchCount, type SplitView } from "@dale-nn/datasets";
import { loadDataset } from "@dale-nn/datasets/node";
import type { Experiment } from "../../runner/experiment.js";
import { integerFlag, listOf, oneOf } from "../../runner/flag-values.js";
import { runEnvironment } from "../../runner/run-environment.js";
import { UserError } from "../../user-error.js";
import { FFWD_DATASETS, FFWD_MODEL_SPECS, FFWD_MODELS, TABLE_MODELS, type FfwdDataset, type FfwdModel } from "./ffwd-models.js";
import { FFWD_PROFILES, type FfwdProfile } from "./ffwd-profiles.js";
import { planFfwdRuns, SEARCH_RANGE, type FfwdRunSpec } from "./plan-ffwd-runs.js";
import type { RunRecord } from "./report/run-record.js";
import { validateRunRecord } from "./report/internal/validate-run-record.js";
import { writeReport } from "./report/write-report.js";
import { UpdateControlMonitor, updateControlOptions } from "./update-control.js";

/** Options of `dale-bench ffwd` (JSON: stored in experiment.json). */
export type FfwdOptions = {
  dataset: FfwdDataset;
  models: FfwdModel[];
  profile: FfwdProfile["name"];
  epochs: number | null;
  trainLimit: number | null;
  dataDir: string | null;
  /** --search N: the learning-rate search (a shorthand for --sweep lr=log-uniform:1e-5:10:N). */
  search: number | null;
  /** One sweep point: a search trial, or a fixed learning rate. */
  searchTrial: { trial: number; trials: number; low: number; high: number } | null;
  learningRate: number | null;
  /** --dann-first-layer: the DANN models' first-layer init (absent in older experiment.json files: "paper"). */
  dannFirstLayerInit?: "paper" | "reference-first-layer";
  /** --seeds N: seeds 0 .. N − 1 instead of the profile's (absent in older experiment.json files: the profile's). */
  seeds?: number;
  /** --train-error: the train error's definition when not the profile's (absent: the profile's). */
  trainError?: FfwdProfile["trainError"];
  /** --norm-layers all: the LayerNorm / BatchNorm MLPs normalise their logits too (absent: hidden layers only, the paper's). */
  normaliseOutput?: true;
  /** --mlp-first-layer reference: the MLP kinds' first layer with the reference code's gain 1 (absent: the paper's He init). */
  mlpFirstLayerInit?: "reference-first-layer";
};

/** The dataset, loaded once per process, with its validation split. */
interface FfwdData {
  task: Task;
  train: SplitView;
  test: SplitView;
  features: number;
  validation: () => { train: SplitView; validation: SplitView };
}

/** The profile with the command-line overrides (they become part of the profile label, and so of the run ids). */
export function ffwdProfile(o: FfwdOptions): FfwdProfile {
  let profile = FFWD_PROFILES[o.profile];
  if (o.epochs !== null) profile = { ...profile, epochs: o.epochs, label: `${profile.label}+epochs=${o.epochs}` };
  if (o.trainLimit !== null) profile = { ...profile, trainLimit: o.trainLimit, label: `${profile.label}+train=${o.trainLimit}` };
  if (o.dannFirstLayerInit === "reference-first-layer") profile = { ...profile, dannFirstLayerInit: "reference-first-layer", label: `${profile.label}+dann-first-layer=reference` };
  if (o.mlpFirstLayerInit === "reference-first-layer") profile = { ...profile, mlpFirstLayerInit: "reference-first-layer", label: `${profile.label}+mlp-first-layer=reference` };
  if (o.normaliseOutput) profile = { ...profile, normaliseOutput: true, label: `${profile.label}+norm-output` };
  if (o.trainError !== undefined && o.trainError !== profile.trainError) profile = { ...profile, trainError: o.trainError, label: `${profile.label}+train-error=${o.trainError}` };
  // Not in the label: a run's id already names its seed, so extra seeds join the profile's group
  // (seeds 0-5 of the paper profile and seeds 6-11 are the same protocol).
  if (o.seeds !== undefined) profile = { ...profile, seeds: Array.from({ length: o.seeds }, (_, i) => i) };
  return profile;
}

/**
 * The validation split of the search: 10k images as in the paper, or a sixth of a smaller
 * training set (so a 600-image dataset gets 100).
 */
export function validationSize(trainCount: number): number {
  return Math.min(10_000, Math.floor(trainCount / 6));
}

/** `dale-bench ffwd`: the feedforward models of Cornford et al. (2021), Sec. 5 and Tables 1-3. */
export const ffwdExperiment: Experiment<FfwdOptions, FfwdRunSpec, RunRecord, FfwdData> = {
  name: "ffwd",
  summary: "Cornford et al. (2021) Tables 1-3: MLP, LayerNorm, BatchNorm, DANN (and variants), ColumnEi on MNIST / Fashion / K-MNIST",
  help: `Trains the feedforward models (${FFWD_MODELS.join(", ")}) with the paper's learning rates (default: the models of the dataset's table: MNIST ${TABLE_MODELS.mnist.join(", ")}; Fashion-MNIST and K-MNIST ${TABLE_MODELS.fashion.join(", ")}; --models all for all ${FFWD_MODELS.length}; dann-gradnorm and dann-lrscale are Supp. Fig. 5's DANNs with gradient normalisation (Alg. 5, M = 2 per layer) and learning-rate scaling (Alg. 6, cosine >= 0.999, rates halved up to 4 times), at DANN's rate). Profiles: headline (2 epochs, one seed, MLP / DANN / DANN without correction / ColumnEi: the paper's headline in a few minutes with OpenBLAS; what \`npm run bench\` runs), smoke (1 epoch on 6,000 images, minutes), quick (3 epochs, 1 seed), paper (50 epochs, 6 seeds). --search N runs the paper's learning-rate search instead: N log-uniform rates in [1e-5, 10] per model, 3 seeds each, scored on a validation split (10k, or a sixth of a smaller training set).`,
  trains: true,
  profiles: Object.keys(FFWD_PROFILES),
  flags: {
    dataset: { type: "string", value: FFWD_DATASETS.join("|"), default: "mnist", description: "the dataset" },
    "data-dir": { type: "string", value: "DIR", description: "a folder with the four IDX files (needed for kmnist)" },
    profile: { type: "string", value: Object.keys(FFWD_PROFILES).join("|"), default: "smoke", description: "epochs, seeds, data limit" },
    models: { type: "string", value: "m1,m2|all", description: "a subset of the models (a model named twice trains once)" },
    search: { type: "string", value: "N", description: "learning-rate search: N log-uniform rates x 3 seeds on the validation split" },
    epochs: { type: "string", value: "N", description: "override the profile's epochs (recorded in the run ids)" },
    "train-limit": { type: "string", value: "N", description: "train on the first N images (recorded in the run ids)" },
    seeds: { type: "string", value: "N", description: "seeds 0 .. N-1 instead of the profile's (e.g. 12 adds seeds 6-11 to the paper profile's 0-5; runs already done are kept)" },
    "train-error": {
      type: "string", value: "full-pass|running",
      description: "the train error per epoch: a pass over the training set after the epoch (the paper profile's), or the mean of the epoch's own mini-batch errors while it trains (the reference code's; recorded in the run ids when not the profile's)",
    },
    "norm-layers": {
      type: "string", value: "hidden|all", default: "hidden",
      description: "the LayerNorm and BatchNorm MLPs normalise their hidden layers (the paper's), or all layers, the output logits too (the public reference code's build_densenet; recorded in the run ids; those two models only)",
    },
    "mlp-first-layer": {
      type: "string", value: "paper|reference", default: "paper",
      description: "the MLP models' first-layer init: He-normal std sqrt(2/d) (the paper's) or the public reference code's gain 1, std sqrt(1/d) (recorded in the run ids; mlp, layernorm-mlp, batchnorm-mlp only)",
    },
    "dann-first-layer": {
      type: "string", value: "paper|reference", default: "paper",
      description: "the DANN models' first-layer init: the paper's (App. D) or the public reference code's sqrt(1/(2d)) scale (recorded in the run ids; DANN models only)",
    },
  },
  parse(v) {
    const dataset = oneOf("--dataset", (v.dataset as string | undefined) ?? "mnist", FFWD_DATASETS);
    const profile = oneOf("--profile", (v.profile as string | undefined) ?? "smoke", Object.keys(FFWD_PROFILES) as Array<FfwdProfile["name"]>);
    const models = v.models === undefined ? [...(FFWD_PROFILES[profile].models ?? TABLE_MODELS[dataset])] : v.models === "all" ? [...FFWD_MODELS] : listOf("--models", v.models as string, FFWD_MODELS);
    const dataDir = v["data-dir"] as string | undefined;
    if (dataDir !== undefined && dataDir.trim() === "") throw new UserError(`--data-dir must be a folder path; got ""`);
    const firstLayer = oneOf("--dann-first-layer", (v["dann-first-layer"] as string | undefined) ?? "paper", ["paper", "reference"] as const);
    const notDann = models.filter((m) => !FFWD_MODEL_SPECS[m].kind.startsWith("dann"));
    if (firstLayer === "reference" && notDann.length > 0) {
      throw new UserError(`--dann-first-layer reference changes only the DANN models (dann, dann-nc, dann-1i); got --models including ${notDann.join(", ")}`);
    }
    const normLayers = oneOf("--norm-layers", (v["norm-layers"] as string | undefined) ?? "hidden", ["hidden", "all"] as const);
    const notNormalised = models.filter((m) => FFWD_MODEL_SPECS[m].kind !== "layernorm-mlp" && FFWD_MODEL_SPECS[m].kind !== "batchnorm-mlp");
    if (normLayers === "all" && notNormalised.length > 0) {
      throw new UserError(`--norm-layers all changes only the normalised MLPs (layernorm-mlp, batchnorm-mlp); got --models including ${notNormalised.join(", ")}`);
    }
    const mlpFirstLayer = oneOf("--mlp-first-layer", (v["mlp-first-layer"] as string | undefined) ?? "paper", ["paper", "reference"] as const);
    const notMlp = models.filter((m) => !["mlp", "layernorm-mlp", "batchnorm-mlp"].includes(FFWD_MODEL_SPECS[m].kind));
    if (mlpFirstLayer === "reference" && notMlp.length > 0) {
      throw new UserError(`--mlp-first-layer reference changes only the MLP models (mlp, layernorm-mlp, batchnorm-mlp); got --models including ${notMlp.join(", ")}`);
    }
    return {
      dataset, models, profile,
      epochs: v.epochs === undefined ? null : integerFlag("--epochs", v.epochs as string),
      trainLimit: v["train-limit"] === undefined ? null : integerFlag("--train-limit", v["train-limit"] as string),
      dataDir: dataDir === undefined ? null : resolve(dataDir),
      search: v.search === undefined ? null : integerFlag("--search", v.search as string),
      searchTrial: null,
      learningRate: null,
      ...(firstLayer === "reference" ? { dannFirstLayerInit: "reference-first-layer" as const } : {}),
      ...(v.seeds === undefined ? {} : { seeds: integerFlag("--seeds", v.seeds as string) }),
      ...(normLayers === "all" ? { normaliseOutput: true as const } : {}),
      ...(mlpFirstLayer === "reference" ? { mlpFirstLayerInit: "reference-first-layer" as const } : {}),
      ...(v["train-error"] === undefined ? {} : { trainError: oneOf("--train-error", v["train-error"] as string, ["full-pass", "running"] as const) }),
    };
  },
  defaultOut: (o) => `results/ffwd-${o.dataset}-${o.search ? "search-" : ""}${o.profile}`,
  impliedSweep: (o) => (o.search ? [`lr=log-uniform:${SEARCH_RANGE.low}:${SEARCH_RANGE.high}:${o.search}`] : []),
  sweep: {
    lr: {
      description: "learning rate: a list (test split), or log-uniform:LOW:HIGH:N, N search trials per model x 3 seeds on the validation split (--search N)",
      kinds: ["list", "log-uniform"],
      apply: (o, v) =>
        v.kind === "list"
          ? { ...o, learningRate: v.value, searchTrial: null }
          : { ...o, learningRate: null, searchTrial: { trial: v.trial, trials: v.trials, low: v.low, high: v.high } },
    },
  },
  plan(o) {
    if (o.learningRate !== null && !(o.learningRate > 0)) throw new UserError(`--sweep lr values must be > 0; got ${o.learningRate}`);
    const base = { dataset: o.dataset, models: o.models, profile: ffwdProfile(o) };
    const runs = o.searchTrial
      ? planFfwdRuns({ ...base, search: o.searchTrial.trials, trials: [o.searchTrial.trial], range: o.searchTrial })
      : planFfwdRuns({ ...base, ...(o.learningRate !== null ? { learningRate: o.learningRate } : {}) });
    return runs.map((spec) => ({ runId: spec.runId, settings: spec }));
  },
  prepare(o) {
    let data;
    try {
      data = loadDataset(o.dataset, o.dataDir ?? undefined);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    let split: ReturnType<typeof trainValidationSplit> | null = null;
    return {
      task: classificationTask({ numClasses: 10, inputSize: data.train.features, name: o.dataset }),
      train: fullView(data.train),
      test: fullView(data.test),
      features: data.train.features,
      validation: () => {
        const size = validationSize(data.train.count);
        if (size < 1) throw new UserError(`--search needs a training set of at least 6 images for a validation split; ${o.dataset} has ${data.train.count}`);
        return (split ??= trainValidationSplit(data.train, { validationSize: size, seed: 0 }));
      },
    };
  },
  async runOne(run, context) {
    const spec = run.settings;
    const data = context.prepared;
    const { progress } = context;
    let train: SplitView = spec.evalSplit === "validation" ? data.validation().train : data.train;
    const evalView: SplitView = spec.evalSplit === "validation" ? data.validation().validation : data.test;
    if (spec.trainLimit !== null) train = subsetView(train, Math.min(spec.trainLimit, train.count));
    const modelSpec = FFWD_MODEL_SPECS[spec.model];
    const model = buildPaperNetwork({
      kind: modelSpec.kind, seed: spec.seed, inputs: data.features, inputMean: DATASET_PIXEL_MEANS[spec.dataset], dannFirstLayerInit: spec.dannFirstLayerInit ?? "paper",
      normaliseOutput: spec.normaliseOutput ?? false,
      mlpFirstLayerInit: spec.mlpFirstLayerInit ?? "paper",
    });
    // Supp. Fig. 5's variants: the control, and a monitor after the correction counting how often it engages.
    const monitor = modelSpec.control ? new UpdateControlMonitor(modelSpec.control, 50) : null;
    const optimizer = new ProjectedSGD({
      learningRate: spec.learningRate,
      transforms: [...(modelSpec.correction ? [dannUpdateCorrection()] : []), ...(monitor ? [monitor.transform] : [])],
      ...(modelSpec.control ? updateControlOptions(modelSpec.control) : {}),
    });
    monitor?.watch(optimizer);
    const resumeFrom = context.resumeFrom;
    const updatesPerEpoch = batchCount(train, spec.batchSize, false);
    const startedAt = new Date().toISOString();
    const resumed = resumeFrom?.epoch ?? 0;
    progress.startRun({
      line:
        `[${context.index}/${context.total}] ${spec.model} seed ${spec.seed} lr ${spec.learningRate} (${spec.learningRateSource}), ${spec.epochs} epoch(s) x ${updatesPerEpoch} updates` +
        (resumed ? `, resuming after epoch ${resumed}` : ""),
      totalUpdates: spec.epochs * updatesPerEpoch,
      doneUpdates: resumed * updatesPerEpoch,
      batchSize: spec.batchSize,
    });
    try {
      const result = await trainModel({
        model,
        optimizer,
        task: data.task,
        epochs: spec.epochs,
        updatesPerEpoch,
        trainBatches: (epoch) => iterateBatches(train, { batchSize: spec.batchSize, seed: deriveSeed(spec.seed, "batches"), epoch }),
        trainError: spec.trainError,
        trainEvalBatches: () => iterateBatches(train, { batchSize: 1000, seed: 0, epoch: 0, shuffle: false }),
        evaluation: { batches: () => iterateBatches(evalView, { batchSize: 1000, seed: 0, epoch: 0, shuffle: false }), everyUpdates: spec.evalEveryUpdates },
        checkEvery: 50,
        resumeFrom,
        checkpoint: (cp) => {
          context.saveCheckpoint(cp);
          progress.log(`  checkpoint saved after epoch ${cp.epoch}`);
        },
        callbacks: {
          onProgress: (p) => progress.update(p),
          onEpochEnd: (e) => progress.log(`  epoch ${e.epoch}: train error ${(100 * e.trainError).toFixed(2)}%, mean loss ${e.meanLoss.toFixed(4)}, ${e.seconds.toFixed(1)} s`),
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
        backend: context.backend,
        versions: runEnvironment(),
        startedAt,
        finishedAt: new Date().toISOString(),
        ...(result.diverged ? { diverged: { update: result.diverged.update, reason: result.diverged.reason } } : {}),
        ...(monitor ? { updateControl: monitor.record() } : {}),
      };
      const what = record.diverged
        ? `DIVERGED: ${record.diverged.reason}`
        : `final ${record.evalSplit} error ${(100 * record.finalEvalError).toFixed(2)}%, train error ${(100 * record.finalTrainError).toFixed(2)}%` +
        (record.updateControl ? `, ${record.updateControl.control.kind} changed ${(100 * record.updateControl.engagedFraction).toFixed(1)}% of sampled layer steps` : "");
      progress.endRun(`  ${record.model} seed ${record.seed}: ${what} (${record.wallSeconds.toFixed(0)} s)`);
      return record;
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  },
  validateRecord: (value, where) => validateRunRecord(value, where),
  async report(out) {
    try {
      const r = await writeReport(out);
      return [r.markdownPath, ...r.plotPaths];
    } catch (e) {
      throw new UserError((e as Error).message);
    }
  },
};
