import type { TopLevelSpec } from "vega-lite";
import { join } from "node:path";
import { deriveSeed } from "@dale-nn/ei-init";
import { buildRecurrentNetwork, EiRnn } from "@dale-nn/ei-layers";
import { DATASET_PIXEL_MEANS } from "@dale-nn/datasets";
import type { Experiment } from "../../runner/experiment.js";
import { UserError } from "../../user-error.js";
import { vegaLiteSvg } from "../../report/vega-lite-svg.js";
import { writeFileAtomic } from "../../report/write-file-atomic.js";
import { writeMarkdownReport } from "../../report/write-markdown-report.js";
import { formatMeanStd, meanStd } from "../../report/mean-std.js";
import { finalResult, seedsCell } from "../recurrent/rnn-report-helpers.js";
import { RNN_CLIPPING, RNN_PROFILE_FLAG, RNN_PROFILES, parseRnnProfile, RNN_TASK_SETTINGS, type RnnProfile } from "../recurrent/rnn-profiles.js";
import { validateRnnRecord, type RnnRecord } from "../recurrent/rnn-record.js";
import { SEQ_MNIST_EXPERIMENT, type TaskData } from "../recurrent/task-data.js";
import { trainRecurrent } from "../recurrent/train-recurrent.js";
import { layerRecurrentSpectrum } from "../recurrent/layer-recurrent-spectrum.js";

/** Sizes and inhibitory fractions of a sweep (Li et al. 2023, Figs. 5-7). */
export interface EiSweepGrid {
  sizes: number[];
  fractions: number[];
  models: Array<"colei" | "dann">;
}

/** Each profile's grid: what `--sweep hidden=... --sweep inhibitory=...` default to. */
export const EI_SWEEP_GRIDS: Record<RnnProfile["name"], EiSweepGrid> = {
  tiny: { sizes: [16], fractions: [0.1, 0.5], models: ["colei", "dann"] },
  smoke: { sizes: [32], fractions: [0.1, 0.5], models: ["colei", "dann"] },
  quick: { sizes: [100], fractions: [0.01, 0.1, 0.5], models: ["colei", "dann"] },
  paper: { sizes: [100, 300, 1000], fractions: [0.01, 0.05, 0.1, 0.2, 0.5], models: ["colei", "dann"] },
};

export type EiSweepOptions = { profile: RnnProfile["name"]; sizes: number[]; fractions: number[]; models: Array<"colei" | "dann"> };
type EiSweepSettings = { model: "colei" | "dann"; n: number; f: number; seed: number; profile: RnnProfile["name"] };

/** `nse-vs-error.svg`: final test error against NSE at initialisation (Figs. 5-7). */
export async function writeEiSweepPlot(out: string, records: RnnRecord[]): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: "Sequential MNIST: final test error vs NSE at initialisation", subtitle: "one point per run; label = % inhibitory units" },
    width: 480,
    height: 320,
    data: {
      values: records.map((r) => ({ model: r.model, n: Number(r.variant?.hidden), inhibitory: `${(100 * Number(r.variant?.inhibitoryFraction)).toFixed(0)}%`, nse: Number(r.variant?.nseAtInit), error: 100 * (finalResult(r) ?? Number.NaN) })),
    },
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
      { mark: { type: "text", dx: 14, fontSize: 10 }, encoding: { x: { field: "nse", type: "quantitative" }, y: { field: "error", type: "quantitative" }, text: { field: "inhibitory" } } },
    ],
  };
  const path = join(out, "nse-vs-error.svg");
  writeFileAtomic(path, await vegaLiteSvg(spec));
  return path;
}

