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
import { layerRecurrentSpectrum } from "../recurrent/layer-recurrent-spectrum.js";
import { FIRST_LAYER_BIAS_FLAG, firstLayerBiasField, firstLayerBiasOf, firstLayerBiasSegment, firstLayerInputMean, parseFirstLayerBias, type FirstLayerBias } from "../recurrent/first-layer-bias.js";
import { SELECTION_SPLIT_FLAG, parseSelectionSplit, selectionSplitSegment, validationViews, type SelectionSplit } from "../recurrent/selection-split.js";
import { colEiInhibitoryScaling } from "./colei-inhibitory-scaling.js";
import {
  RADIUS_SWEEP_CLIPPING_OF,
  RADIUS_SWEEP_CLIPPINGS,
  RADIUS_SWEEP_GRIDS,
  RADIUS_SWEEP_KIND,
  RADIUS_SWEEP_MODELS,
  type RadiusSweepBlock,
  type RadiusSweepClipping,
  type RadiusSweepModel,
} from "./radius-sweep-grid.js";
import { writeRadiusSweepPlots, writeRadiusSweepReport } from "./radius-sweep-report.js";

/** Options of `dale-bench radius-sweep`. */
export type RadiusSweepOptions = {
  profile: RnnProfile["name"];
  /** --seeds N (absent: the profile's). */
  seeds?: number;
  blocks: RadiusSweepBlock[];
  learningRates: number[];
  /** Gradient-norm thresholds of the clipped runs; null: each model's threshold of our Fig. 2 runs. */
  maxNorms: (number | null)[];
  /** `--first-bias zero`: ColEI's first-layer bias starts at 0, as in the reference code (absent: centred). */
  firstLayerBias?: FirstLayerBias;
  /** `--select-on validation`: train on 50,000, evaluate on 10,000 held out, measure the test set at the end (absent: test). */
  selectOn?: SelectionSplit;
};
type RadiusSweepSettings = {
  model: RadiusSweepModel;
  rho: number;
  clipping: RadiusSweepClipping;
  /** The clipped run's threshold when swept (`--sweep clip=...`); absent: the model's default. */
  maxNorm?: number;
  learningRate: number;
  seed: number;
  profile: RnnProfile["name"];
  /** ColEI models only: "zero" for the reference code's zero first-layer bias (absent: centred). */
  firstLayerBias?: FirstLayerBias;
  /** "validation": the reference's selection protocol (selection-split.ts); absent: test. */
  selectOn?: SelectionSplit;
};

/** A clipped run's clipping: the model's of our Fig. 2 runs, at the swept threshold when there is one. */
function clipOptionsOf(model: RadiusSweepModel, maxNorm: number | undefined): { maxNorm: number; scope: "global" | "per-tensor" } {
  const own = RNN_CLIPPING[RADIUS_SWEEP_CLIPPING_OF[model]];
  if (own === null) throw new Error(`radius-sweep: ${model} has no clipping of its own to run clipped with`);
  return maxNorm === undefined ? own : { ...own, maxNorm };
}

/** One recurrent layer of 100 units and a linear readout (App. Fig. 9: "1 layer of 100 neurons"). */
export const RADIUS_SWEEP_UNITS = 100;

/**
 * `dale-bench radius-sweep`: Li et al. (2023), App. Figs. 9-11 on sequential MNIST: final test
 * error against the spectral radius ρ of W at initialisation, set exactly (W ← (ρ/ρ₀) W), for the
 * RNN, DANN and ColEI with and without gradient clipping, and ColEI with DANN-style scaled
 * learning rates for its inhibitory parameters.
 */
