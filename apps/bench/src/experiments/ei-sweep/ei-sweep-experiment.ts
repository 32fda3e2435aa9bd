import { deriveSeed } from "@dale-nn/ei-init";
import { buildRecurrentNetwork, EiRnn } from "@dale-nn/ei-layers";
import { DATASET_PIXEL_MEANS } from "@dale-nn/datasets";
import type { Experiment } from "../../runner/experiment.js";
import { listOf } from "../../runner/flag-values.js";
import { UserError } from "../../user-error.js";
import { RNN_CLIPPING, RNN_PROFILE_FLAG, RNN_PROFILES, parseRnnProfile, RNN_TASK_SETTINGS, type RnnProfile, RNN_SEEDS_FLAG, parseRnnSeeds, rnnSeeds } from "../recurrent/rnn-profiles.js";
import { validateRnnRecord, type RnnRecord } from "../recurrent/rnn-record.js";
import { SEQ_MNIST_EXPERIMENT, type TaskData } from "../recurrent/task-data.js";
import { trainRecurrent } from "../recurrent/train-recurrent.js";
import { writeEiSweepPlots, writeEiSweepReport } from "./ei-sweep-report.js";
import { layerRecurrentSpectrum } from "../recurrent/layer-recurrent-spectrum.js";

/** The sweep's models: ColEI and DANN over the grid, the standard RNN once per size (the dashed lines of Figs. 5-6). */
export type EiSweepModel = "colei" | "dann" | "rnn";
export const EI_SWEEP_MODELS: readonly EiSweepModel[] = ["colei", "dann", "rnn"];

/** Sizes and inhibitory fractions of a sweep (Li et al. 2023, Figs. 5-7). */
export interface EiSweepGrid {
  sizes: number[];
  fractions: number[];
  models: EiSweepModel[];
}

/** Each profile's grid: what `--sweep hidden=... --sweep inhibitory=...` default to. */
export const EI_SWEEP_GRIDS: Record<RnnProfile["name"], EiSweepGrid> = {
  tiny: { sizes: [16], fractions: [0.1, 0.5], models: ["colei", "dann"] },
  smoke: { sizes: [32], fractions: [0.1, 0.5], models: ["colei", "dann"] },
  quick: { sizes: [100], fractions: [0.01, 0.1, 0.5], models: ["colei", "dann", "rnn"] },
  paper: { sizes: [100, 300, 1000], fractions: [0.01, 0.05, 0.1, 0.2, 0.5], models: ["colei", "dann", "rnn"] },
};

export type EiSweepOptions = { profile: RnnProfile["name"]; sizes: number[]; fractions: number[]; models: EiSweepModel[]; seeds?: number };
/** One run: the standard RNN has no E:I split (f null). */
type EiSweepSettings = { model: EiSweepModel; n: number; f: number | null; seed: number; profile: RnnProfile["name"] };

/**
 * `dale-bench ei-sweep`: ColEI and DANN over E:I ratios and sizes (Li et al. 2023, Figs. 5-7). The
 * grid is a sweep: `--sweep hidden=16,32 --sweep inhibitory=0.1,0.5` (the profile's grid by default).
 */
