import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import type { ImageSplit } from "@dale-nn/datasets";
import { areaActivity, recurrentCells } from "@dale-nn/ei-conv";
import { signViolations } from "@dale-nn/projected-sgd";
import { centreResponses, gratingTuning } from "@dale-nn/selectivity";
import { useBackend } from "@dale-nn/test-support";
import {
  convGratings, daleViolations, DEFAULT_CONV_SETTINGS, disposeConvSelectivity, evaluateConvSelectivity, startConvSelectivity,
  type ConvEvaluation, type ConvSelectivitySettings,
} from "./conv-selectivity.js";
import { yieldMacrotask } from "./lockstep.js";

/**
 * 28 × 28 "digits" the network can learn in a few updates: class k is a bright bar through the
 * centre at orientation k · 18°, on noise.
 */
function bars(count: number, seed: number): ImageSplit {
  let s = seed;
  const rand = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const images = new Float32Array(count * 784);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const k = Math.floor(rand() * 10);
    labels[n] = k;
    const th = (k * Math.PI) / 10;
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const d = Math.abs(-(x - 13.5) * Math.sin(th) + (y - 13.5) * Math.cos(th));
        images[n * 784 + y * 28 + x] = (d < 2 ? 0.8 : 0) + 0.2 * rand();
      }
    }
  }
  return { images, labels, count, features: 784, numClasses: 10 };
}

const data = { train: bars(160, 1), test: bars(40, 2) };

// Smaller than the page's run (2 + 4 feedforward channels, 4 E + 1 I, batch 8, 24 gratings) so the CPU backend takes seconds.
const small: ConvSelectivitySettings = {
  ...DEFAULT_CONV_SETTINGS,
  feedforward: [2, 4],
  principal: 4,
  interneurons: 1,
  batchSize: 8,
  learningRate: 0.05,
  trainImages: 160,
  testImages: 40,
  testBatch: 20,
  batchNormImages: 16,
  orientations: 6,
  frequencies: [1, 2],
  phases: 2,
  gratingBatch: 12,
  evalEvery: 15,
  maxUpdates: 30,
};

interface Recorded {
  losses: number[];
  tensors: number[];
  evaluations: ConvEvaluation[];
  updates: number;
  aborted: boolean;
  dale: string[];
  signViolations: number;
}

