import * as tf from "@tensorflow/tfjs";
import { fullView, iterateBatches, type ImageSplit, type ShapedImageSplit } from "@dale-nn/datasets";
import { areaActivity, buildConvEiNetwork, cifar10NetworkConfig, recomputeBatchNormStatistics, recurrentCells, type ConvEiNetworkConfig } from "@dale-nn/ei-conv";
import { deriveSeed } from "@dale-nn/ei-init";
import { projectedAdam, projectedMomentum, type ProjectedOptimizer } from "@dale-nn/projected-sgd";
import { centreResponses, gratingSet, gratingTuning, type GratingSet, type ResponseMatrix } from "@dale-nn/selectivity";
import { classificationTask, type HostBatch, type Task } from "@dale-nn/tasks";
import { trainModel, type TrainResult } from "@dale-nn/train";
import { convImages, type ConvImageSize } from "./conv-images.js";

/**
 * The settings of the demo's convolutional recurrent E/I network: the CIFAR-10 network of paper
 * 002 (Sec. 2, App. A; `cifar10NetworkConfig` of `@dale-nn/ei-conv`) with StandardEI cells (E
 * and I channels, eq. 1) shrunk to a browser size: two feedforward areas (conv → BatchNorm → ReLU
 * → max-pool), two recurrent StandardEI areas (area 4 has twice area 3's channels), LastT readout,
 * on the bundled MNIST digits padded to 32 × 32 and halved to 16 × 16.
 */
export interface ConvSelectivitySettings {
  /** Image side: 16 (default: padded MNIST, 2 × 2 averaged) or 32 (padded only; four times the work). */
  imageSize: ConvImageSize;
  /** Channels of feedforward areas 1 and 2 (the paper: 16, 32). */
  feedforward: readonly [number, number];
  /**
   * Max-pool strides of feedforward areas 1 and 2 (the paper: 1, 2 at 32 × 32). [2, 1] runs area 2
   * at 8 × 8 instead of 16 × 16: on software WebGL the 16 × 16 maps were the costliest kernels.
   */
  feedforwardStrides: readonly [number, number];
  /** E channels of area 3 (area 4: twice as many; the paper: 64). */
  principal: number;
  /** I channels of area 3 (area 4: twice as many; the paper: 16). */
  interneurons: number;
  /** Recurrent steps T (the paper: 4). */
  timeSteps: number;
  /** How the kernels' signs are kept: "abs" (the paper's W = |W̃|) or "projected" (W ≥ 0 kept by the optimiser). */
  constraint: "abs" | "projected";
  /** Images per update. */
  batchSize: number;
  /**
   * "adam" (default) or "momentum" (SGD with momentum 0.9, as `dale-bench conv` trains the paper's
   * networks). On software WebGL Adam's update costs about a quarter more (its per-variable state
   * is ~10 kernels per variable, 48 variables here, without a multi-tensor step kernel) but it
   * learns much faster in a short run: 40 % test accuracy after 60 updates against 26-32 % with
   * momentum (learning rate 0.05 or 0.1) here.
   */
  optimizer: "momentum" | "adam";
  /** η of the optimiser. */
  learningRate: number;
  /** Training images (the first of the bundled 5,000). */
  trainImages: number;
  /** Test images (the first of the bundled 1,000), scored at every evaluation. */
  testImages: number;
  /** Test images per forward pass (a divisor of `testImages`: all passes the same shape). */
  testBatch: number;
  /** Training images whose batch statistics replace the BatchNorm moving ones before each evaluation (a multiple of `batchSize`). */
  batchNormImages: number;
  /** The grating grid (paper 002, App. C: 18 orientations, 6 frequencies, 4 phases at 32 × 32). */
  orientations: number;
  /** Cycles per image. The paper's 1 … 8 at 32 px is 4 … 32 px per cycle; at 16 px the 8 would be the Nyquist limit, so 1 … 6. */
  frequencies: readonly number[];
  phases: number;
  /** Gratings per forward pass (a divisor of the grating count). */
  gratingBatch: number;
  /** Evaluate (accuracy and gOSI) every this many updates. */
  evalEvery: number;
  /** Read the loss back every this many updates (1: every update, so a read waits for one update only). */
  checkEvery: number;
  /** Stop after this many updates. */
  maxUpdates: number;
  /** Seed of the weights and of the batch order. */
  seed: number;
}

