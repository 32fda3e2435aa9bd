import type { Variable } from "@tensorflow/tfjs-core";
import type { ConvCellOptions } from "./conv-cell-options.js";
import type { LayerArgs } from "./internal/conv-rnn-layer.js";

/** Arguments shared by the recurrent conv layers. */
export interface ConvRnnArgs extends LayerArgs, ConvCellOptions {
  /** T, the number of unrolled steps (4 for CIFAR-10, 5 for ImageNet). BatchNorm has parameters per step. */
  timeSteps: number;
  /** BatchNorm on C_t (Standard) / Curr_E (StandardEI), separate per step; default true. */
  batchNorm?: boolean;
  /** BatchNorm moving-average decay; default 0.997. */
  batchNormMomentum?: number;
  /** BatchNorm ε; default 1e-5. */
  batchNormEpsilon?: number;
  /** Return the output of every step, [B, T, H, W, C] (true), or only the last, [B, H, W, C] (false, default). */
  returnSequences?: boolean;
  /** Seed (required): each weight gets `deriveSeed(seed, weightName)`. */
  seed: number;
}

/**
 * One separable-conv connection of a cell, with its trainable kernels: what a connection-density
 * analysis (paper 002, Sec. 2 and App. A) reads. `sign` is the sign of the connection's effect in
 * the cell equations (+1 excitatory, −1 inhibitory; the multiplicative input gate of the Standard
 * cell counts as inhibitory).
 */
export interface ConvConnection {
  readonly name: string;
  readonly source: string;
  readonly target: string;
  readonly sign: 1 | -1;
  readonly depthwise: Variable;
  readonly pointwise: Variable;
}