export const radiusSweepExperiment: Experiment<RadiusSweepOptions, RadiusSweepSettings, RnnRecord, TaskData> = {
  name: "radius-sweep",
  summary: "Li et al. (2023) App. Figs. 9-11: seqMNIST error vs spectral radius at init, with and without clipping, ColEI with scaled inhibitory rates",
  help:
    "Sequential MNIST with one recurrent layer of 100 units; W rescaled to spectral radius ρ exactly at initialisation. Models rnn, dann, colei (Fig. 9 clipped, Fig. 10 unclipped), colei-lrscaled (Fig. 11: ColEI with the DANN recurrent scaling mapped onto its inhibitory weights: 1/n_e out of I units, 1/√n_e onto them) and rnn-signfrozen (the RNN the reference code's sweep trains: W and the readout clamped to their initial signs, U free; clipped only). " +
    "The profile sets the grid; --sweep rho=..., --sweep lr=... and --sweep clip=... replace its radii, learning rates and the clipped runs' gradient-norm thresholds (the paper grid-searched both), --models and --clipping keep a subset.",
  ...SEQ_MNIST_EXPERIMENT,
  flags: {
    profile: { ...RNN_PROFILE_FLAG, description: "epochs, seeds, data limits and the default grid" },
    models: { type: "string", value: "m1,m2", description: `keep these of the grid's models: ${RADIUS_SWEEP_MODELS.join(", ")}` },
    clipping: { type: "string", value: "gc,none", description: "keep these of the grid's clippings (gc: each model's Fig. 2 clipping; none: App. Fig. 10)" },
    seeds: RNN_SEEDS_FLAG,
    "first-bias": { ...FIRST_LAYER_BIAS_FLAG, description: `${FIRST_LAYER_BIAS_FLAG.description} (ColEI models only)` },
    "select-on": SELECTION_SPLIT_FLAG,
  },
  parse(values) {
    const profile = parseRnnProfile(values.profile);
    const grid = RADIUS_SWEEP_GRIDS[profile];
    const models = values.models === undefined ? [...RADIUS_SWEEP_MODELS] : listOf("--models", values.models as string, RADIUS_SWEEP_MODELS);
    const clippings = values.clipping === undefined ? [...RADIUS_SWEEP_CLIPPINGS] : listOf("--clipping", values.clipping as string, RADIUS_SWEEP_CLIPPINGS);
    const blocks = grid.blocks
      .map((b) => ({ models: b.models.filter((m) => models.includes(m)), radii: [...b.radii], clippings: b.clippings.filter((c) => clippings.includes(c)) }))
      .filter((b) => b.models.length > 0 && b.clippings.length > 0);
    if (blocks.length === 0) throw new UserError(`--models ${models.join(",")} with --clipping ${clippings.join(",")} leave no run of the ${profile} grid (colei-lrscaled and rnn-signfrozen run clipped only)`);
    return { profile, blocks, learningRates: [...grid.learningRates], maxNorms: [null], ...parseRnnSeeds(values.seeds), ...parseFirstLayerBias(values["first-bias"]), ...parseSelectionSplit(values["select-on"]) };
  },
  defaultOut: (o) => `results/radius-sweep-${o.profile}`,
  sweep: {
    rho: { description: "spectral radius of W at initialisation, > 0 (replaces the grid's radii)", kinds: ["list"], apply: (o, v) => ({ ...o, blocks: o.blocks.map((b) => ({ ...b, radii: [v.kind === "list" ? v.value : Number.NaN] })) }) },
    lr: { description: "learning rate, > 0 (replaces the grid's)", kinds: ["list"], apply: (o, v) => ({ ...o, learningRates: [v.kind === "list" ? v.value : Number.NaN] }) },
    clip: {
      description: "gradient-norm threshold of the clipped runs, > 0 (replaces each model's; the scope, global or per tensor, stays the model's)",
      kinds: ["list"],
      apply: (o, v) => ({ ...o, maxNorms: [v.kind === "list" ? v.value : Number.NaN] }),
    },
  },
  plan(o) {
    for (const b of o.blocks) for (const rho of b.radii) if (!(rho > 0 && Number.isFinite(rho))) throw new UserError(`--sweep rho values must be finite numbers > 0; got ${rho}`);
    for (const lr of o.learningRates) if (!(lr > 0 && Number.isFinite(lr))) throw new UserError(`--sweep lr values must be finite numbers > 0; got ${lr}`);
    for (const c of o.maxNorms) if (c !== null && !(c > 0 && Number.isFinite(c))) throw new UserError(`--sweep clip values must be finite numbers > 0; got ${c}`);
    const seeds = rnnSeeds(o);
    return o.blocks.flatMap((b) =>
      b.models.flatMap((model) =>
        b.clippings.flatMap((clipping) =>
          // An unclipped run has no threshold to sweep, and a model's own threshold is its default
          // run: each runs once, under the id it had before thresholds could be swept.
          (clipping === "gc" ? o.maxNorms.map((c) => (c === clipOptionsOf(model, undefined).maxNorm ? null : c)) : [null]).flatMap((maxNorm) =>
            b.radii.flatMap((rho) =>
              o.learningRates.flatMap((learningRate) =>
                seeds.map((seed) => {
                  const bias = firstLayerBiasOf(RADIUS_SWEEP_KIND[model] === "colei", o.firstLayerBias);
                  return {
                    runId: `radius-sweep/${o.profile}/${model}/rho=${rho}/clip=${clipping}${maxNorm === null ? "" : `:${maxNorm}`}/lr=${learningRate}${firstLayerBiasSegment(bias)}${selectionSplitSegment(o.selectOn)}/seed=${seed}`,
                    settings: { model, rho, clipping, ...(maxNorm === null ? {} : { maxNorm }), learningRate, seed, profile: o.profile, ...firstLayerBiasField(bias), ...(o.selectOn ? { selectOn: o.selectOn } : {}) },
                  };
                }),
              ),
            ),
          ),
        ),
      ),
    );
  },
  async runOne(run, context) {
    const { model: name, rho, clipping, maxNorm, learningRate, seed } = run.settings;
    const profile = RNN_PROFILES[run.settings.profile];
    const n = RADIUS_SWEEP_UNITS;
    const settings = { ...RNN_TASK_SETTINGS.seqmnist, hidden: [n], dense: [], learningRate };
    const kind = RADIUS_SWEEP_KIND[name];
    // One seed, one base matrix: the radii of a seed rescale the same W (and colei / colei-lrscaled start equal).
    const model = buildRecurrentNetwork({
      kind, seed: deriveSeed(seed, "radius-sweep"), hidden: [n], dense: [], outputs: 10, rho, inputMean: firstLayerInputMean(run.settings.firstLayerBias, DATASET_PIXEL_MEANS.mnist),
      // The reference sweep's RNN: W and the readout keep their initial signs, U is free (radius-sweep-grid).
      ...(name === "rnn-signfrozen" ? { signFrozen: "recurrent" as const } : {}),
    });
    const spectrum = layerRecurrentSpectrum(model.layers[0] as EiRnn);
    if (!(Math.abs(spectrum.radius - rho) <= 1e-4 * rho)) {
      model.dispose();
      throw new Error(`radius-sweep: ${name} was built with ρ = ${rho} but its W has spectral radius ${spectrum.radius}`);
    }
    const data = context.prepared;
    const views = run.settings.selectOn === "validation" ? validationViews(data.train, seed, profile) : null;
    return trainRecurrent({
      experiment: "radius-sweep", runId: run.runId, taskName: "seqmnist", label: name, seed, model,
      clipping: clipping === "gc" ? clipOptionsOf(name, maxNorm) : null,
      correction: kind === "dann", transforms: name === "colei-lrscaled" ? [colEiInhibitoryScaling(model)] : [],
      settings, profile, context,
      ...(views ? { data: { ...data, train: views.train, test: views.validation }, finalTest: data.test } : { data }),
      variant: { rho, clipping, rhoAtInit: spectrum.radius, nseAtInit: spectrum.nse, sigmaMaxAtInit: spectrum.sigmaMax, ...firstLayerBiasField(run.settings.firstLayerBias), ...(views ? { selectOn: "validation" } : {}) },
    });
  },
  validateRecord: (value, where) => validateRnnRecord("radius-sweep", value, where),
  async report(out, records) {
    await writeRadiusSweepPlots(out, records);
    return [writeRadiusSweepReport(out, records)];
  },
};
