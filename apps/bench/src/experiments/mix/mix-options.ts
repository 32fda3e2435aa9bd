import { MIXTURE_NORMALISATIONS, type MixtureNormalisation } from "@dale-nn/ei-layers";
import type { FlagSpec, FlagValues, PlannedRun, SweepKey, SweepValue } from "../../runner/experiment.js";
import { integerFlag, listOf, numberFlag, oneOf } from "../../runner/flag-values.js";
import { UserError } from "../../user-error.js";
import { CT_TASKS, type CtTaskName } from "./ct-tasks.js";
import { MIX_PROFILE_NAMES, MIX_PROFILES, type MixProfile } from "./mix-profiles.js";

/** The recurrent matrix of a run: pure Dale, pure free, or the trainable mixture a · W_dale + (1 − a) · W_free. */
export type MixModel = "dale" | "free" | "mixture";
export const MIX_MODELS: readonly MixModel[] = ["dale", "free", "mixture"];

/** Type-specific connection densities (0 = no connections of that type), as CtEiRnn's `connectivity`. */
export type Densities = { fromEtoE?: number; fromEtoI?: number; fromItoE?: number; fromItoI?: number };

/**
 * The conditions of Seay (2019) that a run is trained under (the proposal's "further ideas": E and
 * I time constants, type-specific connectivity, the loss, a₀) and the overrides of the profile.
 */
export type MixCondition = {
  dt: number;
  tauE: number;
  tauI: number;
  density: Densities | null;
  activityCost: number;
  weightCost: number;
  normalisation: MixtureNormalisation;
  perUnit: boolean;
  /** k in a = σ(k ã): a's logit moves about k times faster under Adam (CtEiRnn mixing.logitScale); 1 = plain. */
  aLogitScale: number;
  recurrentNoise: number;
  /** Stimulus noise σ of the trial tasks; null = the profile's. */
  inputNoise: number | null;
  units: number | null;
  /** Total updates; null = the profile's epochs × batches per epoch. */
  steps: number | null;
  batchSize: number | null;
  learningRate: number;
  /** Per-tensor gradient-norm clip (PsychRNN: 1); 0 = none. */
  clip: number;
  /**
   * The trial tasks' loss: masked MSE against the hi / lo targets (PsychRNN, pycog; the default) or
   * masked cross-entropy of the outputs as logits against the per-step target class (neurogym, nn-brain).
   * Absent in older records: "mse". Sequential MNIST always uses cross-entropy.
   */
  loss?: "mse" | "cross-entropy";
};

export const DEFAULT_CONDITION: MixCondition = {
  dt: 20, tauE: 100, tauI: 100, density: null, activityCost: 0, weightCost: 0, normalisation: "frobenius", perUnit: false, aLogitScale: 1,
  recurrentNoise: 0.05, inputNoise: null, units: null, steps: null, batchSize: null, learningRate: 1e-3, clip: 1, loss: "mse",
};

/** Options of `dale-bench mix` (JSON: stored in experiment.json). */
export type MixOptions = {
  profile: MixProfile["name"];
  tasks: CtTaskName[];
  models: MixModel[];
  a0s: number[];
  seeds: number[];
  condition: MixCondition;
  json: boolean;
};

/** One planned run. */
export type MixSettings = {
  task: CtTaskName;
  model: MixModel;
  a0: number | null;
  seed: number;
  profile: MixProfile["name"];
  condition: MixCondition;
  conditionLabel: string;
  json: boolean;
};

const DENSITY_FLAGS = { "e-to-e": "fromEtoE", "e-to-i": "fromEtoI", "i-to-e": "fromItoE", "i-to-i": "fromItoI" } as const;

