import { filledArray, type InitArray } from "./init-array.js";
import { toRandomSource, type RandomSource } from "./random-source.js";
import { sampleNormal } from "./samplers.js";
import { requireInteger } from "@dale-nn/core/validation";

/** Options of {@link heNormalInit}. */
export interface HeNormalInitOptions {
  /** Fan-in d. */
  inputs: number;
  /** Output units. */
  outputs: number;
  /** Seed or random source. */
  seed: number | RandomSource;
}

/**
 * He-normal initialisation for the MLP baselines (He et al. 2015): W ~ N(0, 2 / d), bias 0.
 * Untruncated, as PyTorch's `kaiming_normal_` used by the reference code.
 *
 * @param options - sizes and seed
 * @returns W with shape [outputs, inputs] ("post x pre") and a zero bias
 * @throws RangeError on invalid sizes or a missing seed
 * @example
 * const { w, bias } = heNormalInit({ inputs: 784, outputs: 500, seed: 0 });
 */
export function heNormalInit(options: HeNormalInitOptions): { w: InitArray; bias: InitArray } {
  const d = requireInteger("heNormalInit", "inputs", options.inputs, 1);
  const out = requireInteger("heNormalInit", "outputs", options.outputs, 1);
  const rng = toRandomSource(options.seed, "heNormalInit");
  return { w: sampleNormal(rng, [out, d], Math.sqrt(2 / d)), bias: filledArray([out], 0) };
}
