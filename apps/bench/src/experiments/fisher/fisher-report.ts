import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { formatMeanStd, meanStd } from "../../report/mean-std.js";
import { markdownTable } from "../../report/markdown-table.js";
import { vegaLiteSvg } from "../../report/vega-lite-svg.js";
import { writeFileAtomic } from "../../report/write-file-atomic.js";
import { writeMarkdownReport } from "../../report/write-markdown-report.js";
import type { FisherLayerRecord, FisherRecord } from "./fisher-record.js";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
/** Fig. 2's colours: black for the uncorrected gradient, orange for the corrected one. */
const SERIES = ["uncorrected", "corrected"] as const;
const COLOURS = ["black", "#ff7f0e"];

const groupBy = <T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
};

/** A layer's panel title: its number and sizes, e.g. "layer 1: 784 → 500 E, 50 I". */
export function layerTitle(l: Pick<FisherLayerRecord, "layer" | "inputs" | "units" | "inhibitory">): string {
  return `layer ${l.layer}: ${l.inputs} → ${l.units} E, ${l.inhibitory} I`;
}

/** The epochs the table shows: the first, the middle (⌈E / 2⌉) and the last, without repeats. */
export function tableEpochs(epochs: number): number[] {
  return [...new Set([1, Math.ceil(epochs / 2), epochs])];
}

/** Where corrected ≤ uncorrected in one layer over a group of runs: curve points and epoch means. */
interface LayerShortfall {
  layer: number;
  points: number;
  pointsBelow: number;
  firstBelow: number | null;
  means: number;
  meansBelow: number[];
}

function shortfalls(rs: readonly FisherRecord[]): LayerShortfall[] {
  const byLayer = new Map<number, LayerShortfall>();
  for (const r of rs) {
    for (const l of r.layers) {
      let s = byLayer.get(l.layer);
      if (s === undefined) {
        s = { layer: l.layer, points: 0, pointsBelow: 0, firstBelow: null, means: 0, meansBelow: [] };
        byLayer.set(l.layer, s);
      }
      for (const p of l.curve) {
        if (p.raw === null || p.corrected === null) continue;
        s.points++;
        if (!(p.corrected > p.raw)) {
          s.pointsBelow++;
          if (s.firstBelow === null || p.update < s.firstBelow) s.firstBelow = p.update;
        }
      }
      for (const m of l.epochMeans) {
        if (m.raw === null || m.corrected === null) continue;
        s.means++;
        if (!(m.corrected > m.raw) && !s.meansBelow.includes(m.epoch)) s.meansBelow.push(m.epoch);
      }
    }
  }
  return [...byLayer.values()].sort((a, b) => a.layer - b.layer);
}

const list = (xs: readonly number[]): string => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);

/**
 * The sentence that says, from the data, whether the heuristically corrected gradient was more
 * aligned with the Fisher-corrected one than the uncorrected gradient throughout training, in every
 * layer (the claim of Cornford et al. 2021, Sec. 4 and Fig. 2): at every point of the moving-average
 * curves and in every epoch's mean, of every run; otherwise where it was not.
 *
 * @param rs - the runs of one configuration
 * @returns one or two sentences
 */
export function fisherVerdict(rs: readonly FisherRecord[]): string {
  const s = shortfalls(rs);
  const window = [...new Set(rs.map((r) => r.window))].join(" / ");
  const points = s.reduce((a, l) => a + l.points, 0);
  if (rs.length === 0 || points === 0) return "No alignment was recorded, so nothing is known about the paper's claim.";
  const runs = `${rs.length} run${rs.length === 1 ? "" : "s"}`;
  const failing = s.filter((l) => l.pointsBelow > 0 || l.meansBelow.length > 0);
  const notes = closestPoint(rs) + nearOrthogonal(rs);
  if (failing.length === 0) {
    return (
      `The heuristically corrected gradient was more aligned with the Fisher-corrected gradient than the uncorrected gradient throughout training in every layer ` +
      `(corrected > uncorrected at all ${points} points of the ${window}-update moving averages and in all ${s.reduce((a, l) => a + l.means, 0)} layer-epoch means, ${runs}): the paper's claim (Fig. 2) holds here.${notes}`
    );
  }
  const parts = failing.map((l) => {
    const where: string[] = [];
    if (l.pointsBelow > 0) where.push(`at ${l.pointsBelow} of ${l.points} moving-average points (first at update ${l.firstBelow})`);
    if (l.meansBelow.length > 0) where.push(`in the mean of epoch${l.meansBelow.length === 1 ? "" : "s"} ${list([...l.meansBelow].sort((a, b) => a - b))}`);
    return `layer ${l.layer} ${where.join(" and ")}`;
  });
  const holding = s.filter((l) => !failing.includes(l)).map((l) => l.layer);
  return (
    `The paper's claim (Fig. 2: corrected more aligned with the Fisher-corrected gradient than uncorrected, throughout training) does not hold here throughout (${runs}): corrected ≤ uncorrected in ${parts.join("; ")}.` +
    (holding.length ? ` It holds throughout in layer${holding.length === 1 ? "" : "s"} ${list(holding)}.` : "") +
    nearOrthogonal(rs)
  );
}

