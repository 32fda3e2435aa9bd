import type { TopLevelSpec } from "vega-lite";
import jStat from "jstat";
import { join } from "node:path";
import { formatMeanStd, meanStd } from "../../report/mean-std.js";
import { formatPValue, pValuePhrase } from "../../report/format-p-value.js";
import { pairedDifference, type PairedDifference } from "../../report/paired-difference.js";
import { spearmanCorrelation, type SpearmanCorrelation } from "../../report/spearman-correlation.js";
import { vegaLiteSvg } from "../../report/vega-lite-svg.js";
import { writeFileAtomic } from "../../report/write-file-atomic.js";
import { writeMarkdownReport } from "../../report/write-markdown-report.js";
import { finalResult, seedsCell } from "../recurrent/rnn-report-helpers.js";
import type { RnnRecord } from "../recurrent/rnn-record.js";
import { formatSigned } from "../../report/format-signed.js";

const sizeOf = (r: RnnRecord): number => Number(r.variant?.hidden);
/** The inhibitory fraction; 0 for the standard RNN, which has no E:I split (no `inhibitoryFraction`). */
const fractionOf = (r: RnnRecord): number => (r.variant?.inhibitoryFraction === undefined ? 0 : Number(r.variant.inhibitoryFraction));
const BASELINE = "rnn";
const percent = (f: number): string => `${+(100 * f).toFixed(1)}%`;

/**
 * A run's final test error for the trend tests: a diverged run counts as 100%, the worst rank (it
 * failed to learn; leaving it out would hide exactly the failures the paper describes). The means
 * of the tables leave diverged runs out instead, and count them in the seeds column.
 */
const trendError = (r: RnnRecord): number => (r.diverged !== undefined ? 1 : (finalResult(r) ?? Number.NaN));

/** A paired difference with the half-width of its 95% confidence interval, t_{0.975, n−1} · std / √n. */
export interface DifferenceWithInterval extends PairedDifference {
  ci95: number;
}

/** How one model's runs change along one axis of the grid, the other held fixed (Fig. 5: the E:I ratio at one size; Fig. 6: the size at 10% inhibitory). */
export interface EiTrend {
  model: string;
  varies: "fraction" | "size";
  /** The fixed value: n for a fraction trend, the inhibitory fraction for a size trend. */
  at: number;
  /** The varied values present, ascending. */
  levels: number[];
  /** Spearman's ρ of the varied value against the final test error, over runs (diverged: 100%). */
  error: SpearmanCorrelation;
  /** ... against the NSE of W at initialisation. */
  nse: SpearmanCorrelation;
  /** ... against σ_max of W at initialisation. */
  sigmaMax: SpearmanCorrelation;
  /** Final test error (points) at the lowest level minus at the highest, paired over seeds (diverged runs left out). */
  lowestMinusHighest: DifferenceWithInterval;
}

function withInterval(d: PairedDifference): DifferenceWithInterval {
  const ci95 = d.n >= 2 && Number.isFinite(d.std) ? jStat.studentt.inv(0.975, d.n - 1) * (d.std / Math.sqrt(d.n)) : Number.NaN;
  return { ...d, ci95 };
}

/** Final test error (points) per seed; null for a diverged run (left out of paired differences). */
function errorsBySeed(rs: readonly RnnRecord[]): Map<number, number | null> {
  return new Map(rs.map((r) => {
    const e = finalResult(r);
    return [r.seed, e === null ? null : 100 * e];
  }));
}

function trendOf(model: string, varies: EiTrend["varies"], at: number, runs: RnnRecord[]): EiTrend | null {
  const level = varies === "fraction" ? fractionOf : sizeOf;
  const levels = [...new Set(runs.map(level))].sort((a, b) => a - b);
  if (levels.length < 2) return null;
  const x = runs.map(level);
  const errorAt = (v: number) => errorsBySeed(runs.filter((r) => level(r) === v));
  return {
    model,
    varies,
    at,
    levels,
    error: spearmanCorrelation(x, runs.map(trendError)),
    nse: spearmanCorrelation(x, runs.map((r) => Number(r.variant?.nseAtInit))),
    sigmaMax: spearmanCorrelation(x, runs.map((r) => Number(r.variant?.sigmaMaxAtInit))),
    lowestMinusHighest: withInterval(pairedDifference(errorAt(levels[0]!), errorAt(levels.at(-1)!))),
  };
}

