import type { PaperModelKind } from "@dale-nn/ei-layers";
import { RUN_MODELS, type RunModel } from "./report/run-record.js";
import { SUPP5_GRADIENT_NORMALISATION, SUPP5_LR_SCALING, type UpdateControl } from "./update-control.js";

/** The feedforward models `dale-bench ffwd` trains (Cornford et al. 2021, Sec. 5, Tables 1-3 and Supp. Fig. 5): the models its records name. */
export type FfwdModel = RunModel;
export const FFWD_MODELS: readonly FfwdModel[] = RUN_MODELS;

export type FfwdDataset = "mnist" | "fashion" | "kmnist";
export const FFWD_DATASETS: readonly FfwdDataset[] = ["mnist", "fashion", "kmnist"];

/** How each model is built and trained. */
export interface FfwdModelSpec {
  /** The network from `buildPaperNetwork`. */
  kind: PaperModelKind;
  /** Apply the DANN update correction (Alg. 3). */
  correction: boolean;
  /** Supp. Fig. 5: gradient normalisation (Alg. 5) or learning-rate scaling (Alg. 6) on top of the step. */
  control?: UpdateControl;
  /** Train with this model's learning rate from the tables (Supp. Fig. 5's variants use DANN's). */
  rateOf?: FfwdModel;
}

export const FFWD_MODEL_SPECS: Record<FfwdModel, FfwdModelSpec> = {
  mlp: { kind: "mlp", correction: false },
  "layernorm-mlp": { kind: "layernorm-mlp", correction: false },
  "batchnorm-mlp": { kind: "batchnorm-mlp", correction: false },
  dann: { kind: "dann", correction: true },
  "dann-nc": { kind: "dann", correction: false },
  "dann-1i": { kind: "dann-1i", correction: true },
  columnei: { kind: "columnei", correction: false },
  "dann-gradnorm": { kind: "dann", correction: true, control: SUPP5_GRADIENT_NORMALISATION, rateOf: "dann" },
  "dann-lrscale": { kind: "dann", correction: true, control: SUPP5_LR_SCALING, rateOf: "dann" },
};

/**
 * Learning rates selected by the paper's random search (Tables 1-3). The tables do not list every
 * model for every dataset; missing entries borrow another dataset's rate, and `source` says which.
 */
const TABLE_RATES: Record<FfwdDataset, Partial<Record<FfwdModel, number>>> = {
  mnist: { mlp: 0.2976, dann: 0.1107, "dann-nc": 0.003981, "dann-1i": 0.05327, columnei: 0.05273 },
  kmnist: { mlp: 0.213, "layernorm-mlp": 0.1166, "batchnorm-mlp": 0.7235, dann: 0.156, columnei: 0.05426 },
  fashion: { mlp: 0.08403, "layernorm-mlp": 0.04743, "batchnorm-mlp": 0.1098, dann: 0.01973, columnei: 0.02265 },
};
const TABLE_NAME: Record<FfwdDataset, string> = { mnist: "Table 1 (MNIST)", kmnist: "Table 2 (K-MNIST)", fashion: "Table 3 (Fashion-MNIST)" };

/**
 * The paper's learning rate for a model on a dataset, and where it comes from.
 */
export function paperLearningRate(dataset: FfwdDataset, model: FfwdModel): { learningRate: number; source: string } {
  const base = FFWD_MODEL_SPECS[model].rateOf;
  if (base !== undefined) {
    const { learningRate, source } = paperLearningRate(dataset, base);
    return { learningRate, source: `${source}, ${base}'s rate (Supp. Fig. 5 varies the update, not the rate)` };
  }
  const own = TABLE_RATES[dataset][model];
  if (own !== undefined) return { learningRate: own, source: TABLE_NAME[dataset] };
  for (const other of ["mnist", "kmnist", "fashion"] as const) {
    const rate = TABLE_RATES[other][model];
    if (rate !== undefined) return { learningRate: rate, source: `${TABLE_NAME[other]}; the paper lists no ${model} rate for ${dataset}` };
  }
  throw new Error(`no learning rate for ${model}`);
}

/** The models of each dataset's table in the paper: the default model set of `dale-bench ffwd`. */
export const TABLE_MODELS: Record<FfwdDataset, readonly FfwdModel[]> = {
  mnist: ["mlp", "dann", "dann-nc", "dann-1i", "columnei"],
  kmnist: ["mlp", "layernorm-mlp", "batchnorm-mlp", "dann", "columnei"],
  fashion: ["mlp", "layernorm-mlp", "batchnorm-mlp", "dann", "columnei"],
};