/**
 * The page's run: 16 × 16 digits, 4 and 8 feedforward channels, 8 E + 2 I (area 3) and 16 E + 4 I
 * (area 4) channels, 2 steps, W = |W̃|, batch 32, projected Adam 0.01, an evaluation every 25
 * updates on 500 test digits and 360 gratings (2,242 trainable parameters).
 */
export const DEFAULT_CONV_SETTINGS: ConvSelectivitySettings = {
  imageSize: 16,
  feedforward: [4, 8],
  feedforwardStrides: [2, 1],
  principal: 8,
  interneurons: 2,
  timeSteps: 2,
  constraint: "abs",
  batchSize: 32,
  optimizer: "adam",
  learningRate: 0.01,
  trainImages: 5000,
  testImages: 500,
  testBatch: 250,
  batchNormImages: 128,
  orientations: 18,
  frequencies: [1, 2, 3, 4, 6],
  phases: 4,
  gratingBatch: 120,
  evalEvery: 25,
  checkEvery: 1,
  maxUpdates: 5000,
  seed: 0,
};

/** The E or the I channels of one recurrent area, and their gOSI. */
export interface PopulationGosi {
  /** "area3", "area4". */
  area: string;
  population: "E" | "I";
  channels: number;
  /** gOSI per channel (eq. 3 at the channel's preferred frequency and phase); null for a channel silent on every grating. */
  gosi: Array<number | null>;
  /** Mean over the responsive channels; null when all are silent. */
  meanGosi: number | null;
  /** Channels whose centre unit never rose above exp(−10) on the gratings. */
  silent: number;
}

/** An evaluation: test accuracy and the gOSI of every population, with the current weights and recomputed BatchNorm statistics. */
export interface ConvEvaluation {
  update: number;
  /** Fraction of the test images classified correctly (chance 0.1). */
  accuracy: number;
  populations: PopulationGosi[];
  /** Wall-clock seconds the evaluation took (BatchNorm statistics, test set, gratings). */
  seconds: number;
}

/** The data of a run, uploaded once: standardised images as [N, H, W, 1] tensors. */
export interface ConvResidentData {
  train: ShapedImageSplit;
  test: { batches: tf.Tensor4D[]; labels: Uint8Array };
  /** The first `batchNormImages` training images, in batches of `batchSize`. */
  batchNorm: tf.Tensor4D[];
  gratings: GratingSet;
  gratingBatches: tf.Tensor4D[];
}

/** A running training of the conv network. */
export interface ConvSelectivityRun {
  settings: ConvSelectivitySettings;
  config: ConvEiNetworkConfig;
  model: tf.Sequential;
  optimizer: ProjectedOptimizer;
  data: ConvResidentData;
  /** Resolves when training ended (maxUpdates, divergence or abort); the last evaluation has been reported. */
  done: Promise<TrainResult>;
}

/** What a run reports. */
export interface ConvSelectivityCallbacks {
  /** Every update's training loss (cross-entropy), `checkEvery` at a time. */
  onUpdate?(update: number, loss: number): void;
  /** An evaluation, at update 0, every `evalEvery` updates and at the end. */
  onEvaluation?(evaluation: ConvEvaluation): void;
}

/**
 * The network of a run: `cifar10NetworkConfig({ variant: "StandardEI", principal, interneurons,
 * timeSteps, seed })` with the demo's input shape and feedforward channels.
 *
 * @param s - the settings
 * @returns the configuration for `buildConvEiNetwork`
 * @example
 * describeNetwork(convSelectivityConfig(DEFAULT_CONV_SETTINGS)).totalParameters;
 */
