import * as tf from "@tensorflow/tfjs";
import { colEiRnnInit, columnEiInit, deriveSeed, heNormalInit, standardRnnInit, type InitArray } from "@dale-nn/ei-init";
import { buildRecurrentNetwork, parameterMeta } from "@dale-nn/ei-layers";
import { normalisedSvdEntropy, singularValues, spectralRadius, transplantSpectrum } from "@dale-nn/spectra";
import { DATASET_PIXEL_MEANS } from "@dale-nn/datasets";
import type { Experiment } from "../../runner/experiment.js";
import { UserError } from "../../user-error.js";
import { RNN_PROFILE_FLAG, RNN_PROFILES, parseRnnProfile, RNN_TASK_SETTINGS, type RnnProfile, RNN_SEEDS_FLAG, parseRnnSeeds, rnnSeeds } from "../recurrent/rnn-profiles.js";
import { validateRnnRecord, type RnnRecord } from "../recurrent/rnn-record.js";
import { SEQ_MNIST_EXPERIMENT, type TaskData } from "../recurrent/task-data.js";
import { trainRecurrent } from "../recurrent/train-recurrent.js";
import { FIRST_LAYER_BIAS_FLAG, firstLayerBiasField, firstLayerBiasOf, firstLayerBiasSegment, firstLayerInputMean, parseFirstLayerBias, type FirstLayerBias } from "../recurrent/first-layer-bias.js";
import { TRANSPLANT_CONFIGS, TRANSPLANT_DEFAULT_CLIP, TRANSPLANT_LAYERS, transplantLabel, type TransplantConfig, type TransplantLayers } from "./transplant-config.js";
import { writeTransplantFigure, writeTransplantReport } from "./transplant-report.js";

export { TRANSPLANT_CONFIGS, TRANSPLANT_DEFAULT_CLIP, transplantLabel, type TransplantConfig } from "./transplant-config.js";

/**
 * The recurrent matrix of a configuration: W_rnn and W_colei drawn as at initialisation (n units,
 * 10% inhibitory, ColEI rescaled to ρ = 1.5), then U_a diag(s_b) V_aᵀ with a = vectors, b = spectrum.
 */
export function transplantMatrix(c: TransplantConfig, n: number, seed: number): Float64Array {
  const rnn = { data: Float64Array.from(standardRnnInit({ inputs: 1, hidden: n, seed: deriveSeed(seed, "rnn") }).w.values), rows: n, cols: n };
  const colei = {
    data: Float64Array.from(
      colEiRnnInit({
        inputs: 1, hidden: n, ni: Math.max(1, Math.round(0.1 * n)), seed: deriveSeed(seed, "colei"), firstLayer: { inputMean: 0 },
        spectralRadius: (data, size) => spectralRadius({ data, rows: size, cols: size }),
      }).w.values,
    ),
    rows: n,
    cols: n,
  };
  const a = c.vectors === "rnn" ? rnn : colei;
  const b = c.spectrum === "rnn" ? rnn : colei;
  return a === b ? a.data : transplantSpectrum(a, b).data;
}

/** The input weights, input bias and readout of a configuration when every layer is transplanted (`--layers all`). */
export interface TransplantedInputAndReadout {
  /** U, [n, d] row-major. */
  u: Float64Array;
  /** The recurrent layer's bias, [n]: ColEI's centring −√d E[x] with ColEI's spectrum (0 with `firstLayerBias` "zero"), else 0. */
  bias: Float64Array;
  /** The readout, [outputs, n] row-major. */
  readout: Float64Array;
}

/**
 * The reference code's whole-network transplant (exps/svd_transplant/*.py with
 * U_RNNInit_ColEI_Spectrum_Init / Dense_RNNInit_ColEI_Spectrum_Init and their ColEI-vectors
 * counterparts): besides W, the input weights U and the readout each start as U_a diag(s_b) V_aᵀ of
 * the two networks' matrices (thin SVD, min(rows, cols) singular values). The standard RNN's: U ~
 * Uniform(±1/√n), readout He-normal (std √(2/n)); ColEI's: U ~ Exp(scale 1/√d) (first layer on
 * pixels), readout with balanced exponential E and I columns (10% I). The bias goes with the
 * spectrum: ColEI's −√d E[x] (its large singular value carries the input mean), else 0; with
 * `firstLayerBias` "zero" it is 0 throughout, as the reference code trains (its cells' Bias_ZerosInit
 * overwrites the centring its U policies set). Drawn from their own derived seeds, so W is the same
 * draw as in {@link transplantMatrix}, and U and the readout do not depend on the bias choice.
 */
