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

/** Whether a run used the default clipping (global norm {@link TRANSPLANT_DEFAULT_CLIP}): the runs of Table 1 and Fig. 4 C. */
export function hasDefaultClipping(r: { clipping: { maxNorm: number; scope: string } | null }): boolean {
  return r.clipping !== null && r.clipping.scope === "global" && r.clipping.maxNorm === TRANSPLANT_DEFAULT_CLIP;
}
