import { fitPsychometric, type PsychometricFit } from "@dale-nn/tasks";
import type { MixRecord, PsychometricCurve } from "./mix-record.js";

/** One curve of a run with its cumulative-Gaussian fit, or why there is none. */
export interface MixCurveFit {
  key: string;
  variable: string;
  /** The maximum-likelihood fit (no lapse rates); null when the curve cannot be fitted. */
  fit: PsychometricFit | null;
  /** Why `fit` is null (e.g. every test trial made the same choice). */
  reason: string | null;
}

/**
 * The curves of a record: `psychometricCurves`, or (older records) `psychometric` as the one curve
 * (keyed "relevant" for context-dependent decision making, whose psychometric variable it is).
 */
export function recordCurves(r: MixRecord): PsychometricCurve[] {
  if (r.psychometricCurves) return r.psychometricCurves;
  const key = r.task === "context-decision-making" ? "relevant" : "psychometric";
  return r.psychometric ? [{ key, variable: r.psychometricVariable ?? "psychometric variable", points: r.psychometric }] : [];
}

/**
 * Fits P(choice 1 | x) = Φ((x − μ) / σ) by maximum likelihood (`fitPsychometric`, no lapse rates) to
 * each psychometric curve of a run: the counts are k = round(fraction · trials) per level, exactly
 * the test trials' choices. A curve whose trials all made one choice, or with one level, has no fit
 * (`reason` says why); separated curves (step functions) have σ = 0 and `fit.separated`.
 *
 * @example
 * fitRecordCurves(record).map((c) => c.fit?.mu);
 */
export function fitRecordCurves(r: MixRecord): MixCurveFit[] {
  return recordCurves(r).map((c) => {
    try {
      const levels = c.points.map((p) => ({ x: p.x, trials: p.trials, chosen: Math.round(p.fractionChoice1 * p.trials) }));
      return { key: c.key, variable: c.variable, fit: fitPsychometric(levels), reason: null };
    } catch (e) {
      return { key: c.key, variable: c.variable, fit: null, reason: e instanceof Error ? e.message.replace(/^fitPsychometric: /, "") : String(e) };
    }
  });
}
