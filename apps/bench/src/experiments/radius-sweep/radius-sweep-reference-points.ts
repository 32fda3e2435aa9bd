import type { MeanStd } from "../../report/mean-std.js";

/**
 * The four points the reference's Fig. 9 notebook marks on its figure, with their test error (%):
 * the standard RNN at the radii of three common inits (PyTorch's default, ρ ≈ 1/√3; Xavier, ρ = 1;
 * He, ρ ≈ √2) and ColEI at its default ρ = 1.5 ("Song"), from the `ax.plot(x, y, 'o')` calls of
 * analysis_in_notebooks/Spectrum_Sweep_SeqMNIST_1layer.ipynb (cell 6). The paper gives Fig. 9 as a
 * plot only; these are the only numbers of it in the reference repository. Its RNN is the sweep's
 * sign-frozen one (radius-sweep-grid's rnn-signfrozen).
 */
export const REFERENCE_FIG9_POINTS: readonly { label: string; model: "rnn" | "colei"; rho: number; errorPercent: number }[] = [
  { label: "PyTorch init", model: "rnn", rho: 1 / Math.sqrt(3), errorPercent: 2.264 },
  { label: "Xavier init", model: "rnn", rho: 1, errorPercent: 2.454 },
  { label: "He init", model: "rnn", rho: Math.SQRT2, errorPercent: 3.006 },
  { label: "ColEI default", model: "colei", rho: 1.5, errorPercent: 4.496 },
];

/** Our radii match a reference point's when they agree to 3 significant digits (0.577 for 1/√3, 1.414 for √2). */
const sameRadius = (a: number, b: number): boolean => a.toPrecision(3) === b.toPrecision(3);

/**
 * One sentence comparing the reference's marked Fig. 9 points with ours at the same ρ: for each
 * point, our best setting's mean ± std (the sign-frozen RNN's too for the RNN points), or "not run".
 *
 * @param best - per model and ρ, our chosen setting's final test error (%)
 */
export function referencePointSentence(best: ReadonlyArray<{ model: string; rho: number; error: MeanStd }>): string {
  const ours = (model: string, rho: number) => best.find((s) => s.model === model && sameRadius(s.rho, rho) && Number.isFinite(s.error.mean))?.error;
  const cell = (m: MeanStd | undefined) => (m === undefined ? "not run" : `${m.mean.toFixed(2)}${Number.isFinite(m.std) ? ` ± ${m.std.toFixed(2)}` : ""}%`);
  const parts = REFERENCE_FIG9_POINTS.map((p) => {
    const rho = p.rho === 1 || p.rho === 1.5 ? String(p.rho) : p.rho.toFixed(3);
    return p.model === "rnn"
      ? `${p.label} (RNN, ρ = ${rho}): ${p.errorPercent}% against ours ${cell(ours("rnn", p.rho))} free, ${cell(ours("rnn-signfrozen", p.rho))} sign-frozen`
      : `${p.label} (ColEI, ρ = ${rho}): ${p.errorPercent}% against ours ${cell(ours("colei", p.rho))}`;
  });
  return `The reference's notebook marks four points of its Fig. 9 (the only numbers of the figure): ${parts.join("; ")}.`;
}
