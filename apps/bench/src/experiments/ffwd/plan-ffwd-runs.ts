import { createRandomSource, deriveSeed } from "@dale-nn/ei-init";
import { paperLearningRate, type FfwdDataset, type FfwdModel } from "./ffwd-models.js";
import type { FfwdProfile } from "./ffwd-profiles.js";

/** One training run of the plan. */
export interface FfwdRunSpec {
  runId: string;
  dataset: FfwdDataset;
  model: FfwdModel;
  profile: string;
  seed: number;
  learningRate: number;
  learningRateSource: string;
  epochs: number;
  batchSize: number;
  evalSplit: "test" | "validation";
  trainLimit: number | null;
  evalEveryUpdates: number;
  trainError: "full-pass" | "running";
  /** The DANN first-layer initialisation when it is not the paper's (absent: the paper's). */
  dannFirstLayerInit?: "reference-first-layer";
  /** The LayerNorm / BatchNorm MLPs normalise their logits too (--norm-layers all; absent: the paper's plain output layer). */
  normaliseOutput?: true;
  /** The MLP kinds' first layer with the reference code's gain 1 (--mlp-first-layer reference; absent: the paper's He init). */
  mlpFirstLayerInit?: "reference-first-layer";
}

/** The spec fields of the profile's model variants, present only when not the paper's (so older run ids and specs stay as they were). */
function variantFields(profile: FfwdProfile): Pick<FfwdRunSpec, "dannFirstLayerInit" | "normaliseOutput" | "mlpFirstLayerInit"> {
  return {
    ...(profile.dannFirstLayerInit === "reference-first-layer" ? { dannFirstLayerInit: "reference-first-layer" as const } : {}),
    ...(profile.normaliseOutput ? { normaliseOutput: true as const } : {}),
    ...(profile.mlpFirstLayerInit === "reference-first-layer" ? { mlpFirstLayerInit: "reference-first-layer" as const } : {}),
  };
}

/** The learning-rate search of Sec. 5.1: log-uniform in [1e-5, 10], 3 seeds, 10k validation split. */
export const SEARCH_RANGE = { low: 1e-5, high: 10 } as const;
export const SEARCH_SEEDS = [0, 1, 2] as const;

function runId(s: Omit<FfwdRunSpec, "runId">): string {
  return `${s.dataset}/${s.model}/${s.profile}/lr=${s.learningRate}/seed=${s.seed}/eval=${s.evalSplit}`;
}

/** Trial `trial` of the search for a model: log-uniform in [low, high], 4 significant digits, seeded by dataset, model and trial. */
export function searchLearningRate(dataset: FfwdDataset, model: FfwdModel, trial: number, range: { low: number; high: number } = SEARCH_RANGE): number {
  const rng = createRandomSource(deriveSeed(2021, dataset, model, trial));
  return Number((range.low * Math.pow(range.high / range.low, rng.uniform())).toPrecision(4));
}

/**
 * The runs of one invocation: every model x seed of the profile with the paper's learning rates
 * (or `learningRate` when given), or, with `search`, `search` log-uniform learning rates per
 * model x 3 seeds on the validation split (`trials` limits it to some trials: one sweep point).
 */
export function planFfwdRuns(options: {
  dataset: FfwdDataset;
  models: readonly FfwdModel[];
  profile: FfwdProfile;
  search?: number;
  trials?: readonly number[];
  range?: { low: number; high: number };
  learningRate?: number;
}): FfwdRunSpec[] {
  const { dataset, models, profile } = options;
  const runs: FfwdRunSpec[] = [];
  for (const model of models) {
    if (options.search) {
      for (const trial of options.trials ?? Array.from({ length: options.search }, (_, k) => k)) {
        const lr = searchLearningRate(dataset, model, trial, options.range);
        for (const seed of SEARCH_SEEDS) {
          const spec = {
            dataset, model, profile: `search-${profile.label}`, seed, learningRate: lr, learningRateSource: `random search trial ${trial}`,
            epochs: profile.epochs, batchSize: profile.batchSize, evalSplit: "validation" as const, trainLimit: profile.trainLimit,
            evalEveryUpdates: profile.evalEveryUpdates, trainError: profile.trainError,
            ...variantFields(profile),
          };
          runs.push({ ...spec, runId: runId(spec) });
        }
      }
    } else {
      const { learningRate, source } = options.learningRate !== undefined ? { learningRate: options.learningRate, source: "--sweep lr" } : paperLearningRate(dataset, model);
      for (const seed of profile.seeds) {
        const spec = {
          dataset, model, profile: profile.label, seed, learningRate, learningRateSource: source,
          epochs: profile.epochs, batchSize: profile.batchSize, evalSplit: "test" as const, trainLimit: profile.trainLimit,
          evalEveryUpdates: profile.evalEveryUpdates, trainError: profile.trainError,
          ...variantFields(profile),
        };
        runs.push({ ...spec, runId: runId(spec) });
      }
    }
  }
  return runs;
}
