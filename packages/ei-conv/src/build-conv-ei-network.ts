import { tensor, tidy, type Variable } from "@tensorflow/tfjs-core";
import { layers as tfl, sequential, type Sequential } from "@tensorflow/tfjs-layers";
import { deriveSeed } from "@dale-nn/ei-init";
import { tagParameter, type ParamRole } from "@dale-nn/core";
import { validateNetworkConfig, type ConvEiNetworkConfig } from "./network-config.js";
import { glorotUniformKernel, varianceScalingFanInKernel } from "./conv-init.js";
import { CONV_BATCH_NORM_EPSILON, CONV_BATCH_NORM_MOMENTUM } from "./conv-batch-norm.js";
import { StandardConvRnn } from "./standard-conv-rnn-layer.js";
import { StandardEiConvRnn } from "./standard-ei-conv-rnn-layer.js";
import { StepMaxPool } from "./step-max-pool-layer.js";
import { StepReadout } from "./step-readout-layer.js";

type AnyLayer = ReturnType<typeof tfl.dense>;

function writeAndTag(layer: AnyLayer, values: Array<{ values: Float32Array; shape: readonly number[] } | null>, roles: ParamRole[], sizes: { d: number; ne: number; ni: number }): void {
  const weights = layer.trainableWeights;
  tidy(() => {
    weights.forEach((lv, k) => {
      const v = values[k];
      if (v) lv.write(tensor(v.values, [...v.shape], "float32"));
    });
  });
  weights.forEach((lv, k) => {
    tagParameter(lv.read() as Variable, { role: roles[k] ?? "free", constraint: { kind: "free" }, layer: layer.name, sizes });
  });
}

/**
 * Builds a convolutional recurrent E/I network of paper 002 (Fig. 1, App. A) from a
 * configuration ({@link cifar10NetworkConfig}, {@link imagenetNetworkConfig}):
 *
 * - feedforward areas: `conv2d` 3 × 3 SAME without bias (variance-scaling fan-in init) →
 *   `batchNormalization` (decay 0.997, ε 1e-5) → ReLU → 3 × 3 SAME max-pool with the area's stride;
 * - recurrent areas: {@link StandardConvRnn} or {@link StandardEiConvRnn} unrolled for T steps
 *   from zero states; the first reads the feedforward output, computed once, at every step; each
 *   later area reads the previous area's pooled output of the same step; {@link StepMaxPool}
 *   (3 × 3, stride 2) after each;
 * - readout: LastT (the last step's pooled output; the last area then returns only its last step)
 *   or SumT ({@link StepReadout} "sum"), → global average pool → dense(classes) (Glorot-uniform,
 *   bias 0), logits (use a softmax cross-entropy loss).
 *
 * Every trainable variable is tagged with a role and sign constraint (feedforward conv and dense
 * kernels `weight`, biases `bias`, BatchNorm γ / β `free`; the cells tag their own). Seeded:
 * area k's weights come from `deriveSeed(config.seed, "area", k)`.
 *
 * @param config - the network configuration
 * @returns a built `tf.Sequential` mapping [batch, H, W, C] images to [batch, classes] logits
 * @throws TypeError / RangeError naming a bad configuration field
 * @example
 * const model = buildConvEiNetwork(cifar10NetworkConfig({ seed: 1 }));
 */
export function buildConvEiNetwork(config: ConvEiNetworkConfig): Sequential {
  validateNetworkConfig(config, "buildConvEiNetwork");
  const model = sequential({ name: config.name.replace(/[^A-Za-z0-9_]/g, "_") });
  const [h0, w0, c0] = config.inputShape;
  let c = c0;
  let area = 1;
  const seedOf = (k: number): number => deriveSeed(config.seed, "area", k);
  const first = (): { inputShape: number[] } | Record<string, never> => (model.layers.length === 0 ? { inputShape: [h0, w0, c0] } : {});
  for (const a of config.feedforward) {
    const conv = tfl.conv2d({ filters: a.channels, kernelSize: 3, padding: "same", useBias: false, name: `area${area}_conv`, ...first() });
    model.add(conv);
    const bn = tfl.batchNormalization({ axis: -1, momentum: CONV_BATCH_NORM_MOMENTUM, epsilon: CONV_BATCH_NORM_EPSILON, name: `area${area}_bn` });
    model.add(bn);
    model.add(tfl.activation({ activation: "relu", name: `area${area}_relu` }));
    model.add(tfl.maxPooling2d({ poolSize: 3, strides: a.poolStride, padding: "same", name: `area${area}_pool` }));
    const sizes = { d: c, ne: a.channels, ni: 0 };
    writeAndTag(conv as unknown as AnyLayer, [varianceScalingFanInKernel(seedOf(area), [3, 3, c, a.channels])], ["weight"], sizes);
    writeAndTag(bn as unknown as AnyLayer, [null, null], ["free", "free"], sizes);
    c = a.channels;
    area++;
  }
  config.recurrent.forEach((a, k) => {
    const last = k === config.recurrent.length - 1;
    const common = {
      timeSteps: config.timeSteps,
      ...config.cellOptions,
      batchNorm: config.batchNorm,
      returnSequences: !last || config.readout === "sum",
      seed: seedOf(area),
      name: `area${area}_cell`,
      ...first(),
    };
    model.add(
      config.cell === "standard"
        ? new StandardConvRnn({ ...common, principalChannels: a.principal, inputGateChannels: a.interneurons, outputGateChannels: a.interneurons })
        : new StandardEiConvRnn({ ...common, principalChannels: a.principal, interneuronChannels: a.interneurons }),
    );
    model.add(new StepMaxPool({ poolSize: 3, strides: a.poolStride, name: `area${area}_pool` }));
    c = a.principal;
    area++;
  });
  if (config.readout === "sum") model.add(new StepReadout({ mode: "sum", name: "readout_sum" }));
  model.add(tfl.globalAveragePooling2d({ name: "readout_gap" }));
  const dense = tfl.dense({ units: config.classes, name: "readout_dense" });
  model.add(dense);
  writeAndTag(dense, [glorotUniformKernel(deriveSeed(config.seed, "readout"), [c, config.classes]), null], ["weight", "bias"], { d: c, ne: config.classes, ni: 0 });
  return model;
}
