import * as tf from "@tensorflow/tfjs";
import { colEiRnnInit, deriveSeed, standardRnnInit } from "@dale-nn/ei-init";
import { buildRecurrentNetwork, parameterMeta } from "@dale-nn/ei-layers";
import { normalisedSvdEntropy, singularValues, spectralRadius, transplantSpectrum } from "@dale-nn/spectra";
import { DATASET_PIXEL_MEANS } from "@dale-nn/datasets";
import type { Experiment } from "../../runner/experiment.js";
import { RNN_PROFILE_FLAG, RNN_PROFILES, parseRnnProfile, RNN_TASK_SETTINGS, type RnnProfile, RNN_SEEDS_FLAG, parseRnnSeeds, rnnSeeds } from "../recurrent/rnn-profiles.js";
import { validateRnnRecord, type RnnRecord } from "../recurrent/rnn-record.js";
import { SEQ_MNIST_EXPERIMENT, type TaskData } from "../recurrent/task-data.js";
import { trainRecurrent } from "../recurrent/train-recurrent.js";
import { TRANSPLANT_CONFIGS, transplantLabel, type TransplantConfig } from "./transplant-config.js";
import { writeTransplantFigure, writeTransplantReport } from "./transplant-report.js";

export { TRANSPLANT_CONFIGS, transplantLabel, type TransplantConfig } from "./transplant-config.js";

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

/**
 * The recurrent matrix W of a recurrent layer, found by parameter role (a "weight" whose sizes say
 * d = ne = n and whose shape is n x n), not by variable name.
 *
 * @throws Error when no weight, or more than one, fits
 */
export function recurrentWeight(layer: { trainableWeights: Array<{ read(): tf.Variable; shape: number[] }> }, n: number): tf.Variable {
  const found = layer.trainableWeights.filter((v) => {
    const meta = parameterMeta(v.read());
    return meta?.role === "weight" && meta.sizes.d === n && meta.sizes.ne === n && v.shape.length === 2 && v.shape[0] === n && v.shape[1] === n;
  });
  if (found.length !== 1) throw new Error(`transplant: expected one recurrent weight (role "weight", ${n} x ${n}) in the layer; found ${found.length}`);
  return found[0]!.read();
}

export type TransplantOptions = { profile: RnnProfile["name"]; hidden: number; seeds?: number };
type TransplantSettings = { config: TransplantConfig; seed: number; hidden: number; profile: RnnProfile["name"] };

/** `dale-bench transplant`: Table 1 of Li et al. (2023), the spectrum transplant on sequential MNIST. */
export const transplantExperiment: Experiment<TransplantOptions, TransplantSettings, RnnRecord, TaskData> = {
  name: "transplant",
  summary: "Li et al. (2023) Table 1: singular vectors x singular values x sign constraints on sequential MNIST",
  help: "A standard RNN (1 recurrent layer of 100 ReLU units, linear readout) whose recurrent matrix starts as one of the 8 combinations of singular vectors (RNN / ColEI), singular values (RNN / ColEI) and sign constraints (frozen signs or free).",
  ...SEQ_MNIST_EXPERIMENT,
  flags: { profile: RNN_PROFILE_FLAG, seeds: RNN_SEEDS_FLAG },
  parse: (values) => ({ profile: parseRnnProfile(values.profile), hidden: 100, ...parseRnnSeeds(values.seeds) }),
  defaultOut: (o) => `results/transplant-${o.profile}`,
  plan(o) {
    const n = o.hidden;
    return TRANSPLANT_CONFIGS.flatMap((config) =>
      rnnSeeds(o).map((seed) => ({
        runId: `transplant/${o.profile}/n=${n}/${config.vectors}-vectors/${config.spectrum}-spectrum/${config.signConstrained ? "signed" : "free"}/seed=${seed}`,
        settings: { config, seed, hidden: n, profile: o.profile },
      })),
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
    return trainRecurrent({
      experiment: "transplant", runId: run.runId, taskName: "seqmnist", label: transplantLabel(c), seed, model,
      clipping: { maxNorm: 10, scope: "global" }, correction: false, settings, profile, data: context.prepared, context,
      variant: {
        spectrum: c.spectrum, vectors: c.vectors, signConstrained: c.signConstrained, hidden: n,
        nseAtInit: normalisedSvdEntropy({ data: w, rows: n, cols: n }), sigmaMaxAtInit: singularValues({ data: w, rows: n, cols: n })[0]!,
      },
    });
  },
  validateRecord: (value, where) => validateRnnRecord("transplant", value, where),
  report: async (out, records) => {
    const figure = await writeTransplantFigure(out, records);
    return [writeTransplantReport(out, records, figure), ...(figure === null ? [] : [figure])];
  },
};
