import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource } from "@dale-nn/ei-init";
import { buildPaperNetwork } from "@dale-nn/ei-layers";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
import { classificationTask, type HostBatch } from "@dale-nn/tasks";
import { trainModel, type TrainCheckpoint } from "./train-model.js";

const D = 12;
const CLASSES = 3;

/** A separable synthetic problem: class k has a bump on inputs 4k..4k+3; inputs are non-negative. */
function makeData(n: number, seed: number): { x: Float32Array; labels: Int32Array } {
  const rng = createRandomSource(seed);
  const x = new Float32Array(n * D);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.integer(CLASSES);
    labels[i] = k;
    for (let j = 0; j < D; j++) x[i * D + j] = 0.3 * rng.uniform() + (Math.floor(j / 4) === k ? 0.7 : 0);
  }
  return { x, labels };
}

function* batchesOf(data: { x: Float32Array; labels: Int32Array }, batchSize: number, seed: number, epoch: number, shuffle = true): Iterable<HostBatch> {
  const n = data.labels.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (shuffle) {
    const rng = createRandomSource(seed).derive(`epoch-${epoch}`);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.integer(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  const x = new Float32Array(batchSize * D);
  const labels = new Int32Array(batchSize);
  for (let s = 0; s < n; s += batchSize) {
    const size = Math.min(batchSize, n - s);
    for (let b = 0; b < size; b++) {
      const idx = order[s + b]!;
      x.set(data.x.subarray(idx * D, (idx + 1) * D), b * D);
      labels[b] = data.labels[idx]!;
    }
    yield { x, labels, size };
  }
}

const task = classificationTask({ numClasses: CLASSES, inputSize: D });
const train = makeData(600, 1);
const test = makeData(300, 2);

/** Epoch `e`'s training batches with a corrupt example (a NaN pixel) in the 12th batch, which poisons the weights. */
function* poisonedBatches(e: number): Iterable<HostBatch> {
  let i = 0;
  for (const b of batchesOf(train, 20, 5, e)) {
    if (++i === 12) b.x[3] = Number.NaN;
    yield b;
  }
}

function setup(kind: "dann" | "mlp", lr = 0.1) {
  const model = buildPaperNetwork({ kind, seed: 3, inputs: D, hidden: [16], inhibitory: 2, outputs: CLASSES, inputMean: 0.4 });
  const optimizer = new ProjectedSGD({ learningRate: lr });
  return { model, optimizer };
}

describe("trainModel", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  it("trainModel lowers the test error, records train error per epoch and a test curve every N updates, and leaks no tensor", async () => {
    const { model, optimizer } = setup("dann", 0.1);
    const tensorsBefore = tf.memory().numTensors;
    const epochsSeen: number[] = [];
    const prepared: number[] = [];
    let updatesSeen = 0;
    const result = await trainModel({
      model,
      optimizer,
      task,
      epochs: 3,
      trainBatches: (e) => batchesOf(train, 20, 5, e),
      trainEvalBatches: () => batchesOf(train, 200, 0, 0, false),
      evaluation: { batches: () => batchesOf(test, 100, 0, 0, false), everyUpdates: 25, prepare: async () => void prepared.push(updatesSeen) },
      callbacks: { onEpochEnd: ({ epoch }) => void epochsSeen.push(epoch), onProgress: ({ update }) => void (updatesSeen = update) },
      checkEvery: 5,
    });
    // prepare ran once before each evaluation, with the update count the evaluation is at.
    expect(prepared).toEqual([0, 25, 50, 75, 90]);
    expect(result.epochsCompleted).toBe(3);
    expect(result.updates).toBe(90);
    expect(epochsSeen).toEqual([1, 2, 3]);
    expect(result.trainErrorPerEpoch).toHaveLength(3);
    expect(result.evalCurve.map((p) => p.update)).toEqual([0, 25, 50, 75, 90]);
    expect(result.evalCurve[0]!.error).toBeGreaterThan(0.3);
    expect(result.finalEvalError).toBeLessThan(0.1);
    expect(result.finalTrainError).toBeLessThan(0.1);
    expect(result.diverged).toBeUndefined();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it("trainModel stops a diverging run with a diagnostic naming the update and the non-finite weights", async () => {
    const { model, optimizer } = setup("mlp", 0.1);
    const result = await trainModel({ model, optimizer, task, epochs: 5, checkEvery: 5, trainBatches: poisonedBatches });
    expect(result.diverged).toBeDefined();
    expect(result.diverged!.reason).toMatch(/loss became NaN by update 15 \(epoch 1\); last finite mean loss [0-9.]+; non-finite weights: /);
    expect(result.diverged!.nonFiniteWeights.length).toBeGreaterThan(0);
    expect(result.diverged!.update).toBe(15);
    expect(result.epochsCompleted).toBe(0);
    optimizer.dispose();
  });

  it("trainModel resumed from an epoch checkpoint ends with the same weights and curves as an uninterrupted run", async () => {
    const run = async (epochs: number, resumeFrom?: TrainCheckpoint) => {
      const { model, optimizer } = setup("dann", 0.05);
      const checkpoints: TrainCheckpoint[] = [];
      const result = await trainModel({
        model, optimizer, task, epochs, resumeFrom,
        trainBatches: (e) => batchesOf(train, 20, 5, e),
        evaluation: { batches: () => batchesOf(test, 100, 0, 0, false), everyUpdates: 30 },
        checkpoint: (cp) => void checkpoints.push(cp),
      });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      optimizer.dispose();
      return { result, checkpoints, weights, iterations: optimizer.iterations };
    };
    const full = await run(2);
    const first = await run(1);
    expect(first.checkpoints).toHaveLength(1);
    expect(first.checkpoints[0]!.optimizerWeights[0]!.name).toBe("iter");
    const resumed = await run(2, first.checkpoints[0]);
    expect(resumed.weights).toEqual(full.weights);
    expect(resumed.result.evalCurve).toEqual(full.result.evalCurve);
    expect(resumed.result.trainErrorPerEpoch).toEqual(full.result.trainErrorPerEpoch);
    expect(resumed.result.updates).toBe(full.result.updates);
  });

  it("trainModel(tf.train.adam) checkpoints without destroying Adam's live state, and a resume equals the uninterrupted run", async () => {
    const run = async (epochs: number, resumeFrom?: TrainCheckpoint) => {
      const model = buildPaperNetwork({ kind: "mlp", seed: 3, inputs: D, hidden: [16], outputs: CLASSES, inputMean: 0.4 });
      const optimizer = tf.train.adam(0.01);
      const checkpoints: TrainCheckpoint[] = [];
      const result = await trainModel({
        model, optimizer, task, epochs, resumeFrom,
        trainBatches: (e) => batchesOf(train, 20, 5, e),
        checkpoint: (cp) => void checkpoints.push(cp),
      });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      optimizer.dispose();
      return { result, checkpoints, weights };
    };
    const full = await run(2);
    expect(full.checkpoints.map((c) => c.optimizerWeights.length)).toEqual([full.checkpoints[0]!.optimizerWeights.length, full.checkpoints[0]!.optimizerWeights.length]);
    expect(full.checkpoints[0]!.optimizerWeights.length).toBeGreaterThan(1);
    const first = await run(1);
    const resumed = await run(2, first.checkpoints[0]);
    expect(resumed.result.trainErrorPerEpoch).toEqual(full.result.trainErrorPerEpoch);
    expect(resumed.weights.flat().every((v, i) => Math.abs(v - full.weights.flat()[i]!) < 1e-6)).toBe(true);
  });

  it("trainModel stops after the current update when its signal is aborted", async () => {
    const { model, optimizer } = setup("mlp", 0.1);
    const controller = new AbortController();
    const result = await trainModel({
      model, optimizer, task, epochs: 2, checkEvery: 1, signal: controller.signal,
      trainBatches: (e) => batchesOf(train, 20, 5, e),
      callbacks: { onProgress: ({ update }) => { if (update === 7) controller.abort(); } },
    });
    expect(result.aborted).toBe(true);
    expect(result.updates).toBe(7);
    optimizer.dispose();
  });

  it("trainModel(learningRateSchedule) sets the rate before every update by global update count, across epochs and resumes", async () => {
    const decay = (u: number): number => 0.1 * Math.pow(0.99, Math.floor(u / 20));
    const seen: number[] = [];
    const rates: number[] = [];
    const { model, optimizer } = setup("mlp", 0.1);
    const checkpoints: TrainCheckpoint[] = [];
    // 600 / 20 = 30 updates per epoch: not a multiple of the decay interval, nor of checkEvery 7.
    await trainModel({
      model, optimizer, task, epochs: 1, checkEvery: 7,
      trainBatches: (e) => batchesOf(train, 20, 5, e),
      learningRateSchedule: (u) => { seen.push(u); const lr = decay(u); rates.push(lr); return lr; },
      checkpoint: (cp) => void checkpoints.push(cp),
    });
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(optimizer.learningRate).toBe(decay(29));
    optimizer.dispose();
    const again = setup("mlp", 0.1);
    const resumedSeen: number[] = [];
    await trainModel({
      model: again.model, optimizer: again.optimizer, task, epochs: 2, resumeFrom: checkpoints[0],
      trainBatches: (e) => batchesOf(train, 20, 5, e),
      learningRateSchedule: (u) => { resumedSeen.push(u); return decay(u); },
    });
    expect(resumedSeen).toEqual(Array.from({ length: 30 }, (_, i) => 30 + i));
    expect(again.optimizer.learningRate).toBeCloseTo(0.1 * 0.99 ** 2, 12);
    again.optimizer.dispose();
  });

  it("trainModel(learningRateSchedule) drives tfjs's SGDOptimizer through setLearningRate and refuses a bad rate naming it", async () => {
    const { model } = setup("mlp");
    const sgd = tf.train.sgd(0.5);
    await trainModel({ model, optimizer: sgd, task, epochs: 1, trainBatches: (e) => batchesOf(train, 100, 5, e), learningRateSchedule: (u) => 0.01 * (u + 1) });
    expect((sgd as unknown as { learningRate: number }).learningRate).toBeCloseTo(0.06, 12);
    await expect(
      trainModel({ model, optimizer: sgd, task, epochs: 1, trainBatches: (e) => batchesOf(train, 100, 5, e), learningRateSchedule: (u) => (u === 2 ? Number.NaN : 0.01) }),
    ).rejects.toThrow(/learningRateSchedule\(2\) returned NaN; expected a finite number >= 0/);
    sgd.dispose();
  });

  /** Counts the Tensor read-backs (dataSync, data) made while `f` runs. */
  async function countingReads<T>(f: () => Promise<T>): Promise<{ value: T; reads: { dataSync: number; data: number } }> {
    const reads = { dataSync: 0, data: 0 };
    const proto = tf.Tensor.prototype as unknown as Record<"dataSync" | "data", (...a: unknown[]) => unknown>;
    const originals = { dataSync: proto.dataSync, data: proto.data };
    for (const m of ["dataSync", "data"] as const) {
      proto[m] = function (this: tf.Tensor, ...a: unknown[]) {
        reads[m]++;
        return originals[m].apply(this, a);
      };
    }
    try {
      return { value: await f(), reads };
    } finally {
      Object.assign(proto, originals);
    }
  }

  it("trainModel(progress: \"per-update\", checkEvery: 6) reports every update's loss as checkEvery 1 does, reading back once per check", async () => {
    const run = async (checkEvery: number, progress: "per-check" | "per-update") => {
      const { model, optimizer } = setup("dann", 0.1);
      const seen: Array<{ update: number; updateInEpoch: number; meanLoss: number }> = [];
      const { value: result, reads } = await countingReads(() =>
        trainModel({
          model, optimizer, task, epochs: 2, checkEvery, progress,
          trainBatches: (e) => batchesOf(train, 20, 5, e),
          evaluation: { batches: () => batchesOf(test, 300, 0, 0, false), everyUpdates: 1000 },
          callbacks: { onProgress: ({ update, updateInEpoch, meanLoss }) => void seen.push({ update, updateInEpoch, meanLoss }) },
        }),
      );
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      optimizer.dispose();
      return { result, seen, reads, weights };
    };
    const everyUpdate = await run(1, "per-check");
    const batched = await run(6, "per-update");
    const perCheck = await run(6, "per-check");
    // 30 updates per epoch: 60 points, the same losses.
    expect(everyUpdate.seen).toHaveLength(60);
    expect(batched.seen).toEqual(everyUpdate.seen);
    expect(batched.weights).toEqual(everyUpdate.weights);
    expect(batched.result.evalCurve).toEqual(everyUpdate.result.evalCurve);
    // Epoch means as the per-check mode gives them with the same checkEvery.
    expect(batched.result.meanLossPerEpoch).toEqual(perCheck.result.meanLossPerEpoch);
    expect(batched.result.trainErrorPerEpoch).toEqual(perCheck.result.trainErrorPerEpoch);
    expect(perCheck.seen.map((p) => p.update)).toEqual([6, 12, 18, 24, 30, 36, 42, 48, 54, 60]);
    // One read per check (loss, running error and the losses together) and per evaluation (at 0 and at the end).
    expect(everyUpdate.reads).toEqual({ dataSync: 60 + 2, data: 0 });
    expect(batched.reads).toEqual({ dataSync: 10 + 2, data: 0 });
    expect(perCheck.reads).toEqual({ dataSync: 10 + 2, data: 0 });
  });

  it("trainModel(readBack: \"async\") reads each check with data() instead of dataSync and gives the same losses, curves and weights", async () => {
    const run = async (readBack: "sync" | "async") => {
      const { model, optimizer } = setup("dann", 0.1);
      const seen: number[] = [];
      const { value: result, reads } = await countingReads(() =>
        trainModel({
          model, optimizer, task, epochs: 2, checkEvery: 3, progress: "per-update", readBack,
          trainBatches: (e) => batchesOf(train, 20, 5, e),
          evaluation: { batches: () => batchesOf(test, 300, 0, 0, false), everyUpdates: 1000 },
          callbacks: { onProgress: ({ meanLoss }) => void seen.push(meanLoss) },
        }),
      );
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      optimizer.dispose();
      return { result, seen, reads, weights };
    };
    const sync = await run("sync");
    const async = await run("async");
    expect(async.seen).toHaveLength(60);
    expect(async.seen).toEqual(sync.seen);
    expect(async.weights).toEqual(sync.weights);
    expect(async.result.meanLossPerEpoch).toEqual(sync.result.meanLossPerEpoch);
    expect(async.result.evalCurve).toEqual(sync.result.evalCurve);
    // 20 checks; the evaluations (at 0 and at the end) still read synchronously.
    expect(async.reads).toEqual({ dataSync: 2, data: 20 });
    expect(sync.reads).toEqual({ dataSync: 22, data: 0 });
    const { model, optimizer } = setup("mlp");
    await expect(trainModel({ model, optimizer, task, epochs: 1, readBack: "later" as "sync", trainBatches: () => [] })).rejects.toThrow(/unknown readBack "later"; expected "sync" or "async"/);
    optimizer.dispose();
  });

  it("trainModel(progress: \"per-update\") names the exact update whose loss became NaN, after reporting the finite ones", async () => {
    const { model, optimizer } = setup("mlp", 0.1);
    const seen: number[] = [];
    const result = await trainModel({
      model, optimizer, task, epochs: 5, checkEvery: 5, progress: "per-update", trainBatches: poisonedBatches,
      callbacks: { onProgress: ({ update }) => void seen.push(update) },
    });
    expect(result.diverged?.update).toBe(12);
    expect(result.diverged!.reason).toMatch(/loss became NaN by update 12 \(epoch 1\); last finite mean loss [0-9.]+/);
    expect(result.diverged!.lastFiniteLoss).toBeGreaterThan(0);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // Found at the check after update 15.
    expect(result.updates).toBe(15);
    optimizer.dispose();
  });

  it("trainModel(beforeUpdate) sees every training batch's tensors before its step, by global update count across resumes, never an evaluation batch, and its tensors are freed", async () => {
    const { model, optimizer } = setup("mlp", 0.1);
    const seen: Array<{ update: number; epoch: number; rows: number; size: number }> = [];
    const checkpoints: TrainCheckpoint[] = [];
    const tensorsBefore = tf.memory().numTensors;
    // 600 / 20 = 30 updates per epoch; the evaluation every 10 updates must not reach the hook.
    await trainModel({
      model, optimizer, task, epochs: 1, checkEvery: 7,
      trainBatches: (e) => batchesOf(train, 20, 5, e),
      evaluation: { batches: () => batchesOf(test, 100, 0, 0, false), everyUpdates: 10 },
      beforeUpdate: ({ inputs, targets, update, epoch, batch }) => {
        expect(inputs.shape).toEqual([20, D]);
        expect(targets.shape[0]).toBe(20);
        tf.sum(inputs); // freed with the update's tidy
        seen.push({ update, epoch, rows: inputs.shape[0]!, size: batch.size });
      },
      checkpoint: (cp) => void checkpoints.push(cp),
    });
    expect(seen.map((s) => s.update)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(seen.every((s) => s.epoch === 1 && s.size === 20)).toBe(true);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const again = setup("mlp", 0.1);
    const resumed: number[] = [];
    await trainModel({
      model: again.model, optimizer: again.optimizer, task, epochs: 2, resumeFrom: checkpoints[0],
      trainBatches: (e) => batchesOf(train, 20, 5, e),
      beforeUpdate: ({ update, epoch }) => void resumed.push(update + 1000 * epoch),
    });
    expect(resumed).toEqual(Array.from({ length: 30 }, (_, i) => 2030 + i));
    again.optimizer.dispose();
    await expect(trainModel({ model, optimizer, task, epochs: 1, beforeUpdate: 3 as unknown as () => void, trainBatches: () => [] })).rejects.toThrow(/beforeUpdate must be a function; got number/);
  });

  it("trainModel rejects bad options with a message naming the value", async () => {
    const { model, optimizer } = setup("mlp");
    await expect(trainModel({ model, optimizer, task, epochs: 0, trainBatches: () => [] })).rejects.toThrow(/epochs must be an integer >= 1; got 0/);
    await expect(trainModel({ model, optimizer, task, epochs: 1, progress: "each" as "per-check", trainBatches: () => [] })).rejects.toThrow(/unknown progress "each"; expected "per-check" or "per-update"/);
    await expect(trainModel({ model, optimizer, task, epochs: 1, trainError: "full-pass", trainBatches: () => [] })).rejects.toThrow(/"full-pass" needs trainEvalBatches/);
    await expect(trainModel({ model, optimizer, task, epochs: 1, trainBatches: () => [] })).rejects.toThrow(/epoch 1 produced no training batch/);
    optimizer.dispose();
  });
});