/** " The smallest margin ...": the curve point where corrected − uncorrected is smallest, with both values. */
function closestPoint(rs: readonly FisherRecord[]): string {
  let best: { margin: number; layer: number; update: number; raw: number; corrected: number; seed: number } | null = null;
  for (const r of rs) {
    for (const l of r.layers) {
      for (const p of l.curve) {
        if (p.raw === null || p.corrected === null) continue;
        const margin = p.corrected - p.raw;
        if (best === null || margin < best.margin) best = { margin, layer: l.layer, update: p.update, raw: p.raw, corrected: p.corrected, seed: r.seed };
      }
    }
  }
  if (best === null) return "";
  const digits = Math.abs(best.margin) >= 0.001 ? 3 : 5;
  return ` The smallest margin, corrected − uncorrected = ${best.margin.toFixed(digits)}, is in layer ${best.layer} at update ${best.update}${rs.length > 1 ? ` (seed ${best.seed})` : ""} (${best.corrected.toFixed(digits)} against ${best.raw.toFixed(digits)}).`;
}

/** The cosine below which a layer's Fisher-corrected gradient counts as nearly orthogonal to both others. */
const NEAR_ZERO = 0.05;

/** " In layer 3 both cosines end below 0.05 ...": layers whose last-epoch means are both near zero, where a comparison says little. */
function nearOrthogonal(rs: readonly FisherRecord[]): string {
  const layers = new Set<number>();
  for (const r of rs) {
    for (const l of r.layers) {
      const m = l.epochMeans.at(-1);
      if (m && m.raw !== null && m.corrected !== null && Math.abs(m.raw) < NEAR_ZERO && Math.abs(m.corrected) < NEAR_ZERO) layers.add(l.layer);
    }
  }
  if (layers.size === 0) return "";
  const ls = [...layers].sort((a, b) => a - b);
  return ` In layer${ls.length === 1 ? "" : "s"} ${list(ls)} both cosines end below ${NEAR_ZERO} (last-epoch means): there the Fisher-corrected gradient is nearly orthogonal to both gradients, and the comparison says little.`;
}

/** The table of mean cosines per layer over the first, the middle and the last epoch (mean ± std over seeds). */
export function epochMeansTable(rs: readonly FisherRecord[]): string[] {
  const epochs = Math.max(...rs.map((r) => r.epochs));
  const shown = tableEpochs(epochs);
  const first = rs[0]!;
  const rows = first.layers.map((l) => {
    const cells = [layerTitle(l)];
    for (const e of shown) {
      const of = (key: "raw" | "corrected"): string =>
        formatMeanStd(meanStd(rs.map((r) => r.layers[l.layer - 1]?.epochMeans.find((m) => m.epoch === e)?.[key] ?? null)), 3);
      cells.push(of("raw"), of("corrected"));
    }
    return cells;
  });
  return markdownTable(["layer", ...shown.flatMap((e) => [`epoch ${e}: uncorrected`, `epoch ${e}: corrected`])], rows);
}

function alignmentSpec(title: string, rs: readonly FisherRecord[]): TopLevelSpec {
  const values = rs.flatMap((r) =>
    r.layers.flatMap((l) =>
      l.curve.flatMap((p) =>
        ([p.raw, p.corrected] as const).flatMap((v, i) => (v === null ? [] : [{ layer: layerTitle(l), update: p.update, cosine: v, gradient: SERIES[i], seed: r.seed }])),
      ),
    ),
  );
  const order = rs[0]!.layers.map((l) => layerTitle(l));
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: `cos ∠(Fisher-corrected gradient, gradient), moving average over ${rs[0]!.window} updates; black: uncorrected, orange: corrected (Alg. 3)${rs.length > 1 ? "; one line per seed" : ""}` },
    data: { values },
    facet: { column: { field: "layer", type: "nominal", sort: order, title: null } },
    spec: {
      width: 220,
      height: 180,
      mark: { type: "line" },
      encoding: {
        x: { field: "update", type: "quantitative", title: "updates" },
        y: { field: "cosine", type: "quantitative", title: "cosine", scale: { zero: false } },
        color: { field: "gradient", type: "nominal", scale: { domain: [...SERIES], range: COLOURS }, title: null },
        detail: { field: "seed", type: "nominal" },
      },
    },
  } as TopLevelSpec;
}

const fileSafe = (s: string): string => s.replace(/[^A-Za-z0-9._=+-]+/g, "_");

