import { colEiRnnInit, dannRnnInit, standardRnnInit } from "@dale-nn/ei-init";

/** The recurrent models of Li et al. (2023) compared in Table 3 and Fig. 3. */
export type RnnModel = "rnn" | "colei" | "dann";
export const RNN_MODELS: readonly RnnModel[] = ["rnn", "colei", "dann"];

/**
 * The recurrent weight matrix W of one model at initialisation, row-major float64 (Li et al. 2023,
 * Sec. 2.2): standard Uniform(−1/√n, 1/√n); DANN W_EE − W_EI W_IE; ColEI column-signed
 * exponential with zero diagonal. NSE is invariant to scaling, so the ColEI rescale to ρ = 1.5
 * (which needs eigenvalues) is skipped here.
 */
export function initialRecurrentMatrix(model: RnnModel, n: number, fraction: number, seed: number): { data: Float64Array; ni: number } {
  const ni = Math.max(1, Math.round(fraction * n));
  if (model === "rnn") return { data: Float64Array.from(standardRnnInit({ inputs: 1, hidden: n, seed }).w.values), ni: 0 };
  if (model === "colei") {
    const p = colEiRnnInit({ inputs: 1, hidden: n, ni, seed, firstLayer: { inputMean: 0 } });
    return { data: Float64Array.from(p.w.values), ni };
  }
  const p = dannRnnInit({ inputs: 1, ne: n, ni, seed });
  const { ee, ie, ei } = p.w;
  const data = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let k = 0; k < ni; k++) s += (ei.values[r * ni + k] as number) * (ie.values[k * n + c] as number);
      data[r * n + c] = (ee.values[r * n + c] as number) - s;
    }
  }
  return { data, ni };
}
