import type { UpdateControl, UpdateControlRecord } from "../../update-control.js";
import {
  RUN_DATASETS,
  RUN_EVAL_SPLITS,
  RUN_MODELS,
  type RunRecord,
} from "../run-record.js";

/** Thrown for a row that parses as JSON but is not a valid schema-1 {@link RunRecord}. */
export class RunRecordError extends Error {
  override name = "RunRecordError";
}

type Obj = Record<string, unknown>;

function show(value: unknown): string {
  if (value === undefined) return "undefined (missing)";
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function fail(where: string, field: string, expected: string, value: unknown): never {
  throw new RunRecordError(`${where}: ${field} must be ${expected}; got ${show(value)}`);
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(where: string, o: Obj, key: string, nonEmpty = true): string {
  const v = o[key];
  if (typeof v !== "string" || (nonEmpty && v.length === 0)) fail(where, key, "a non-empty string", v);
  return v;
}

function oneOf<T extends string>(where: string, o: Obj, key: string, allowed: readonly T[]): T {
  const v = o[key];
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    fail(where, key, `one of ${allowed.map((a) => `"${a}"`).join(", ")}`, v);
  }
  return v as T;
}

function num(where: string, field: string, v: unknown, opts: { integer?: boolean; min?: number; positive?: boolean } = {}): number {
  const { integer = false, min, positive = false } = opts;
  const what = `${integer ? "an integer" : "a finite number"}${positive ? " > 0" : min !== undefined ? ` >= ${min}` : ""}`;
  if (typeof v !== "number" || !Number.isFinite(v)) fail(where, field, what, v);
  if (integer && !Number.isInteger(v)) fail(where, field, what, v);
  if (positive && !(v > 0)) fail(where, field, what, v);
  if (min !== undefined && v < min) fail(where, field, what, v);
  return v;
}

/** An error fraction: a number in [0, 1], or null (JSON's NaN) read as NaN. */
function fraction(where: string, field: string, v: unknown): number {
  if (v === null) return Number.NaN;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1) {
    const hint = typeof v === "number" && v > 1 && v <= 100 ? " (a fraction, not percent)" : "";
    fail(where, field, `an error fraction in [0, 1] or null${hint}`, v);
  }
  return v;
}

/**
 * Checks a parsed JSON value against the schema-1 {@link RunRecord} shape and returns a clean copy
 * (null errors become NaN). `where` prefixes every message, e.g. "results.jsonl:12".
 */
