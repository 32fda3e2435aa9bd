import { integerFlag, oneOf } from "../../runner/flag-values.js";
import type { EiRnnKind } from "@dale-nn/ei-layers";

/** The recurrent tasks of Li et al. (2023), Sec. 2.3 / App. 6.2. */
export type RnnTaskName = "adding" | "seqmnist";
export const RNN_TASKS: readonly RnnTaskName[] = ["adding", "seqmnist"];

/** The networks of Fig. 2 A-B: standard RNN, ColEI with and without gradient clipping, DANN. */
export type RnnBenchModel = "rnn" | "colei" | "colei-noclip" | "dann";
export const RNN_BENCH_MODELS: readonly RnnBenchModel[] = ["rnn", "colei", "colei-noclip", "dann"];

/** The layer kind of each network. */
export const RNN_KIND: Record<RnnBenchModel, EiRnnKind> = { rnn: "standard", colei: "colei", "colei-noclip": "colei", dann: "dann" };

/** Task settings (App. 6.2). Clipping thresholds are ours: the paper grid-searched them. */
export interface TaskSettings {
  hidden: number[];
  dense: number[];
  outputs: number;
  steps: number;
  inputs: number;
  learningRate: number;
  /** Multiply the learning rate by `factor` every `every` updates (adding problem: 0.99 / 20), by global update count. */
  decay: { factor: number; every: number } | null;
  batchSize: number;
}

export const RNN_TASK_SETTINGS: Record<RnnTaskName, TaskSettings> = {
  adding: { hidden: [10], dense: [], outputs: 1, steps: 20, inputs: 2, learningRate: 0.1, decay: { factor: 0.99, every: 20 }, batchSize: 32 },
  seqmnist: { hidden: [100, 100, 100], dense: [100], outputs: 10, steps: 28, inputs: 28, learningRate: 0.01, decay: null, batchSize: 32 },
};

/** Gradient clipping per model (App. 6.3: clipping in all experiments; per-tensor for ColEI, REFERENCE-NOTES). */
export const RNN_CLIPPING: Record<RnnBenchModel, { maxNorm: number; scope: "global" | "per-tensor" } | null> = {
  rnn: { maxNorm: 10, scope: "global" },
  dann: { maxNorm: 10, scope: "global" },
  colei: { maxNorm: 5, scope: "per-tensor" },
  "colei-noclip": null,
};

/**
 * The clipping the reference code's Fig. 2 scripts train with (Li et al. 2023 grid-searched it;
 * these are its picks): exps/adding.py clips ColEI at 7, DANN at 3 and the RNN at 7;
 * exps/seq_mnist_test.py clips ColEI at 10 and trains the RNN and DANN unclipped. The reference
 * clips each layer's gradients jointly for the RNN and DANN (ClipGradNorm_Mixin), which we
 * approximate by one global norm; ColEI per tensor (ColumnEiSGD_Clip), as ours.
 */
export const REFERENCE_RNN_CLIPPING: Record<RnnTaskName, Record<RnnBenchModel, { maxNorm: number; scope: "global" | "per-tensor" } | null>> = {
  adding: { rnn: { maxNorm: 7, scope: "global" }, dann: { maxNorm: 3, scope: "global" }, colei: { maxNorm: 7, scope: "per-tensor" }, "colei-noclip": null },
  seqmnist: { rnn: null, dann: null, colei: { maxNorm: 10, scope: "per-tensor" }, "colei-noclip": null },
};

/** How much of the protocol the recurrent experiments (rnn, transplant, ei-sweep) run. */
export interface RnnProfile {
  name: "tiny" | "smoke" | "quick" | "paper";
  epochs: Record<RnnTaskName, number>;
  seeds: number[];
  trainLimit: Record<RnnTaskName, number | null>;
  /** Evaluate on the first N test examples only (smoke); null = all. */
  testLimit: number | null;
  evalEveryUpdates: number;
}

export const RNN_PROFILES: Record<RnnProfile["name"], RnnProfile> = {
  // Seconds: for tests and golden records only.
  tiny: { name: "tiny", epochs: { adding: 1, seqmnist: 1 }, seeds: [0], trainLimit: { adding: 256, seqmnist: 128 }, testLimit: 200, evalEveryUpdates: 4 },
  smoke: { name: "smoke", epochs: { adding: 2, seqmnist: 1 }, seeds: [0], trainLimit: { adding: 2000, seqmnist: 2000 }, testLimit: 1000, evalEveryUpdates: 1000 },
  quick: { name: "quick", epochs: { adding: 40, seqmnist: 2 }, seeds: [0], trainLimit: { adding: null, seqmnist: null }, testLimit: null, evalEveryUpdates: 500 },
  paper: { name: "paper", epochs: { adding: 100, seqmnist: 30 }, seeds: [0, 1, 2, 3, 4], trainLimit: { adding: null, seqmnist: null }, testLimit: null, evalEveryUpdates: 200 },
};

/** The profile names, in help order. */
export const RNN_PROFILE_NAMES = Object.keys(RNN_PROFILES) as Array<RnnProfile["name"]>;

/** The --profile flag of the recurrent experiments. */
export const RNN_PROFILE_FLAG = { type: "string", value: RNN_PROFILE_NAMES.join("|"), default: "smoke", description: "epochs, seeds and data limits" } as const;

/** The --seeds flag of the recurrent experiments. */
export const RNN_SEEDS_FLAG = {
  type: "string",
  value: "N",
  description: "seeds 0 .. N-1 instead of the profile's (e.g. 30 adds seeds 5-29 to the paper profile's 0-4; runs already done are kept)",
} as const;

/** `--seeds N` as options (`{}` when absent, so that older experiment.json files plan as before). @throws UserError unless a positive integer */
export function parseRnnSeeds(value: string | boolean | string[] | undefined): { seeds?: number } {
  return value === undefined ? {} : { seeds: integerFlag("--seeds", String(value)) };
}

/**
 * The seeds a recurrent experiment runs: 0 .. N − 1 with `--seeds N`, else the profile's. Run ids
 * name the seed and not the count, so extra seeds join the profile's runs (seeds 0-4 of the paper
 * profile and seeds 5-29 are one protocol).
 */
export function rnnSeeds(o: { profile: RnnProfile["name"]; seeds?: number }): number[] {
  return o.seeds === undefined ? RNN_PROFILES[o.profile].seeds : Array.from({ length: o.seeds }, (_, i) => i);
}

/** The --profile value of the recurrent experiments (default smoke). @throws UserError for an unknown profile */
export function parseRnnProfile(value: string | boolean | string[] | undefined): RnnProfile["name"] {
  return oneOf("--profile", typeof value === "string" ? value : "smoke", RNN_PROFILE_NAMES);
}