/** Every trend the grid allows: per model, the fraction trend at each size and the size trend at each fraction. */
export function eiTrends(records: readonly RnnRecord[]): EiTrend[] {
  const models = [...new Set(records.map((r) => r.model))].sort();
  return models.flatMap((model) => {
    const rs = records.filter((r) => r.model === model);
    const sizes = [...new Set(rs.map(sizeOf))].sort((a, b) => a - b);
    const fractions = [...new Set(rs.map(fractionOf))].sort((a, b) => a - b);
    return [
      ...sizes.map((n) => trendOf(model, "fraction", n, rs.filter((r) => sizeOf(r) === n))),
      ...fractions.map((f) => trendOf(model, "size", f, rs.filter((r) => fractionOf(r) === f))),
    ].filter((t): t is EiTrend => t !== null);
  });
}

/** An E/I network's final error against the standard RNN of the same size, paired over seeds (the dashed lines of Figs. 5-6). */
export interface BaselineGap {
  model: string;
  n: number;
  fraction: number;
  /** E/I network − RNN, points of final test error. */
  gap: DifferenceWithInterval;
}

/** Every (model, size, fraction) cell with a standard RNN of its size: its gap to the RNN. */
export function baselineGaps(records: readonly RnnRecord[]): BaselineGap[] {
  const gaps: BaselineGap[] = [];
  for (const n of [...new Set(records.map(sizeOf))].sort((a, b) => a - b)) {
    const rnn = records.filter((r) => r.model === BASELINE && sizeOf(r) === n);
    if (rnn.length === 0) continue;
    for (const model of [...new Set(records.map((r) => r.model))].filter((m) => m !== BASELINE).sort()) {
      const rs = records.filter((r) => r.model === model && sizeOf(r) === n);
      for (const fraction of [...new Set(rs.map(fractionOf))].sort((a, b) => a - b)) {
        gaps.push({ model, n, fraction, gap: withInterval(pairedDifference(errorsBySeed(rs.filter((r) => fractionOf(r) === fraction)), errorsBySeed(rnn))) });
      }
    }
  }
  return gaps;
}

/** Whether a correlation shows the expected sign at the 5% level: "holds", "the opposite holds", "not shown", or why there is no test. */
export function trendVerdict(c: SpearmanCorrelation, expectedSign: 1 | -1): string {
  if (!Number.isFinite(c.rho)) return `not testable (${c.n} run(s), or no variation)`;
  const stats = `ρ_s = ${c.rho.toFixed(2)}, ${pValuePhrase(c.p)}, ${c.n} runs`;
  if (c.p < 0.05) return Math.sign(c.rho) === expectedSign ? `**holds** (${stats})` : `**the opposite holds** (${stats})`;
  return `not shown (${stats})`;
}

const points = (d: DifferenceWithInterval): string =>
  !Number.isFinite(d.mean) ? "—" : `${formatSigned(d.mean, 2)} points (${Number.isFinite(d.ci95) ? `95% CI ± ${d.ci95.toFixed(2)}; ` : ""}paired over ${d.n} seed${d.n === 1 ? "" : "s"}, ${pValuePhrase(d.p)})`;

