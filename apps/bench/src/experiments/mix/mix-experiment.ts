import type { Experiment } from "../../runner/experiment.js";
import { listOf } from "../../runner/flag-values.js";
import { CT_TASKS } from "./ct-tasks.js";
import {
  CONDITION_FLAGS, MIX_MODELS, MIX_PROFILES, MIX_SWEEP, parseA0s, parseCondition, parseMixProfile, parseSeeds, parseTasks, planMixRuns,
  type MixOptions, type MixSettings,
} from "./mix-options.js";
import { MIX_PROFILE_NAMES } from "./mix-profiles.js";
import { validateMixRecord, type MixRecord } from "./mix-record.js";
import { writeMixReport } from "./mix-report.js";
import { ctTaskDataCache, trainCtRun, type CtTaskDataCache } from "./train-ct-run.js";

/** Parses the flags of mix into options (shared with `dale-bench task`). @throws UserError naming the flag and the value */
export function parseMixOptions(values: Record<string, string | boolean | string[] | undefined>): MixOptions {
  const profile = parseMixProfile(values.profile);
  const p = MIX_PROFILES[profile];
  return {
    profile,
    tasks: parseTasks(values.tasks, p),
    models: values.models === undefined ? [...MIX_MODELS] : listOf("--models", values.models as string, MIX_MODELS),
    a0s: parseA0s(values.a0),
    seeds: parseSeeds(values, p),
    condition: parseCondition(values),
    json: values.json === true,
  };
}

/**
 * `dale-bench mix`: Seay (2019), "Is Dale's law computationally beneficial?": continuous-time
 * E/I RNNs with W_rec = a · W_dale + (1 − a) · W_free and a trained, from a₀ ∈ {0.1, 0.5, 0.9},
 * next to pure Dale and pure free networks, on trial-based cognitive tasks and row-wise
 * sequential MNIST, under the proposal's conditions (τ_E ≠ τ_I, type-specific connectivity,
 * activity or weight costs, a₀).
 */
export const mixExperiment: Experiment<MixOptions, MixSettings, MixRecord, CtTaskDataCache> = {
  name: "mix",
  summary: "Seay (2019): CT E/I RNNs with W = a W_dale + (1 - a) W_free, a trained: does a go to 1 (Dale) or 0 (free)? Cognitive tasks, seqMNIST",
  help: [
    "Continuous-time E/I RNNs (CtEiRnn, 80% E, dt 20 ms, tau 100 ms, sigma_rec 0.05) of kind mixture from each a0, dale and free, trained with projected Adam (lr 1e-3, per-tensor clip 1),",
    "on trial tasks (masked MSE, PsychRNN targets; accuracy and psychometric curves of the noise-free network on a fixed test set) and row-wise sequential MNIST (28 steps of 28 pixels, cross-entropy at the last step).",
    "A training epoch is a fixed number of batches (the checkpoint unit). Profiles: tiny (seconds, tests), smoke (minutes), quick (>= 3 tasks + seqmnist, 3 seeds, every a0), paper (neurogym timing, 5,000 updates, 5 seeds).",
    "Records: task, model, seed, a0, aFinal, aCurve, accuracy or testError, loss, psychometric, wall time. The report says per task whether a goes to 0 (free) or 1 (Dale).",
  ].join("\n"),
  trains: true,
  profiles: MIX_PROFILE_NAMES,
  flags: {
    tasks: { type: "string", value: "t1,t2|all", description: `tasks among ${CT_TASKS.join(", ")} (default: the profile's)` },
    models: { type: "string", value: "dale,free,mixture", description: "which recurrent matrices (default all three)" },
    a0: { type: "string", value: "A1,A2", default: "0.1,0.5,0.9", description: "initial mixing weights a0 in (0, 1) of the mixture runs" },
    seeds: { type: "string", value: "N", description: "seeds per configuration (default: the profile's)" },
    seed: { type: "string", value: "S", default: "0", description: "first seed" },
    ...CONDITION_FLAGS,
  },
  parse: parseMixOptions,
  defaultOut: (o) => `results/mix-${o.profile}`,
  sweep: MIX_SWEEP,
  plan: planMixRuns,
  prepare: () => ctTaskDataCache(),
  runOne: (run, context) => trainCtRun(run.runId, run.settings, context),
  validateRecord: validateMixRecord,
  report: (out, records) => writeMixReport(out, records),
};
