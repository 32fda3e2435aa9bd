import { basename } from "node:path";
import { deriveSeed } from "@dale-nn/ei-init";
import { normalisedSvdEntropy } from "@dale-nn/spectra";
import type { Experiment } from "../../runner/experiment.js";
import { oneOf } from "../../runner/flag-values.js";
import { meanStd } from "../../report/mean-std.js";
import { writeMarkdownReport } from "../../report/write-markdown-report.js";
import { initialRecurrentMatrix, RNN_MODELS, type RnnModel } from "../recurrent/initial-recurrent-matrix.js";
import { useFastestSpectra } from "../recurrent/use-fastest-spectra.js";

/** One cell of Table 3: NSE of W at initialisation over draws. */
export interface NseRecord {
  schema: 1;
  experiment: "nse";
  runId: string;
  profile: string;
  model: RnnModel;
  /** Hidden units n. */
  n: number;
  /** Fraction of inhibitory units (irrelevant for "rnn", recorded for the table). */
  inhibitoryFraction: number;
  /** Inhibitory units used: ColEI round(f n) of the n units; DANN round(f n) interneurons. */
  ni: number;
  seeds: number[];
  nse: number[];
  mean: number;
  std: number;
  wallSeconds: number;
  finishedAt: string;
}

export interface NseProfile {
  name: "smoke" | "quick" | "paper";
  sizes: number[];
  fractions: number[];
  /** Draws per cell, by size. */
  draws: (n: number) => number;
}

export const NSE_PROFILES: Record<NseProfile["name"], NseProfile> = {
  smoke: { name: "smoke", sizes: [100], fractions: [0.01, 0.1, 0.5], draws: () => 5 },
  quick: { name: "quick", sizes: [100, 300, 1000], fractions: [0.01, 0.1, 0.5], draws: (n) => (n <= 100 ? 50 : n <= 300 ? 20 : 5) },
  paper: { name: "paper", sizes: [100, 300, 1000], fractions: [0.01, 0.1, 0.5], draws: (n) => (n <= 300 ? 100 : 20) },
};
const NSE_PROFILE_NAMES = Object.keys(NSE_PROFILES) as Array<NseProfile["name"]>;

type NseCell = { model: RnnModel; n: number; fraction: number; draws: number; profile: NseProfile["name"] };

/** The cells of a profile: every model x size x fraction (the standard RNN once per size). */
export function planNseCells(profile: NseProfile): Array<NseCell & { runId: string }> {
  const cells = [];
  for (const n of profile.sizes) {
    for (const model of RNN_MODELS) {
      for (const fraction of model === "rnn" ? [0] : profile.fractions) {
        cells.push({ model, n, fraction, draws: profile.draws(n), profile: profile.name, runId: `nse/${profile.name}/${model}/n=${n}/f=${fraction}` });
      }
    }
  }
  return cells;
}

/** One cell: the NSE of `draws` matrices of one model, size and fraction. */
export function computeNseCell(cell: NseCell & { runId: string }): NseRecord {
  const t0 = performance.now();
  const seeds = Array.from({ length: cell.draws }, (_, k) => deriveSeed(2023, cell.model, cell.n, k));
  let ni = 0;
  const values = seeds.map((seed) => {
    const m = initialRecurrentMatrix(cell.model, cell.n, cell.fraction, seed);
    ni = m.ni;
    return normalisedSvdEntropy({ data: m.data, rows: cell.n, cols: cell.n });
  });
  const { mean, std } = meanStd(values);
  return {
    schema: 1, experiment: "nse", runId: cell.runId, profile: cell.profile, model: cell.model, n: cell.n,
    inhibitoryFraction: cell.fraction, ni, seeds, nse: values, mean, std,
    wallSeconds: (performance.now() - t0) / 1000, finishedAt: new Date().toISOString(),
  };
}

/**
 * Our own numpy run of the same formulas (REFERENCE-NOTES, 5-20 draws each), and the paper's
 * Table 3 cells that it did not reproduce (n = 100, ColEI 1% and 10%).
 */
export const NSE_REFERENCE: Array<{ model: RnnModel; n: number; fraction: number | null; numpy: number; paper?: number }> = [
  ...([100, 300, 1000] as const).flatMap((n, i) => [
    { model: "rnn" as const, n, fraction: null, numpy: [0.953, 0.962, 0.969][i]! },
    { model: "colei" as const, n, fraction: 0.5, numpy: [0.92, 0.941, 0.956][i]! },
    ...[0.01, 0.1, 0.5].map((f) => ({ model: "dann" as const, n, fraction: f, numpy: [0.95, 0.961, 0.968][i]! })),
  ]),
  { model: "colei", n: 300, fraction: 0.1, numpy: 0.841 },
  { model: "colei", n: 1000, fraction: 0.1, numpy: 0.875 },
  { model: "colei", n: 300, fraction: 0.01, numpy: 0.606 },
  { model: "colei", n: 1000, fraction: 0.01, numpy: 0.68 },
  { model: "colei", n: 100, fraction: 0.1, numpy: 0.8, paper: 0.643 },
  { model: "colei", n: 100, fraction: 0.01, numpy: 0.51, paper: 0.413 },
];