/** The findings, claim by claim: Fig. 5 (E:I ratio at each size), Fig. 6 (size at each fraction), Fig. 7 D (NSE against error, all ColEI runs). */
export function eiSweepFindings(records: readonly RnnRecord[]): string[] {
  const trends = eiTrends(records);
  const lines: string[] = [];
  const levelText = (t: EiTrend) => (t.varies === "fraction" ? t.levels.map(percent).join(", ") + " inhibitory" : `n = ${t.levels.join(", ")}`);
  for (const t of trends.filter((t) => t.varies === "fraction")) {
    const where = `n = ${t.at}, ${levelText(t)}`;
    if (t.model === "colei") {
      lines.push(
        `- Fig. 5, ColEI (${where}). Fewer inhibitory units lower the NSE: ${trendVerdict(t.nse, 1)}; raise σ_max: ${trendVerdict(t.sigmaMax, -1)}; impair learning (higher error): ${trendVerdict(t.error, -1)}. Error at ${percent(t.levels[0]!)} minus at ${percent(t.levels.at(-1)!)}: ${points(t.lowestMinusHighest)}.`,
      );
    } else {
      lines.push(
        `- Fig. 5, ${t.model.toUpperCase()} (${where}). Paper: robust to the E:I ratio. Error against the inhibitory fraction: ${trendVerdict(t.error, -1)}; error at ${percent(t.levels[0]!)} minus at ${percent(t.levels.at(-1)!)}: ${points(t.lowestMinusHighest)} (a difference the interval excludes is a sensitivity we can detect; an interval around 0 bounds it).`,
      );
    }
  }
  const gaps = baselineGaps(records);
  for (const n of [...new Set(gaps.map((g) => g.n))]) {
    const at = gaps.filter((g) => g.n === n);
    const cell = (g: BaselineGap) => `${g.model.toUpperCase()} at ${percent(g.fraction)} ${points(g.gap)}`;
    lines.push(`- Against the standard RNN of n = ${n} (the dashed lines; E/I network − RNN, final test error): ${at.map(cell).join("; ")}.`);
  }
  for (const t of trends.filter((t) => t.varies === "size")) {
    const where = `${percent(t.at)} inhibitory, ${levelText(t)}`;
    if (t.model === "colei") {
      lines.push(
        `- Fig. 6, ColEI (${where}). Larger networks raise the NSE: ${trendVerdict(t.nse, 1)}; raise σ_max: ${trendVerdict(t.sigmaMax, 1)}; learn better (lower error): ${trendVerdict(t.error, -1)}. Error at n = ${t.levels[0]} minus at n = ${t.levels.at(-1)}: ${points(t.lowestMinusHighest)}.`,
      );
    } else if (t.model === BASELINE) {
      lines.push(`- Fig. 6, standard RNN (${levelText(t)}; the dashed lines). Error against size: ${trendVerdict(t.error, -1)}; error at n = ${t.levels[0]} minus at n = ${t.levels.at(-1)}: ${points(t.lowestMinusHighest)}.`);
    } else {
      lines.push(`- Fig. 6, ${t.model.toUpperCase()} (${where}). Paper: spectrum similar across sizes. Error against size: ${trendVerdict(t.error, -1)}; error at n = ${t.levels[0]} minus at n = ${t.levels.at(-1)}: ${points(t.lowestMinusHighest)}.`);
    }
  }
  const colei = records.filter((r) => r.model === "colei");
  if (colei.length > 0) {
    const overRuns = spearmanCorrelation(colei.map((r) => Number(r.variant?.nseAtInit)), colei.map(trendError));
    const cells = [...new Set(colei.map((r) => `${sizeOf(r)}|${fractionOf(r)}`))].map((key) => colei.filter((r) => `${sizeOf(r)}|${fractionOf(r)}` === key));
    const mean = (rs: RnnRecord[], f: (r: RnnRecord) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
    const overCells = spearmanCorrelation(cells.map((rs) => mean(rs, (r) => Number(r.variant?.nseAtInit))), cells.map((rs) => mean(rs, trendError)));
    lines.push(`- Fig. 7 D, ColEI, every size and ratio. NSE at initialisation anti-correlates with the final test error: over runs ${trendVerdict(overRuns, -1)}; over the ${cells.length} (size, ratio) cells' means ${trendVerdict(overCells, -1)}.`);
  }
  return lines;
}

/** `nse-vs-error.svg` (Figs. 5 G, 6 G, 7 D: final test error against NSE at initialisation) and, where the grid has them, `error-vs-inhibitory.svg` (Fig. 5 A-C) and `error-vs-size.svg` (Fig. 6 A-C). */
export async function writeEiSweepPlots(out: string, records: readonly RnnRecord[]): Promise<string[]> {
  const values = records.map((r) => ({ model: r.model, n: sizeOf(r), inhibitory: 100 * fractionOf(r), label: r.model === BASELINE ? "" : percent(fractionOf(r)), nse: Number(r.variant?.nseAtInit), error: 100 * (finalResult(r) ?? Number.NaN) }));
  const finite = values.filter((v) => Number.isFinite(v.error));
  const written: string[] = [];
  const write = async (file: string, spec: TopLevelSpec) => {
    const path = join(out, file);
    writeFileAtomic(path, await vegaLiteSvg(spec));
    written.push(path);
  };
  await write("nse-vs-error.svg", {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: "Sequential MNIST: final test error vs NSE at initialisation", subtitle: "one point per run (diverged runs left out); label = % inhibitory units" },
    width: 480,
    height: 320,
    data: { values: finite },
    layer: [
      {
        mark: { type: "point", filled: true, size: 80 },
        encoding: {
          x: { field: "nse", type: "quantitative", title: "NSE of W at initialisation", scale: { zero: false } },
          y: { field: "error", type: "quantitative", title: "final test error (%)" },
          color: { field: "model", type: "nominal" },
          shape: { field: "n", type: "nominal", title: "units" },
        },
      },
      { mark: { type: "text", dx: 14, fontSize: 10 }, encoding: { x: { field: "nse", type: "quantitative" }, y: { field: "error", type: "quantitative" }, text: { field: "label" } } },
    ],
  });
  const eiRuns = finite.filter((v) => v.model !== BASELINE);
  const baseline = finite.filter((v) => v.model === BASELINE);
  const trend = async (file: string, x: "inhibitory" | "n", facet: "n" | "inhibitory", title: string) => {
    const groups = new Map<string, Set<number>>();
    for (const v of eiRuns) groups.set(`${v.model}|${v[facet]}`, (groups.get(`${v.model}|${v[facet]}`) ?? new Set()).add(v[x]));
    if (![...groups.values()].some((s) => s.size >= 2)) return;
    const xEnc = { field: x, type: "quantitative" as const, title: x === "n" ? "recurrent units n" : "inhibitory units (%)", scale: { type: "log" as const } };
    const yMean = { aggregate: "mean" as const, field: "error", type: "quantitative" as const, title: "final test error (%)" };
    const color = { field: "model", type: "nominal" as const };
    // The standard RNN (the paper's dashed line): over fractions, a rule at its mean in each size's
    // panel; over sizes, a dashed line repeated in each fraction's panel.
    const fractions = [...new Set(eiRuns.map((v) => v.inhibitory))];
    const data = x === "inhibitory" ? [...eiRuns, ...baseline] : [...eiRuns, ...fractions.flatMap((f) => baseline.map((v) => ({ ...v, inhibitory: f })))];
    const isBaseline = `datum.model === '${BASELINE}'`;
    await write(file, {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      title: { text: title, subtitle: "sequential MNIST, 1 recurrent layer; mean ± std over seeds (diverged runs left out); dashed: standard RNN of the same size" },
      data: { values: data },
      facet: { column: { field: facet, type: "ordinal", title: facet === "n" ? "units" : "inhibitory units (%)" } },
      spec: {
        width: 240,
        height: 240,
        layer: [
          { transform: [{ filter: `!(${isBaseline})` }], mark: { type: "line", point: true }, encoding: { x: xEnc, y: yMean, color } },
          { transform: [{ filter: `!(${isBaseline})` }], mark: { type: "errorbar", extent: "stdev" }, encoding: { x: xEnc, y: { field: "error", type: "quantitative", title: "final test error (%)" }, color } },
          x === "inhibitory"
            ? { transform: [{ filter: isBaseline }], mark: { type: "rule", strokeDash: [6, 4] }, encoding: { y: yMean, color } }
            : { transform: [{ filter: isBaseline }], mark: { type: "line", point: true, strokeDash: [6, 4] }, encoding: { x: xEnc, y: yMean, color } },
        ],
      },
    });
  };
  await trend("error-vs-inhibitory.svg", "inhibitory", "n", "Fig. 5 A-C: final test error vs % inhibitory units");
  await trend("error-vs-size.svg", "n", "inhibitory", "Fig. 6 A-C: final test error vs network size");
  return written;
}

