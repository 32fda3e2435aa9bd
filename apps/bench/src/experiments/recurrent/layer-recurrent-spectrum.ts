import type { EiRnn } from "@dale-nn/ei-layers";
import { normalisedSvdEntropyFromSingularValues, singularValues, spectralRadius } from "@dale-nn/spectra";

/** The spectrum of a recurrent layer's effective W (composed for DANN), as the sweeps record it at initialisation. */
export interface LayerRecurrentSpectrum {
  /** Normalised SVD entropy of W (Li et al. 2023, eq. 8). */
  nse: number;
  /** Largest singular value σ_max of W. */
  sigmaMax: number;
  /** Spectral radius of W (largest |eigenvalue|). */
  radius: number;
}

/** Reads the layer's effective W (float64) and returns its NSE, σ_max and spectral radius; no tensor is left behind. */
export function layerRecurrentSpectrum(layer: EiRnn): LayerRecurrentSpectrum {
  const n = layer.units;
  const eff = layer.effectiveWeights();
  const w = Float64Array.from(eff.w.dataSync());
  eff.u.dispose();
  eff.w.dispose();
  eff.bias.dispose();
  const s = singularValues({ data: w, rows: n, cols: n });
  return { nse: normalisedSvdEntropyFromSingularValues(s), sigmaMax: s[0]!, radius: spectralRadius({ data: w, rows: n, cols: n }) };
}
