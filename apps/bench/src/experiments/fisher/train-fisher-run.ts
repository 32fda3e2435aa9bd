import { checkpointSidecar } from "../../runner/checkpoint-sidecar.js";
import * as tf from "@tensorflow/tfjs";
import { parameterMeta } from "@dale-nn/core";
import { batchCount, iterateBatches, subsetView, type SplitView } from "@dale-nn/datasets";
import { createRandomSource, deriveSeed, type RandomSource } from "@dale-nn/ei-init";
import { buildPaperNetwork } from "@dale-nn/ei-layers";
import { dannStackFisherDiagonal, DiagonalFisherPreconditioner, type LayerAlignment } from "@dale-nn/fisher-correction";
import { dannFisherLayers } from "./dann-fisher-layers.js";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
import type { Task } from "@dale-nn/tasks";
import { trainModel, type TrainCheckpoint } from "@dale-nn/train";
import type { RunContext } from "../../runner/experiment.js";
import { runEnvironment } from "../../runner/run-environment.js";
import { parseAlignmentSeries, seriesUpTo, summariseAlignment, type AlignmentSample } from "./alignment-series.js";
import { fisherStepWithAlignment } from "./fisher-step-with-alignment.js";
import type { FisherSettings } from "./fisher-options.js";
import { REFERENCE_FISHER } from "./fisher-profiles.js";
import type { FisherLayerRecord, FisherRecord } from "./fisher-record.js";

/** MNIST, loaded once per process. */
export interface FisherData {
  task: Task;
  train: SplitView;
  test: SplitView;
}

/** The names under which the preconditioner's state rides in a checkpoint's optimizer weights. */
const FISHER_PREFIX = "diagonal-fisher/";
const OBSERVATIONS = `${FISHER_PREFIX}observations`;

/**
 * A random source for the sampled Fisher targets whose stream restarts at every update from
 * deriveSeed(seed, "fisher-targets", update): the targets of an update depend only on the seed and
 * the update, so a run resumed from a checkpoint draws what an uninterrupted one draws.
 */
function perUpdateSource(seed: number): RandomSource & { at(update: number): void } {
  let current = createRandomSource(deriveSeed(seed, "fisher-targets", 0));
  return {
    seed,
    at(update) {
      current = createRandomSource(deriveSeed(seed, "fisher-targets", update));
    },
    uniform: () => current.uniform(),
    normal: () => current.normal(),
    exponential: (scale) => current.exponential(scale),
    integer: (n) => current.integer(n),
    categorical: (p) => current.categorical(p),
    derive: (label) => current.derive(label),
  };
}

/** The checkpoint with the preconditioner's state (observation count, F_t per variable by position) appended to its optimizer weights. */
function withFisherState(cp: TrainCheckpoint, fisher: DiagonalFisherPreconditioner, variables: readonly tf.Variable[]): TrainCheckpoint {
  const state = fisher.getState();
  try {
    const extra = variables.map((v, i) => {
      const f = state.fisher[v.name];
      if (f === undefined) throw new Error(`fisher: no Fisher diagonal for ${v.name} after ${state.observations} observation(s)`);
      return { name: `${FISHER_PREFIX}${i}`, shape: [...f.shape], values: Float32Array.from(f.dataSync()) };
    });
    return { ...cp, optimizerWeights: [...cp.optimizerWeights, { name: OBSERVATIONS, shape: [], values: Float32Array.of(state.observations) }, ...extra] };
  } finally {
    tf.dispose(Object.values(state.fisher));
  }
}

/**
 * Takes the preconditioner's state out of a checkpoint written by {@link withFisherState} and
 * restores it; returns the checkpoint without it (what the optimizer's setWeights expects), or a
 * reason why the checkpoint does not hold a usable state.
 */
function restoreFisherState(cp: TrainCheckpoint, fisher: DiagonalFisherPreconditioner, variables: readonly tf.Variable[]): TrainCheckpoint | string {
  const own = new Map(cp.optimizerWeights.filter((w) => w.name.startsWith(FISHER_PREFIX)).map((w) => [w.name, w]));
  const observations = own.get(OBSERVATIONS)?.values[0];
  if (observations === undefined) return "it holds no diagonal-Fisher state";
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const [i, v] of variables.entries()) {
      const w = own.get(`${FISHER_PREFIX}${i}`);
      if (w === undefined) return `it holds no Fisher diagonal for variable ${i} (${v.name})`;
      tensors[v.name] = tf.tensor(w.values, w.shape, "float32");
    }
    try {
      fisher.setState({ observations, fisher: tensors });
    } catch (e) {
      return (e as Error).message;
    }
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { ...cp, optimizerWeights: cp.optimizerWeights.filter((w) => !w.name.startsWith(FISHER_PREFIX)) };
}

/** The network's layers in order, from the meta of its variables: name, d, n_e, n_i. */
function layersOf(variables: readonly tf.Variable[]): Array<{ name: string; inputs: number; units: number; inhibitory: number }> {
  const layers: Array<{ name: string; inputs: number; units: number; inhibitory: number }> = [];
  for (const v of variables) {
    const meta = parameterMeta(v.name);
    if (meta === undefined || layers.some((l) => l.name === meta.layer)) continue;
    layers.push({ name: meta.layer, inputs: meta.sizes?.d ?? 0, units: meta.sizes?.ne ?? 0, inhibitory: meta.sizes?.ni ?? 0 });
  }
  return layers;
}

