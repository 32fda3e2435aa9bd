import { meanStd } from "../../../report/mean-std.js";
import type { UpdateControl } from "../update-control.js";
import {
  RUN_DATASETS,
  RUN_EVAL_SPLITS,
  RUN_MODELS,
  type RunDataset,
  type RunEvalSplit,
  type RunModel,
  type RunRecord,
} from "./run-record.js";

/** Mean and sample standard deviation (n - 1 denominator) of an error, in percent. */
export interface ErrorStats {
  /** Mean in percent; NaN when `n` is 0. */
  mean: number;
  /** Sample standard deviation in percent; NaN when `n` < 2. */
  std: number;
  /** Number of runs with a finite value. */
  n: number;
}

/** A diverged run, as listed in the report. */
export interface DivergedRunSummary {
  runId: string;
  seed: number;
  /** Update at which the NaN guard stopped the run. */
  update: number;
  reason: string;
}

/** Aggregate of the runs that share (dataset, model, profile, evalSplit, learningRate), i.e. the seeds of one setting. */
export interface RunGroupSummary {
  /** "dataset/model/profile/evalSplit/lr", unique within a {@link RunSummary}. */
  key: string;
  dataset: RunDataset;
  model: RunModel;
  profile: string;
  evalSplit: RunEvalSplit;
  learningRate: number;
  /** Number of runs in the group. */
  runs: number;
  /** Seeds of the runs, ascending. */
  seeds: number[];
  /** Distinct epoch counts of the runs, ascending (normally one value). */
  epochs: number[];
  /** Distinct batch sizes of the runs, ascending. */
  batchSizes: number[];
  /** Distinct backends of the runs, sorted. */
  backends: string[];
  /** Final training error, percent, over runs with a finite value. */
  trainError: ErrorStats;
  /** Final error on `evalSplit`, percent, over runs with a finite value. */
  evalError: ErrorStats;
  /** Mean wall-clock seconds per run. */
  meanWallSeconds: number;
  /** Mean eval-split error (percent) at each update, over the runs that recorded a finite value there; ascending updates. */
  evalCurve: { update: number; error: number; n: number }[];
  /** Mean training error (percent) after each epoch (1-based), over the runs that reached it with a finite value. */
  trainErrorPerEpoch: { epoch: number; error: number; n: number }[];
  /** Runs of the group that diverged. */
  diverged: DivergedRunSummary[];
  /** Supp. Fig. 5's variants: the control (of the first run that records one) and each run's fraction of sampled layer steps it changed. */
  updateControl?: { control: UpdateControl; engagedFractions: number[] };
}

/** Result of {@link summariseRuns}. */
export interface RunSummary {
  /** Groups ordered by dataset (paper table order), model, profile, split (test first), learning rate. */
  groups: RunGroupSummary[];
  /** Total number of runs summarised. */
  runs: number;
}

const stats = (values: number[], scale: number): ErrorStats => meanStd(values, scale);

function sortedUnique<T extends number | string>(xs: T[]): T[] {
  return [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function orderOf(list: readonly string[], v: string): number {
  const i = list.indexOf(v);
  return i < 0 ? list.length : i;
}

function controlOf(rs: readonly RunRecord[]): Pick<RunGroupSummary, "updateControl"> {
  const withControl = rs.filter((r) => r.updateControl !== undefined);
  const first = withControl[0]?.updateControl;
  return first ? { updateControl: { control: first.control, engagedFractions: withControl.map((r) => r.updateControl?.engagedFraction ?? Number.NaN) } } : {};
}

/**
 * Groups runs by (dataset, model, profile, evalSplit, learningRate) and aggregates their seeds:
 * mean ± sample std of the final train and eval errors (percent), seed count, mean wall time,
 * the mean eval curve (per update, over the seeds that have it) and the mean train error per epoch.
 *
 * Diverged runs are left out of the error means (their last finite error is from before the
 * divergence, not a result) and listed in `diverged`; `n` says how many values entered.
 *
 * @param records - rows from `readRunRecords`
 * @returns the groups in report order and the run count
 * @example
 * const summary = summariseRuns((await readRunRecords(file)).records);
 * summary.groups[0]?.evalError; // { mean: 1.4, std: 0.03, n: 6 }
 */
export function summariseRuns(records: readonly RunRecord[]): RunSummary {
  const byKey = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = `${r.dataset}/${r.model}/${r.profile}/${r.evalSplit}/${r.learningRate}`;
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  const groups: RunGroupSummary[] = [];
  for (const [key, rs] of byKey) {
    const first = rs[0];
    if (first === undefined) continue;

    const curve = new Map<number, number[]>();
    for (const r of rs) {
      for (const p of r.evalCurve) {
        if (!Number.isFinite(p.error)) continue;
        const at = curve.get(p.update);
        if (at) at.push(p.error);
        else curve.set(p.update, [p.error]);
      }
    }
    const evalCurve = [...curve.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([update, errs]) => ({ update, error: stats(errs, 100).mean, n: errs.length }));

    const maxEpochs = Math.max(0, ...rs.map((r) => r.trainErrorPerEpoch.length));
    const trainErrorPerEpoch: RunGroupSummary["trainErrorPerEpoch"] = [];
    for (let e = 0; e < maxEpochs; e++) {
      const errs = rs.map((r) => r.trainErrorPerEpoch[e]).filter((v): v is number => v !== undefined && Number.isFinite(v));
      if (errs.length > 0) trainErrorPerEpoch.push({ epoch: e + 1, error: stats(errs, 100).mean, n: errs.length });
    }

    groups.push({
      key,
      dataset: first.dataset,
      model: first.model,
      profile: first.profile,
      evalSplit: first.evalSplit,
      learningRate: first.learningRate,
      runs: rs.length,
      seeds: sortedUnique(rs.map((r) => r.seed)),
      epochs: sortedUnique(rs.map((r) => r.epochs)),
      batchSizes: sortedUnique(rs.map((r) => r.batchSize)),
      backends: sortedUnique(rs.map((r) => r.backend)),
      trainError: stats(rs.filter((r) => r.diverged === undefined).map((r) => r.finalTrainError), 100),
      evalError: stats(rs.filter((r) => r.diverged === undefined).map((r) => r.finalEvalError), 100),
      meanWallSeconds: rs.reduce((a, r) => a + r.wallSeconds, 0) / rs.length,
      evalCurve,
      trainErrorPerEpoch,
      diverged: rs
        .filter((r) => r.diverged !== undefined)
        .map((r) => ({ runId: r.runId, seed: r.seed, update: r.diverged?.update ?? 0, reason: r.diverged?.reason ?? "" })),
      ...controlOf(rs),
    });
  }
  groups.sort(
    (a, b) =>
      orderOf(RUN_DATASETS, a.dataset) - orderOf(RUN_DATASETS, b.dataset) ||
      orderOf(RUN_MODELS, a.model) - orderOf(RUN_MODELS, b.model) ||
      (a.profile < b.profile ? -1 : a.profile > b.profile ? 1 : 0) ||
      orderOf(RUN_EVAL_SPLITS, a.evalSplit) - orderOf(RUN_EVAL_SPLITS, b.evalSplit) ||
      a.learningRate - b.learningRate,
  );
  return { groups, runs: records.length };
}