/** The flags shared by `mix` and `task` (the conditions and overrides). */
export const CONDITION_FLAGS: Record<string, FlagSpec> = {
  profile: { type: "string", value: MIX_PROFILE_NAMES.join("|"), default: "smoke", description: "tasks, seeds, sizes and updates (tiny: tests)" },
  units: { type: "string", value: "N", description: "recurrent units (80% excitatory); default: the profile's" },
  steps: { type: "string", value: "N", description: "training updates in all; default: the profile's epochs x batches per epoch" },
  batch: { type: "string", value: "N", description: "batch size; default: the profile's" },
  lr: { type: "string", value: "ETA", default: "0.001", description: "Adam learning rate" },
  clip: { type: "string", value: "NORM", default: "1", description: "per-tensor gradient-norm clip (PsychRNN); 0 = none" },
  dt: { type: "string", value: "MS", default: "20", description: "Euler time step (ms), > 0 and <= both tau" },
  "tau-e": { type: "string", value: "MS", default: "100", description: "time constant of the excitatory units (ms)" },
  "tau-i": { type: "string", value: "MS", default: "100", description: "time constant of the inhibitory units (ms); != --tau-e for the tau_E != tau_I condition" },
  "e-to-e": { type: "string", value: "P", description: "density of E -> E connections in [0, 1] (type-specific connectivity)" },
  "e-to-i": { type: "string", value: "P", description: "density of E -> I connections in [0, 1]" },
  "i-to-e": { type: "string", value: "P", description: "density of I -> E connections in [0, 1]" },
  "i-to-i": { type: "string", value: "P", description: "density of I -> I connections in [0, 1] (0: no I -> I)" },
  "activity-cost": { type: "string", value: "L", default: "0", description: "lambda of the activity cost lambda * mean(rate^2)" },
  "weight-cost": { type: "string", value: "L", default: "0", description: "lambda of the weight cost lambda * mean(W_rec^2)" },
  normalisation: { type: "string", value: MIXTURE_NORMALISATIONS.join("|"), default: "frobenius", description: "how the mixture keeps a identifiable (see @dale-nn/ei-layers)" },
  "a-logit-scale": { type: "string", value: "K", default: "1", description: "a = sigmoid(K a~): a moves about K times faster under Adam, whose step ignores the gradient's size" },
  "per-unit": { type: "boolean", description: "one a per presynaptic unit instead of one scalar (records its mean and spread)" },
  "rec-noise": { type: "string", value: "SIGMA", default: "0.05", description: "recurrent noise sigma_rec" },
  "input-noise": { type: "string", value: "SIGMA", description: "stimulus noise of the trial tasks (neurogym sigma); default: the profile's (0 tiny, 1 otherwise)" },
  loss: { type: "string", value: "mse|cross-entropy", default: "mse", description: "trial tasks' loss: masked MSE to the hi/lo targets (PsychRNN) or masked cross-entropy per step (neurogym, nn-brain)" },
  json: { type: "boolean", description: "print one JSON object per finished run on stdout (task, model, seed, a0, aFinal, accuracy or testError, loss); add --quiet for JSON only" },
};

function str(v: FlagValues[string]): string | undefined {
  return typeof v === "string" ? v : undefined;
}

const nonNegative = (flag: string, v: string): number => numberFlag(flag, v, { above: -Number.MIN_VALUE, what: "a finite number >= 0" });
const positiveNumber = (flag: string, v: string): number => numberFlag(flag, v, { above: 0, what: "a finite number > 0" });

/** a₀ ∈ (0, 1): a = σ(ã) can start anywhere strictly inside; the ends are the pure models. @throws UserError */
export function checkA0(flag: string, a0: number | string): number {
  const x = typeof a0 === "number" ? a0 : Number(a0);
  if (typeof a0 === "string" && a0.trim() === "") throw new UserError(`${flag} must be a number in (0, 1); got ""`);
  if (!Number.isFinite(x) || !(x > 0 && x < 1)) {
    throw new UserError(`${flag} must be in (0, 1) (a = sigmoid(a~) starts strictly inside [0, 1]; use --models dale or free for the ends); got ${JSON.stringify(String(a0))}`);
  }
  return x;
}

function density(flag: string, v: number | string): number {
  const x = typeof v === "number" ? v : Number(v);
  if ((typeof v === "string" && v.trim() === "") || !Number.isFinite(x) || x < 0 || x > 1) throw new UserError(`${flag} must be a density in [0, 1]; got ${JSON.stringify(String(v))}`);
  return x;
}

/** Checks dt against the time constants (α = dt/τ must stay ≤ 1). @throws UserError */
export function checkTiming(c: MixCondition, what = "--dt"): MixCondition {
  if (c.dt > Math.min(c.tauE, c.tauI)) throw new UserError(`${what} = ${c.dt} ms must be <= both time constants (alpha = dt/tau <= 1); tau_E = ${c.tauE}, tau_I = ${c.tauI} ms`);
  return c;
}