const fmt = (x: number | null | undefined): string => (typeof x === "number" ? x.toFixed(3) : "n/a");

/**
 * Trains one DANN on MNIST with the Fisher-corrected gradients of Cornford et al. (2021), App. E.3
 * Alg. 4 (projected SGD on Δθ = F*∇θ, the reference code's constants) and records, per layer, the
 * cosine of the Fisher-corrected gradient with the raw gradient and with Alg. 3's heuristically
 * corrected one every `alignEvery` updates (Fig. 2). Each update: `trainModel`'s `beforeUpdate`
 * hook lets the preconditioner observe the batch (targets sampled from the model's softmax), then
 * `ProjectedSGD`'s only transform, {@link fisherStepWithAlignment}, preconditions the gradients
 * and measures the alignment. Checkpoints every epoch carry the preconditioner's F_t (in the
 * optimizer weights) and, beside them, the per-update series, so a resumed run records the same
 * series as an uninterrupted one.
 *
 * @returns the run's record
 */
export async function trainFisherRun(s: FisherSettings, context: RunContext<FisherData>): Promise<FisherRecord> {
  const data = context.prepared;
  const { progress, log } = context;
  const train = s.trainLimit === null ? data.train : subsetView(data.train, Math.min(s.trainLimit, data.train.count));
  const test = s.testLimit === null ? data.test : subsetView(data.test, Math.min(s.testLimit, data.test.count));
  const model = buildPaperNetwork({ kind: s.model, seed: s.seed, inputs: data.train.split.features, ...(s.network ? { hidden: s.network.hidden, inhibitory: s.network.inhibitory } : {}) });
  const variables = model.trainableWeights.map((lv) => lv.read() as tf.Variable);
  const layers = layersOf(variables);
  const layerIndex = new Map(layers.map((l, i) => [l.name, i]));
  const source = perUpdateSource(s.seed);
  // One forward and one backward pass per estimate for the DANN stacks of Fig. 2, instead of 250
  // single-example backward passes (same F̂, same sampled targets).
  const stack = dannFisherLayers(model);
  const fisher = new DiagonalFisherPreconditioner({
    logits: (x) => model.apply(x) as tf.Tensor2D,
    ...(stack === null ? {} : { estimate: (x: tf.Tensor2D, rng: RandomSource, lambda: number) => dannStackFisherDiagonal({ layers: stack, x, rng, lambda }) }),
    variables,
    seed: source,
    lambda: REFERENCE_FISHER.lambda,
    momentum: REFERENCE_FISHER.momentum,
    eps: REFERENCE_FISHER.eps,
    normaliseByEENorm: REFERENCE_FISHER.normalise,
  });
  let samples: AlignmentSample[] = [];
  /** The update being made (1-based), set before its step. */
  let current = 0;
  const toSample = (alignments: readonly LayerAlignment[]): AlignmentSample => {
    const raw: Array<number | null> = layers.map(() => null);
    const corrected: Array<number | null> = layers.map(() => null);
    for (const a of alignments) {
      const i = layerIndex.get(a.layer);
      if (i === undefined) continue;
      raw[i] = Number.isFinite(a.rawCosine) ? a.rawCosine : null;
      corrected[i] = Number.isFinite(a.correctedCosine) ? a.correctedCosine : null;
    }
    return { update: current, raw, corrected };
  };
  const step = fisherStepWithAlignment({ fisher, shouldRecord: () => current % s.alignEvery === 0, onAlignment: (a) => samples.push(toSample(a)) });
  const optimizer = new ProjectedSGD({ learningRate: s.learningRate, transforms: [step] });
  // The per-update series up to the last checkpoint rides beside it (the checkpoint format has no room for it).
  const seriesFile = checkpointSidecar<AlignmentSample[]>(context.out, s.runId, "alignment");
  const seriesPath = seriesFile.path;
  const updatesPerEpoch = batchCount(train, s.batchSize, false);
  try {
    let resumeFrom: TrainCheckpoint | undefined;
    const cp = context.resumeFrom;
    if (cp) {
      let reason: string;
      let series: AlignmentSample[] | string;
      try {
        series = seriesFile.read((text) => seriesUpTo(parseAlignmentSeries(text, layers.length), cp.update, s.alignEvery)) ?? "it is missing";
      } catch (e) {
        series = (e as Error).message;
      }
      if (typeof series === "string") reason = `its alignment series ${seriesPath} cannot be used: ${series}`;
      else {
        const restored = restoreFisherState(cp, fisher, variables);
        if (typeof restored === "string") reason = `its checkpoint cannot be used: ${restored}`;
        else {
          resumeFrom = restored;
          samples = series;
          reason = "";
        }
      }
      if (resumeFrom === undefined) {
        log(`  ${s.runId}: cannot continue the Fisher run exactly (${reason}); it starts over from its first epoch`);
        fisher.setState({ observations: 0, fisher: {} });
      }
    }
    if (resumeFrom === undefined) seriesFile.remove();
    const resumed = resumeFrom?.epoch ?? 0;
    const startedAt = new Date().toISOString();
    progress.startRun({
      line:
        `[${context.index}/${context.total}] fisher ${s.model} seed ${s.seed}: ${s.epochs} epoch(s) x ${updatesPerEpoch} updates of ${s.batchSize}, ` +
        `Fisher-corrected SGD lr ${s.learningRate}, alignment every ${s.alignEvery} update(s)` +
        (resumed ? `, resuming after epoch ${resumed}` : ""),
      totalUpdates: s.epochs * updatesPerEpoch,
      doneUpdates: resumed * updatesPerEpoch,
      batchSize: s.batchSize,
    });
    const result = await trainModel({
      model,
      optimizer,
      task: data.task,
      epochs: s.epochs,
      updatesPerEpoch,
      trainBatches: (epoch) => iterateBatches(train, { batchSize: s.batchSize, seed: deriveSeed(s.seed, "batches"), epoch }),
      trainError: "full-pass",
      trainEvalBatches: () => iterateBatches(train, { batchSize: 1000, shuffle: false }),
      evaluation: { batches: () => iterateBatches(test, { batchSize: 1000, shuffle: false }), everyUpdates: s.evalEveryUpdates },
      checkEvery: 10,
      resumeFrom,
      beforeUpdate: ({ inputs, update }) => {
        current = update + 1;
        source.at(update);
        fisher.observe(inputs as tf.Tensor2D);
      },
      checkpoint: (state) => {
        seriesFile.write(samples);
        context.saveCheckpoint(withFisherState(state, fisher, variables));
        progress.log(`  checkpoint saved after epoch ${state.epoch}`);
      },
      callbacks: {
        onProgress: (p) => progress.update(p),
        onEpochEnd: (e) => {
          const inEpoch = samples.filter((x) => Math.ceil(x.update / updatesPerEpoch) === e.epoch);
          const summary = summariseAlignment(inEpoch, { layers: layers.length, window: s.window, alignEvery: s.alignEvery, curveEvery: s.curveEvery, updatesPerEpoch });
          const cosines = summary.map((l, i) => `L${i + 1} ${fmt(l.epochMeans[0]?.raw)}/${fmt(l.epochMeans[0]?.corrected)}`).join(", ");
          progress.log(`  epoch ${e.epoch}: train error ${(100 * e.trainError).toFixed(2)}%, mean loss ${e.meanLoss.toFixed(4)}, mean cos(Fisher, uncorrected / corrected) ${cosines}, ${e.seconds.toFixed(1)} s`);
        },
      },
    });
    const summary = summariseAlignment(samples, { layers: layers.length, window: s.window, alignEvery: s.alignEvery, curveEvery: s.curveEvery, updatesPerEpoch });
    const layerRecords: FisherLayerRecord[] = layers.map((l, i) => ({ layer: i + 1, inputs: l.inputs, units: l.units, inhibitory: l.inhibitory, ...summary[i]! }));
    const record: FisherRecord = {
      schema: 1,
      experiment: "fisher",
      runId: s.runId,
      dataset: "mnist",
      model: s.model,
      profile: s.profile,
      seed: s.seed,
      epochs: s.epochs,
      batchSize: s.batchSize,
      learningRate: s.learningRate,
      fisher: { lambda: fisher.lambda, momentum: fisher.momentum, eps: fisher.eps, normalise: String(fisher.normaliseByEENorm) },
      trainImages: train.count,
      testImages: test.count,
      updatesPerEpoch,
      updates: result.updates,
      alignEvery: s.alignEvery,
      window: s.window,
      curveEvery: s.curveEvery,
      layers: layerRecords,
      trainErrorPerEpoch: result.trainErrorPerEpoch,
      meanLossPerEpoch: result.meanLossPerEpoch,
      evalCurve: result.evalCurve,
      finalTrainError: result.finalTrainError,
      testError: result.diverged ? null : result.finalEvalError,
      wallSeconds: result.wallSeconds,
      backend: context.backend,
      versions: runEnvironment(),
      startedAt,
      finishedAt: new Date().toISOString(),
      ...(result.diverged ? { diverged: { update: result.diverged.update, reason: result.diverged.reason } } : {}),
    };
    const last = layerRecords.map((l) => `L${l.layer} ${fmt(l.epochMeans.at(-1)?.raw)}/${fmt(l.epochMeans.at(-1)?.corrected)}`).join(", ");
    progress.endRun(
      `  fisher ${s.model} seed ${s.seed}: ` +
        (record.diverged ? `DIVERGED: ${record.diverged.reason}` : `test error ${(100 * (record.testError ?? Number.NaN)).toFixed(2)}%, last-epoch mean cos(Fisher, uncorrected / corrected) ${last}`) +
        ` (${record.wallSeconds.toFixed(0)} s)`,
    );
    seriesFile.remove();
    return record;
  } finally {
    model.dispose();
    optimizer.dispose();
    fisher.dispose();
  }
}
