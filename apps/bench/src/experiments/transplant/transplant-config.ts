/** One of the 2³ configurations of Li et al. (2023), Sec. 2.3.1 / Table 1. */
export interface TransplantConfig {
  /** Whose singular values W starts with. */
  spectrum: "rnn" | "colei";
  /** Whose singular vectors (U, V of the SVD) W starts with. */
  vectors: "rnn" | "colei";
  /** Keep each weight's initial sign during learning (sign-frozen projection). */
  signConstrained: boolean;
}

export const TRANSPLANT_CONFIGS: readonly TransplantConfig[] = (["rnn", "colei"] as const).flatMap((spectrum) =>
  (["rnn", "colei"] as const).flatMap((vectors) => [false, true].map((signConstrained) => ({ spectrum, vectors, signConstrained }))),
);

export function transplantLabel(c: TransplantConfig): string {
  return `${c.vectors === "rnn" ? "RNN" : "ColEI"} vectors + ${c.spectrum === "rnn" ? "RNN" : "ColEI"} spectrum, ${c.signConstrained ? "sign-constrained" : "free"}`;
}

/** The global gradient-norm clipping of our Table 1 runs; `--clip` with another threshold (or none) is named in the run ids and reported apart. */
export const TRANSPLANT_DEFAULT_CLIP = 10;

/**
 * Which weight matrices start transplanted: "recurrent" (Table 1 here: W only, the input weights U
 * and the readout as the standard RNN's) or "all" (the reference code's scripts: U, W and the
 * readout each U_a diag(s_b) V_aᵀ, the input bias ColEI's centring when the spectrum is ColEI's).
 */
export type TransplantLayers = "recurrent" | "all";
export const TRANSPLANT_LAYERS: readonly TransplantLayers[] = ["recurrent", "all"];

/** A run's transplanted matrices ("recurrent" for records written before `--layers`). */
export function transplantLayersOf(r: { variant?: Record<string, string | number | boolean> }): TransplantLayers {
  return r.variant?.layers === "all" ? "all" : "recurrent";
}

/** Whether a run belongs to Table 1 and Fig. 4 C: the default clipping and only W transplanted; the others are reported apart. */
export function isTable1Run(r: { clipping: { maxNorm: number; scope: string } | null; variant?: Record<string, string | number | boolean> }): boolean {
  return hasDefaultClipping(r) && transplantLayersOf(r) === "recurrent";
}

/** Whether a run used the default clipping (global norm {@link TRANSPLANT_DEFAULT_CLIP}): the runs of Table 1 and Fig. 4 C. */
export function hasDefaultClipping(r: { clipping: { maxNorm: number; scope: string } | null }): boolean {
  return r.clipping !== null && r.clipping.scope === "global" && r.clipping.maxNorm === TRANSPLANT_DEFAULT_CLIP;
}
