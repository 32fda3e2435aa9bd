import { CT_TASKS, type CtTaskName } from "./ct-tasks.js";
import type { MixCondition, MixModel } from "./mix-options.js";

/** One point of the a-curve: a (its mean over units when per unit) after `update` updates. */
export interface ACurvePoint {
  update: number;
  a: number;
  /** Std of a over units (per-unit mixing only). */
  spread?: number;
}

/** One point of a psychometric curve: the fraction of trials answered "choice 1" at a value of the task's psychometric variable. */
export interface PsychometricPoint {
  x: number;
  fractionChoice1: number;
  trials: number;
}

/** One stimulus variable's psychometric curve (from `psychometricChoices`): key, axis label and points. */
export interface PsychometricCurve {
  /** "psychometric", or for context-dependent decision making "relevant", "irrelevant", "modality m, context c". */
  key: string;
  variable: string;
  points: PsychometricPoint[];
}

/** One finished run of `dale-bench mix` (or `task`), one line of results.jsonl. */
export interface MixRecord {
  schema: 1;
  experiment: "mix";
  runId: string;
  task: CtTaskName;
  model: MixModel;
  seed: number;
  /** a₀ of a mixture; null for dale / free. */
  a0: number | null;
  /** Final a (its mean over units when per unit); null for dale / free. */
  aFinal: number | null;
  /** Std of the final a over units (per-unit mixing); null otherwise. */
  aSpread: number | null;
  aCurve: ACurvePoint[];
  /** Decision accuracy on the test trials (trial tasks), noise-free; null for sequential MNIST. */
  accuracy: number | null;
  /** Test error rate (sequential MNIST); null for trial tasks. */
  testError: number | null;
  /** Mean training loss of the last epoch (penalties included). */
  loss: number | null;
  lossPerEpoch: number[];
  /** Test error curve (trial tasks: decision error = 1 − accuracy). */
  evalCurve: Array<{ update: number; error: number }>;
  /** Coherence (or the task's psychometric variable) → fraction of choice 1; null for sequential MNIST. */
  psychometric: PsychometricPoint[] | null;
  psychometricVariable: string | null;
  /**
   * Every stimulus variable's curve (context-dependent decision making: relevant, irrelevant and
   * each modality per context; other tasks: the one of `psychometric`); absent in older records.
   */
  psychometricCurves?: PsychometricCurve[];
  profile: string;
  condition: MixCondition;
  conditionLabel: string;
  units: number;
  updates: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** T of the trials (longest), or 28 for sequential MNIST. */
  maxSteps: number;
  wallSeconds: number;
  backend: string;
  versions: Record<string, string>;
  finishedAt: string;
  /**
   * Trial tasks: the trained network rebuilt at dt / 2 on the same test trials (inputs held for two
   * steps): its accuracy, the fraction of unchanged decisions, the largest output change relative
   * to the largest output. Absent in older records and for sequential MNIST.
   */
  halfDt?: { accuracy: number; agreement: number; outputDifference: number };
  diverged?: { update: number; reason: string };
  backends?: string[];
}

const inUnit = (x: unknown): boolean => typeof x === "number" && x >= 0 && x <= 1;

/**
 * Checks a parsed record of `mix`.
 *
 * @throws Error `<where>: <field> must be ...; got <value>`
 */
