import type { RnnTaskName } from "./rnn-profiles.js";

/** One finished recurrent run (rnn, transplant, ei-sweep, radius-sweep), as one line of results.jsonl. */
export interface RnnRecord {
  schema: 1;
  experiment: "rnn" | "transplant" | "ei-sweep" | "radius-sweep";
  runId: string;
  task: RnnTaskName;
  /** The network: an RnnBenchModel for "rnn", a configuration label for the other experiments. */
  model: string;
  /** Experiment-specific settings (transplant configuration, E:I ratio, size, NSE at init, ...). */
  variant?: Record<string, string | number | boolean>;
  profile: string;
  seed: number;
  learningRate: number;
  clipping: { maxNorm: number; scope: string } | null;
  epochs: number;
  batchSize: number;
  metric: string;
  trainErrorPerEpoch: number[];
  evalCurve: Array<{ update: number; error: number }>;
  finalTrainError: number | null;
  /** The error on the evaluation split of `evalCurve`: the test set, or the validation split of a run with `finalTestError`. */
  finalEvalError: number | null;
  /** Runs evaluated on a validation split (selection-split.ts): the final network's test error; null when it diverged. */
  finalTestError?: number | null;
  wallSeconds: number;
  backend: string;
  versions: Record<string, string>;
  finishedAt: string;
  diverged?: { update: number; reason: string };
  /** The backends of a run resumed on another backend, in order. */
  backends?: string[];
}

/**
 * Checks a parsed record of a recurrent experiment.
 *
 * @throws Error `<where>: <field> must be ...; got <value>`
 */
export function validateRnnRecord(experiment: RnnRecord["experiment"], value: unknown, where: string): RnnRecord {
  const o = value as Record<string, unknown>;
  const fail = (field: string, expected: string): never => {
    throw new Error(`${where}: ${field} must be ${expected}; got ${JSON.stringify(o?.[field])?.slice(0, 80)}`);
  };
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new Error(`${where}: row must be a JSON object; got ${JSON.stringify(value)?.slice(0, 80)}`);
  if (o.schema !== 1) fail("schema", "1");
  if (o.experiment !== experiment) fail("experiment", JSON.stringify(experiment));
  if (typeof o.runId !== "string" || o.runId === "") fail("runId", "a non-empty string");
  if (o.task !== "adding" && o.task !== "seqmnist") fail("task", '"adding" or "seqmnist"');
  if (typeof o.model !== "string") fail("model", "a string");
  if (typeof o.seed !== "number") fail("seed", "a number");
  if (!Array.isArray(o.trainErrorPerEpoch)) fail("trainErrorPerEpoch", "an array");
  if (!Array.isArray(o.evalCurve)) fail("evalCurve", "an array of { update, error }");
  if (o.finalEvalError !== null && typeof o.finalEvalError !== "number") fail("finalEvalError", "a number or null");
  if (o.finalTestError !== undefined && o.finalTestError !== null && typeof o.finalTestError !== "number") fail("finalTestError", "a number, null or absent");
  if (typeof o.wallSeconds !== "number") fail("wallSeconds", "a number");
  return o as unknown as RnnRecord;
}
