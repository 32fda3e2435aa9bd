import type { InitArray } from "./init-array.js";
import { toRandomSource, type RandomSource } from "./random-source.js";
import { sampleGamma } from "./gamma-sampler.js";
import { sampleExponential } from "./samplers.js";
import { splitByExcitatoryFraction } from "./excitatory-split.js";
import type { CtRecurrentInit, SpectralRadiusFn } from "./ct-recurrent-init.js";
import { resolveMask, rescaleInPlace } from "./internal/ct-support.js";
import { formatValue, requirePositive } from "@dale-nn/core/validation";

/** Options of {@link pycogRecurrentInit}. */
export interface PycogRecurrentInitOptions {
  /** Units n (E first, then I). */
  units: number;
  /** Excitatory fraction f; n_e = ⌊f n⌋; default 0.8. */
  excitatoryFraction?: number;
  /** Magnitude distribution: "gamma" (default, as pycog) or "exponential". */
  distribution?: "gamma" | "exponential";
  /** Gamma shape k; default 2 (pycog). */
  gammaShape?: number;
  /** Balance each row so that its E and I inputs sum to 0 (pycog); default true. */
  balance?: boolean;
  /** Allow self-connections; default false. */
  autapses?: boolean;
  /** Connectivity mask C ([n, n] of 0 / 1, post x pre), e.g. from `typeConnectivityMask`. */
  mask?: InitArray | ArrayLike<number>;
  /** Target spectral radius ρ₀ of the effective signed matrix; default 1.5 (pycog); null keeps the raw scale. */
  rho?: number | null;
  /** max |λ| of a row-major square matrix (`spectralRadius` of `@dale-nn/spectra`); required unless rho is null. */
  spectralRadius?: SpectralRadiusFn;
  seed: number | RandomSource;
}

/**
 * pycog's recurrent initialisation (Song, Yang & Wang 2016, PLoS Comput Biol 12(2): e1004792,
 * Methods "Initialization"): magnitudes |W_ij| ~ Gamma(k, 1) (k = 2) or Exponential, times the
 * connectivity mask C (no autapses by default); each row balanced, Σ_{j∈I} |W_ij| scaled to equal
 * Σ_{j∈E} |W_ij|, so the inputs to every unit sum to 0 under Dale (W_eff 1 = 0); then the
 * effective matrix W_eff = |W| · diag(s) (s = +1 for the first n_e columns, −1 for the rest) and
 * |W| are scaled by ρ₀ / ρ(W_eff) so that ρ(W_eff) = ρ₀ = 1.5.
 *
 * Rows without any I input (e.g. I units with C's I→I block 0) cannot be balanced and are left
 * as drawn; `unbalancedRows` counts them.
 *
 * @param options - see {@link PycogRecurrentInitOptions}
 * @returns magnitudes, signed matrix, signs, mask, the split and the measured radius
 * @throws RangeError on bad sizes, an E fraction leaving no I unit, a bad mask, k ≤ 0 or ρ ≤ 0;
 *   TypeError when ρ is set without a spectralRadius function
 * @example
 * const w = pycogRecurrentInit({ units: 50, seed: 0, spectralRadius: (d, n) => spectralRadius({ data: d, rows: n, cols: n }) });
 */
export function pycogRecurrentInit(options: PycogRecurrentInitOptions): CtRecurrentInit & { readonly unbalancedRows: number } {
  const context = "pycogRecurrentInit";
  const { ne, ni } = splitByExcitatoryFraction(context, options.units, options.excitatoryFraction ?? 0.8);
  const n = ne + ni;
  const distribution = options.distribution ?? "gamma";
  if (distribution !== "gamma" && distribution !== "exponential") {
    throw new RangeError(`${context}: distribution must be "gamma" or "exponential"; got ${formatValue(distribution)}`);
  }
  const k = requirePositive(context, "gammaShape", options.gammaShape ?? 2);
  const rho = options.rho === undefined ? 1.5 : options.rho;
  if (rho !== null) requirePositive(context, "rho", rho);
  const rng = toRandomSource(options.seed, context);
  const mask = resolveMask(context, n, options.mask, options.autapses ?? false);
  const m = (distribution === "gamma" ? sampleGamma(rng, [n, n], k, 1) : sampleExponential(rng, [n, n], 1)).values;
  for (let i = 0; i < m.length; i++) m[i] = (m[i] as number) * (mask.values[i] as number);
  let unbalancedRows = 0;
  if (options.balance ?? true) {
    for (let i = 0; i < n; i++) {
      let sE = 0;
      let sI = 0;
      for (let j = 0; j < n; j++) (j < ne ? (sE += m[i * n + j]!) : (sI += m[i * n + j]!));
      if (sI > 0 && sE > 0) for (let j = ne; j < n; j++) m[i * n + j] = (m[i * n + j] as number) * (sE / sI);
      else if (sI + sE > 0) unbalancedRows++;
    }
  }
  const signs = new Float32Array(n).map((_, j) => (j < ne ? 1 : -1));
  const signed = Float32Array.from(m, (v, idx) => v * (signs[idx % n] as number) + 0); // + 0: no −0 where C is 0
  const radius = rho === null ? (options.spectralRadius ? options.spectralRadius(Float64Array.from(signed), n) : Number.NaN) : rescaleInPlace(context, signed, [m], n, rho, options.spectralRadius);
  return { magnitudes: { values: m, shape: [n, n] }, signed: { values: signed, shape: [n, n] }, signs, mask, ne, ni, radius, unbalancedRows };
}