export function validateMixRecord(value: unknown, where: string): MixRecord {
  const o = value as Record<string, unknown>;
  const fail = (field: string, expected: string): never => {
    throw new Error(`${where}: ${field} must be ${expected}; got ${JSON.stringify(o?.[field])?.slice(0, 80)}`);
  };
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new Error(`${where}: row must be a JSON object; got ${JSON.stringify(value)?.slice(0, 80)}`);
  if (o.schema !== 1) fail("schema", "1");
  if (o.experiment !== "mix") fail("experiment", '"mix"');
  if (typeof o.runId !== "string" || o.runId === "") fail("runId", "a non-empty string");
  if (!CT_TASKS.includes(o.task as CtTaskName)) fail("task", `one of ${CT_TASKS.join(", ")}`);
  if (o.model !== "dale" && o.model !== "free" && o.model !== "mixture") fail("model", '"dale", "free" or "mixture"');
  if (!Number.isInteger(o.seed)) fail("seed", "an integer");
  const mixture = o.model === "mixture";
  if (mixture ? !(typeof o.a0 === "number" && o.a0 > 0 && o.a0 < 1) : o.a0 !== null) fail("a0", mixture ? "a number in (0, 1)" : "null (not a mixture)");
  if (mixture ? !inUnit(o.aFinal) : o.aFinal !== null) fail("aFinal", mixture ? "a number in [0, 1]" : "null (not a mixture)");
  if (o.aSpread !== null && !(typeof o.aSpread === "number" && o.aSpread >= 0)) fail("aSpread", "a number >= 0 or null");
  if (!Array.isArray(o.aCurve) || o.aCurve.some((p: { update?: unknown; a?: unknown }) => !Number.isInteger(p?.update) || !inUnit(p?.a))) fail("aCurve", "an array of { update, a in [0, 1] }");
  if (mixture && (o.aCurve as unknown[]).length === 0) fail("aCurve", "non-empty for a mixture");
  const seq = o.task === "seqmnist";
  if (seq ? o.accuracy !== null : !(inUnit(o.accuracy) || (o.diverged !== undefined && o.accuracy === null))) fail("accuracy", seq ? "null (sequential MNIST reports testError)" : "a number in [0, 1]");
  if (!seq ? o.testError !== null : !(inUnit(o.testError) || (o.diverged !== undefined && o.testError === null))) fail("testError", seq ? "a number in [0, 1]" : "null (trial tasks report accuracy)");
  if (o.loss !== null && typeof o.loss !== "number") fail("loss", "a number or null");
  if (!Array.isArray(o.evalCurve)) fail("evalCurve", "an array of { update, error }");
  if (o.psychometric !== null && (!Array.isArray(o.psychometric) || o.psychometric.some((p: { x?: unknown; fractionChoice1?: unknown }) => typeof p?.x !== "number" || !inUnit(p?.fractionChoice1)))) {
    fail("psychometric", "null or an array of { x, fractionChoice1 in [0, 1], trials }");
  }
  const isPoints = (ps: unknown): boolean => Array.isArray(ps) && ps.every((p: { x?: unknown; fractionChoice1?: unknown; trials?: unknown }) => typeof p?.x === "number" && inUnit(p?.fractionChoice1) && Number.isInteger(p?.trials));
  if (o.psychometricCurves !== undefined && (!Array.isArray(o.psychometricCurves) || o.psychometricCurves.some((c: { key?: unknown; variable?: unknown; points?: unknown }) => typeof c?.key !== "string" || typeof c?.variable !== "string" || !isPoints(c?.points)))) {
    fail("psychometricCurves", "absent or an array of { key, variable, points: [{ x, fractionChoice1 in [0, 1], trials }] }");
  }
  const h = o.halfDt as { accuracy?: unknown; agreement?: unknown; outputDifference?: unknown } | undefined;
  if (h !== undefined && !(typeof h === "object" && h !== null && inUnit(h.accuracy) && inUnit(h.agreement) && typeof h.outputDifference === "number" && h.outputDifference >= 0)) {
    fail("halfDt", "absent or { accuracy in [0, 1], agreement in [0, 1], outputDifference >= 0 }");
  }
  if (typeof o.conditionLabel !== "string") fail("conditionLabel", "a string");
  if (typeof o.condition !== "object" || o.condition === null) fail("condition", "an object");
  if (typeof o.wallSeconds !== "number") fail("wallSeconds", "a number");
  return o as unknown as MixRecord;
}