/** The condition flags as a condition. @throws UserError naming the flag and the value */
export function parseCondition(values: FlagValues): MixCondition {
  const c: MixCondition = { ...DEFAULT_CONDITION };
  const v = (k: string): string | undefined => str(values[k]);
  if (v("units") !== undefined) c.units = integerFlag("--units", v("units")!, 2);
  if (v("steps") !== undefined) c.steps = integerFlag("--steps", v("steps")!);
  if (v("batch") !== undefined) c.batchSize = integerFlag("--batch", v("batch")!);
  if (v("lr") !== undefined) c.learningRate = positiveNumber("--lr", v("lr")!);
  if (v("clip") !== undefined) c.clip = nonNegative("--clip", v("clip")!);
  if (v("dt") !== undefined) c.dt = positiveNumber("--dt", v("dt")!);
  if (v("tau-e") !== undefined) c.tauE = positiveNumber("--tau-e", v("tau-e")!);
  if (v("tau-i") !== undefined) c.tauI = positiveNumber("--tau-i", v("tau-i")!);
  for (const [flag, key] of Object.entries(DENSITY_FLAGS)) {
    if (v(flag) !== undefined) c.density = { ...(c.density ?? {}), [key]: density(`--${flag}`, v(flag)!) };
  }
  if (v("activity-cost") !== undefined) c.activityCost = nonNegative("--activity-cost", v("activity-cost")!);
  if (v("weight-cost") !== undefined) c.weightCost = nonNegative("--weight-cost", v("weight-cost")!);
  if (v("normalisation") !== undefined) c.normalisation = oneOf("--normalisation", v("normalisation")!, MIXTURE_NORMALISATIONS);
  c.perUnit = values["per-unit"] === true;
  if (v("a-logit-scale") !== undefined) c.aLogitScale = positiveNumber("--a-logit-scale", v("a-logit-scale")!);
  if (v("rec-noise") !== undefined) c.recurrentNoise = nonNegative("--rec-noise", v("rec-noise")!);
  if (v("input-noise") !== undefined) c.inputNoise = nonNegative("--input-noise", v("input-noise")!);
  if (v("loss") !== undefined) c.loss = oneOf("--loss", v("loss")!, ["mse", "cross-entropy"] as const);
  return checkTiming(c);
}

/** The profile flag's value (default smoke). @throws UserError */
export function parseMixProfile(value: FlagValues[string]): MixProfile["name"] {
  return oneOf("--profile", str(value) ?? "smoke", MIX_PROFILE_NAMES);
}

/** The seeds: --seeds N from --seed S (default: the profile's count from 0). @throws UserError */
export function parseSeeds(values: FlagValues, profile: MixProfile): number[] {
  const first = str(values.seed) === undefined ? 0 : integerFlag("--seed", str(values.seed)!, 0);
  const count = str(values.seeds) === undefined ? profile.seeds : integerFlag("--seeds", str(values.seeds)!);
  return Array.from({ length: count }, (_, i) => first + i);
}

/** The a₀ list of --a0 (default 0.1, 0.5, 0.9). @throws UserError */
export function parseA0s(value: FlagValues[string]): number[] {
  const s = str(value);
  if (s === undefined) return [0.1, 0.5, 0.9];
  const items = s.split(",").map((x) => x.trim()).filter((x) => x !== "");
  if (items.length === 0) throw new UserError(`--a0 needs at least one value in (0, 1); got ${JSON.stringify(s)}`);
  return [...new Set(items.map((x) => checkA0("--a0", x)))];
}

/** The tasks of --tasks (a list, or "all"; default the profile's). @throws UserError */
export function parseTasks(value: FlagValues[string], profile: MixProfile): CtTaskName[] {
  const s = str(value);
  if (s === undefined) return [...profile.tasks];
  if (s === "all") return [...CT_TASKS];
  return listOf("--tasks", s, CT_TASKS);
}

const fmt = (x: number): string => String(Number(x.toPrecision(6)));

/**
 * The condition as a short stable label for run ids and tables: "base", or its departures from
 * the defaults, e.g. "tauI=50,ItoI=0,act=0.001".
 */
export function conditionLabel(c: MixCondition): string {
  const d = DEFAULT_CONDITION;
  const parts: string[] = [];
  if (c.dt !== d.dt) parts.push(`dt=${fmt(c.dt)}`);
  if (c.tauE !== d.tauE) parts.push(`tauE=${fmt(c.tauE)}`);
  if (c.tauI !== d.tauI) parts.push(`tauI=${fmt(c.tauI)}`);
  for (const key of ["fromEtoE", "fromEtoI", "fromItoE", "fromItoI"] as const) {
    const x = c.density?.[key];
    if (x !== undefined) parts.push(`${key.slice(4)}=${fmt(x)}`);
  }
  if (c.activityCost !== d.activityCost) parts.push(`act=${fmt(c.activityCost)}`);
  if (c.weightCost !== d.weightCost) parts.push(`wcost=${fmt(c.weightCost)}`);
  if (c.normalisation !== d.normalisation) parts.push(`norm=${c.normalisation}`);
  if (c.perUnit) parts.push("perUnit");
  if ((c.aLogitScale ?? 1) !== 1) parts.push(`aScale=${fmt(c.aLogitScale)}`);
  if (c.recurrentNoise !== d.recurrentNoise) parts.push(`recNoise=${fmt(c.recurrentNoise)}`);
  if (c.inputNoise !== null) parts.push(`inNoise=${fmt(c.inputNoise)}`);
  if (c.units !== null) parts.push(`units=${c.units}`);
  if (c.steps !== null) parts.push(`steps=${c.steps}`);
  if (c.batchSize !== null) parts.push(`batch=${c.batchSize}`);
  if (c.learningRate !== d.learningRate) parts.push(`lr=${fmt(c.learningRate)}`);
  if (c.clip !== d.clip) parts.push(`clip=${fmt(c.clip)}`);
  if ((c.loss ?? "mse") !== "mse") parts.push("loss=ce");
  return parts.length === 0 ? "base" : parts.join(",");
}

