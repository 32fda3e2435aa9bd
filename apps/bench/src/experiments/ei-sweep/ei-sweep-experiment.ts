import { deriveSeed } from "@dale-nn/ei-init";
import { buildRecurrentNetwork, EiRnn } from "@dale-nn/ei-layers";
import { DATASET_PIXEL_MEANS } from "@dale-nn/datasets";
import type { Experiment } from "../../runner/experiment.js";
import { UserError } from "../../user-error.js";
import { RNN_CLIPPING, RNN_PROFILE_FLAG, RNN_PROFILES, parseRnnProfile, RNN_TASK_SETTINGS, type RnnProfile } from "../recurrent/rnn-profiles.js";
import { validateRnnRecord, type RnnRecord } from "../recurrent/rnn-record.js";
import { SEQ_MNIST_EXPERIMENT, type TaskData } from "../recurrent/task-data.js";
import { trainRecurrent } from "../recurrent/train-recurrent.js";
import { writeEiSweepPlots, writeEiSweepReport } from "./ei-sweep-report.js";
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
    const plots = await writeEiSweepPlots(out, records);
    return [writeEiSweepReport(out, records, plots)];
  },
};