export function validateRunRecord(value: unknown, where: string): RunRecord {
  if (!isObj(value)) fail(where, "row", "a JSON object", value);
  const o = value;
  if (o.schema !== 1) {
    throw new RunRecordError(
      `${where}: unsupported schema ${show(o.schema)}; this report reads schema 1 rows only ` +
        `(written by dale-bench ffwd); regenerate the results or update the report`,
    );
  }
  if (o.experiment !== "ffwd") fail(where, "experiment", `"ffwd"`, o.experiment);
  const runId = str(where, o, "runId");
  const dataset = oneOf(where, o, "dataset", RUN_DATASETS);
  const model = oneOf(where, o, "model", RUN_MODELS);
  const profile = str(where, o, "profile");
  const seed = num(where, "seed", o.seed, { integer: true, min: 0 });
  const learningRate = num(where, "learningRate", o.learningRate, { positive: true });
  const epochs = num(where, "epochs", o.epochs, { integer: true, min: 0 });
  const batchSize = num(where, "batchSize", o.batchSize, { integer: true, min: 1 });
  const evalSplit = oneOf(where, o, "evalSplit", RUN_EVAL_SPLITS);

  if (!Array.isArray(o.trainErrorPerEpoch)) fail(where, "trainErrorPerEpoch", "an array of error fractions", o.trainErrorPerEpoch);
  const trainErrorPerEpoch = o.trainErrorPerEpoch.map((v, i) => fraction(where, `trainErrorPerEpoch[${i}]`, v));

  if (!Array.isArray(o.evalCurve)) fail(where, "evalCurve", "an array of { update, error }", o.evalCurve);
  const evalCurve = o.evalCurve.map((p, i) => {
    if (!isObj(p)) fail(where, `evalCurve[${i}]`, "an object { update, error }", p);
    return {
      update: num(where, `evalCurve[${i}].update`, p.update, { integer: true, min: 0 }),
      error: fraction(where, `evalCurve[${i}].error`, p.error),
    };
  });

  const finalTrainError = fraction(where, "finalTrainError", o.finalTrainError);
  const finalEvalError = fraction(where, "finalEvalError", o.finalEvalError);
  const wallSeconds = num(where, "wallSeconds", o.wallSeconds, { min: 0 });
  const backend = str(where, o, "backend");

  if (!isObj(o.versions)) fail(where, "versions", "an object of name -> version strings", o.versions);
  const versions: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.versions)) {
    if (typeof v !== "string") fail(where, `versions["${k}"]`, "a string", v);
    versions[k] = v;
  }
  const startedAt = str(where, o, "startedAt");
  const finishedAt = str(where, o, "finishedAt");

  const record: RunRecord = {
    schema: 1,
    experiment: "ffwd",
    runId,
    dataset,
    model,
    profile,
    seed,
    learningRate,
    epochs,
    batchSize,
    evalSplit,
    trainErrorPerEpoch,
    evalCurve,
    finalTrainError,
    finalEvalError,
    wallSeconds,
    backend,
    versions,
    startedAt,
    finishedAt,
  };
  if (Array.isArray(o.backends) && o.backends.every((b) => typeof b === "string")) record.backends = o.backends as string[];
  if (o.diverged !== undefined && o.diverged !== null) {
    const d = o.diverged;
    if (!isObj(d)) fail(where, "diverged", "an object { update, reason }", d);
    record.diverged = {
      update: num(where, "diverged.update", d.update, { integer: true, min: 0 }),
      reason: typeof d.reason === "string" ? d.reason : fail(where, "diverged.reason", "a string", d.reason),
    };
  }
  if (o.updateControl !== undefined && o.updateControl !== null) record.updateControl = updateControlRecord(where, o.updateControl);
  return record;
}

/** The `updateControl` field of Supp. Fig. 5's runs. */
function updateControlRecord(where: string, u: unknown): UpdateControlRecord {
  if (!isObj(u)) fail(where, "updateControl", "an object { control, sampledUpdates, engagedFraction }", u);
  const c = u.control;
  if (!isObj(c)) fail(where, "updateControl.control", "an object { kind, ... }", c);
  let control: UpdateControl;
  if (c.kind === "gradient-normalisation") {
    control = { kind: "gradient-normalisation", maxNorm: num(where, "updateControl.control.maxNorm", c.maxNorm, { positive: true }) };
  } else if (c.kind === "lr-scaling") {
    if (!Array.isArray(c.factors) || c.factors.length === 0) fail(where, "updateControl.control.factors", "a non-empty array of numbers > 0", c.factors);
    if (c.measure !== "update" && c.measure !== "parameter") fail(where, "updateControl.control.measure", `"update" or "parameter"`, c.measure);
    control = {
      kind: "lr-scaling",
      minCosine: num(where, "updateControl.control.minCosine", c.minCosine, {}),
      factors: c.factors.map((f, i) => num(where, `updateControl.control.factors[${i}]`, f, { positive: true })),
      measure: c.measure,
    };
  } else {
    fail(where, "updateControl.control.kind", `"gradient-normalisation" or "lr-scaling"`, c.kind);
  }
  return {
    control,
    sampledUpdates: num(where, "updateControl.sampledUpdates", u.sampledUpdates, { integer: true, min: 0 }),
    engagedFraction: fraction(where, "updateControl.engagedFraction", u.engagedFraction),
  };
}
