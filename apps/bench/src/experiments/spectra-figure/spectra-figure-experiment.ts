import type { TopLevelSpec } from "vega-lite";
import { join } from "node:path";
import { deriveSeed } from "@dale-nn/ei-init";
import { eigenvalues, singularValues, normalisedSvdEntropyFromSingularValues } from "@dale-nn/spectra";
import type { Experiment } from "../../runner/experiment.js";
import { integerFlag, numberFlag } from "../../runner/flag-values.js";
import { vegaLiteSvg } from "../../report/vega-lite-svg.js";
import { writeFileAtomic } from "../../report/write-file-atomic.js";
import { writeMarkdownReport } from "../../report/write-markdown-report.js";
import { initialRecurrentMatrix, RNN_MODELS, type RnnModel } from "../recurrent/initial-recurrent-matrix.js";
import { useFastestSpectra } from "../recurrent/use-fastest-spectra.js";

/** Options of the spectra figure. */
export type SpectraFigureOptions = { n: number; inhibitoryFraction: number; draws: number; rho: number };

/** One model's spectra over draws: statistics and the pooled eigenvalues and singular values. */
export interface SpectraRecord {
  schema: 1;
  experiment: "spectra";
  runId: string;
  model: RnnModel;
  n: number;
  inhibitoryFraction: number;
  draws: number;
  rho: number;
  meanSpectralRadius: number;
  meanLargestSingularValue: number;
  meanNse: number;
  eigenvalues: { re: number[]; im: number[] };
  singularValues: number[];
  wallSeconds: number;
  finishedAt: string;
}

const LABEL: Record<RnnModel, string> = { rnn: "standard RNN", colei: "ColEI", dann: "DANN" };

/**
 * One model of Fig. 3 of Li et al. (2023): eigenvalues and singular values of the recurrent weights
 * at initialisation over `draws` matrices (ColEI rescaled to spectral radius ρ, eq. 7).
 */
export function spectraOfModel(model: RnnModel, o: SpectraFigureOptions, runId: string): SpectraRecord {
  const { n, inhibitoryFraction, draws, rho } = o;
  let radius = 0, smax = 0, nse = 0;
  const t0 = performance.now();
  const allRe: number[] = [], allIm: number[] = [], allS: number[] = [];
  for (let k = 0; k < draws; k++) {
    const { data } = initialRecurrentMatrix(model, n, inhibitoryFraction, deriveSeed(2023, "fig3", model, k));
    const m = { data, rows: n, cols: n };
    let { re, im } = eigenvalues(m);
    let r = 0;
    for (let i = 0; i < n; i++) r = Math.max(r, Math.hypot(re[i]!, im[i]!));
    if (model === "colei") {
      // eq. 7: W ← (ρ/ρ₀) W; eigenvalues and singular values scale with it.
      const k2 = rho / r;
      re = re.map((v) => v * k2);
      im = im.map((v) => v * k2);
      for (let i = 0; i < data.length; i++) data[i] = data[i]! * k2;
      r = rho;
    }
    const s = singularValues(m);
    radius += r;
    smax += s[0]!;
    nse += normalisedSvdEntropyFromSingularValues(s);
    for (let i = 0; i < n; i++) {
      allRe.push(re[i]!);
      allIm.push(im[i]!);
    }
    allS.push(...s);
  }
  return {
    schema: 1, experiment: "spectra", runId, model, n, inhibitoryFraction, draws, rho,
    meanSpectralRadius: radius / draws, meanLargestSingularValue: smax / draws, meanNse: nse / draws,
    eigenvalues: { re: allRe, im: allIm }, singularValues: allS, wallSeconds: (performance.now() - t0) / 1000, finishedAt: new Date().toISOString(),
  };
}

