import type { InitArray } from "./init-array.js";
import { toRandomSource, type RandomSource } from "./random-source.js";
import { formatValue, requireInteger } from "@dale-nn/core/validation";

/**
 * Connection probabilities between the cell types, by presynaptic → postsynaptic type
 * (1 = all-to-all, 0 = none; e.g. `fromItoI: 0` for no I→I, `fromEtoI: 0.5` for sparse E→I).
 */
export interface TypeDensities {
  readonly fromEtoE?: number;
  readonly fromEtoI?: number;
  readonly fromItoE?: number;
  readonly fromItoI?: number;
}

/** Options of {@link typeConnectivityMask}. */
export interface TypeConnectivityMaskOptions {
  /** Excitatory units (the first n_e). */
  ne: number;
  /** Inhibitory units (the last n_i). */
  ni: number;
  /** Densities per block; each default 1. */
  density?: TypeDensities;
  /** Allow self-connections (the diagonal); default false. */
  autapses?: boolean;
  /** Seed or source of the Bernoulli draws (needed when a density is strictly between 0 and 1). */
  seed?: number | RandomSource;
}

const KEYS = ["fromEtoE", "fromEtoI", "fromItoE", "fromItoI"] as const;

/**
 * A 0 / 1 recurrent connectivity mask C, [n, n] "post x pre", for type-specific connectivity
 * (PsychRNN's `rec_connectivity`, pycog's `Cmask`): C_ij ~ Bernoulli(p_{type(j)→type(i)}), with the
 * diagonal 0 unless `autapses`. Multiply the recurrent weights by C at every forward pass.
 *
 * @param options - see {@link TypeConnectivityMaskOptions}
 * @returns the mask as an {@link InitArray} of 0s and 1s
 * @throws RangeError on a density outside [0, 1] (naming the block), bad sizes, or a fractional
 *   density without a seed
 * @example
 * const c = typeConnectivityMask({ ne: 40, ni: 10, density: { fromItoI: 0, fromEtoI: 0.5 }, seed: 0 });
 */
export function typeConnectivityMask(options: TypeConnectivityMaskOptions): InitArray {
  const context = "typeConnectivityMask";
  const ne = requireInteger(context, "ne", options.ne, 0);
  const ni = requireInteger(context, "ni", options.ni, 0);
  const n = ne + ni;
  if (n < 1) throw new RangeError(`${context}: ne + ni must be >= 1; got ${ne} + ${ni}`);
  const p: Record<(typeof KEYS)[number], number> = { fromEtoE: 1, fromEtoI: 1, fromItoE: 1, fromItoI: 1 };
  for (const key of KEYS) {
    const v = options.density?.[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new RangeError(`${context}: density.${key} must be a number in [0, 1]; got ${formatValue(v)}`);
    p[key] = v;
  }
  const needsRng = KEYS.some((k) => p[k] > 0 && p[k] < 1);
  const rng = needsRng ? toRandomSource(options.seed, context) : undefined;
  const values = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j && !options.autapses) continue;
      const key = j < ne ? (i < ne ? "fromEtoE" : "fromEtoI") : i < ne ? "fromItoE" : "fromItoI";
      const q = p[key];
      values[i * n + j] = q >= 1 ? 1 : q <= 0 ? 0 : rng!.uniform() < q ? 1 : 0;
    }
  }
  return { values, shape: [n, n] };
}