/** The network in words, from a record's layers: e.g. "784 − 3 × (500 E, 50 I) − 10 (1 I)". */
function networkWords(r: FisherRecord): string {
  const hidden = r.layers.slice(0, -1);
  const out = r.layers.at(-1)!;
  const same = hidden.every((l) => l.units === hidden[0]!.units && l.inhibitory === hidden[0]!.inhibitory);
  const h = hidden.length === 0 ? "" : same ? ` − ${hidden.length} × (${hidden[0]!.units} E, ${hidden[0]!.inhibitory} I)` : hidden.map((l) => ` − (${l.units} E, ${l.inhibitory} I)`).join("");
  return `${r.layers[0]!.inputs}${h} − ${out.units} (${out.inhibitory} I)`;
}

/**
 * Writes `report.md` and one `fisher-alignment-<model>-<profile>.svg` per configuration: the
 * per-layer curves of both cosines over training (Fig. 2's layout), the table of epoch means, the
 * verdict on the paper's claim and the test error.
 *
 * @returns the paths written, the markdown first
 */
export async function writeFisherReport(out: string, records: readonly FisherRecord[]): Promise<string[]> {
  const lines = [
    "# Fisher alignment over training (Cornford et al. 2021, Fig. 2)",
    "",
    "A DANN trained on MNIST with the Fisher-corrected gradients of App. E.3, Alg. 4 (projected SGD on Δθ = F*∇θ: F̂ from targets sampled from the model's own softmax, averaged squared per-example gradients / λ, a moving average F_t = k F̂ + (1 − k) F_{t−1}, F* = (F_t + eps)⁻¹ / ‖(F_EE + eps)⁻¹‖ per layer). At each recorded update, per layer, the cosine between F*∇θ and the raw gradient ∇θ (uncorrected) and between F*∇θ and the heuristically corrected gradient of Alg. 3 (∇W_IE / √n_e, ∇W_EI / d, ∇α / (d √n_e)); `fisherAlignment` of @dale-nn/fisher-correction.",
    "",
  ];
  const paths: string[] = [];
  if (records.length === 0) lines.push("No finished run yet.");
  for (const [, rs] of groupBy(records, (r) => `${r.model} ${r.profile}`)) {
    const r0 = rs[0]!;
    const heading = `${r0.model}, profile ${r0.profile}`;
    const svg = `fisher-alignment-${fileSafe(r0.model)}-${fileSafe(r0.profile)}.svg`;
    const path = join(out, svg);
    writeFileAtomic(path, await vegaLiteSvg(alignmentSpec(`Fisher alignment per layer: ${heading}`, rs)));
    paths.push(path);
    const diverged = rs.filter((r) => r.diverged);
    const testError = meanStd(rs.map((r) => r.testError), 100);
    lines.push(
      `## ${heading}`,
      "",
      `${networkWords(r0)} on ${r0.trainImages.toLocaleString("en-US")} MNIST training images, ${r0.epochs} epoch(s) of ${r0.updatesPerEpoch} updates (batch ${r0.batchSize}), lr ${r0.learningRate}, λ = ${r0.fisher.lambda} (f_lambda = ${1 / r0.fisher.lambda}), k = ${r0.fisher.momentum}, eps = ${r0.fisher.eps}; alignment every ${r0.alignEvery} update(s); ${rs.length} seed(s) (${rs.map((r) => r.seed).join(", ")}).`,
      "",
      `**${fisherVerdict(rs)}**`,
      "",
      `![Fisher alignment per layer](${svg})`,
      "",
      `Mean cosine with the Fisher-corrected gradient over the first, the middle and the last epoch (mean ± std over seeds):`,
      "",
      ...epochMeansTable(rs),
      "",
      `Test error (${r0.testImages.toLocaleString("en-US")} test images) after ${r0.epochs} epoch(s): ${formatMeanStd(testError, 2, { suffix: "%" })}` +
        ` (train error ${formatMeanStd(meanStd(rs.map((r) => r.finalTrainError), 100), 2, { suffix: "%" })}; ${(rs.reduce((a, r) => a + r.wallSeconds, 0) / rs.length / 60).toFixed(1)} min per run on ${[...new Set(rs.map((r) => r.backend))].join(" / ")}).` +
        (diverged.length ? ` ${diverged.length} run(s) diverged: ${diverged.map((r) => `seed ${r.seed}: ${r.diverged!.reason}`).join("; ")}.` : "") +
        " The paper reports no error for the Fisher-corrected run; its DANN trained with the heuristic correction (Alg. 3, batch 32, 50 epochs) reaches 1.325 ± 0.066% on MNIST (Table 1), 1.56 ± 0.041% with one inhibitory unit per layer.",
      "",
    );
  }
  return [writeMarkdownReport(out, lines), ...paths];
}
