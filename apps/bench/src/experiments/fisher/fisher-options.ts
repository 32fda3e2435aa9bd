import type { FlagSpec, FlagValues, PlannedRun } from "../../runner/experiment.js";
import { integerFlag, numberFlag, oneOf } from "../../runner/flag-values.js";
import { FISHER_PROFILE_NAMES, FISHER_PROFILES, REFERENCE_FISHER, type FisherProfile } from "./fisher-profiles.js";

/** The networks `dale-bench fisher` trains: the paper's DANN (50 I units per hidden layer) or the reference code's Fisher run (1). */
export type FisherModel = "dann" | "dann-1i";
export const FISHER_MODELS: readonly FisherModel[] = ["dann", "dann-1i"];

/** Options of `dale-bench fisher` (JSON: stored in experiment.json). */
export type FisherOptions = {
  profile: FisherProfile["name"];
  model: FisherModel;
  /** --seeds N (null: the profile's). */
  seeds: number | null;
  epochs: number | null;
  trainLimit: number | null;
  /** Record the alignment every this many updates. */
  alignEvery: number;
  /** --lr (null: the reference code's 300). */
  learningRate: number | null;
};

/** The settings of one run (JSON). */
export interface FisherSettings {
  runId: string;
  /** The profile's name plus the command-line overrides, as in the run id. */
  profile: string;
  model: FisherModel;
  seed: number;
  epochs: number;
  batchSize: number;
  trainLimit: number | null;
  testLimit: number | null;
  learningRate: number;
  alignEvery: number;
  window: number;
  curveEvery: number;
  evalEveryUpdates: number;
  network: { hidden: number[]; inhibitory: number } | null;
}

/** The experiment's own flags. */
export const FISHER_FLAGS: Readonly<Record<string, FlagSpec>> = {
  profile: { type: "string", value: FISHER_PROFILE_NAMES.join("|"), default: "smoke", description: "epochs, seeds, data limit" },
  model: { type: "string", value: FISHER_MODELS.join("|"), default: "dann-1i", description: "dann-1i: one inhibitory unit per hidden layer, as the reference code's Fisher run (with lr 300 the 50-unit network does not learn: 65.7% test error at the quick profile, against 2.53%); dann: the paper's 50 (recorded in the run ids)" },
  seeds: { type: "string", value: "N", description: "seeds 0 .. N-1 (default: the profile's, 1)" },
  "align-every": { type: "string", value: "K", default: "1", description: "record the Fisher alignment every K updates (recorded in the run ids when not 1)" },
  epochs: { type: "string", value: "N", description: "override the profile's epochs (recorded in the run ids)" },
  "train-limit": { type: "string", value: "N", description: "train on the first N images (recorded in the run ids)" },
  lr: { type: "string", value: "X", default: "300", description: "learning rate of the Fisher-preconditioned SGD (the reference code's 300; recorded in the run ids when not 300)" },
};

/**
 * Validates the flags of `dale-bench fisher`.
 *
 * @throws UserError naming the flag, the value and what was expected
 */
export function parseFisherOptions(v: FlagValues): FisherOptions {
  const profile = oneOf("--profile", (v.profile as string | undefined) ?? "smoke", FISHER_PROFILE_NAMES);
  const model = oneOf("--model", (v.model as string | undefined) ?? "dann-1i", FISHER_MODELS);
  const str = (key: string): string | undefined => v[key] as string | undefined;
  return {
    profile,
    model,
    seeds: str("seeds") === undefined ? null : integerFlag("--seeds", str("seeds")!),
    epochs: str("epochs") === undefined ? null : integerFlag("--epochs", str("epochs")!),
    trainLimit: str("train-limit") === undefined ? null : integerFlag("--train-limit", str("train-limit")!),
    alignEvery: str("align-every") === undefined ? 1 : integerFlag("--align-every", str("align-every")!),
    learningRate: str("lr") === undefined ? null : numberFlag("--lr", str("lr")!, { above: 0, what: "a finite number > 0" }),
  };
}

/** The profile's label with the overrides of the options (part of every run id). */
export function fisherProfileLabel(o: FisherOptions): string {
  let label: string = o.profile;
  if (o.epochs !== null) label += `+epochs=${o.epochs}`;
  if (o.trainLimit !== null) label += `+train=${o.trainLimit}`;
  if (o.alignEvery !== 1) label += `+align-every=${o.alignEvery}`;
  if (o.learningRate !== null && o.learningRate !== REFERENCE_FISHER.learningRate) label += `+lr=${o.learningRate}`;
  return label;
}

/**
 * The runs of the options: one per seed, with run id `fisher/mnist/<model>/<profile label>/seed=<s>`.
 */
export function planFisherRuns(o: FisherOptions): PlannedRun<FisherSettings>[] {
  const p = FISHER_PROFILES[o.profile];
  const label = fisherProfileLabel(o);
  const seeds = o.seeds ?? p.seeds;
  return Array.from({ length: seeds }, (_, seed) => {
    const runId = `fisher/mnist/${o.model}/${label}/seed=${seed}`;
    return {
      runId,
      settings: {
        runId,
        profile: label,
        model: o.model,
        seed,
        epochs: o.epochs ?? p.epochs,
        batchSize: p.batchSize,
        trainLimit: o.trainLimit ?? p.trainLimit,
        testLimit: p.testLimit,
        learningRate: o.learningRate ?? REFERENCE_FISHER.learningRate,
        alignEvery: o.alignEvery,
        window: p.window,
        curveEvery: p.curveEvery,
        evalEveryUpdates: p.evalEveryUpdates,
        network: p.network,
      },
    };
  });
}
