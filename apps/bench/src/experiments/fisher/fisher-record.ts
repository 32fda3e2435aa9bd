import type { AlignmentCurvePoint, EpochAlignmentMean } from "./alignment-series.js";
import { FISHER_MODELS, type FisherModel } from "./fisher-options.js";

/** One layer of a {@link FisherRecord}: its sizes, the moving-average curves and the epoch means of both cosines. */
export interface FisherLayerRecord {
  /** 1-based, input to output. */
  layer: number;
  /** d, n_e, n_i of the layer. */
  inputs: number;
  units: number;
  inhibitory: number;
  /** Moving average over `window` updates, one point every `curveEvery` updates (and at the end). */
  curve: AlignmentCurvePoint[];
  epochMeans: EpochAlignmentMean[];
}

/** One finished run of `dale-bench fisher`, one line of results.jsonl. */
export interface FisherRecord {
  schema: 1;
  experiment: "fisher";
  runId: string;
  dataset: "mnist";
  model: FisherModel;
  profile: string;
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The diagonal-Fisher preconditioner (Alg. 4) that made the steps. */
  fisher: { lambda: number; momentum: number; eps: number; normalise: string };
  trainImages: number;
  testImages: number;
  updatesPerEpoch: number;
  updates: number;
  /** The alignment was measured every this many updates. */
  alignEvery: number;
  /** The curves' moving-average window, in updates. */
  window: number;
  curveEvery: number;
  layers: FisherLayerRecord[];
  trainErrorPerEpoch: number[];
  meanLossPerEpoch: number[];
  evalCurve: Array<{ update: number; error: number }>;
  finalTrainError: number | null;
  /** Final test error rate; null when the run diverged. */
  testError: number | null;
  wallSeconds: number;
  backend: string;
  versions: Record<string, string>;
  startedAt: string;
  finishedAt: string;
  diverged?: { update: number; reason: string };
  backends?: string[];
}

const isCosine = (x: unknown): boolean => x === null || (typeof x === "number" && x >= -1 && x <= 1);
const isPositiveInteger = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 1;
const inUnit = (x: unknown): boolean => typeof x === "number" && x >= 0 && x <= 1;

/**
 * Checks a parsed record of `fisher`.
 *
 * @throws Error `<where>: <field> must be ...; got <value>`
 */
export function validateFisherRecord(value: unknown, where: string): FisherRecord {
  const o = value as Record<string, unknown>;
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new Error(`${where}: row must be a JSON object; got ${JSON.stringify(value)?.slice(0, 80)}`);
  const fail = (field: string, expected: string, got: unknown = o[field]): never => {
    throw new Error(`${where}: ${field} must be ${expected}; got ${JSON.stringify(got)?.slice(0, 80)}`);
  };
  if (o.schema !== 1) fail("schema", "1");
  if (o.experiment !== "fisher") fail("experiment", '"fisher"');
  if (typeof o.runId !== "string" || o.runId === "") fail("runId", "a non-empty string");
  if (o.dataset !== "mnist") fail("dataset", '"mnist"');
  if (!FISHER_MODELS.includes(o.model as FisherModel)) fail("model", FISHER_MODELS.map((m) => `"${m}"`).join(" or "));
  if (typeof o.profile !== "string") fail("profile", "a string");
  if (!Number.isInteger(o.seed) || (o.seed as number) < 0) fail("seed", "an integer >= 0");
  for (const f of ["epochs", "batchSize", "trainImages", "testImages", "updatesPerEpoch", "alignEvery", "window", "curveEvery"]) if (!isPositiveInteger(o[f])) fail(f, "an integer >= 1");
  if (!Number.isInteger(o.updates) || (o.updates as number) < 0) fail("updates", "an integer >= 0");
  if (!(typeof o.learningRate === "number" && o.learningRate > 0)) fail("learningRate", "a number > 0");
  const fisher = o.fisher as Record<string, unknown> | undefined;
  if (typeof fisher !== "object" || fisher === null || typeof fisher.lambda !== "number" || typeof fisher.momentum !== "number" || typeof fisher.eps !== "number" || typeof fisher.normalise !== "string") {
    fail("fisher", "{ lambda, momentum, eps, normalise }");
  }
  if (!Array.isArray(o.layers) || o.layers.length === 0) fail("layers", "a non-empty array");
  const epochs = o.epochs as number;
  (o.layers as Array<Record<string, unknown>>).forEach((l, i) => {
    const at = `layers[${i}]`;
    if (typeof l !== "object" || l === null) fail(at, "an object", l);
    if (l.layer !== i + 1) fail(`${at}.layer`, String(i + 1), l.layer);
    for (const f of ["inputs", "units", "inhibitory"]) if (!isPositiveInteger(l[f])) fail(`${at}.${f}`, "an integer >= 1", l[f]);
    const curve = l.curve as Array<Record<string, unknown>>;
    if (!Array.isArray(curve) || curve.some((p) => !isPositiveInteger(p?.update) || !isCosine(p?.raw) || !isCosine(p?.corrected))) {
      fail(`${at}.curve`, "an array of { update >= 1, raw, corrected: cosines in [-1, 1] or null }", l.curve);
    }
    if (curve.some((p, j) => j > 0 && (p.update as number) <= (curve[j - 1]!.update as number))) fail(`${at}.curve`, "in increasing update order", curve.map((p) => p.update));
    const means = l.epochMeans as Array<Record<string, unknown>>;
    if (!Array.isArray(means) || means.some((m) => !isPositiveInteger(m?.epoch) || (m.epoch as number) > epochs || !isCosine(m?.raw) || !isCosine(m?.corrected) || !Number.isInteger(m?.count))) {
      fail(`${at}.epochMeans`, `an array of { epoch in 1..${epochs}, raw, corrected: cosines in [-1, 1] or null, count }`, l.epochMeans);
    }
  });
  if (!Array.isArray(o.trainErrorPerEpoch) || o.trainErrorPerEpoch.some((e) => !inUnit(e))) fail("trainErrorPerEpoch", "an array of error rates in [0, 1]");
  if (!Array.isArray(o.meanLossPerEpoch)) fail("meanLossPerEpoch", "an array of numbers");
  if (!Array.isArray(o.evalCurve) || o.evalCurve.some((p: { update?: unknown; error?: unknown }) => !Number.isInteger(p?.update) || !inUnit(p?.error))) fail("evalCurve", "an array of { update, error in [0, 1] }");
  if (o.finalTrainError !== null && !inUnit(o.finalTrainError)) fail("finalTrainError", "an error rate in [0, 1] or null");
  if (o.diverged === undefined ? !inUnit(o.testError) : o.testError !== null && !inUnit(o.testError)) fail("testError", o.diverged === undefined ? "an error rate in [0, 1]" : "an error rate in [0, 1] or null");
  if (o.diverged !== undefined && (typeof o.diverged !== "object" || o.diverged === null || typeof (o.diverged as { reason?: unknown }).reason !== "string")) fail("diverged", "absent or { update, reason }");
  if (typeof o.wallSeconds !== "number" || !(o.wallSeconds >= 0)) fail("wallSeconds", "a number >= 0");
  if (typeof o.backend !== "string") fail("backend", "a string");
  return o as unknown as FisherRecord;
}