export function convSelectivityConfig(s: ConvSelectivitySettings): ConvEiNetworkConfig {
  const base = cifar10NetworkConfig({
    variant: "StandardEI",
    principal: s.principal,
    interneurons: s.interneurons,
    timeSteps: s.timeSteps,
    seed: s.seed,
    ...(s.constraint === "projected" ? { cellOptions: { constraint: "projected" as const } } : {}),
  });
  return {
    ...base,
    name: `demo-${base.name}`,
    inputShape: [s.imageSize, s.imageSize, 1],
    feedforward: [
      { channels: s.feedforward[0], poolStride: s.feedforwardStrides[0] },
      { channels: s.feedforward[1], poolStride: s.feedforwardStrides[1] },
    ],
  };
}

/**
 * The oriented gratings of paper 002 (App. C, eq. 2) at the network's input size, one channel,
 * standardised per image like the training images:
 *
 *   G(x, y) = cos{k[−(x − x₀) sin θ + (y − y₀) cos θ] + φ},  k = 2π f / L.
 *
 * @param s - the settings (image size, orientations, frequencies, phases)
 * @returns `gratingSet`'s images and grid
 * @example
 * convGratings(DEFAULT_CONV_SETTINGS).count; // 18 × 5 × 4 = 360
 */
export function convGratings(s: Pick<ConvSelectivitySettings, "imageSize" | "orientations" | "frequencies" | "phases">): GratingSet {
  return gratingSet({ height: s.imageSize, width: s.imageSize, channels: 1, orientations: s.orientations, frequencies: s.frequencies, phases: s.phases });
}

function residentData(s: ConvSelectivitySettings, mnist: { train: ImageSplit; test: ImageSplit }): ConvResidentData {
  const train = convImages(mnist.train, s.trainImages, s.imageSize);
  const test = convImages(mnist.test, s.testImages, s.imageSize);
  const side = s.imageSize;
  const per = side * side;
  const slices = (images: Float32Array, count: number, batch: number): tf.Tensor4D[] => {
    const out: tf.Tensor4D[] = [];
    for (let start = 0; start < count; start += batch) out.push(tf.tensor4d(images.subarray(start * per, (start + batch) * per), [batch, side, side, 1]));
    return out;
  };
  const gratings = convGratings(s);
  return {
    train,
    test: { batches: slices(test.images, s.testImages, s.testBatch), labels: test.labels },
    batchNorm: slices(train.images, s.batchNormImages, s.batchSize),
    gratings,
    gratingBatches: slices(gratings.images, gratings.count, s.gratingBatch),
  };
}

/**
 * The centre responses of every population of every recurrent area to the gratings (paper 002,
 * App. C): `areaActivity` of `@dale-nn/ei-conv` (E and I maps at every step, inference mode),
 * the unit at the centre (⌊H/2⌋, ⌊W/2⌋) of each channel's map sliced on the device, read back
 * asynchronously, and averaged over the steps by `centreResponses`:
 *
 *   r[n, c] = (1/T) Σ_t map_t[n, ⌊H/2⌋, ⌊W/2⌋, c].
 *
 * @returns "area3/E" → [gratings, channels] responses, and so on
 */
