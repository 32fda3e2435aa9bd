/**
 * Floating-point operation counts of the `dale-bench perf` training workloads, so a measured
 * throughput (samples/s) can be read as GFLOP/s and compared with the machine's sgemm peak.
 *
 * Only matrix products are counted, at 2·m·n·k flops each (one multiply and one add per term);
 * elementwise work (activations, biases, the DANN divisive normalisation, the loss, the update)
 * is left out, as is usual for "model FLOPs".
 */

import { cifar10NetworkConfig, type ConvEiNetworkConfig } from "@dale-nn/ei-conv";

/** The training workloads of `dale-bench perf`. */
export type TrainingWorkload = "mlp" | "dann" | "rnn" | "ctrnn" | "conv";

/** Sizes of the feedforward workloads: 784 - 3 x 500 - 10 (DANN: 50 inhibitory units per hidden layer, 1 at the output). */
export const FEEDFORWARD_SHAPE = { inputs: 784, hidden: [500, 500, 500], outputs: 10, inhibitory: 50, outputInhibitory: 1 } as const;

/** Sizes of the recurrent workload: row-wise sequential MNIST, 28 steps of 28 inputs, 100 ReLU units, 10 outputs. */
export const RECURRENT_SHAPE = { steps: 28, inputs: 28, units: 100, outputs: 10 } as const;

/**
 * Sizes of the continuous-time workload: a Dale CT-RNN of 100 units (80 E / 20 I) over 50 Euler
 * steps (dt 20 ms, τ 100 ms, so α = 0.2) of 3 inputs, read out to 3 outputs at every step.
 */
export const CT_RNN_SHAPE = { steps: 50, inputs: 3, units: 100, excitatory: 80, outputs: 3, dt: 20, tau: 100 } as const;

/**
 * The network of the `conv` workload: paper 002's CIFAR-10 Standard network (32 × 32 × 3 input,
 * feedforward areas of 16 and 32 channels, recurrent areas of 64 PN + 16 IG + 16 OG and 128 + 32 +
 * 32 channels, 4 time steps, BatchNorm per step, LastT readout to 10 classes).
 */
export const CONV_NETWORK: ConvEiNetworkConfig = cifar10NetworkConfig({ variant: "Standard", seed: 0 });

/**
 * Forward flops per sample of a convolutional recurrent E/I network (Standard cells): 2·m·n·k of
 * every convolution read as a matrix product at the resolution it runs at:
 *
 * - a feedforward area's 3 × 3 conv: 2·H·W·9·C_in·C_out (before its pool);
 * - each 3 × 3 depthwise-separable conv of a recurrent area at H × W: 2·H·W·9·C_src (depthwise)
 *   + 2·H·W·C_src·C_dst (pointwise); per step the PN → f, IG, OG, PN convs and IG → PN, OG → PN;
 *   the X → f, IG, OG, PN convs once for the first recurrent area (its input, the feedforward
 *   output, is the same at every step) and at every step for later ones (they read a sequence);
 * - the readout dense layer 2·C·classes.
 *
 * Element-wise work (gates, BatchNorm, pooling) is left out, as for the other workloads.
 *
 * @param config - the network (only Standard cells)
 * @returns flops per sample of one forward pass
 * @throws TypeError for StandardEI cells
 * @example
 * convNetworkForwardFlops(CONV_NETWORK); // 83,495,424
 */
export function convNetworkForwardFlops(config: ConvEiNetworkConfig): number {
  if (config.cell !== "standard") throw new TypeError(`convNetworkForwardFlops: only Standard cells are counted; got ${JSON.stringify(config.cell)}`);
  let [h, w, c] = config.inputShape;
  let flops = 0;
  for (const a of config.feedforward) {
    flops += 2 * h * w * 9 * c * a.channels;
    c = a.channels;
    h = Math.ceil(h / a.poolStride);
    w = Math.ceil(w / a.poolStride);
  }
  const separable = (hw: number, src: number, dst: number): number => 2 * hw * 9 * src + 2 * hw * src * dst;
  config.recurrent.forEach((a, k) => {
    const hw = h * w;
    const { principal: p, interneurons: g } = a;
    const fromInput = separable(hw, c, p) + separable(hw, c, g) + separable(hw, c, g) + separable(hw, c, p);
    const recurrent = separable(hw, p, p) + separable(hw, p, g) + separable(hw, p, g) + separable(hw, p, p) + separable(hw, g, p) + separable(hw, g, p);
    flops += (k === 0 ? fromInput : config.timeSteps * fromInput) + config.timeSteps * recurrent;
    c = p;
    h = Math.ceil(h / a.poolStride);
    w = Math.ceil(w / a.poolStride);
  });
  return flops + 2 * c * config.classes;
}