export function transplantInputAndReadout(c: TransplantConfig, n: number, seed: number, d: number, outputs: number, inputMean: number, firstLayerBias?: FirstLayerBias): TransplantedInputAndReadout {
  const ni = Math.max(1, Math.round(0.1 * n));
  const colei = colEiRnnInit({ inputs: d, hidden: n, ni, seed: deriveSeed(seed, "colei", "input"), firstLayer: { inputMean: firstLayerInputMean(firstLayerBias, inputMean) } });
  const matrix = (a: InitArray, rows: number, cols: number) => ({ data: Float64Array.from(a.values), rows, cols });
  const compose = (rnn: InitArray, col: InitArray, rows: number, cols: number): Float64Array => {
    const a = c.vectors === "rnn" ? rnn : col;
    const b = c.spectrum === "rnn" ? rnn : col;
    return a === b ? Float64Array.from(a.values) : transplantSpectrum(matrix(a, rows, cols), matrix(b, rows, cols)).data;
  };
  const rnnU = standardRnnInit({ inputs: d, hidden: n, seed: deriveSeed(seed, "rnn", "input") }).u;
  const rnnReadout = heNormalInit({ inputs: n, outputs, seed: deriveSeed(seed, "rnn", "readout"), gain: 2 }).w;
  const coleiReadout = columnEiInit({ inputs: n, outputs, inhibitoryInputs: ni, seed: deriveSeed(seed, "colei", "readout") }).w;
  return {
    u: compose(rnnU, colei.u, n, d),
    bias: c.spectrum === "colei" ? Float64Array.from(colei.bias.values) : new Float64Array(n),
    readout: compose(rnnReadout, coleiReadout, outputs, n),
  };
}

/** The one trainable variable of a layer with this role and shape. @throws Error when none, or more than one, fits */
function variableByRole(layer: { trainableWeights: Array<{ read(): tf.Variable; shape: number[] }> }, role: string, shape: number[], what: string, sizesFit: (sizes: { d: number; ne: number }) => boolean = () => true): tf.Variable {
  const found = layer.trainableWeights.filter((v) => {
    const meta = parameterMeta(v.read());
    return meta?.role === role && sizesFit(meta.sizes) && v.shape.length === shape.length && v.shape.every((s, i) => s === shape[i]);
  });
  if (found.length !== 1) throw new Error(`transplant: expected one ${what} (role "${role}", ${shape.join(" x ")}) in the layer; found ${found.length}`);
  return found[0]!.read();
}

/** Assigns a row-major float64 matrix to a variable of that shape. */
function assignValues(v: tf.Variable, data: Float64Array): void {
  const t = tf.tensor(Float32Array.from(data), v.shape);
  v.assign(t);
  t.dispose();
}

/**
 * Sets U and the bias of the first (recurrent) layer and the weight of the last layer (the readout)
 * of a 1-layer network to a whole-network transplant's values, each found by parameter role and shape.
 *
 * @throws Error when a layer has no such variable, or more than one
 */
export function assignInputAndReadout(model: { layers: unknown[] }, m: TransplantedInputAndReadout, n: number, d: number, outputs: number): void {
  const recurrent = model.layers[0] as never;
  assignValues(variableByRole(recurrent, "weight", [n, d], "input weight U"), m.u);
  assignValues(variableByRole(recurrent, "bias", [n], "bias"), m.bias);
  assignValues(variableByRole(model.layers[model.layers.length - 1] as never, "weight", [outputs, n], "readout weight"), m.readout);
}

/**
 * The recurrent matrix W of a recurrent layer, found by parameter role (a "weight" whose sizes say
 * d = ne = n and whose shape is n x n), not by variable name.
 *
 * @throws Error when no weight, or more than one, fits
 */