async function record(settings: ConvSelectivitySettings, abortAfter: number | null = null): Promise<Recorded> {
  const r: Recorded = { losses: [], tensors: [], evaluations: [], updates: 0, aborted: false, dale: [], signViolations: -1 };
  const abort = new AbortController();
  const run = startConvSelectivity(settings, data, yieldMacrotask, abort.signal, {
    onUpdate: (update, loss) => {
      r.losses.push(loss);
      expect(update).toBe(r.losses.length);
      r.tensors.push(tf.memory().numTensors);
      if (abortAfter !== null && update >= abortAfter) abort.abort();
    },
    onEvaluation: (e) => void r.evaluations.push(e),
  });
  try {
    const result = await run.done;
    r.updates = result.updates;
    r.aborted = result.aborted === true;
    r.dale = daleViolations(run.model);
    r.signViolations = Object.values(signViolations(run.model)).reduce((a, b) => a + b, 0);
  } finally {
    disposeConvSelectivity(run);
  }
  return r;
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe("startConvSelectivity", () => {
  useBackend("cpu");

  it("startConvSelectivity(settings, mnist, yieldFn, signal, callbacks) trains 30 updates: finite falling losses, tensors flat, evaluations at 0, 15 and 30 with accuracy and every population's gOSI in [0, 1], Dale's law kept, all freed", async () => {
    const before = tf.memory().numTensors;
    const r = await record(small);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.updates).toBe(30);
    expect(r.losses).toHaveLength(30);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    // 2.16 → 1.84 here (means of the first and last 5 updates).
    expect(mean(r.losses.slice(-5))).toBeLessThan(0.9 * mean(r.losses.slice(0, 5)));
    // The same number of tensors after every update (Adam's moments exist from update 1).
    expect(new Set(r.tensors)).toEqual(new Set([r.tensors[0]]));
    expect(r.evaluations.map((e) => e.update)).toEqual([0, 15, 30]);
    for (const e of r.evaluations) {
      expect(e.accuracy).toBeGreaterThanOrEqual(0);
      expect(e.accuracy).toBeLessThanOrEqual(1);
      expect(e.seconds).toBeGreaterThan(0);
      expect(e.populations.map((p) => `${p.area}/${p.population}:${p.channels}`)).toEqual(["area3/E:4", "area3/I:1", "area4/E:8", "area4/I:2"]);
      for (const p of e.populations) {
        expect(p.gosi).toHaveLength(p.channels);
        expect(p.gosi.filter((g) => g === null)).toHaveLength(p.silent);
        for (const g of p.gosi) if (g !== null) expect(g >= 0 && g <= 1).toBe(true);
        if (p.meanGosi !== null) expect(p.meanGosi >= 0 && p.meanGosi <= 1).toBe(true);
        expect(p.meanGosi === null).toBe(p.silent === p.channels);
      }
    }
    // Learning: the test accuracy rose from about chance (0.025 → 0.175 → 0.45 here).
    expect(r.evaluations[0]!.accuracy).toBeLessThan(0.2);
    expect(r.evaluations.at(-1)!.accuracy).toBeGreaterThan(0.3);
    // E and I keep their signs: every effective kernel >= 0, + from X and E, − from I (W = |W̃|).
    expect(r.dale).toEqual([]);
  }, 300_000);

  it("startConvSelectivity with the same seed gives the same losses and evaluations; another seed other numbers", async () => {
    const s = { ...small, maxUpdates: 6, evalEvery: 6 };
    const one = await record(s);
    const two = await record(s);
    const other = await record({ ...s, seed: 1 });
    expect(two.losses).toEqual(one.losses);
    const strip = (es: ConvEvaluation[]): unknown => es.map(({ seconds: _s, ...rest }) => rest);
    expect(strip(two.evaluations)).toEqual(strip(one.evaluations));
    expect(other.losses).not.toEqual(one.losses);
  }, 300_000);

  it("startConvSelectivity({ constraint: \"projected\" }) keeps every kernel itself >= 0 through the optimiser's projection", async () => {
    const r = await record({ ...small, constraint: "projected", maxUpdates: 8, evalEvery: 8, learningRate: 0.05 });
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.signViolations).toBe(0);
    expect(r.dale).toEqual([]);
  }, 300_000);

  it("startConvSelectivity stops after the current update when the signal aborts, and frees every tensor", async () => {
    const before = tf.memory().numTensors;
    const r = await record({ ...small, maxUpdates: 1000 }, 3);
    expect(r.aborted).toBe(true);
    expect(r.updates).toBe(3);
    expect(r.evaluations.map((e) => e.update)).toEqual([0]);
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);

  it("evaluateConvSelectivity(run, update) recomputes the BatchNorm statistics and measures gOSI exactly as gratingTuning(centreResponses(areaActivity maps)) does", async () => {
    const abort = new AbortController();
    abort.abort();
    const run = startConvSelectivity({ ...small, maxUpdates: 1 }, data, yieldMacrotask, abort.signal);
    try {
      await run.done;
      // getWeights() hands out the variables themselves: read, do not dispose.
      const movingMean = Array.from(run.model.getLayer("area1_bn").getWeights()[2]!.dataSync());
      // recomputeBatchNormStatistics replaced the initial moving mean (zeros).
      expect(movingMean.some((m) => m !== 0)).toBe(true);
      const e = await evaluateConvSelectivity(run, 7);
      expect(e.update).toBe(7);
      // The reference: full maps of every grating at once, read back, centre unit averaged over steps.
      const g = convGratings(small);
      const x = tf.tensor4d(g.images, [g.count, 16, 16, 1]);
      const act = areaActivity(run.model, run.config, x);
      x.dispose();
      for (const a of act) {
        for (const [type, maps] of Object.entries(a.maps)) {
          const r = centreResponses(maps.map((m) => ({ data: m.dataSync(), shape: m.shape })));
          tf.dispose(maps);
          const tuning = gratingTuning(r, g);
          const mine = e.populations.find((p) => p.area === a.area && p.population === type)!;
          expect(mine.gosi.map((v) => (v === null ? null : +v.toFixed(6)))).toEqual(Array.from(tuning.gosi, (v) => (Number.isFinite(v) ? +v.toFixed(6) : null)));
        }
      }
      expect(recurrentCells(run.model)).toHaveLength(2);
    } finally {
      disposeConvSelectivity(run);
    }
  }, 300_000);

  it.each([
    [{ learningRate: 0 }, /learningRate must be a finite number > 0; got 0/],
    [{ testBatch: 15 }, /testImages must be a multiple of testBatch = 15 in \[1, 40\]; got 40/],
    [{ gratingBatch: 5 }, /gratingBatch must be a divisor of the 24 gratings; got 5/],
    [{ batchNormImages: 12 }, /batchNormImages must be a multiple of batchSize = 8 in \[8, trainImages\]; got 12/],
    [{ trainImages: 500 }, /trainImages must be an integer in \[batchSize = 8, 160\]; got 500/],
    [{ optimizer: "sgd" as "adam" }, /optimizer must be "momentum" or "adam"; got "sgd"/],
  ])("startConvSelectivity({ ...settings, %j }) throws a RangeError naming the value", (patch, message) => {
    const before = tf.memory().numTensors;
    expect(() => startConvSelectivity({ ...small, ...patch }, data, yieldMacrotask, new AbortController().signal)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });
});