/** `report.md`: what was run (and cut), the findings claim by claim, the trend tests and the table of cells. */
export function writeEiSweepReport(out: string, records: readonly RnnRecord[], plots: readonly string[] = []): string {
  const has = (file: string) => plots.some((p) => p.endsWith(file));
  const lines = [
    "# E:I ratio and size sweep (Li et al. 2023, Figs. 5-7)",
    "",
    `Sequential MNIST, one recurrent layer of n units (ReLU) and a linear readout, ${[...new Set(records.map((r) => r.epochs))].join(" / ")} epoch(s) (profile ${[...new Set(records.map((r) => r.profile))].join(", ")}; the paper's is 30), batch 32, lr ${[...new Set(records.map((r) => r.learningRate))].join(" / ")}; ColEI W rescaled to ρ = 1.5 and clipped per tensor at norm 5, DANN at its own initialisation (ρ ≈ 1/√3) with global clipping 10, the standard RNN (no E:I split) as the baseline. NSE and σ_max of the recurrent matrix at initialisation next to the final test error.`,
    "",
    "Paper (Sec. 3.4): fewer inhibitory units lower ColEI's NSE, raise its σ_max and impair its learning, while DANN is robust to the ratio (Fig. 5); larger ColEI networks have higher NSE (and σ_max) and learn better, DANN spectra are similar across sizes (Fig. 6); NSE at initialisation anti-correlates with the final error across sizes and ratios (Fig. 7 D). Its figures give curves and no numbers, so the claims are tested here as trends: Spearman's ρ_s over runs of the varied quantity against error, NSE and σ_max (diverged runs count as 100% error), and the paired-over-seeds error difference between the grid's extremes.",
    "",
    "What we cut and chose: the reference code's Fig. 7 grid (exps/colei_mnist_ei_size_grid.py) is 10 sizes (100-1000) × 10 inhibitory fractions (1-50%) × 5 seeds of ColEI at lr 0.01 and per-tensor clipping 5, which we follow for ColEI at 3 sizes × 5 fractions; its Fig. 5 script (exps/seq_mnist_inhib_test.py, n = 100, 1 / 10 / 50% inhibitory) grid-searched lr and clipping per ratio (ColEI lr 0.010772 with clipping 10 at 10% and 50%, 5 at 1%; DANN clipping 10 at 50%, 5 at 10%, lr 0.023208 at 1%), which we do not. The standard RNN (global clipping 10, its natural scale ρ ≈ 1/√3) runs once per size for the paper's dashed lines. Its Fig. 6 / 7 A-C size curves (analysis_in_notebooks/Exp_learning_curve.ipynb) come from another run again (exps/seq_mnist_test_size_shallow.py: 100 epochs, lr 0.015811 and clipping 10 for ColEI and DANN, lr 0.015 for the RNN), and its notebooks read every \"final\" error at update 46,800 (index 467 of a test curve taken every 100 updates, about epoch 25), not at the end of training; the paper gives no numbers for these figures, so the claims are tested on our one protocol, at the end of training.",
    "",
    "## Findings",
    "",
    ...eiSweepFindings(records),
    "",
    ...(has("error-vs-inhibitory.svg") ? ["![Fig. 5 A-C](error-vs-inhibitory.svg)", ""] : []),
    ...(has("error-vs-size.svg") ? ["![Fig. 6 A-C](error-vs-size.svg)", ""] : []),
    "![final test error vs NSE at initialisation](nse-vs-error.svg)",
    "",
    "## Trend tests",
    "",
    "| model | varied | at | levels | Spearman ρ_s with error (p) | with NSE (p) | with σ_max (p) | error, lowest − highest level |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...eiTrends(records).map((t) => {
      const c = (s: SpearmanCorrelation) => (Number.isFinite(s.rho) ? `${s.rho.toFixed(2)} (${formatPValue(s.p)})` : "—");
      const at = t.varies === "fraction" ? `n = ${t.at}` : `${percent(t.at)} inhibitory`;
      const levels = t.varies === "fraction" ? t.levels.map(percent).join(", ") : t.levels.join(", ");
      return `| ${t.model} | ${t.varies === "fraction" ? "inhibitory fraction" : "size n"} | ${at} | ${levels} | ${c(t.error)} | ${c(t.nse)} | ${c(t.sigmaMax)} | ${points(t.lowestMinusHighest)} |`;
    }),
    "",
    "## Cells",
    "",
    "| model | n | inhibitory | seeds | NSE at init | σ_max at init | final test error |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  const cellKey = (r: RnnRecord) => `${r.model}|${sizeOf(r)}|${fractionOf(r)}`;
  const cells = [...new Set(records.map(cellKey))]
    .map((key) => records.filter((r) => cellKey(r) === key))
    .sort((a, b) => a[0]!.model.localeCompare(b[0]!.model) || sizeOf(a[0]!) - sizeOf(b[0]!) || fractionOf(a[0]!) - fractionOf(b[0]!));
  for (const rs of cells) {
    const avg = (f: (r: RnnRecord) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
    const r0 = rs[0]!;
    lines.push(
      `| ${r0.model} | ${sizeOf(r0)} | ${r0.model === BASELINE ? "— (no E:I split)" : `${percent(fractionOf(r0))} (n_i = ${r0.variant?.ni})`} | ${seedsCell(rs)} | ${avg((r) => Number(r.variant?.nseAtInit)).toFixed(3)} | ${avg((r) => Number(r.variant?.sigmaMaxAtInit)).toFixed(2)} | ${formatMeanStd(meanStd(rs.map(finalResult), 100), 2, { suffix: "%", empty: "—" })} |`,
    );
  }
  return writeMarkdownReport(out, lines);
}