/** The label of a model in tables and run ids: "dale", "free" or "mixture a0=0.5". */
export function modelLabel(model: MixModel, a0: number | null): string {
  return model === "mixture" ? `mixture a0=${fmt(a0!)}` : model;
}

/** The runs: per task, per model (mixture: per a₀), per seed; run ids name everything that changes the numbers. */
export function planMixRuns(o: MixOptions): PlannedRun<MixSettings>[] {
  const label = conditionLabel(o.condition);
  const runs: PlannedRun<MixSettings>[] = [];
  for (const task of o.tasks) {
    for (const model of o.models) {
      for (const a0 of model === "mixture" ? o.a0s : [null]) {
        for (const seed of o.seeds) {
          const m = model === "mixture" ? `mixture-a0=${fmt(a0!)}` : model;
          runs.push({
            runId: `mix/${task}/${m}/${o.profile}/${label}/seed=${seed}`,
            settings: { task, model, a0, seed, profile: o.profile, condition: o.condition, conditionLabel: label, json: o.json },
          });
        }
      }
    }
  }
  return runs;
}

function sweepNumber(v: SweepValue): number {
  if (v.kind !== "list") throw new UserError("this sweep key takes a list of values (key=v1,v2)");
  return v.value;
}

const withCondition = (o: MixOptions, patch: Partial<MixCondition>, what: string): MixOptions => ({ ...o, condition: checkTiming({ ...o.condition, ...patch }, what) });

/** The sweep keys of mix (and what each changes). */
export const MIX_SWEEP: Record<string, SweepKey<MixOptions>> = {
  a0: { description: "initial mixing weight a0 in (0, 1) (the mixture runs; Dale and free run once)", kinds: ["list"], apply: (o, v) => ({ ...o, a0s: [checkA0("--sweep a0", sweepNumber(v))] }) },
  "tau-e": { description: "tau_E (ms)", kinds: ["list"], apply: (o, v) => withCondition(o, { tauE: positiveNumber("--sweep tau-e", String(sweepNumber(v))) }, "--dt") },
  "tau-i": { description: "tau_I (ms): tau_E != tau_I", kinds: ["list"], apply: (o, v) => withCondition(o, { tauI: positiveNumber("--sweep tau-i", String(sweepNumber(v))) }, "--dt") },
  ...Object.fromEntries(
    Object.entries(DENSITY_FLAGS).map(([flag, key]) => [
      flag,
      {
        description: `density of ${key.slice(4).replace("to", " -> ")} connections (type-specific connectivity)`,
        kinds: ["list"],
        apply: (o: MixOptions, v: SweepValue) => withCondition(o, { density: { ...(o.condition.density ?? {}), [key]: density(`--sweep ${flag}`, sweepNumber(v)) } }, "--dt"),
      } satisfies SweepKey<MixOptions>,
    ]),
  ),
  "a-logit-scale": { description: "K in a = sigmoid(K a~): how fast a can move under Adam", kinds: ["list"], apply: (o, v) => withCondition(o, { aLogitScale: positiveNumber("--sweep a-logit-scale", String(sweepNumber(v))) }, "--dt") },
  "activity-cost": { description: "lambda of the activity cost", kinds: ["list"], apply: (o, v) => withCondition(o, { activityCost: nonNegative("--sweep activity-cost", String(sweepNumber(v))) }, "--dt") },
  "weight-cost": { description: "lambda of the weight cost", kinds: ["list"], apply: (o, v) => withCondition(o, { weightCost: nonNegative("--sweep weight-cost", String(sweepNumber(v))) }, "--dt") },
  units: { description: "recurrent units", kinds: ["list"], apply: (o, v) => withCondition(o, { units: integerFlag("--sweep units", String(sweepNumber(v)), 2) }, "--dt") },
  lr: { description: "Adam learning rate", kinds: ["list"], apply: (o, v) => withCondition(o, { learningRate: positiveNumber("--sweep lr", String(sweepNumber(v))) }, "--dt") },
};

export { MIX_PROFILES };
