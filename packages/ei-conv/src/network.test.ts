import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { parameterMeta, taggedParameters } from "@dale-nn/core";
import { buildConvEiNetwork } from "./build-conv-ei-network.js";
import { describeNetwork } from "./describe-network.js";
import { channelSweepConfigs, cifar10NetworkConfig, CONV_NETWORK_VARIANTS, imagenetNetworkConfig, type ConvNetworkVariant } from "./network-config.js";
import { StandardConvRnn } from "./standard-conv-rnn-layer.js";

const trainableCount = (m: tf.LayersModel): number => m.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => (a ?? 1) * (b ?? 1), 1)!, 0);

describe("the paper's networks", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  it("describeNetwork(cifar10NetworkConfig()) gives the Standard CIFAR-10 network 107,098 trainable parameters (App. K: ~107K), BatchNorm counted per step", () => {
    const d = describeNetwork(cifar10NetworkConfig());
    console.log(d.summary);
    expect(d.totalParameters).toBe(107_098);
    expect(d.areas.map((a) => [a.name, a.parameters.total])).toEqual([
      ["area1", 464],
      ["area2", 4672],
      ["area3", 21952],
      ["area4", 78720],
      ["readout", 1290],
    ]);
    expect(d.areas.map((a) => a.outputShape.join("x"))).toEqual(["32x32x16", "16x16x32", "8x8x64", "4x4x128", "1x1x10"]);
    const area3 = d.areas[2]!.parameters;
    expect(area3).toMatchObject({ kernels: 21152, biases: 288, forget: 0, batchNorm: 512, nonTrainable: 512 });
    // BatchNorm once instead of per step would give 105,946: App. K's "~107K" needs it per step.
    const perStep = (3 / 4) * (d.areas[2]!.parameters.batchNorm + d.areas[3]!.parameters.batchNorm);
    expect(d.totalParameters - perStep).toBe(105_946);
    expect(describeNetwork(cifar10NetworkConfig({ batchNorm: false })).totalParameters).toBe(107_098 - 512 - 1024);
    expect(describeNetwork(cifar10NetworkConfig({ variant: "StandardEI" })).totalParameters).toBe(59_290);
    expect(describeNetwork(imagenetNetworkConfig()).areas.map((a) => a.outputShape.join("x"))).toEqual(["128x128x64", "64x64x128", "32x32x256", "16x16x256", "8x8x512", "1x1x1000"]);
  });

  it("buildConvEiNetwork(cifar10NetworkConfig()) has exactly describeNetwork's weights, every one tagged, and maps [batch, 32, 32, 3] to [batch, 10]", () => {
    const config = cifar10NetworkConfig({ seed: 2 });
    const model = buildConvEiNetwork(config);
    const d = describeNetwork(config);
    expect(trainableCount(model)).toBe(d.totalParameters);
    expect(model.weights.length - model.trainableWeights.length).toBe(2 * 2 + 2 * 2 * 4);
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    const tagged = taggedParameters(model);
    expect(tagged.length).toBe(model.trainableWeights.length);
    const conv = model.getLayer("area1_conv").trainableWeights[0]!.read() as tf.Variable;
    expect(parameterMeta(conv)).toMatchObject({ role: "weight", constraint: { kind: "free" } });
    const dense = model.getLayer("readout_dense").trainableWeights;
    expect(parameterMeta(dense[1]!.read() as tf.Variable)).toMatchObject({ role: "bias" });
    expect(Math.max(...(dense[0]!.read().dataSync() as Float32Array).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 138));
    const cell = model.getLayer("area3_cell") as StandardConvRnn;
    expect(cell.timeSteps).toBe(4);
    expect(cell.returnSequences).toBe(true);
    expect((model.getLayer("area4_cell") as StandardConvRnn).returnSequences).toBe(false);
    // The same seed builds the same network; another seed another one.
    const again = buildConvEiNetwork(cifar10NetworkConfig({ seed: 2 }));
    const other = buildConvEiNetwork(cifar10NetworkConfig({ seed: 3 }));
    expect(Array.from(again.trainableWeights[0]!.read().dataSync())).toEqual(Array.from(model.trainableWeights[0]!.read().dataSync()));
    expect(Array.from(other.trainableWeights[0]!.read().dataSync())).not.toEqual(Array.from(model.trainableWeights[0]!.read().dataSync()));
    [model, again, other].forEach((m) => m.dispose());
  });

  it("a network of one time step trains (tfjs cannot differentiate an unstack into one tensor; unstackSteps can): finite gradients, both cells, both readouts", () => {
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, "float32", 2);
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 7], "int32"), 10));
    for (const variant of ["Standard", "StandardEI"] as const) {
      for (const readout of ["last", "sum"] as const) {
        const base = cifar10NetworkConfig({ variant, readout, principal: 4, interneurons: 2, timeSteps: 1, seed: 3 });
        const model = buildConvEiNetwork({ ...base, inputShape: [8, 8, 3], feedforward: [{ channels: 3, poolStride: 1 }, { channels: 4, poolStride: 2 }] });
        const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
        // With one step from zero states the recurrent kernels of StandardEI (which skips the zero
        // state at t = 0) get no gradient; every variable that has one must have a finite one.
        expect(Object.keys(grads).length, `${variant}/${readout}`).toBeGreaterThanOrEqual(variant === "Standard" ? vars.length : vars.length - 16);
        for (const g of Object.values(grads)) expect(Array.from(g.dataSync()).every(Number.isFinite), `${variant}/${readout}`).toBe(true);
        tf.dispose([value, ...Object.values(grads)]);
        model.dispose();
      }
    }
    tf.dispose([x, labels]);
  });

  it("every named variant, both readouts and the channel sweep build small networks whose forward pass (training and inference) gives finite [batch, classes] logits", () => {
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, "float32", 1);
    for (const variant of Object.keys(CONV_NETWORK_VARIANTS) as ConvNetworkVariant[]) {
      for (const readout of ["last", "sum"] as const) {
        const base = cifar10NetworkConfig({ variant, readout, principal: 4, interneurons: 2, timeSteps: 2, seed: 1 });
        const config = { ...base, inputShape: [8, 8, 3] as const, feedforward: [{ channels: 3, poolStride: 1 }, { channels: 4, poolStride: 2 }] };
        const model = buildConvEiNetwork(config);
        expect(trainableCount(model), `${variant}/${readout}`).toBe(describeNetwork(config).totalParameters);
        const y = tf.tidy(() => model.apply(x, { training: true }) as tf.Tensor);
        const y2 = tf.tidy(() => model.predict(x) as tf.Tensor);
        expect(y.shape).toEqual([2, 10]);
        expect(Array.from(y.dataSync()).every(Number.isFinite), `${variant}/${readout}`).toBe(true);
        expect(Array.from(y2.dataSync()).every(Number.isFinite), `${variant}/${readout}`).toBe(true);
        tf.dispose([y, y2]);
        model.dispose();
      }
    }
    x.dispose();
    const grid = channelSweepConfigs([2, 8], [1, 4]);
    expect(grid.map((c) => c.recurrent.map((a) => `${a.principal}/${a.interneurons}`).join(" "))).toEqual(["2/1 4/2", "2/4 4/8", "8/1 16/2", "8/4 16/8"]);
    expect(cifar10NetworkConfig({ principal: 32, eiRatio: 2 }).recurrent[0]).toEqual({ principal: 32, interneurons: 16, poolStride: 2 });
    expect(cifar10NetworkConfig({ scale: 0.5 }).recurrent[1]).toEqual({ principal: 64, interneurons: 16, poolStride: 2 });
    expect(cifar10NetworkConfig({ variant: "StandardEI", cellOptions: { constraint: "projected" } })).toMatchObject({ cell: "standard-ei", cellOptions: { constraint: "projected" } });
  });

  it("a small built network trains with model.trainOnBatch: finite loss, and fit's training mode updates the cells' per-step moving statistics", async () => {
    const base = cifar10NetworkConfig({ principal: 4, interneurons: 1, timeSteps: 2, seed: 4 });
    const config = { ...base, inputShape: [8, 8, 3] as const, feedforward: [{ channels: 3, poolStride: 1 }, { channels: 4, poolStride: 2 }] };
    const model = buildConvEiNetwork(config);
    model.compile({ optimizer: tf.train.sgd(0.05), loss: (y: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, logits) });
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, "float32", 5);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3], "int32"), 10));
    const cell = model.getLayer("area3_cell");
    const movingBefore = Array.from(cell.weights.find((w) => w.originalName.endsWith("bn_moving_mean_t1"))!.read().dataSync());
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) losses.push(Number(await model.trainOnBatch(x, y)));
    expect(losses.every(Number.isFinite)).toBe(true);
    const movingAfter = Array.from(cell.weights.find((w) => w.originalName.endsWith("bn_moving_mean_t1"))!.read().dataSync());
    expect(movingAfter).not.toEqual(movingBefore);
    tf.dispose([x, y]);
    model.optimizer.dispose();
    model.dispose();
  });

  it("the network configurations reject bad options, naming the value", () => {
    expect(() => cifar10NetworkConfig({ variant: "Fancy" as never })).toThrow(/unknown variant "Fancy"; expected one of Standard, StandardEI/);
    expect(() => cifar10NetworkConfig({ variant: "StandardEI", cellOptions: { ablation: "no-og" } })).toThrow(/ablation must be one of "none", "no-i"; got "no-og"/);
    expect(() => cifar10NetworkConfig({ readout: "mean" as never })).toThrow(/readout must be one of "last", "sum"; got "mean"/);
    expect(() => cifar10NetworkConfig({ principal: 0 })).toThrow(/principal must be an integer >= 1; got 0/);
    expect(() => cifar10NetworkConfig({ eiRatio: -4 })).toThrow(/eiRatio must be a finite number > 0; got -4/);
    expect(() => describeNetwork({ ...cifar10NetworkConfig(), inputShape: [32, 0, 3] })).toThrow(/inputShape\[1\] \(width\) must be an integer >= 1; got 0/);
    expect(() => buildConvEiNetwork({ ...cifar10NetworkConfig(), recurrent: [] })).toThrow(/recurrent must list at least one area; got \[\]/);
  });
});