/** Markdown table of the NSE cells next to the reference values. */
export function renderNseMarkdown(records: NseRecord[], title: string): string {
  const lines = [`# ${title}`, "", "Normalised SVD entropy of the recurrent weight matrix at initialisation (Li et al. 2023, eq. 4 and Table 3): mean ± std over draws. Reference: our numpy run of the same formulas (REFERENCE-NOTES); the paper's n = 100 ColEI 1% and 10% cells (0.413, 0.643) did not reproduce there (about 0.51 and 0.80).", "", "| model | n | inhibitory | draws | NSE (ours) | numpy reference | |Δ| | paper |", "| --- | --- | --- | --- | --- | --- | --- | --- |"];
  const sorted = [...records].sort((a, b) => a.n - b.n || RNN_MODELS.indexOf(a.model) - RNN_MODELS.indexOf(b.model) || a.inhibitoryFraction - b.inhibitoryFraction);
  for (const r of sorted) {
    const ref = NSE_REFERENCE.find((x) => x.model === r.model && x.n === r.n && (x.fraction === null || x.fraction === r.inhibitoryFraction));
    const delta = ref ? Math.abs(r.mean - ref.numpy) : Number.NaN;
    const std = r.std ?? Number.NaN;
    lines.push(
      `| ${r.model} | ${r.n} | ${r.model === "rnn" ? "—" : `${(100 * r.inhibitoryFraction).toFixed(0)}% (n_i = ${r.ni})`} | ${r.nse.length} | ${r.mean.toFixed(3)} ± ${Number.isFinite(std) ? std.toFixed(3) : "—"} | ${ref ? ref.numpy.toFixed(3) : "—"} | ${Number.isFinite(delta) ? delta.toFixed(3) : "—"} | ${ref?.paper !== undefined ? ref.paper.toFixed(3) : ref ? "reproduced" : "—"} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** `dale-bench nse`: Table 3 of Li et al. (2023), NSE at initialisation. */
export const nseExperiment: Experiment<{ profile: NseProfile["name"] }, NseCell, NseRecord, void> = {
  name: "nse",
  summary: "Li et al. (2023) Table 3: NSE of the recurrent matrix at initialisation, standard / ColEI / DANN",
  help: "n = 100, 300, 1000 and 1%, 10%, 50% inhibitory units, averaged over draws, next to our numpy reference; LAPACK through @dale-nn/openblas when it is built.",
  trains: false,
  profiles: NSE_PROFILE_NAMES,
  flags: { profile: { type: "string", value: NSE_PROFILE_NAMES.join("|"), default: "quick", description: "sizes and draws" } },
  parse: (values) => ({ profile: oneOf("--profile", (values.profile as string | undefined) ?? "quick", NSE_PROFILE_NAMES) }),
  defaultOut: (o) => `results/nse-${o.profile}`,
  plan: (o) => planNseCells(NSE_PROFILES[o.profile]).map(({ runId, ...settings }) => ({ runId, settings })),
  prepare: (_o, _runs, log) => useFastestSpectra(log),
  async runOne(run, context) {
    const record = computeNseCell({ ...run.settings, runId: run.runId });
    const c = run.settings;
    context.log(`  ${c.model.padEnd(5)} n=${String(c.n).padEnd(4)} ${c.model === "rnn" ? "        " : `I=${(100 * c.fraction).toFixed(0).padStart(2)}%   `} NSE ${record.mean.toFixed(3)} ± ${Number.isFinite(record.std) ? record.std.toFixed(3) : "—"} (${c.draws} draws, ${record.wallSeconds.toFixed(1)} s)`);
    return record;
  },
  validateRecord(value, where) {
    const o = value as Partial<NseRecord> | null;
    if (typeof o !== "object" || o === null) throw new Error(`${where}: row must be a JSON object`);
    if (o.experiment !== "nse") throw new Error(`${where}: experiment must be "nse"; got ${JSON.stringify(o.experiment)}`);
    if (typeof o.runId !== "string" || !Array.isArray(o.nse) || typeof o.mean !== "number") throw new Error(`${where}: runId, nse and mean must be a string, an array and a number`);
    // JSON writes NaN as null: a one-draw cell has std null.
    return { ...o, std: o.std ?? Number.NaN } as NseRecord;
  },
  async report(out, records) {
    return [writeMarkdownReport(out, renderNseMarkdown(records, `NSE at initialisation: ${basename(out)}`))];
  },
};
