import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { deriveSeed } from "@dale-nn/ei-init";
import { eigenvalues, singularValues, normalisedSvdEntropyFromSingularValues } from "@dale-nn/spectra";
import { initialRecurrentMatrix, type RnnModel } from "../nse/nse-experiment.js";

/** Options of {@link spectraFigure}. */
export interface SpectraFigureOptions {
  /** Hidden units n; default 100. */
  n: number;
  /** Fraction of inhibitory units (ColEI, DANN); default 0.1. */
  inhibitoryFraction: number;
  /** Matrices per model; the paper's Fig. 3 uses 100. */
  draws: number;
  /** ColEI spectral radius ρ (eq. 7); default 1.5. */
  rho: number;
  out: string;
  log: (line: string) => void;
}

/** Per-model statistics over draws. */
export interface SpectraStats {
  model: RnnModel;
  draws: number;
  meanSpectralRadius: number;
  meanLargestSingularValue: number;
  meanNse: number;
}

const LABEL: Record<RnnModel, string> = { rnn: "standard RNN", colei: "ColEI", dann: "DANN" };

async function toSvg(spec: TopLevelSpec): Promise<string> {
  return new View(parse(compile(spec).spec), { renderer: "none" }).toSVG();
}

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/**
 * Fig. 3 of Li et al. (2023): eigenvalues in the complex plane and singular-value histograms of the
 * recurrent weights at initialisation, pooled over draws, for standard, ColEI (rescaled to spectral
 * radius ρ) and DANN RNNs. Writes `eigenvalues.svg`, `singular-values.svg` and `report.md`.
 */
export async function spectraFigure(options: SpectraFigureOptions): Promise<SpectraStats[]> {
  const { n, inhibitoryFraction, draws, rho, out, log } = options;
  mkdirSync(out, { recursive: true });
  const eig: Array<{ model: string; re: number; im: number }> = [];
  const sv: Array<{ model: string; s: number }> = [];
  const stats: SpectraStats[] = [];
  for (const model of ["rnn", "colei", "dann"] as const) {
    let radius = 0, smax = 0, nse = 0;
    const t0 = performance.now();
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
      for (let i = 0; i < n; i++) eig.push({ model: LABEL[model], re: re[i]!, im: im[i]! });
      for (const v of s) sv.push({ model: LABEL[model], s: v });
    }
    stats.push({ model, draws, meanSpectralRadius: radius / draws, meanLargestSingularValue: smax / draws, meanNse: nse / draws });
    log(`  ${LABEL[model].padEnd(13)} radius ${(radius / draws).toFixed(3)}, σ_max ${(smax / draws).toFixed(3)}, NSE ${(nse / draws).toFixed(3)} (${draws} draws, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
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
  writeAtomic(join(out, "eigenvalues.svg"), await toSvg(eigSpec));
  writeAtomic(join(out, "singular-values.svg"), await toSvg(svSpec));
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
  writeAtomic(join(out, "report.md"), md);
  return stats;
}
