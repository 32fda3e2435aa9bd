import { summarizeOverNetworks, type NetworkSummary } from "@dale-nn/selectivity";
import type { SelectivityRow } from "./analyse-network.js";

const PRINCIPAL = new Set(["PN", "E"]);

/** The four E-I gaps of paper 002 that the findings test, each principal minus interneuron. */
export const FINDING_MEASURES = ["gOSI", "orientation skewness", "image skewness", "density"] as const;
export type FindingMeasure = (typeof FINDING_MEASURES)[number];

/** What the paper reports for each gap (CIFAR-10, 250 epochs). */
const PAPER_CLAIM: Record<FindingMeasure, string> = {
  gOSI: "PN / E more orientation-selective than IG / OG / I in areas 3-4 (Fig. 2b-c)",
  "orientation skewness": "PN / E higher orientation-response skewness (Fig. 2d)",
  "image skewness": "PN / E higher image-response skewness (Fig. 2e-f, 4; experiments ≈ 2.1, App. E)",
  density: "Int→PN (I→E) denser than PN→PN (E→E) (Fig. 3e, 4; experiments ≈ 0.31, App. E)",
};

/** One network-area's gap: principal − interneuron (density: Int→PN − PN→PN). */
function networkGap(rows: readonly SelectivityRow[], measure: FindingMeasure): number | null {
  const pn = rows.filter((r) => PRINCIPAL.has(r.cellType));
  const int = rows.filter((r) => !PRINCIPAL.has(r.cellType));
  if (pn.length === 0 || int.length === 0) return null;
  if (measure === "density") {
    const d = pn[0]!.density;
    const pnToPn = d["PN→PN"] ?? d["E→E"];
    const intToPn = d["Int→PN"] ?? d["I→E"];
    return pnToPn === undefined || intToPn === undefined ? null : intToPn - pnToPn;
  }
  const field = measure === "gOSI" ? "gosi" : measure === "orientation skewness" ? "orientationSkewness" : "imageSkewness";
  const silent = measure === "image skewness" ? "silentOnImages" : "silentOnGratings";
  // The mean over the population's responsive channels: cell types weighted by their responsive channel counts.
  const populationMean = (group: readonly SelectivityRow[]): number | null => {
    let sum = 0;
    let n = 0;
    for (const r of group) {
      const v = r[field] as number | null;
      const responsive = r.channels - (r[silent] as number);
      if (v === null || responsive <= 0) continue;
      sum += v * responsive;
      n += responsive;
    }
    return n > 0 ? sum / n : null;
  };
  const p = populationMean(pn);
  const i = populationMean(int);
  return p === null || i === null ? null : p - i;
}

/** The verdict on a gap from its 95% bootstrap interval over networks. */
export type GapVerdict = "as in the paper" | "opposite to the paper" | "not resolved" | "one network: no interval";

function verdictOf(s: NetworkSummary): GapVerdict {
  if (s.n < 2) return "one network: no interval";
  if (s.lower > 0) return "as in the paper";
  if (s.upper < 0) return "opposite to the paper";
  return "not resolved";
}

/** One finding: a gap of one model and area at initialisation and at the last saved epoch. */
export interface SelectivityFinding {
  model: string;
  area: string;
  measure: FindingMeasure;
  claim: string;
  /** The gap over networks at epoch 0 (null when epoch 0 was not saved). */
  initial: NetworkSummary | null;
  lastEpoch: number;
  last: NetworkSummary;
  /** Interval of the gap at the last epoch, over networks. */
  verdict: GapVerdict;
  /** Per-network growth (last − initial), summarised: positive = the gap grew over training (Fig. 5). */
  growth: NetworkSummary | null;
  growthVerdict: "grew" | "shrank" | "not resolved" | "one network: no interval" | null;
}

/**
 * The paper-002 findings measured on analysed networks: for each model, recurrent area and gap
 * (Δ gOSI, Δ orientation skewness, Δ image skewness: principal − interneuron population mean over
 * responsive channels; Δ density = density(Int→PN) − density(PN→PN)), the mean over networks
 * (seeds) with a 95% percentile bootstrap interval at the last saved epoch and at epoch 0, and
 * the per-network growth from epoch 0 to the last. A gap is "as in the paper" when its interval
 * lies above 0, "opposite" below 0, else "not resolved"; a single network gets no verdict.
 *
 * @param rows - `dale-bench selectivity` rows (any models, seeds, epochs)
 * @param o - bootstrap seed and resamples
 * @returns one finding per (model, area, measure) with at least one network
 */
export function selectivityFindings(rows: readonly SelectivityRow[], o: { seed: number; resamples: number }): SelectivityFinding[] {
  const findings: SelectivityFinding[] = [];
  const models = [...new Set(rows.map((r) => r.model))].sort();
  for (const model of models) {
    const mine = rows.filter((r) => r.model === model);
    const lastEpoch = Math.max(...mine.map((r) => r.epoch));
    const areas = [...new Set(mine.map((r) => r.area))].sort();
    const seeds = [...new Set(mine.map((r) => r.seed))].sort((a, b) => a - b);
    for (const area of areas) {
      for (const measure of FINDING_MEASURES) {
        const gapAt = (epoch: number): Map<number, number> => {
          const out = new Map<number, number>();
          for (const seed of seeds) {
            const g = networkGap(mine.filter((r) => r.area === area && r.seed === seed && r.epoch === epoch), measure);
            if (g !== null && Number.isFinite(g)) out.set(seed, g);
          }
          return out;
        };
        const last = gapAt(lastEpoch);
        if (last.size === 0) continue;
        const initial = lastEpoch > 0 ? gapAt(0) : new Map<number, number>();
        const summary = (values: number[]): NetworkSummary => summarizeOverNetworks(values, { seed: o.seed, resamples: o.resamples });
        const lastSummary = summary([...last.values()]);
        const initialSummary = initial.size ? summary([...initial.values()]) : null;
        const paired = [...last.keys()].filter((s) => initial.has(s)).map((s) => last.get(s)! - initial.get(s)!);
        const growth = paired.length ? summary(paired) : null;
        findings.push({
          model,
          area,
          measure,
          claim: PAPER_CLAIM[measure],
          initial: initialSummary,
          lastEpoch,
          last: lastSummary,
          verdict: verdictOf(lastSummary),
          growth,
          growthVerdict: growth === null ? null : growth.n < 2 ? "one network: no interval" : growth.lower > 0 ? "grew" : growth.upper < 0 ? "shrank" : "not resolved",
        });
      }
    }
  }
  return findings;
}
