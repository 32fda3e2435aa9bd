import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { buildConvEiNetwork } from "./build-conv-ei-network.js";
import { cifar10NetworkConfig, type ConvNetworkVariant } from "./network-config.js";
import { recomputeBatchNormStatistics } from "./recompute-batch-norm-statistics.js";
import { StandardConvRnn } from "./standard-conv-rnn-layer.js";
import { CONV_BATCH_NORM_MOMENTUM } from "./conv-batch-norm.js";

function smallNetwork(variant: ConvNetworkVariant, seed: number): tf.Sequential {
  const base = cifar10NetworkConfig({ variant, principal: 4, interneurons: 2, timeSteps: 3, seed });
  return buildConvEiNetwork({ ...base, inputShape: [8, 8, 3], feedforward: [{ channels: 3, poolStride: 1 }, { channels: 4, poolStride: 2 }] });
}

function images(seed: number, batch = 6): tf.Tensor4D {
  return tf.randomNormal([batch, 8, 8, 3], 0.3, 1.2, "float32", seed) as tf.Tensor4D;
}

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe("recomputeBatchNormStatistics (precise BN)", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  for (const variant of ["Standard", "StandardEI"] as const) {
    it(`${variant}: after recomputing on one batch, inference mode on it equals training mode (every BatchNorm, every step); before, it does not`, () => {
      const model = smallNetwork(variant, 3);
      const x = images(11);
      const trainingOut = tf.tidy(() => (model.apply(x, { training: true }) as tf.Tensor).clone());
      // One training-mode call moved the moving statistics by only 0.3%: inference differs.
      const before = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
      expect(maxAbsDiff(before, trainingOut)).toBeGreaterThan(1e-2);
      const info = recomputeBatchNormStatistics(model, [x]);
      expect(info).toEqual({ batches: 1, batchNorms: 4 });
      const after = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
      expect(maxAbsDiff(after, trainingOut)).toBeLessThan(1e-4);
      tf.dispose([x, trainingOut, before, after]);
      model.dispose();
    });
  }

  it("averages the batch means and biased variances over the batches (area 1 checked against the conv output by hand), and restores every decay", () => {
    const model = smallNetwork("Standard", 5);
    const batches = [images(1), images(2, 4), images(3, 5)];
    recomputeBatchNormStatistics(model, batches);
    const conv = model.getLayer("area1_conv");
    const stats = batches.map((x) => tf.tidy(() => tf.moments(conv.apply(x) as tf.Tensor4D, [0, 1, 2])));
    const expectedMean = tf.tidy(() => tf.mean(tf.stack(stats.map((s) => s.mean)), 0));
    const expectedVariance = tf.tidy(() => tf.mean(tf.stack(stats.map((s) => s.variance)), 0));
    const bn = model.getLayer("area1_bn");
    const [movingMean, movingVariance] = bn.getWeights().slice(2);
    expect(maxAbsDiff(movingMean!, expectedMean)).toBeLessThan(1e-5);
    expect(maxAbsDiff(movingVariance!, expectedVariance)).toBeLessThan(1e-4);
    expect((bn as unknown as { momentum: number }).momentum).toBe(CONV_BATCH_NORM_MOMENTUM);
    expect((model.getLayer("area3_cell") as StandardConvRnn).batchNormMomentum).toBe(CONV_BATCH_NORM_MOMENTUM);
    expect((model.getLayer("area3_cell") as StandardConvRnn).getConfig()["batchNormMomentum"]).toBe(CONV_BATCH_NORM_MOMENTUM);
    tf.dispose([...batches, expectedMean, expectedVariance]);
    stats.forEach((s) => tf.dispose([s.mean, s.variance]));
    model.dispose();
  });

  it("leaves the trainable weights alone and touches no BatchNorm when the model has none in the recurrent areas", () => {
    const base = cifar10NetworkConfig({ principal: 4, interneurons: 2, timeSteps: 2, seed: 2, batchNorm: false });
    const model = buildConvEiNetwork({ ...base, inputShape: [8, 8, 3], feedforward: [{ channels: 3, poolStride: 1 }, { channels: 4, poolStride: 2 }] });
    const weightsBefore = model.trainableWeights.map((w) => w.read().clone());
    const x = images(4);
    expect(recomputeBatchNormStatistics(model, [x, x])).toEqual({ batches: 2, batchNorms: 2 });
    model.trainableWeights.forEach((w, k) => expect(maxAbsDiff(w.read(), weightsBefore[k]!)).toBe(0));
    tf.dispose([...weightsBefore, x]);
    model.dispose();
  });

  it("an empty stream or a batch of the wrong rank is a one-line error, the decays restored and the statistics untouched", () => {
    const model = smallNetwork("Standard", 1);
    const mean = () => model.getLayer("area1_bn").getWeights()[2]!.clone();
    const before = mean();
    expect(() => recomputeBatchNormStatistics(model, [])).toThrow(/batches must hold at least one batch; got 0/);
    const flat = tf.zeros([2, 192]);
    expect(() => recomputeBatchNormStatistics(model, [flat])).toThrow(/batch 1 must be \[batch, H, W, C\]; got shape \[2, 192\]/);
    expect((model.getLayer("area1_bn") as unknown as { momentum: number }).momentum).toBe(CONV_BATCH_NORM_MOMENTUM);
    const after = mean();
    expect(maxAbsDiff(before, after)).toBe(0);
    tf.dispose([before, after, flat]);
    model.dispose();
  });
});