export const eiSweepExperiment: Experiment<EiSweepOptions, EiSweepSettings, RnnRecord, TaskData> = {
  name: "ei-sweep",
  summary: "Li et al. (2023) Figs. 5-7: ColEI and DANN over E:I ratios and sizes, NSE at init vs final test error",
  help: "Sequential MNIST with one recurrent layer of n units; records the NSE of the recurrent matrix at initialisation next to the final test error, and tests the paper's trends. The standard RNN (no E:I split) runs once per size, as the baseline. The profile sets the default grid; --sweep hidden=... and --sweep inhibitory=... replace it, --models keeps a subset.",
  ...SEQ_MNIST_EXPERIMENT,
  flags: {
    profile: { ...RNN_PROFILE_FLAG, description: "epochs, seeds, data limits and the default grid" },
    models: { type: "string", value: "m1,m2", description: `keep these of the grid's models: ${EI_SWEEP_MODELS.join(", ")} (rnn: the standard RNN, once per size)` },
    seeds: RNN_SEEDS_FLAG,
  },
  parse(values) {
    const profile = parseRnnProfile(values.profile);
    const grid = EI_SWEEP_GRIDS[profile];
    const keep = values.models === undefined ? [...EI_SWEEP_MODELS] : listOf("--models", values.models as string, EI_SWEEP_MODELS);
    const models = grid.models.filter((m) => keep.includes(m));
    if (models.length === 0) throw new UserError(`--models ${keep.join(",")} leaves no model of the ${profile} grid (${grid.models.join(", ")})`);
    return { profile, sizes: [...grid.sizes], fractions: [...grid.fractions], models, ...parseRnnSeeds(values.seeds) };
  },
  defaultOut: (o) => `results/ei-sweep-${o.profile}`,
  sweep: {
    hidden: { description: "recurrent units n (integers >= 2)", kinds: ["list"], apply: (o, v) => ({ ...o, sizes: [v.kind === "list" ? v.value : Number.NaN] }) },
    inhibitory: { description: "fraction of inhibitory units, in (0, 1)", kinds: ["list"], apply: (o, v) => ({ ...o, fractions: [v.kind === "list" ? v.value : Number.NaN] }) },
  },
  plan(o) {
    for (const n of o.sizes) if (!Number.isInteger(n) || n < 2) throw new UserError(`--sweep hidden values must be integers >= 2; got ${n}`);
    for (const f of o.fractions) if (!(f > 0 && f < 1)) throw new UserError(`--sweep inhibitory values must be fractions in (0, 1); got ${f}`);
    const seeds = rnnSeeds(o);
    return o.models.flatMap((model) =>
      o.sizes.flatMap((n): Array<{ runId: string; settings: EiSweepSettings }> =>
        model === "rnn"
          ? seeds.map((seed) => ({ runId: `ei-sweep/${o.profile}/rnn/n=${n}/seed=${seed}`, settings: { model, n, f: null, seed, profile: o.profile } }))
          : o.fractions.flatMap((f) => seeds.map((seed) => ({ runId: `ei-sweep/${o.profile}/${model}/n=${n}/f=${f}/seed=${seed}`, settings: { model, n, f, seed, profile: o.profile } }))),
      ),
    );
  },
  async runOne(run, context) {
    const { model: name, n, f, seed } = run.settings;
    const profile = RNN_PROFILES[run.settings.profile];
    const settings = { ...RNN_TASK_SETTINGS.seqmnist, hidden: [n], dense: [] };
    const kind = name === "rnn" ? "standard" : name;
    const model = buildRecurrentNetwork({ kind, seed: deriveSeed(seed, "ei-sweep", n), hidden: [n], dense: [], outputs: 10, ...(f === null ? {} : { inhibitoryFraction: f }), inputMean: DATASET_PIXEL_MEANS.mnist });
    const layer = model.layers[0] as EiRnn;
    const spectrum = layerRecurrentSpectrum(layer);
    return trainRecurrent({
      experiment: "ei-sweep", runId: run.runId, taskName: "seqmnist", label: name, seed, model, clipping: RNN_CLIPPING[name],
      correction: name === "dann", settings, profile, data: context.prepared, context,
      variant: { hidden: n, ...(f === null ? {} : { inhibitoryFraction: f }), ni: f === null ? 0 : layer.inhibitoryUnits, nseAtInit: spectrum.nse, sigmaMaxAtInit: spectrum.sigmaMax },
    });
  },
  validateRecord: (value, where) => validateRnnRecord("ei-sweep", value, where),
  async report(out, records) {
    const plots = await writeEiSweepPlots(out, records);
    return [writeEiSweepReport(out, records, plots)];
  },
};