async function gratingResponses(model: tf.Sequential, config: ConvEiNetworkConfig, batches: readonly tf.Tensor4D[]): Promise<Map<string, ResponseMatrix[]>> {
  const parts = new Map<string, ResponseMatrix[]>();
  for (const x of batches) {
    const act = areaActivity(model, config, x);
    const centres: Array<{ key: string; steps: tf.Tensor4D[] }> = [];
    for (const a of act) {
      for (const [type, maps] of Object.entries(a.maps)) {
        const [, h, w] = maps[0]!.shape;
        const steps = maps.map((m) => tf.slice(m, [0, Math.floor(h / 2), Math.floor(w / 2), 0], [-1, 1, 1, -1]));
        centres.push({ key: `${a.area}/${type}`, steps });
        tf.dispose(maps);
      }
    }
    try {
      for (const { key, steps } of centres) {
        const values = await Promise.all(steps.map((t) => t.data()));
        const r = centreResponses(values.map((data, t) => ({ data, shape: steps[t]!.shape })));
        const list = parts.get(key) ?? [];
        list.push(r);
        parts.set(key, list);
      }
    } finally {
      for (const c of centres) tf.dispose(c.steps);
    }
  }
  return parts;
}

function joinRows(list: readonly ResponseMatrix[]): ResponseMatrix {
  const cols = list[0]!.cols;
  const rows = list.reduce((n, m) => n + m.rows, 0);
  const data = new Float64Array(rows * cols);
  let at = 0;
  for (const m of list) {
    data.set(m.data, at);
    at += m.data.length;
  }
  return { data, rows, cols };
}

/**
 * Evaluates the network as it is now: first `recomputeBatchNormStatistics` of `@dale-nn/ei-conv`
 * on the first training batches (the moving statistics, decay 0.997, lag the weights by thousands
 * of updates: a few hundred updates in, inference mode would otherwise run with the statistics of
 * networks that no longer exist), then the test accuracy, and the gOSI of every E and I channel of
 * the recurrent areas (paper 002, Sec. 2, eq. 3):
 *
 *   gOSI = |Σ_k r(θ_k) e^{i 2θ_k}| / Σ_k r(θ_k),
 *
 * r(θ_k) the channel's centre response to the grating of orientation θ_k at its preferred
 * frequency and phase (`gratingTuning` of `@dale-nn/selectivity`); 0 for a channel that responds
 * equally to every orientation, 1 for one that responds to a single orientation. Reads back
 * asynchronously, so the page stays responsive while the device works.
 *
 * @param run - the run (model, configuration, resident data)
 * @param update - the update count, recorded in the result
 * @returns the accuracy and one {@link PopulationGosi} per area and population (area order, E then I)
 * @example
 * const e = await evaluateConvSelectivity(run, 0);
 * e.populations.map((p) => `${p.area} ${p.population}: ${p.meanGosi}`);
 */
export async function evaluateConvSelectivity(run: Pick<ConvSelectivityRun, "model" | "config" | "data">, update: number): Promise<ConvEvaluation> {
  const { model, config, data } = run;
  const started = performance.now();
  recomputeBatchNormStatistics(model, data.batchNorm);
  let correct = 0;
  let offset = 0;
  for (const x of data.test.batches) {
    const predicted = tf.tidy(() => tf.argMax(model.apply(x, { training: false }) as tf.Tensor, -1));
    let labels: Int32Array;
    try {
      labels = (await predicted.data()) as Int32Array;
    } finally {
      predicted.dispose();
    }
    for (let i = 0; i < labels.length; i++) if (labels[i] === data.test.labels[offset + i]) correct++;
    offset += labels.length;
  }
  const parts = await gratingResponses(model, config, data.gratingBatches);
  const populations: PopulationGosi[] = [];
  for (const [key, list] of parts) {
    const [area, population] = key.split("/") as [string, "E" | "I"];
    const tuning = gratingTuning(joinRows(list), data.gratings);
    populations.push({
      area,
      population,
      channels: tuning.channels,
      gosi: Array.from(tuning.gosi, (g) => (Number.isFinite(g) ? g : null)),
      meanGosi: Number.isFinite(tuning.meanGosi) ? tuning.meanGosi : null,
      silent: tuning.silent.length,
    });
  }
  return { update, accuracy: correct / offset, populations, seconds: (performance.now() - started) / 1000 };
}

