import { colEiRnnInit, dannRnnInit, standardRnnInit } from "@dale-nn/ei-init";
import { eigenvalues, histogram, normalisedSvdEntropyFromSingularValues, singularValues, spectralRadius, type Eigenvalues, type Histogram } from "@dale-nn/spectra";

export type RecurrentKind = "standard" | "colei" | "dann";
export const RECURRENT_KINDS: readonly RecurrentKind[] = ["standard", "colei", "dann"];
export const RECURRENT_LABELS: Record<RecurrentKind, string> = { standard: "Standard RNN", colei: "ColEI RNN", dann: "DANN RNN" };

/** One recurrent matrix at initialisation and its spectra. */
export interface SpectrumSummary {
  kind: RecurrentKind;
  /** Rows = columns of W. */
  n: number;
  /** Excitatory and inhibitory units behind W (standard: n, 0). */
  ne: number;
  ni: number;
  eig: Eigenvalues;
  singular: Float64Array;
  hist: Histogram;
  nse: number;
  radius: number;
}

/**
 * The split of n units for an E:I ratio r (n_i = ceil(n / (r + 1)), Cornford et al. 2021 eq. 19),
 * as the ColEI network uses it.
 */
export function eiSplit(n: number, ratio: number): { ne: number; ni: number } {
  const ni = Math.max(1, Math.ceil(n / (ratio + 1)));
  return { ne: n - ni, ni };
}

const radiusOf = (data: Float64Array, n: number): number => spectralRadius({ data, rows: n, cols: n });

/**
 * The recurrent weight matrix W of one layer at initialisation (Li et al. 2023, Sec. 2.2),
 * row-major n x n:
 * - standard: U(−1/√n, 1/√n);
 * - ColEI: n units, the last n_i columns inhibitory, zero diagonal, rescaled to ρ = 1.5;
 * - DANN: W = W_EE − W_EI W_IE with n excitatory units and n_i = ceil(n / r) inhibitory ones.
 */
export function recurrentMatrix(kind: RecurrentKind, n: number, ratio: number, seed: number): { data: Float64Array; ne: number; ni: number } {
  if (kind === "standard") {
    return { data: Float64Array.from(standardRnnInit({ inputs: 1, hidden: n, seed }).w.values), ne: n, ni: 0 };
  }
  if (kind === "colei") {
    const { ni } = eiSplit(n, ratio);
    const p = colEiRnnInit({ inputs: 28, hidden: n, ni, seed, firstLayer: { inputMean: 0.1307 }, rho: 1.5, spectralRadius: radiusOf });
    return { data: Float64Array.from(p.w.values), ne: p.ne, ni };
  }
  const ni = Math.max(1, Math.ceil(n / ratio));
  const { w } = dannRnnInit({ inputs: 1, ne: n, ni, seed });
  const out = new Float64Array(n * n);
  const ee = w.ee.values, ei = w.ei.values, ie = w.ie.values;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      let inh = 0;
      for (let k = 0; k < ni; k++) inh += (ei[r * ni + k] as number) * (ie[k * n + c] as number);
      out[r * n + c] = (ee[r * n + c] as number) - inh;
    }
  }
  return { data: out, ne: n, ni };
}

/** Eigenvalues, singular values, their histogram and the normalised SVD entropy (eq. 4) of one matrix. */
export function summarise(kind: RecurrentKind, n: number, ratio: number, seed: number, bins = 30): SpectrumSummary {
  const { data, ne, ni } = recurrentMatrix(kind, n, ratio, seed);
  const m = { data, rows: n, cols: n };
  const eig = eigenvalues(m);
  const singular = singularValues(m);
  let radius = 0;
  for (let i = 0; i < eig.re.length; i++) radius = Math.max(radius, Math.hypot(eig.re[i] as number, eig.im[i] as number));
  return { kind, n, ne, ni, eig, singular, hist: histogram(singular, { bins }), nse: normalisedSvdEntropyFromSingularValues(singular), radius };
}
