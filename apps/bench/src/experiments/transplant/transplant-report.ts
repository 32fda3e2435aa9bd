import type { TopLevelSpec } from "vega-lite";
import { join } from "node:path";
import { compareMeanStd } from "../../report/compare-mean-std.js";
import { formatMeanStd, meanStd, type MeanStd } from "../../report/mean-std.js";
import { formatPValue, pValuePhrase } from "../../report/format-p-value.js";
import { pairedDifference, type PairedDifference } from "../../report/paired-difference.js";
import { vegaLiteSvg } from "../../report/vega-lite-svg.js";
import { writeFileAtomic } from "../../report/write-file-atomic.js";
import { writeMarkdownReport } from "../../report/write-markdown-report.js";
import { clippingText, errorAtUpdate, finalResult, LI_READOUT_UPDATE, seedsCell } from "../recurrent/rnn-report-helpers.js";
import type { RnnRecord } from "../recurrent/rnn-record.js";
import { twoSidedRankSumP } from "../../report/rank-sum-test.js";
import { isTable1Run, TRANSPLANT_CONFIGS, TRANSPLANT_DEFAULT_CLIP, transplantLabel, transplantLayersOf, type TransplantConfig } from "./transplant-config.js";
import { formatSigned } from "../../report/format-signed.js";

const configKey = (c: TransplantConfig): string => `${c.vectors}|${c.spectrum}|${c.signConstrained}`;

/** Li et al. (2023), App. Table 1: final test error (%), mean ± std over 5 seeds, per configuration. */
export const PAPER_TRANSPLANT_TABLE: ReadonlyMap<string, MeanStd> = new Map([
  [configKey({ vectors: "rnn", spectrum: "rnn", signConstrained: false }), { mean: 1.65, std: 0.27, n: 5 }],
  [configKey({ vectors: "rnn", spectrum: "colei", signConstrained: false }), { mean: 3.04, std: 0.33, n: 5 }],
  [configKey({ vectors: "colei", spectrum: "rnn", signConstrained: false }), { mean: 2.32, std: 0.35, n: 5 }],
  [configKey({ vectors: "rnn", spectrum: "rnn", signConstrained: true }), { mean: 2.47, std: 0.11, n: 5 }],
  [configKey({ vectors: "colei", spectrum: "colei", signConstrained: false }), { mean: 3.61, std: 0.47, n: 5 }],
  [configKey({ vectors: "rnn", spectrum: "colei", signConstrained: true }), { mean: 3.5, std: 0.57, n: 5 }],
  [configKey({ vectors: "colei", spectrum: "rnn", signConstrained: true }), { mean: 2.72, std: 0.27, n: 5 }],
  [configKey({ vectors: "colei", spectrum: "colei", signConstrained: true }), { mean: 3.95, std: 0.45, n: 5 }],
]);

/** The three factors of the 2³ design and how each is switched. */
type Factor = "spectrum" | "vectors" | "sign";
const FACTORS: readonly Factor[] = ["spectrum", "vectors", "sign"];
const FACTOR_NAMES: Record<Factor, string> = { spectrum: "spectrum", vectors: "singular vectors", sign: "sign constraints" };
const toColEi = (c: TransplantConfig, f: Factor): TransplantConfig =>
  f === "spectrum" ? { ...c, spectrum: "colei" } : f === "vectors" ? { ...c, vectors: "colei" } : { ...c, signConstrained: true };
const toRnn = (c: TransplantConfig, f: Factor): TransplantConfig =>
  f === "spectrum" ? { ...c, spectrum: "rnn" } : f === "vectors" ? { ...c, vectors: "rnn" } : { ...c, signConstrained: false };

const RNN: TransplantConfig = { vectors: "rnn", spectrum: "rnn", signConstrained: false };
const COLEI: TransplantConfig = { vectors: "colei", spectrum: "colei", signConstrained: true };