function check(name: string, value: unknown, ok: boolean, expected: string): void {
  if (!ok) throw new RangeError(`startConvSelectivity: ${name} must be ${expected}; got ${JSON.stringify(value)}`);
}

function checkSettings(s: ConvSelectivitySettings, mnist: { train: ImageSplit; test: ImageSplit }): void {
  const int = (v: number, min: number): boolean => Number.isInteger(v) && v >= min;
  for (const [name, v] of [
    ["principal", s.principal], ["interneurons", s.interneurons], ["timeSteps", s.timeSteps], ["batchSize", s.batchSize], ["testBatch", s.testBatch],
    ["gratingBatch", s.gratingBatch], ["evalEvery", s.evalEvery], ["checkEvery", s.checkEvery], ["maxUpdates", s.maxUpdates], ["orientations", s.orientations], ["phases", s.phases],
  ] as const) {
    check(name, v, int(v, 1), "an integer >= 1");
  }
  check("optimizer", s.optimizer, s.optimizer === "momentum" || s.optimizer === "adam", '"momentum" or "adam"');
  check("learningRate", s.learningRate, s.learningRate > 0 && Number.isFinite(s.learningRate), "a finite number > 0");
  check("trainImages", s.trainImages, int(s.trainImages, s.batchSize) && s.trainImages <= mnist.train.count, `an integer in [batchSize = ${s.batchSize}, ${mnist.train.count}]`);
  check("testImages", s.testImages, int(s.testImages, 1) && s.testImages <= mnist.test.count && s.testImages % s.testBatch === 0, `a multiple of testBatch = ${s.testBatch} in [1, ${mnist.test.count}]`);
  check("batchNormImages", s.batchNormImages, int(s.batchNormImages, s.batchSize) && s.batchNormImages % s.batchSize === 0 && s.batchNormImages <= s.trainImages, `a multiple of batchSize = ${s.batchSize} in [${s.batchSize}, trainImages]`);
  const gratings = s.orientations * s.frequencies.length * s.phases;
  check("gratingBatch", s.gratingBatch, gratings % s.gratingBatch === 0, `a divisor of the ${gratings} gratings`);
  check("evalEvery", s.evalEvery, s.evalEvery % s.checkEvery === 0, `a multiple of checkEvery = ${s.checkEvery}`);
}

/**
 * Builds the small convolutional recurrent E/I network ({@link convSelectivityConfig},
 * `buildConvEiNetwork`), uploads the standardised digits, BatchNorm batches and gratings once,
 * and trains it with projected Adam (`@dale-nn/projected-sgd`; for `constraint: "projected"` it
 * keeps every kernel ≥ 0) by `trainModel` of `@dale-nn/train` on seeded shuffled batches
 * (softmax cross-entropy), calling `yieldFn` after every update (the page's scheduler: pausing is
 * not releasing it). Evaluates ({@link evaluateConvSelectivity}) at update 0, every `evalEvery`
 * updates and at the end.
 *
 * @param settings - see {@link ConvSelectivitySettings}
 * @param mnist - the MNIST subset's splits (28 × 28, pixels in [0, 1])
 * @param yieldFn - awaited after every update
 * @param signal - aborts training (after the current update)
 * @param callbacks - per-update losses and evaluations
 * @returns the run; free it with {@link disposeConvSelectivity} once `done` settled
 * @throws RangeError on settings that do not fit together (naming the value)
 * @example
 * const run = startConvSelectivity({ ...DEFAULT_CONV_SETTINGS, maxUpdates: 100 }, subset, yieldMacrotask, new AbortController().signal, { onEvaluation: (e) => console.log(e.accuracy) });
 * await run.done;
 * disposeConvSelectivity(run);
 */
