import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { join } from "node:path";
import { deriveSeed } from "@dale-nn/ei-init";
import { buildRecurrentNetwork, EiRnn } from "@dale-nn/ei-layers";
import { normalisedSvdEntropyFromSingularValues, singularValues } from "@dale-nn/spectra";
import { DATASET_PIXEL_MEANS } from "@dale-nn/datasets";
import { CheckpointStore } from "../checkpoint-store.js";
import { readRnnRecords, RNN_CLIPPING, RNN_TASK_SETTINGS, taskData, trainAndRecord, type RnnProfile, type RnnRecord } from "./rnn-experiment.js";

/** Sizes and inhibitory fractions of a sweep (Li et al. 2023, Figs. 5-7). */
export interface EiSweepGrid {
  sizes: number[];
  fractions: number[];
  models: Array<"colei" | "dann">;
}

export const EI_SWEEP_GRIDS: Record<RnnProfile["name"], EiSweepGrid> = {
  smoke: { sizes: [32], fractions: [0.1, 0.5], models: ["colei", "dann"] },
  quick: { sizes: [100], fractions: [0.01, 0.1, 0.5], models: ["colei", "dann"] },
  paper: { sizes: [100, 300, 1000], fractions: [0.01, 0.05, 0.1, 0.2, 0.5], models: ["colei", "dann"] },
};

/**
 * Sequential MNIST with one recurrent layer of n units for ColEI and DANN RNNs over E:I ratios and
 * sizes; records the NSE of the recurrent matrix at initialisation next to the final test error.
 */
export async function runEiSweep(options: { profile: RnnProfile; out: string; backend: string; log: (l: string) => void; grid?: EiSweepGrid }): Promise<RnnRecord[]> {
  const { profile, out, log } = options;
  const grid = options.grid ?? EI_SWEEP_GRIDS[profile.name];
  mkdirSync(out, { recursive: true });
  const done = new Set(readRnnRecords(out).map((r) => r.runId));
  const checkpoints = new CheckpointStore(join(out, "checkpoints"));
  const runs = grid.models.flatMap((model) =>
    grid.sizes.flatMap((n) => grid.fractions.flatMap((f) => profile.seeds.map((seed) => ({ model, n, f, seed, runId: `ei-sweep/${profile.name}/${model}/n=${n}/f=${f}/seed=${seed}` })))),
  );
  const todo = runs.filter((r) => !done.has(r.runId));
  log(`dale-bench ei-sweep: ${runs.length} runs, ${runs.length - todo.length} already done`);
  if (todo.length > 0) {
    const data = taskData("seqmnist", profile);
    for (const run of todo) {
      const settings = { ...RNN_TASK_SETTINGS.seqmnist, hidden: [run.n], dense: [] };
      const model = buildRecurrentNetwork({
        kind: run.model, seed: deriveSeed(run.seed, "ei-sweep", run.n), hidden: [run.n], dense: [], outputs: 10,
        inhibitoryFraction: run.f, inputMean: DATASET_PIXEL_MEANS.mnist,
      });
      const layer = model.layers[0] as EiRnn;
      const eff = layer.effectiveWeights();
      const w = Float64Array.from(eff.w.dataSync());
      eff.u.dispose();
      eff.w.dispose();
      eff.bias.dispose();
      const s = singularValues({ data: w, rows: run.n, cols: run.n });
      await trainAndRecord({
        experiment: "ei-sweep", runId: run.runId, taskName: "seqmnist", label: run.model, seed: run.seed, model,
        clipping: RNN_CLIPPING[run.model], correction: run.model === "dann", settings, profile, data, out, backend: options.backend, checkpoints, log,
        variant: { hidden: run.n, inhibitoryFraction: run.f, ni: layer.inhibitoryUnits, nseAtInit: normalisedSvdEntropyFromSingularValues(s), sigmaMaxAtInit: s[0]! },
      });
    }
  }
  const records = readRnnRecords(out).filter((r) => r.experiment === "ei-sweep");
  await writeEiSweepPlot(out, records);
  writeEiSweepReport(out, records);
  return records;
}

/** `nse-vs-error.svg`: final test error against NSE at initialisation (Figs. 5-7). */
export async function writeEiSweepPlot(out: string, records: RnnRecord[]): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: "Sequential MNIST: final test error vs NSE at initialisation", subtitle: "one point per run; label = % inhibitory units" },
    width: 480,
    height: 320,
    data: {
      values: records.map((r) => ({ model: r.model, n: Number(r.variant?.hidden), inhibitory: `${(100 * Number(r.variant?.inhibitoryFraction)).toFixed(0)}%`, nse: Number(r.variant?.nseAtInit), error: 100 * (r.finalEvalError ?? Number.NaN) })),
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
  const svg = await new View(parse(compile(spec).spec), { renderer: "none" }).toSVG();
  const path = join(out, "nse-vs-error.svg");
  writeFileSync(`${path}.tmp`, svg);
  renameSync(`${path}.tmp`, path);
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
      `| ${r0.model} | ${r0.variant?.hidden} | ${(100 * Number(r0.variant?.inhibitoryFraction)).toFixed(0)}% (n_i = ${r0.variant?.ni}) | ${rs.length} | ${avg((r) => Number(r.variant?.nseAtInit)).toFixed(3)} | ${avg((r) => Number(r.variant?.sigmaMaxAtInit)).toFixed(2)} | ${(100 * avg((r) => r.finalEvalError ?? Number.NaN)).toFixed(2)}% |`,
    );
  }
  const path = join(out, "report.md");
  writeFileSync(`${path}.tmp`, `${lines.join("\n")}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}
