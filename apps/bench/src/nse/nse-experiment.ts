import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { colEiRnnInit, dannRnnInit, deriveSeed, standardRnnInit } from "@dale-nn/ei-init";
import { normalisedSvdEntropy } from "@dale-nn/spectra";

/** The recurrent models of Li et al. (2023) compared in Table 3. */
export type RnnModel = "rnn" | "colei" | "dann";
export const RNN_MODELS: readonly RnnModel[] = ["rnn", "colei", "dann"];

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

/**
 * The recurrent weight matrix W of one model at initialisation, row-major float64 (Li et al. 2023,
 * Sec. 2.2): standard Uniform(−1/√n, 1/√n); DANN W_EE − W_EI W_IE; ColEI column-signed
 * exponential with zero diagonal. NSE is invariant to scaling, so the ColEI rescale to ρ = 1.5
 * (which needs eigenvalues) is skipped here.
 */
export function initialRecurrentMatrix(model: RnnModel, n: number, fraction: number, seed: number): { data: Float64Array; ni: number } {
  const ni = Math.max(1, Math.round(fraction * n));
  if (model === "rnn") return { data: Float64Array.from(standardRnnInit({ inputs: 1, hidden: n, seed }).w.values), ni: 0 };
  if (model === "colei") {
    const p = colEiRnnInit({ inputs: 1, hidden: n, ni, seed, firstLayer: { inputMean: 0 } });
    return { data: Float64Array.from(p.w.values), ni };
  }
  const p = dannRnnInit({ inputs: 1, ne: n, ni, seed });
  const { ee, ie, ei } = p.w;
  const data = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let k = 0; k < ni; k++) s += (ei.values[r * ni + k] as number) * (ie.values[k * n + c] as number);
      data[r * n + c] = (ee.values[r * n + c] as number) - s;
    }
  }
  return { data, ni };
}

/** The cells of a profile: every model x size x fraction (the standard RNN once per size). */
export function planNseCells(profile: NseProfile): Array<{ model: RnnModel; n: number; fraction: number; draws: number; runId: string }> {
  const cells = [];
  for (const n of profile.sizes) {
    for (const model of RNN_MODELS) {
      for (const fraction of model === "rnn" ? [0] : profile.fractions) {
        cells.push({ model, n, fraction, draws: profile.draws(n), runId: `nse/${profile.name}/${model}/n=${n}/f=${fraction}` });
      }
    }
  }
  return cells;
}

export function readNseRecords(out: string): NseRecord[] {
  const file = join(out, "results.jsonl");
  if (!existsSync(file)) return [];
  const records: NseRecord[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as NseRecord;
      if (r.experiment === "nse") records.push(r);
    } catch {
      // A line cut by a killed process: that cell is simply run again.
    }
  }
  return records;
}

/** Runs the cells not yet in `<out>/results.jsonl`, appending one line per finished cell. */
export function runNse(options: { profile: NseProfile; out: string; log: (line: string) => void }): NseRecord[] {
  const { profile, out, log } = options;
  mkdirSync(out, { recursive: true });
  const done = new Set(readNseRecords(out).map((r) => r.runId));
  const cells = planNseCells(profile);
  log(`dale-bench nse: ${cells.length} cells, ${cells.filter((c) => done.has(c.runId)).length} already in ${join(out, "results.jsonl")}`);
  const file = join(out, "results.jsonl");
  for (const cell of cells) {
    if (done.has(cell.runId)) continue;
    const t0 = performance.now();
    const seeds = Array.from({ length: cell.draws }, (_, k) => deriveSeed(2023, cell.model, cell.n, k));
    let ni = 0;
    const values = seeds.map((seed) => {
      const m = initialRecurrentMatrix(cell.model, cell.n, cell.fraction, seed);
      ni = m.ni;
      return normalisedSvdEntropy({ data: m.data, rows: cell.n, cols: cell.n });
    });
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : Number.NaN;
    const record: NseRecord = {
      schema: 1, experiment: "nse", runId: cell.runId, profile: profile.name, model: cell.model, n: cell.n,
      inhibitoryFraction: cell.fraction, ni, seeds, nse: values, mean, std,
      wallSeconds: (performance.now() - t0) / 1000, finishedAt: new Date().toISOString(),
    };
    let prefix = "";
    if (existsSync(file)) {
      const text = readFileSync(file, "utf8");
      if (text.length > 0 && !text.endsWith("\n")) prefix = "\n";
    }
    appendFileSync(file, `${prefix}${JSON.stringify(record)}\n`);
    log(`  ${cell.model.padEnd(5)} n=${String(cell.n).padEnd(4)} ${cell.model === "rnn" ? "        " : `I=${(100 * cell.fraction).toFixed(0).padStart(2)}%   `} NSE ${mean.toFixed(3)} ± ${Number.isFinite(std) ? std.toFixed(3) : "—"} (${cell.draws} draws, ${record.wallSeconds.toFixed(1)} s)`);
  }
  return readNseRecords(out);
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
    lines.push(
      `| ${r.model} | ${r.n} | ${r.model === "rnn" ? "—" : `${(100 * r.inhibitoryFraction).toFixed(0)}% (n_i = ${r.ni})`} | ${r.nse.length} | ${r.mean.toFixed(3)} ± ${Number.isFinite(r.std) ? r.std.toFixed(3) : "—"} | ${ref ? ref.numpy.toFixed(3) : "—"} | ${Number.isFinite(delta) ? delta.toFixed(3) : "—"} | ${ref?.paper !== undefined ? ref.paper.toFixed(3) : ref ? "reproduced" : "—"} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