export function startConvSelectivity(
  settings: ConvSelectivitySettings,
  mnist: { train: ImageSplit; test: ImageSplit },
  yieldFn: () => Promise<void>,
  signal: AbortSignal,
  callbacks: ConvSelectivityCallbacks = {},
): ConvSelectivityRun {
  const s = settings;
  checkSettings(s, mnist);
  const config = convSelectivityConfig(s);
  const model = buildConvEiNetwork(config);
  const optimizer = s.optimizer === "adam" ? projectedAdam({ learningRate: s.learningRate }) : projectedMomentum({ learningRate: s.learningRate, momentum: 0.9 });
  const data = residentData(s, mnist);
  const [h, w, c] = config.inputShape;
  const task: Task = classificationTask({ numClasses: 10, inputSize: h * w * c, inputShape: [h, w, c], name: "mnist-conv" });
  const view = fullView(data.train);
  const updatesPerEpoch = Math.floor(view.count / s.batchSize);
  const epochs = Math.ceil(s.maxUpdates / updatesPerEpoch);
  function* trainBatches(epoch: number): Generator<HostBatch> {
    const limit = Math.min(updatesPerEpoch, s.maxUpdates - (epoch - 1) * updatesPerEpoch);
    let n = 0;
    for (const b of iterateBatches(view, { batchSize: s.batchSize, seed: deriveSeed(s.seed, "conv-batches"), epoch, dropRemainder: true })) {
      if (n++ >= limit) return;
      yield b;
    }
  }
  let lastEval = -1;
  const evaluate = async (update: number): Promise<void> => {
    if (update === lastEval) return;
    lastEval = update;
    callbacks.onEvaluation?.(await evaluateConvSelectivity({ model, config, data }, update));
  };
  const done = (async () => {
    await evaluate(0);
    const result = await trainModel({
      model,
      optimizer,
      task,
      epochs,
      updatesPerEpoch,
      trainBatches,
      trainError: "running",
      checkEvery: s.checkEvery,
      progress: "per-update",
      // An update is hundreds of milliseconds of device time on software WebGL: wait for it without blocking the page.
      readBack: "async",
      callbacks: {
        onProgress: async ({ update, meanLoss }) => {
          callbacks.onUpdate?.(update, meanLoss);
          if (update % s.evalEvery === 0) await evaluate(update);
        },
      },
      signal,
      yieldEvery: 1,
      yieldFn,
    });
    if (!result.diverged && !result.aborted) await evaluate(result.updates);
    return result;
  })();
  return { settings: s, config, model, optimizer, data, done };
}

/**
 * Dale's law in the trained cells: every connection's effective kernel (|W̃| for "abs", W for
 * "projected") is ≥ 0 and its sign is + from X and E, − from I (eq. 1: I subtracts). Reads the
 * kernels back (a test and console diagnostic).
 *
 * @param model - the run's network
 * @returns the connections whose effective kernel has a negative entry or whose sign is wrong (empty when Dale's law holds)
 * @example
 * daleViolations(run.model); // []
 */
export function daleViolations(model: tf.Sequential): string[] {
  const bad: string[] = [];
  for (const cell of recurrentCells(model)) {
    const constraint = cell.cellOptions.constraint;
    for (const conn of cell.connections()) {
      const expectedSign = conn.source === "I" ? -1 : 1;
      const minimum = tf.tidy(() => {
        const effective = (k: tf.Tensor): tf.Tensor => (constraint === "abs" ? tf.abs(k) : k);
        return Math.min(effective(conn.depthwise).min().dataSync()[0]!, effective(conn.pointwise).min().dataSync()[0]!);
      });
      if (constraint === "none" || minimum < 0 || conn.sign !== expectedSign) bad.push(`${cell.name}.${conn.name} (sign ${conn.sign}, min ${minimum})`);
    }
  }
  return bad;
}

/** Frees a run's tensors (call after its `done` settled). */
export function disposeConvSelectivity(run: ConvSelectivityRun): void {
  run.model.dispose();
  run.optimizer.dispose();
  tf.dispose([...run.data.test.batches, ...run.data.batchNorm, ...run.data.gratingBatches]);
}
