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