/** A record's configuration. */
const configOf = (r: RnnRecord): TransplantConfig => ({ vectors: r.variant?.vectors as TransplantConfig["vectors"], spectrum: r.variant?.spectrum as TransplantConfig["spectrum"], signConstrained: r.variant?.signConstrained === true });

/** The records of each configuration, keyed by `configKey`. */
function recordsByConfig(records: readonly RnnRecord[]): Map<string, RnnRecord[]> {
  const by = new Map<string, RnnRecord[]>();
  for (const r of records) {
    const key = configKey(configOf(r));
    by.set(key, [...(by.get(key) ?? []), r]);
  }
  return by;
}

/** Test error (%) per seed of each configuration: the final one, or at the paper's read-out update. */
function errorsBySeed(records: readonly RnnRecord[], at: "final" | "paper-readout" = "final"): Map<string, Map<number, number | null>> {
  return new Map(
    [...recordsByConfig(records)].map(([key, rs]) => [
      key,
      new Map(rs.map((r) => {
        const e = at === "final" ? finalResult(r) : errorAtUpdate(r, LI_READOUT_UPDATE);
        return [r.seed, e === null ? null : 100 * e];
      })),
    ]),
  );
}

/** One factor's cost in error: switching it from the RNN's to ColEI's, in one ablation. */
export interface FactorEffect {
  ablation: "RNN" | "ColEI";
  factor: Factor;
  /** Per-seed paired cost in points of test error (RNN ablation: changed − RNN; ColEI ablation: ColEI − changed). */
  ours: PairedDifference;
  /** Two-sided Mann-Whitney U p of the two configurations' errors, unpaired (the paper's test; a diverged run counts as the worst). */
  mannWhitneyP: number;
  /** The same from the paper's Table 1 means (its Fig. 4 C). */
  paper: number;
}

/**
 * Fig. 4 C of Li et al. (2023): starting from the RNN, the error each factor adds when switched to
 * ColEI's; starting from ColEI, the error each removes when switched to the RNN's. Paired by seed:
 * a seed's runs share its two initial matrices.
 */
export function transplantEffects(records: readonly RnnRecord[]): FactorEffect[] {
  const by = errorsBySeed(records);
  const get = (c: TransplantConfig) => by.get(configKey(c)) ?? new Map<number, number | null>();
  const paper = (c: TransplantConfig) => PAPER_TRANSPLANT_TABLE.get(configKey(c))!.mean;
  const ranked = (c: TransplantConfig) => [...get(c).values()].map((e) => e ?? Number.POSITIVE_INFINITY);
  const effect = (ablation: "RNN" | "ColEI", factor: Factor, hi: TransplantConfig, lo: TransplantConfig): FactorEffect => ({
    ablation, factor, ours: pairedDifference(get(hi), get(lo)), mannWhitneyP: twoSidedRankSumP(ranked(hi), ranked(lo)), paper: paper(hi) - paper(lo),
  });
  return [
    ...FACTORS.map((factor) => effect("RNN", factor, toColEi(RNN, factor), RNN)),
    ...FACTORS.map((factor) => effect("ColEI", factor, COLEI, toRnn(COLEI, factor))),
  ];
}

/** Per seed, a factor's main effect over the 2³ design: the mean over the other factors' 4 settings of (ColEI's − RNN's). */
function mainEffectBySeed(records: readonly RnnRecord[], factor: Factor): Map<number, number | null> {
  const by = errorsBySeed(records);
  const seeds = new Set(records.map((r) => r.seed));
  const out = new Map<number, number | null>();
  for (const seed of seeds) {
    const diffs = TRANSPLANT_CONFIGS.filter((c) => configKey(c) === configKey(toRnn(c, factor))).map((c) => {
      const hi = by.get(configKey(toColEi(c, factor)))?.get(seed);
      const lo = by.get(configKey(c))?.get(seed);
      return typeof hi === "number" && typeof lo === "number" ? hi - lo : null;
    });
    out.set(seed, diffs.every((d) => d !== null) ? diffs.reduce((a, d) => a + d!, 0) / diffs.length : null);
  }
  return out;
}