export function recurrentWeight(layer: { trainableWeights: Array<{ read(): tf.Variable; shape: number[] }> }, n: number): tf.Variable {
  return variableByRole(layer, "weight", [n, n], "recurrent weight", (sizes) => sizes.d === n && sizes.ne === n);
}

export type TransplantOptions = {
  profile: RnnProfile["name"];
  hidden: number;
  seeds?: number;
  /** `--clip`: the global gradient-norm threshold, null for none (absent: {@link TRANSPLANT_DEFAULT_CLIP}). */
  clip?: number | null;
  /** `--configs`: the configurations to run, as `configName` gives them (absent: all 8). */
  configs?: string[];
  /** `--layers`: which matrices start transplanted (absent: "recurrent"). */
  layers?: TransplantLayers;
  /** `--first-bias zero` (with `--layers all`): the recurrent bias starts at 0 with ColEI's spectrum too (absent: centred). */
  firstLayerBias?: FirstLayerBias;
};
type TransplantSettings = { config: TransplantConfig; seed: number; hidden: number; profile: RnnProfile["name"]; clip?: number | null; layers?: TransplantLayers; firstLayerBias?: FirstLayerBias };

/** A configuration's name on the command line and in run ids: `<vectors>-vectors/<spectrum>-spectrum/<signed|free>`. */
export function configName(c: TransplantConfig): string {
  return `${c.vectors}-vectors/${c.spectrum}-spectrum/${c.signConstrained ? "signed" : "free"}`;
}

/** `--clip N|none`. @throws UserError unless a finite number > 0 or "none" */
function parseClip(value: unknown): { clip?: number | null } {
  if (value === undefined) return {};
  if (value === "none") return { clip: null };
  const x = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !(x > 0 && Number.isFinite(x))) throw new UserError(`--clip must be a number > 0 or "none"; got ${JSON.stringify(value)}`);
  return x === TRANSPLANT_DEFAULT_CLIP ? {} : { clip: x };
}

/** `--layers recurrent|all`. @throws UserError naming the value and the choices */
function parseLayers(value: unknown): { layers?: TransplantLayers } {
  if (value === undefined || value === "recurrent") return {};
  if (value === "all") return { layers: "all" };
  throw new UserError(`--layers must be one of ${TRANSPLANT_LAYERS.join(", ")}; got ${JSON.stringify(value)}`);
}

/** `--configs a,b`. @throws UserError naming an unknown configuration and the known ones */
function parseConfigs(value: unknown): { configs?: string[] } {
  if (value === undefined) return {};
  const known = TRANSPLANT_CONFIGS.map(configName);
  const names = [...new Set(String(value).split(",").map((x) => x.trim()).filter(Boolean))];
  for (const name of names) if (!known.includes(name)) throw new UserError(`--configs: unknown configuration ${JSON.stringify(name)}; expected some of ${known.join(", ")}`);
  if (names.length === 0) throw new UserError(`--configs must name at least one configuration; got ${JSON.stringify(value)}`);
  return { configs: names };
}

