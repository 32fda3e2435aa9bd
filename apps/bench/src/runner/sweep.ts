import { UserError } from "../user-error.js";
import type { AnyExperiment, Json, PlannedRun, SweepValue } from "./experiment.js";

/** One parsed `--sweep` axis. */
export interface SweepAxis {
  key: string;
  values: SweepValue[];
}

/**
 * Parses `--sweep key=v1,v2` (a list of numbers) or `--sweep key=log-uniform:LOW:HIGH:N`
 * (N trials, each drawn log-uniformly in [LOW, HIGH] by the experiment) against the sweep keys an
 * experiment declares.
 *
 * @throws UserError for an unknown key, a form the key does not take, or a bad number
 * @example
 * parseSweep(ffwd, "lr=log-uniform:1e-5:10:20").values.length; // 20
 */
export function parseSweep(experiment: AnyExperiment, spec: string): SweepAxis {
  const keys = Object.keys(experiment.sweep ?? {});
  const eq = spec.indexOf("=");
  const key = eq < 0 ? spec : spec.slice(0, eq);
  const def = experiment.sweep?.[key];
  if (def === undefined) {
    throw new UserError(`unknown --sweep key ${JSON.stringify(key)} for ${experiment.name}; expected ${keys.length ? `one of ${keys.join(", ")}` : "none (this experiment has no sweep keys)"} as key=v1,v2${keys.length ? " or key=log-uniform:LOW:HIGH:N" : ""}`);
  }
  const rest = eq < 0 ? "" : spec.slice(eq + 1);
  if (rest.startsWith("log-uniform:")) {
    if (!def.kinds.includes("log-uniform")) throw new UserError(`--sweep ${key} takes a list of values (key=v1,v2); got ${JSON.stringify(spec)}`);
    const parts = rest.split(":").slice(1);
    const [low, high, n] = parts.map(Number);
    if (parts.length !== 3 || !(low! > 0) || !(high! > low!) || !Number.isFinite(high) || !Number.isInteger(n) || n! < 1) {
      throw new UserError(`--sweep ${key}=log-uniform:LOW:HIGH:N needs 0 < LOW < HIGH and an integer N >= 1; got ${JSON.stringify(spec)}`);
    }
    return { key, values: Array.from({ length: n! }, (_, trial) => ({ kind: "log-uniform" as const, low: low!, high: high!, trial, trials: n! })) };
  }
  const items = rest.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0 || items.some((v) => !Number.isFinite(Number(v)))) {
    throw new UserError(`--sweep ${key} needs numbers, key=v1,v2${def.kinds.includes("log-uniform") ? " or key=log-uniform:LOW:HIGH:N" : ""}; got ${JSON.stringify(spec)}`);
  }
  return { key, values: [...new Set(items.map(Number))].map((value) => ({ kind: "list" as const, value })) };
}

/**
 * The runs of an experiment's options under sweeps: the plan of every point of the product of
 * the axes (first axis outermost), concatenated, each run id once. Without axes: the plan itself.
 *
 * @throws UserError when two runs of one plan share an id (an experiment bug, named)
 */
export function planWithSweeps(experiment: AnyExperiment, options: { [key: string]: Json }, sweep: readonly string[]): PlannedRun[] {
  const axes = sweep.map((s) => parseSweep(experiment, s));
  let points: Array<{ [key: string]: Json }> = [options];
  for (const axis of axes) {
    const apply = experiment.sweep![axis.key]!.apply;
    points = points.flatMap((o) => axis.values.map((v) => apply(o, v)));
  }
  const seen = new Set<string>();
  const runs: PlannedRun[] = [];
  for (const o of points) {
    for (const run of experiment.plan(o) as PlannedRun[]) {
      if (seen.has(run.runId)) continue;
      seen.add(run.runId);
      runs.push(run);
    }
  }
  return runs;
}