const pts = (d: { mean: number; std: number }): string => (!Number.isFinite(d.mean) ? "—" : Number.isFinite(d.std) ? `${formatSigned(d.mean, 2)} ± ${d.std.toFixed(2)}` : formatSigned(d.mean, 2));

/** The findings: Table 1 against the paper, and whether the spectrum costs more than the other two factors. */
export function transplantFindings(records: readonly RnnRecord[]): string[] {
  const lines: string[] = [];
  for (const at of ["final", "paper-readout"] as const) {
    const by = errorsBySeed(records, at);
    const compared = TRANSPLANT_CONFIGS.map((c) => ({ c, cmp: compareMeanStd(meanStd([...(by.get(configKey(c))?.values() ?? [])]), PAPER_TRANSPLANT_TABLE.get(configKey(c))!) })).filter((x) => x.cmp !== null);
    if (compared.length === 0) continue;
    const off = compared.filter((x) => x.cmp!.meanP < 0.05);
    lines.push(
      `Table 1, ${at === "final" ? "final test error" : `test error at update ${LI_READOUT_UPDATE.toLocaleString("en-US")} (the paper's read-out)`}: ${compared.length - off.length} of ${compared.length} configurations are consistent with the paper's mean (Welch p ≥ 0.05)` +
        (off.length > 0 ? `; ${off.map((x) => `${transplantLabel(x.c)} differs by ${formatSigned(x.cmp!.difference, 2)} points (${pValuePhrase(x.cmp!.meanP)})`).join("; ")}.` : "."),
    );
  }
  const main = FACTORS.map((f) => ({ f, d: pairedDifference(mainEffectBySeed(records, f), new Map([...mainEffectBySeed(records, f).keys()].map((k) => [k, 0]))) }));
  if (main.every((m) => m.d.n >= 2)) {
    const sorted = [...main].sort((a, b) => b.d.mean - a.d.mean);
    lines.push(`Main effects over the 2³ design (mean over the other two factors' four settings, per seed): ${main.map((m) => `${FACTOR_NAMES[m.f]} ${pts(m.d)} points (${pValuePhrase(m.d.p)})`).join(", ")}; the order is ${sorted.map((m) => FACTOR_NAMES[m.f]).join(" > ")}.`);
    for (const other of ["vectors", "sign"] as const) {
      const d = pairedDifference(mainEffectBySeed(records, "spectrum"), mainEffectBySeed(records, other));
      const seeds = d.n;
      lines.push(
        `Spectrum against ${FACTOR_NAMES[other]}: the spectrum's main effect is ${pts(d)} points larger (paired over ${seeds} seeds, ${pValuePhrase(d.p)}): ` +
          (d.mean > 0 && d.p < 0.05 ? "the paper's conclusion (the spectrum matters more) holds here." : d.mean > 0 ? `the paper's ordering holds here but is not significant at ${seeds} seeds.` : "the paper's ordering does not hold here."),
      );
    }
  }
  return lines;
}

/** Fig. 4 C in the paper's layout: per ablation, the error each factor costs, ours (bars, ± std over seeds) and the paper's (ticks). */
export async function writeTransplantFigure(out: string, records: readonly RnnRecord[]): Promise<string | null> {
  const effects = transplantEffects(records.filter(isTable1Run)).filter((e) => Number.isFinite(e.ours.mean));
  if (effects.length === 0) return null;
  const values = effects.map((e) => ({
    ablation: e.ablation === "RNN" ? "RNN: error added by ColEI's" : "ColEI: error removed by the RNN's",
    factor: FACTOR_NAMES[e.factor], ours: e.ours.mean, low: e.ours.mean - (Number.isFinite(e.ours.std) ? e.ours.std : 0), high: e.ours.mean + (Number.isFinite(e.ours.std) ? e.ours.std : 0), paper: e.paper,
  }));
  const x = { field: "factor", type: "nominal" as const, title: null, sort: FACTORS.map((f) => FACTOR_NAMES[f]), axis: { labelAngle: 0 } };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: "Li et al. (2023) Fig. 4 C: test error cost of each factor (sequential MNIST)", subtitle: "bars: ours, mean ± std of the per-seed paired differences; black ticks: the paper's Table 1 means" },
    data: { values },
    facet: { column: { field: "ablation", type: "nominal", title: null, sort: ["RNN: error added by ColEI's", "ColEI: error removed by the RNN's"] } },
    spec: {
      width: 220,
      height: 260,
      layer: [
        { mark: { type: "bar", color: "#4c78a8" }, encoding: { x, y: { field: "ours", type: "quantitative", title: "change in final test error (points)" } } },
        { mark: { type: "rule" }, encoding: { x, y: { field: "low", type: "quantitative" }, y2: { field: "high" } } },
        { mark: { type: "tick", color: "black", thickness: 3, size: 30 }, encoding: { x, y: { field: "paper", type: "quantitative" } } },
      ],
    },
  };
  const path = join(out, "fig4c-transplant-effects.svg");
  writeFileAtomic(path, await vegaLiteSvg(spec));
  return path;
}

/** `report.md`: Table 1 next to the paper's, Fig. 4 C (plot and table) and the findings. */
export function writeTransplantReport(out: string, all: readonly RnnRecord[], figure: string | null = null): string {
  // Table 1, Fig. 4 C and the findings are the default runs' (clipping 10, W transplanted); the others have their own section.
  const records = all.filter(isTable1Run);
  const by = errorsBySeed(records);
  const atReadout = errorsBySeed(records, "paper-readout");
  const grouped = recordsByConfig(records);
  const lines = [
    "# Spectrum transplant (Li et al. 2023, Sec. 2.3.1, Table 1 and Fig. 4 C)",
    "",
    "Sequential MNIST, 1 recurrent layer of ReLU units, the recurrent matrix at initialisation = U_a diag(s_b) V_aᵀ (singular vectors of one network, singular values of the other; ColEI with 10% inhibitory units, ρ = 1.5). Sign-constrained runs keep each weight's initial sign (frozen-sign projection) in U, W and the readout; the reference code's clamp (WClampMixin in lib/update_policies.py) freezes W and the readout but not U. As shipped, the reference's update policy for its hybrid scripts (SGD_Clip_UpdatePolicy) includes that clamp in the sign-free scripts too (torch_rnn_mnist_colei_spectrum.py, colei_mnist_rnn_spectrum.py differ from their _sign_frozen twins only in clipping), so the paper's sign-free hybrid rows, which differ from the frozen ones, were presumably run with a version without it (lib has SGD_Clip_UpdatePolicy_NoClamp); ours are free. Final test error, mean ± std over seeds; the paper's is its App. Table 1 (5 seeds), compared by Welch's t test.",
    "",
    "## Table 1",
    "",
    `The paper's numbers are read at update ${LI_READOUT_UPDATE.toLocaleString("en-US")} (about epoch 25 of 30), not at the end: its analysis notebook (analysis_in_notebooks/SVD_transplant.ipynb) prints the eight Table 1 means as the seed mean of the test curve's index 467 (a test every 100 updates). Ours at that update (a test every 200 updates has it) is in the last two columns. A single test reading is noisier than the end-of-training one for runs whose curve still jumps. The paper's RNN row is not a 1-layer network: the notebook takes it from seq_mnist_test_rnn_hidden_NC, the 3 × 100-unit unclipped RNN of its Fig. 2 B (Exp_learning_curve.ipynb loads that folder with num_rec_cells = 3); the 3-layer RNN is \`dale-bench rnn --task seqmnist\` (docs/results/rnn-seqmnist-paper), whose report gives the same read-out. So the paper's Fig. 4 C RNN panel (the notebook's bars: each hybrid − that RNN) mixes the factor with the change from 3 recurrent layers to 1; ours compares 1-layer networks throughout.`,
    "",
    `| singular vectors | spectrum | sign constraints | seeds | NSE at init | σ_max at init | final test error | paper | Welch p | at update ${LI_READOUT_UPDATE.toLocaleString("en-US")} | Welch p |`,
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const c of TRANSPLANT_CONFIGS) {
    const rs = grouped.get(configKey(c)) ?? [];
    if (rs.length === 0) continue;
    const err = meanStd([...(by.get(configKey(c))?.values() ?? [])]);
    const read = meanStd([...(atReadout.get(configKey(c))?.values() ?? [])]);
    const paper = PAPER_TRANSPLANT_TABLE.get(configKey(c))!;
    const avg = (k: string) => rs.reduce((a, r) => a + Number(r.variant?.[k] ?? 0), 0) / rs.length;
    lines.push(
      `| ${c.vectors === "rnn" ? "RNN" : "ColEI"} | ${c.spectrum === "rnn" ? "RNN" : "ColEI"} | ${c.signConstrained ? "yes" : "no"} | ${seedsCell(rs)} | ${avg("nseAtInit").toFixed(3)} | ${avg("sigmaMaxAtInit").toFixed(2)} | ${formatMeanStd(err, 2, { suffix: "%", empty: "—" })} | ${formatMeanStd(paper, 2, { suffix: "%" })} | ${formatPValue(compareMeanStd(err, paper)?.meanP ?? Number.NaN)} | ${formatMeanStd(read, 2, { suffix: "%", empty: "—" })} | ${formatPValue(compareMeanStd(read, paper)?.meanP ?? Number.NaN)} |`,
    );
  }
  lines.push(
    "",
    "## Fig. 4 C: what each factor costs",
    "",
    ...(figure === null ? [] : ["![Fig. 4 C](fig4c-transplant-effects.svg)", ""]),
    "Paper: the singular value spectrum contributes more than the sign constraints and the singular vectors to the gap between ColEI and the RNN (Fig. 4 C; RNN panel 5 seeds, ColEI panel 30, Mann–Whitney U test). Ours: the paired t test over seeds (a seed's runs share its initial matrices) and the paper's unpaired Mann–Whitney U test.",
    "",
    "| ablation | factor switched | ours: change in error (points, paired over seeds) | paired p | Mann–Whitney p | paper (Table 1 means) |",
    "| --- | --- | --- | --- | --- | --- |",
    ...transplantEffects(records).map((e) => `| ${e.ablation === "RNN" ? "from the RNN (error added)" : "from ColEI (error removed)"} | ${FACTOR_NAMES[e.factor]} | ${pts(e.ours)} | ${formatPValue(e.ours.p)} | ${formatPValue(e.mannWhitneyP)} | ${pts({ mean: e.paper, std: Number.NaN })} |`),
    "",
    ...transplantFindings(records).flatMap((l) => [l, ""]),
    ...otherVariantsSection(all),
  );
  return writeMarkdownReport(out, lines);
}

/** A run's clipping as a table cell. */
const clippingCell = clippingText;

/** A run's transplanted matrices as a table cell. */
const layersCell = (r: RnnRecord): string => (transplantLayersOf(r) === "all" ? `U, W, readout${r.variant?.firstLayerBias === "zero" ? "; b = 0" : ""}` : "W");

/**
 * The runs outside Table 1 (another clipping, or `--layers all`), per configuration, clipping and
 * transplanted matrices: their error, the paired change against the same configuration and seeds
 * in Table 1, and the paper's row. The reference code clipped its configurations differently and
 * transplanted every weight matrix (see the section's text).
 */
function otherVariantsSection(all: readonly RnnRecord[]): string[] {
  const others = all.filter((r) => !isTable1Run(r));
  if (others.length === 0) return [];
  const defaults = errorsBySeed(all.filter(isTable1Run));
  const lines = [
    "## Other clippings and the whole-network transplant",
    "",
    `Table 1 above clips every configuration at global norm ${TRANSPLANT_DEFAULT_CLIP} and transplants the recurrent matrix W only. The reference code does not clip all alike (lr 0.01 throughout): its 1-layer RNN with frozen signs (exps/svd_transplant/rnn_mnist_sign_frozen.py) and its standard RNNs (exps/seq_mnist_test.py) train unclipped, its RNN-vectors + ColEI-spectrum scripts (torch_rnn_mnist_colei_spectrum.py, rnn_mnist_colei_spectrum_sign_frozen.py) clip at global norm 10. \`npx dale-bench transplant --clip none --configs ...\` reruns configurations unclipped. Its hybrid scripts also transplant the input weights U and the readout, not only W (U_RNNInit_ColEI_Spectrum_Init, Dense_RNNInit_ColEI_Spectrum_Init and the ColEI-vectors counterparts in lib/init_policies.py; the ColEI rows are ColEI networks, whose U and readout are ColEI's): \`--layers all\` does that (the bias follows the spectrum: ColEI's input centring −√d E[x] with ColEI's, else 0). The reference code itself starts every such network at b = 0: its cells run Bias_ZerosInit after the input policy that set the centring (lib/base_rnn.py, BaseRNNCell.init_weights), and no script passes another bias policy; \`--layers all --first-bias zero\` runs that ("b = 0" in the table). Its sign-free RNN-vectors + ColEI-spectrum script (torch_rnn_mnist_colei_spectrum.py) does not run as shipped: it imports W_RNNInit_ColEI_Spectrum and Dense_ColEISpectrum_Init, which lib/init_policies.py does not define, and the notebook's file names for that row (new_rnn_colei_spec_…, lr 0.010772) match no shipped script. Change: the variant minus Table 1's run of the same configuration, paired over seeds.`,
    "",
    `| singular vectors | spectrum | sign constraints | clipping | transplanted | seeds | final test error | change against Table 1 (points, paired p) | paper | Welch p | at update ${LI_READOUT_UPDATE.toLocaleString("en-US")} | Welch p |`,
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  const keyOf = (r: RnnRecord) => `${configKey(configOf(r))}|${clippingCell(r)}|${layersCell(r)}`;
  for (const key of [...new Set(others.map(keyOf))].sort()) {
    const rs = others.filter((r) => keyOf(r) === key);
    const c = configOf(rs[0]!);
    const errors = errorsBySeed(rs).get(configKey(c)) ?? new Map();
    const err = meanStd([...errors.values()]);
    const read = meanStd([...(errorsBySeed(rs, "paper-readout").get(configKey(c))?.values() ?? [])]);
    const change = pairedDifference(errors, defaults.get(configKey(c)) ?? new Map());
    const paper = PAPER_TRANSPLANT_TABLE.get(configKey(c))!;
    lines.push(
      `| ${c.vectors === "rnn" ? "RNN" : "ColEI"} | ${c.spectrum === "rnn" ? "RNN" : "ColEI"} | ${c.signConstrained ? "yes" : "no"} | ${clippingCell(rs[0]!)} | ${layersCell(rs[0]!)} | ${seedsCell(rs)} | ${formatMeanStd(err, 2, { suffix: "%", empty: "—" })} | ${change.n === 0 ? "—" : `${pts(change)} (${formatPValue(change.p)}, ${change.n} seeds)`} | ${formatMeanStd(paper, 2, { suffix: "%" })} | ${formatPValue(compareMeanStd(err, paper)?.meanP ?? Number.NaN)} | ${formatMeanStd(read, 2, { suffix: "%", empty: "—" })} | ${formatPValue(compareMeanStd(read, paper)?.meanP ?? Number.NaN)} |`,
    );
  }
  return [...lines, ""];
}