/** Writes `eigenvalues.svg`, `singular-values.svg` and `report.md` from the three models' records. */
export async function writeSpectraReport(out: string, records: SpectraRecord[]): Promise<string[]> {
  const stats = RNN_MODELS.map((m) => records.find((r) => r.model === m)).filter((r): r is SpectraRecord => r !== undefined);
  const first = stats[0];
  if (!first) return [];
  const { n, draws, rho, inhibitoryFraction } = first;
  const eig = stats.flatMap((s) => s.eigenvalues.re.map((re, i) => ({ model: LABEL[s.model], re, im: s.eigenvalues.im[i]! })));
  const sv = stats.flatMap((s) => s.singularValues.map((v) => ({ model: LABEL[s.model], s: v })));
  const order = ["standard RNN", "ColEI", "DANN"];
  const eigSpec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: `Eigenvalues of W at initialisation (n = ${n}, ${draws} draws)`, subtitle: `ColEI rescaled to spectral radius ${rho}; ${Math.round(100 * inhibitoryFraction)}% inhibitory units` },
    data: { values: eig },
    facet: { column: { field: "model", type: "nominal", sort: order, title: null } },
    spec: {
      width: 220,
      height: 220,
      mark: { type: "circle", size: 4, opacity: 0.25 },
      encoding: {
        x: { field: "re", type: "quantitative", title: "Re λ" },
        y: { field: "im", type: "quantitative", title: "Im λ" },
        color: { field: "model", type: "nominal", sort: order, legend: null },
      },
    },
  };
  const colors: Record<string, string> = { "standard RNN": "#4c78a8", ColEI: "#f58518", DANN: "#e45756" };
  const svSpec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: `Singular values of W at initialisation (n = ${n}, ${draws} draws)`, subtitle: "each panel has its own axis; ColEI has a bulk near 0 and a separate group of large singular values" },
    data: { values: sv },
    hconcat: order.map((label) => ({
      title: label,
      width: 220,
      height: 180,
      transform: [{ filter: { field: "model", equal: label } }],
      mark: { type: "bar", color: colors[label] },
      encoding: {
        x: { field: "s", type: "quantitative", bin: { maxbins: 40 }, title: "singular value" },
        y: { aggregate: "count", type: "quantitative", title: "count" },
      },
    })),
  };
  writeFileAtomic(join(out, "eigenvalues.svg"), await vegaLiteSvg(eigSpec));
  writeFileAtomic(join(out, "singular-values.svg"), await vegaLiteSvg(svSpec));
  const md = [
    `# Spectra at initialisation (Li et al. 2023, Fig. 3)`,
    "",
    `n = ${n}, ${Math.round(100 * inhibitoryFraction)}% inhibitory units, ${draws} draws per model; ColEI rescaled to spectral radius ρ = ${rho} (eq. 7).`,
    "",
    "| model | mean spectral radius | mean largest singular value | mean NSE |",
    "| --- | --- | --- | --- |",
    ...stats.map((s) => `| ${LABEL[s.model]} | ${s.meanSpectralRadius.toFixed(3)} | ${s.meanLargestSingularValue.toFixed(3)} | ${s.meanNse.toFixed(3)} |`),
    "",
    "![eigenvalues](eigenvalues.svg)",
    "",
    "![singular values](singular-values.svg)",
    "",
  ].join("\n");
  return [writeMarkdownReport(out, md), join(out, "eigenvalues.svg"), join(out, "singular-values.svg")];
}

/** `dale-bench spectra`: Fig. 3 of Li et al. (2023), eigenvalues and singular values at initialisation. */
export const spectraFigureExperiment: Experiment<SpectraFigureOptions, { model: RnnModel }, SpectraRecord, void> = {
  name: "spectra",
  summary: "Li et al. (2023) Fig. 3: eigenvalues and singular-value histograms at initialisation (SVG)",
  help: "Standard, ColEI (rescaled to spectral radius rho) and DANN recurrent matrices, pooled over draws; one run per model.",
  trains: false,
  profiles: [],
  flags: {
    n: { type: "string", value: "N", default: "100", description: "hidden units (>= 4)" },
    inhibitory: { type: "string", value: "F", default: "0.1", description: "fraction of inhibitory units, in (0, 1)" },
    draws: { type: "string", value: "D", default: "100", description: "matrices per model" },
    rho: { type: "string", value: "R", default: "1.5", description: "ColEI spectral radius (eq. 7)" },
  },
  parse: (v) => ({
    n: integerFlag("--n", (v.n as string | undefined) ?? "100", 4),
    inhibitoryFraction: numberFlag("--inhibitory", (v.inhibitory as string | undefined) ?? "0.1", { above: 0, below: 1, what: "a fraction in (0, 1)" }),
    draws: integerFlag("--draws", (v.draws as string | undefined) ?? "100", 1),
    rho: numberFlag("--rho", (v.rho as string | undefined) ?? "1.5", { above: 0, what: "a number > 0" }),
  }),
  defaultOut: (o) => `results/spectra-n${o.n}`,
  plan: (o) => RNN_MODELS.map((model) => ({ runId: `spectra/n=${o.n}/f=${o.inhibitoryFraction}/draws=${o.draws}/rho=${o.rho}/${model}`, settings: { model } })),
  prepare: (_o, _runs, log) => useFastestSpectra(log),
  async runOne(run, context) {
    const o = readOptions(run.runId);
    const r = spectraOfModel(run.settings.model, o, run.runId);
    context.log(`  ${LABEL[r.model].padEnd(13)} radius ${r.meanSpectralRadius.toFixed(3)}, σ_max ${r.meanLargestSingularValue.toFixed(3)}, NSE ${r.meanNse.toFixed(3)} (${r.draws} draws, ${r.wallSeconds.toFixed(1)} s)`);
    return r;
  },
  validateRecord(value, where) {
    const o = value as Partial<SpectraRecord> | null;
    if (typeof o !== "object" || o === null || o.experiment !== "spectra") throw new Error(`${where}: experiment must be "spectra"; got ${JSON.stringify(o?.experiment)}`);
    if (!Array.isArray(o.singularValues) || typeof o.eigenvalues !== "object" || typeof o.meanNse !== "number") throw new Error(`${where}: singularValues, eigenvalues and meanNse must be present`);
    return o as SpectraRecord;
  },
  report: (out, records) => writeSpectraReport(out, records),
};

/** The options a run id encodes (the plan puts all of them in it). */
function readOptions(runId: string): SpectraFigureOptions {
  const get = (k: string): number => Number(new RegExp(`/${k}=([^/]+)`).exec(runId)?.[1]);
  return { n: get("n"), inhibitoryFraction: get("f"), draws: get("draws"), rho: get("rho") };
}