export function writeEiSweepReport(out: string, records: RnnRecord[]): string {
  const lines = [
    "# E:I ratio and size sweep (Li et al. 2023, Figs. 5-7)",
    "",
    "Sequential MNIST, one recurrent layer of n units; NSE and largest singular value of the recurrent matrix at initialisation (ColEI after the ρ = 1.5 rescale) next to the final test error, mean over seeds. The paper's finding: lower NSE (fewer inhibitory units, smaller ColEI networks) goes with higher error; DANN is insensitive to the ratio.",
    "",
    "![final test error vs NSE at initialisation](nse-vs-error.svg)",
    "",
    "| model | n | inhibitory | seeds | NSE at init | σ_max at init | final test error |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  const keys = [...new Set(records.map((r) => `${r.model}|${r.variant?.hidden}|${r.variant?.inhibitoryFraction}`))].sort();
  for (const key of keys) {
    const rs = records.filter((r) => `${r.model}|${r.variant?.hidden}|${r.variant?.inhibitoryFraction}` === key);
    const avg = (f: (r: RnnRecord) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
    const r0 = rs[0]!;
    lines.push(
      `| ${r0.model} | ${r0.variant?.hidden} | ${(100 * Number(r0.variant?.inhibitoryFraction)).toFixed(0)}% (n_i = ${r0.variant?.ni}) | ${seedsCell(rs)} | ${avg((r) => Number(r.variant?.nseAtInit)).toFixed(3)} | ${avg((r) => Number(r.variant?.sigmaMaxAtInit)).toFixed(2)} | ${formatMeanStd(meanStd(rs.map(finalResult), 100), 2, { suffix: "%" })} |`,
    );
  }
  return writeMarkdownReport(out, lines);
}

/**
 * `dale-bench ei-sweep`: ColEI and DANN over E:I ratios and sizes (Li et al. 2023, Figs. 5-7). The
 * grid is a sweep: `--sweep hidden=16,32 --sweep inhibitory=0.1,0.5` (the profile's grid by default).
 */
export const eiSweepExperiment: Experiment<EiSweepOptions, EiSweepSettings, RnnRecord, TaskData> = {
  name: "ei-sweep",
  summary: "Li et al. (2023) Figs. 5-7: ColEI and DANN over E:I ratios and sizes, NSE at init vs final test error",
  help: "Sequential MNIST with one recurrent layer of n units; records the NSE of the recurrent matrix at initialisation next to the final test error (SVG scatter). The profile sets the default grid; --sweep hidden=... and --sweep inhibitory=... replace it.",
  ...SEQ_MNIST_EXPERIMENT,
  flags: { profile: { ...RNN_PROFILE_FLAG, description: "epochs, seeds, data limits and the default grid" } },
  parse(values) {
    const profile = parseRnnProfile(values.profile);
    const grid = EI_SWEEP_GRIDS[profile];
    return { profile, sizes: [...grid.sizes], fractions: [...grid.fractions], models: [...grid.models] };
  },
  defaultOut: (o) => `results/ei-sweep-${o.profile}`,
  sweep: {
    hidden: { description: "recurrent units n (integers >= 2)", kinds: ["list"], apply: (o, v) => ({ ...o, sizes: [v.kind === "list" ? v.value : Number.NaN] }) },
    inhibitory: { description: "fraction of inhibitory units, in (0, 1)", kinds: ["list"], apply: (o, v) => ({ ...o, fractions: [v.kind === "list" ? v.value : Number.NaN] }) },
  },
  plan(o) {
    for (const n of o.sizes) if (!Number.isInteger(n) || n < 2) throw new UserError(`--sweep hidden values must be integers >= 2; got ${n}`);
    for (const f of o.fractions) if (!(f > 0 && f < 1)) throw new UserError(`--sweep inhibitory values must be fractions in (0, 1); got ${f}`);
    return o.models.flatMap((model) =>
      o.sizes.flatMap((n) =>
        o.fractions.flatMap((f) =>
          RNN_PROFILES[o.profile].seeds.map((seed) => ({ runId: `ei-sweep/${o.profile}/${model}/n=${n}/f=${f}/seed=${seed}`, settings: { model, n, f, seed, profile: o.profile } })),
        ),
      ),
    );
  },
  async runOne(run, context) {
    const { model: kind, n, f, seed } = run.settings;
    const profile = RNN_PROFILES[run.settings.profile];
    const settings = { ...RNN_TASK_SETTINGS.seqmnist, hidden: [n], dense: [] };
    const model = buildRecurrentNetwork({ kind, seed: deriveSeed(seed, "ei-sweep", n), hidden: [n], dense: [], outputs: 10, inhibitoryFraction: f, inputMean: DATASET_PIXEL_MEANS.mnist });
    const layer = model.layers[0] as EiRnn;
    const spectrum = layerRecurrentSpectrum(layer);
    return trainRecurrent({
      experiment: "ei-sweep", runId: run.runId, taskName: "seqmnist", label: kind, seed, model, clipping: RNN_CLIPPING[kind],
      correction: kind === "dann", settings, profile, data: context.prepared, context,
      variant: { hidden: n, inhibitoryFraction: f, ni: layer.inhibitoryUnits, nseAtInit: spectrum.nse, sigmaMaxAtInit: spectrum.sigmaMax },
    });
  },
  validateRecord: (value, where) => validateRnnRecord("ei-sweep", value, where),
  async report(out, records) {
    await writeEiSweepPlot(out, records);
    return [writeEiSweepReport(out, records)];
  },
};