/** `dale-bench transplant`: Table 1 of Li et al. (2023), the spectrum transplant on sequential MNIST. */
export const transplantExperiment: Experiment<TransplantOptions, TransplantSettings, RnnRecord, TaskData> = {
  name: "transplant",
  summary: "Li et al. (2023) Table 1: singular vectors x singular values x sign constraints on sequential MNIST",
  help: "A standard RNN (1 recurrent layer of 100 ReLU units, linear readout) whose recurrent matrix starts as one of the 8 combinations of singular vectors (RNN / ColEI), singular values (RNN / ColEI) and sign constraints (frozen signs or free).",
  ...SEQ_MNIST_EXPERIMENT,
  flags: {
    profile: RNN_PROFILE_FLAG,
    seeds: RNN_SEEDS_FLAG,
    clip: { type: "string", value: "N|none", description: `global gradient-norm clipping threshold, or none (default ${TRANSPLANT_DEFAULT_CLIP}; another is recorded in the run ids)` },
    configs: { type: "string", value: "c1,c2", description: `run only these configurations: ${TRANSPLANT_CONFIGS.map(configName).join(", ")}` },
    layers: { type: "string", value: TRANSPLANT_LAYERS.join("|"), default: "recurrent", description: "transplant W only (Table 1 here), or also the input weights and the readout, as the reference code's scripts (recorded in the run ids)" },
    "first-bias": { ...FIRST_LAYER_BIAS_FLAG, description: `with --layers all, the recurrent bias of the configurations with ColEI's spectrum: ${FIRST_LAYER_BIAS_FLAG.description}` },
  },
  parse: (values) => {
    const o: TransplantOptions = { profile: parseRnnProfile(values.profile), hidden: 100, ...parseRnnSeeds(values.seeds), ...parseClip(values.clip), ...parseConfigs(values.configs), ...parseLayers(values.layers), ...parseFirstLayerBias(values["first-bias"]) };
    if (o.firstLayerBias !== undefined && o.layers !== "all") throw new UserError("--first-bias zero needs --layers all (with W alone transplanted every configuration's bias starts at 0)");
    return o;
  },
  defaultOut: (o) => `results/transplant-${o.profile}`,
  plan(o) {
    const n = o.hidden;
    const clipped = (o.clip === undefined ? "" : `/clip=${o.clip === null ? "none" : o.clip}`) + (o.layers === "all" ? "/layers=all" : "");
    return TRANSPLANT_CONFIGS.filter((c) => o.configs === undefined || o.configs.includes(configName(c))).flatMap((config) =>
      rnnSeeds(o).map((seed) => {
        // Only ColEI's spectrum brings a centring bias; with the RNN's the bias is 0 either way.
        const bias = firstLayerBiasOf(config.spectrum === "colei", o.firstLayerBias);
        return {
          runId: `transplant/${o.profile}/n=${n}/${configName(config)}${clipped}${firstLayerBiasSegment(bias)}/seed=${seed}`,
          settings: { config, seed, hidden: n, profile: o.profile, ...(o.clip === undefined ? {} : { clip: o.clip }), ...(o.layers === undefined ? {} : { layers: o.layers }), ...firstLayerBiasField(bias) },
        };
      }),
    );
  },
  async runOne(run, context) {
    const { config: c, seed, hidden: n } = run.settings;
    const profile = RNN_PROFILES[run.settings.profile];
    const settings = { ...RNN_TASK_SETTINGS.seqmnist, hidden: [n], dense: [] };
    const w = transplantMatrix(c, n, seed);
    const model = buildRecurrentNetwork({ kind: "standard", seed: deriveSeed(seed, "transplant"), hidden: [n], dense: [], outputs: 10, signFrozen: c.signConstrained, inputMean: DATASET_PIXEL_MEANS.mnist });
    const t = tf.tensor2d(Float32Array.from(w), [n, n]);
    recurrentWeight(model.layers[0] as never, n).assign(t);
    t.dispose();
    const allLayers = run.settings.layers === "all";
    if (allLayers) assignInputAndReadout(model, transplantInputAndReadout(c, n, seed, settings.inputs, settings.outputs, DATASET_PIXEL_MEANS.mnist, run.settings.firstLayerBias), n, settings.inputs, settings.outputs);
    return trainRecurrent({
      experiment: "transplant", runId: run.runId, taskName: "seqmnist", label: transplantLabel(c), seed, model,
      clipping: run.settings.clip === null ? null : { maxNorm: run.settings.clip ?? TRANSPLANT_DEFAULT_CLIP, scope: "global" }, correction: false, settings, profile, data: context.prepared, context,
      variant: {
        spectrum: c.spectrum, vectors: c.vectors, signConstrained: c.signConstrained, hidden: n,
        nseAtInit: normalisedSvdEntropy({ data: w, rows: n, cols: n }), sigmaMaxAtInit: singularValues({ data: w, rows: n, cols: n })[0]!,
        ...(allLayers ? { layers: "all" } : {}),
        ...firstLayerBiasField(run.settings.firstLayerBias),
      },
    });
  },
  validateRecord: (value, where) => validateRnnRecord("transplant", value, where),
  report: async (out, records) => {
    const figure = await writeTransplantFigure(out, records);
    return [writeTransplantReport(out, records, figure), ...(figure === null ? [] : [figure])];
  },
};