/**
 * Forward flops per sample of a dense layer y = W x with W of shape [out, d]: 2·out·d.
 *
 * @param d - input width
 * @param out - output width
 * @returns 2·d·out
 */
export function denseForwardFlops(d: number, out: number): number {
  return 2 * d * out;
}

/**
 * Forward flops per sample of a DANN layer (Cornford et al. 2021, eq. 1):
 * h = g ⊙ (z_E − W_EI z_I) / γ + β with z_E = W_EE x, z_I = W_IE x and γ = W_EI (e^α ⊙ z_I).
 * Four products: W_EE x (2·ne·d), W_IE x (2·ni·d), W_EI z_I and W_EI (e^α ⊙ z_I) (2·ne·ni each).
 *
 * @param d - input width
 * @param ne - excitatory (output) units
 * @param ni - inhibitory units
 * @returns 2·(ne·d + ni·d + 2·ne·ni)
 * @example
 * dannForwardFlops(784, 500, 50); // 2 * (392000 + 39200 + 50000) = 962400
 */
export function dannForwardFlops(d: number, ne: number, ni: number): number {
  return 2 * (ne * d + ni * d + 2 * ne * ni);
}

/**
 * Forward flops per sample of a workload: the sum of 2·m·n·k over its matrix products.
 *
 * - `mlp`: 784·500 + 500·500 + 500·500 + 500·10, times 2.
 * - `dann`: {@link dannForwardFlops} of each layer (the output layer has 10 E and 1 I unit).
 * - `rnn`: per step the input product (100 x 28) and the recurrent product (100 x 100), 28 steps,
 *   plus the readout (10 x 100) from the last state.
 * - `ctrnn`: per step the input product W_in u_t (100 x 3), the recurrent product W_rec φ(v_t)
 *   (100 x 100) and the readout W_out φ(v_t) (3 x 100), 50 steps: T·(2·n·n + 2·n·d + 2·k·n).
 * - `conv`: {@link convNetworkForwardFlops} of {@link CONV_NETWORK} (every convolution as a matrix product).
 *
 * @param workload - "mlp", "dann", "rnn", "ctrnn" or "conv"
 * @returns flops per sample of one forward pass
 * @throws TypeError for an unknown workload
 * @example
 * forwardFlopsPerSample("mlp"); // 2 * 897000 = 1794000
 */
export function forwardFlopsPerSample(workload: TrainingWorkload): number {
  const { inputs, hidden, outputs, inhibitory, outputInhibitory } = FEEDFORWARD_SHAPE;
  const widths = [inputs, ...hidden];
  switch (workload) {
    case "mlp":
      return [...hidden, outputs].reduce((sum, out, i) => sum + denseForwardFlops(widths[i]!, out), 0);
    case "dann":
      return [...hidden, outputs].reduce((sum, ne, i) => sum + dannForwardFlops(widths[i]!, ne, i < hidden.length ? inhibitory : outputInhibitory), 0);
    case "rnn": {
      const { steps, inputs: d, units, outputs: k } = RECURRENT_SHAPE;
      return steps * (denseForwardFlops(d, units) + denseForwardFlops(units, units)) + denseForwardFlops(units, k);
    }
    case "ctrnn": {
      const { steps, inputs: d, units, outputs: k } = CT_RNN_SHAPE;
      return steps * (denseForwardFlops(d, units) + denseForwardFlops(units, units) + denseForwardFlops(units, k));
    }
    case "conv":
      return convNetworkForwardFlops(CONV_NETWORK);
    default:
      throw new TypeError(`forwardFlopsPerSample: unknown workload ${JSON.stringify(workload)}; expected mlp, dann, rnn, ctrnn or conv`);
  }
}

/**
 * Training flops per sample (forward + backward): 3·F. Every forward product Y = X W has two
 * backward products of the same size, dX = dY Wᵀ and dW = Xᵀ dY. (The data-input gradient of the
 * first layer is counted although a framework may skip it; the same count is used for both sides.)
 *
 * @param workload - "mlp", "dann", "rnn", "ctrnn" or "conv"
 * @returns 3 · {@link forwardFlopsPerSample}
 */
export function trainingFlopsPerSample(workload: TrainingWorkload): number {
  return 3 * forwardFlopsPerSample(workload);
}

/**
 * Achieved GFLOP/s of a training throughput.
 *
 * @param workload - "mlp", "dann", "rnn", "ctrnn" or "conv"
 * @param samplesPerSecond - measured training throughput
 * @returns trainingFlopsPerSample · samples/s / 1e9
 * @example
 * achievedGflops("mlp", 1000); // 5.382
 */
export function achievedGflops(workload: TrainingWorkload, samplesPerSecond: number): number {
  return (trainingFlopsPerSample(workload) * samplesPerSecond) / 1e9;
}
