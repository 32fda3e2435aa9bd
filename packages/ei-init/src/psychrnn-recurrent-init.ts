import type { InitArray } from "./init-array.js";
import { toRandomSource, type RandomSource } from "./random-source.js";
import { splitByExcitatoryFraction } from "./excitatory-split.js";
import type { CtRecurrentInit, SpectralRadiusFn } from "./ct-recurrent-init.js";
import { resolveMask, rescaleInPlace } from "./internal/ct-support.js";
import { requirePositive } from "@dale-nn/core/validation";

/** Options of {@link psychRnnRecurrentInit}. */
export interface PsychRnnRecurrentInitOptions {
  units: number;
  /** Dale ratio f (n_e = ⌊f n⌋); default 0.8; null for a matrix without Dale's law. */
  excitatoryFraction?: number | null;
  /** Spectral radius of the raw Gaussian matrix (before the abs and signs); default 1.1 (PsychRNN). */
  rho?: number;
  /** Allow self-connections; default false (PsychRNN's `autapses` defaults to true; Dale networks here default to none). */
  autapses?: boolean;
  /** Connectivity mask C ([n, n] of 0 / 1). */
  mask?: InitArray | ArrayLike<number>;
  /** max |λ| of a row-major square matrix (`spectralRadius` of `@dale-nn/spectra`); required. */
  spectralRadius?: SpectralRadiusFn;
  seed: number | RandomSource;
}

/**
 * PsychRNN's `GaussianSpectralRadius` recipe (Ehrlich et al. 2021, eNeuro 8(1); psychrnn
 * backend/initializations.py): W̃ ~ N(0, 1); under Dale the I columns are multiplied by
 * f / (1 − f) (`balance_dale_ratio`, so that E[Σ_j |W̃_ij| s_j] = 0) and every column by 1 / ‖row of
 * C · diag(that vector)‖; then W̃ is rescaled to spectral radius ρ = 1.1 — **before** the abs and
 * the signs. The effective matrix W_eff = |W̃ ⊙ C| · diag(s) therefore has another radius: its
 * bulk shrinks to ≈ ρ √(1 − 2/π) ≈ 0.66 ρ (the abs keeps √(1 − 2/π) of each entry's spread), but
 * the columns' means are balanced only in expectation, so outliers remain; measured over 20 seeds
 * (ρ = 1.1): mean 0.98 (0.70-1.33) at n = 50, 0.91 (0.71-1.09) at n = 200. `radius` reports the
 * draw's value. Without Dale's law (`excitatoryFraction: null`) this is the plain Gaussian matrix
 * at radius ρ.
 *
 * @param options - see {@link PsychRnnRecurrentInitOptions}
 * @returns magnitudes |W̃ ⊙ C|, the effective matrix, signs, mask, split and the effective radius
 * @throws RangeError on bad sizes, an E fraction leaving no I unit, a bad mask or ρ ≤ 0; TypeError without spectralRadius
 * @example
 * const w = psychRnnRecurrentInit({ units: 50, seed: 0, spectralRadius });
 */
export function psychRnnRecurrentInit(options: PsychRnnRecurrentInitOptions): CtRecurrentInit & { readonly raw: InitArray } {
  const context = "psychRnnRecurrentInit";
  const dale = options.excitatoryFraction !== null;
  const { ne, ni } = dale ? splitByExcitatoryFraction(context, options.units, options.excitatoryFraction ?? 0.8) : { ne: options.units, ni: 0 };
  const n = ne + ni;
  const f = ne / n;
  const rho = requirePositive(context, "rho", options.rho ?? 1.1);
  const rng = toRandomSource(options.seed, context);
  const mask = resolveMask(context, n, options.mask, options.autapses ?? false);
  const raw = new Float32Array(n * n);
  for (let i = 0; i < raw.length; i++) raw[i] = rng.normal() * (mask.values[i] as number) + 0;
  if (dale) {
    const colScale = new Float64Array(n).map((_, j) => (j < ne ? 1 : f / (1 - f)));
    for (let j = 0; j < n; j++) {
      let s2 = 0;
      for (let c = 0; c < n; c++) s2 += ((mask.values[j * n + c] as number) * colScale[c]!) ** 2;
      const k = s2 > 0 ? colScale[j]! / Math.sqrt(s2) : colScale[j]!;
      for (let i = 0; i < n; i++) raw[i * n + j] = (raw[i * n + j] as number) * k;
    }
  }
  rescaleInPlace(context, raw, [], n, rho, options.spectralRadius);
  const signs = new Float32Array(n).map((_, j) => (j < ne ? 1 : -1));
  const magnitudes = Float32Array.from(raw, (v) => Math.abs(v));
  const signed = dale ? Float32Array.from(magnitudes, (v, idx) => v * (signs[idx % n] as number) + 0) : Float32Array.from(raw);
  const radius = options.spectralRadius!(Float64Array.from(signed), n);
  return {
    raw: { values: raw, shape: [n, n] },
    magnitudes: { values: magnitudes, shape: [n, n] },
    signed: { values: signed, shape: [n, n] },
    signs: dale ? signs : new Float32Array(n).fill(1),
    mask,
    ne,
    ni,
    radius,
  };
}
