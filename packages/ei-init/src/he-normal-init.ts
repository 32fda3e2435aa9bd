import { filledArray, type InitArray } from "./init-array.js";
import { toRandomSource, type RandomSource } from "./random-source.js";
import { sampleNormal } from "./samplers.js";
import { requireInteger, requirePositive } from "@dale-nn/core/validation";

/** Options of {@link heNormalInit}. */
export interface HeNormalInitOptions {
  /** Fan-in d. */
  inputs: number;
  /** Output units. */
  outputs: number;
  /** Seed or random source. */
  seed: number | RandomSource;
  /** The gain g of std √(g / d); default 2 (He et al. 2015, for ReLU inputs). The reference code of Cornford et al. (2021) uses g = 1 on the first layer, whose inputs are pixels. */
  gain?: number;
}

/**
 * He-normal initialisation for the MLP baselines (He et al. 2015): W ~ N(0, g / d) with gain g = 2
 * by default, bias 0.
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
  const gain = options.gain === undefined ? 2 : requirePositive("heNormalInit", "gain", options.gain);
  const rng = toRandomSource(options.seed, "heNormalInit");
  return { w: sampleNormal(rng, [out, d], Math.sqrt(gain / d)), bias: filledArray([out], 0) };
}
