import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { formatMeanStd, meanStd } from "../../report/mean-std.js";
import { markdownTable } from "../../report/markdown-table.js";
import { vegaLiteSvg } from "../../report/vega-lite-svg.js";
import { writeFileAtomic } from "../../report/write-file-atomic.js";
import { writeMarkdownReport } from "../../report/write-markdown-report.js";
import { CT_TASK_TITLES, CT_TASKS, type CtTaskName } from "./ct-tasks.js";
import { modelLabel } from "./mix-options.js";
import type { MixRecord } from "./mix-record.js";
import { fitRecordCurves, recordCurves } from "./mix-psychometric-fit.js";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** A run's performance: accuracy (trial tasks) or test error (sequential MNIST); null when it diverged. */
export function performance(r: MixRecord): number | null {
  if (r.diverged) return null;
  return r.task === "seqmnist" ? r.testError : r.accuracy;
}

const groupBy = <T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
};

const num = (x: number, d = 2): string => x.toFixed(d);

/**
 * The sentence that says, from the data, where a went on a task under a condition: toward 0
 * (the free solution), toward 1 (Dale), or neither, with the counts, the mean change and how the
 * three models performed.
 */
export function mixVerdict(task: CtTaskName, condition: string, rs: readonly MixRecord[]): string {
  const title = CT_TASK_TITLES[task];
  const mix = rs.filter((r) => r.model === "mixture" && r.aFinal !== null && r.a0 !== null && !r.diverged);
  const where = `**${title}**${condition === "base" ? "" : ` (${condition})`}`;
  const perf = perfSummary(task, rs);
  if (mix.length === 0) return `${where}: no finished mixture run, so nothing is known about a.${perf}`;
  const eps = 0.005;
  const deltas = mix.map((r) => r.aFinal! - r.a0!);
  const down = deltas.filter((d) => d < -eps).length;
  const up = deltas.filter((d) => d > eps).length;
  const n = mix.length;
  const meanDelta = deltas.reduce((a, b) => a + b, 0) / n;
  const meanA0 = mix.reduce((a, r) => a + r.a0!, 0) / n;
  const meanFinal = mix.reduce((a, r) => a + r.aFinal!, 0) / n;
  const updates = Math.max(...mix.map((r) => r.updates));
  const change = `(mean a ${num(meanA0, 3)} → ${num(meanFinal, 3)}, mean change ${meanDelta >= 0 ? "+" : "−"}${num(Math.abs(meanDelta), 3)}, ${updates} updates)`;
  let verdict: string;
  if (down === n || up === n) {
    const toFree = down === n;
    const reached = mix.every((r) => (toFree ? r.aFinal! < 0.1 : r.aFinal! > 0.9));
    verdict = `a ${reached ? "goes to" : "moves toward"} ${toFree ? "0 (free)" : "1 (Dale)"}: it ${toFree ? "decreased" : "increased"} in all ${n} mixture runs ${change}${reached ? "" : "; no run reached that end"}.`;
  } else if (down >= (2 * n) / 3 || up >= (2 * n) / 3) {
    const toFree = down >= (2 * n) / 3;
    verdict = `a moves mostly toward ${toFree ? "0 (free)" : "1 (Dale)"}: it ${toFree ? "decreased" : "increased"} in ${toFree ? down : up} of ${n} mixture runs ${change}.`;
  } else {
    const stayed = n - down - up;
    verdict = stayed === n
      ? `a goes neither to 0 (free) nor to 1 (Dale): it stayed within ${eps} of a₀ in all ${n} mixture runs ${change}.`
      : `a goes neither to 0 (free) nor to 1 (Dale): it decreased in ${down}, increased in ${up}${stayed ? ` and stayed within ${eps} of a₀ in ${stayed}` : ""} of ${n} mixture runs ${change}.`;
  }
  return `${where}: ${verdict}${byA0(mix, eps)}${perf}`;
}

/**
 * Where a went from each a₀ (mean ± std of the final a, and how many runs went down / up): the
 * pooled verdict can hide an a that moves toward the nearer end from each start.
 */
function byA0(mix: readonly MixRecord[], eps: number): string {
  const groups = [...groupBy(mix, (r) => String(r.a0))].sort((a, b) => a[1][0]!.a0! - b[1][0]!.a0!);
  if (groups.length < 2) return "";
  const parts = groups.map(([, rs]) => {
    const down = rs.filter((r) => r.aFinal! - r.a0! < -eps).length;
    const up = rs.filter((r) => r.aFinal! - r.a0! > eps).length;
    return `${rs[0]!.a0} → ${formatMeanStd(meanStd(rs.map((r) => r.aFinal)), 3)} (down ${down}, up ${up} of ${rs.length})`;
  });
  return ` By a₀: ${parts.join("; ")}.`;
}

function perfSummary(task: CtTaskName, rs: readonly MixRecord[]): string {
  const metric = task === "seqmnist" ? "test error" : "accuracy";
  const parts = (["dale", "free", "mixture"] as const)
    .map((m) => ({ m, s: meanStd(rs.filter((r) => r.model === m).map(performance)) }))
    .filter((x) => x.s.n > 0)
    .map((x) => `${x.m} ${formatMeanStd(x.s, 3)}`);
  return parts.length ? ` Mean ${metric}: ${parts.join(", ")}.` : "";
}

const modelOrder = (r: MixRecord): number => (r.model === "dale" ? -2 : r.model === "free" ? -1 : r.a0!);

/** The per-task table rows: condition, model, seeds, final a, performance, loss, wall time. */
function taskTable(task: CtTaskName, rs: readonly MixRecord[]): string[] {
  const metric = task === "seqmnist" ? "test error" : "accuracy";
  const rows: string[][] = [];
  for (const [condition, cr] of groupBy(rs, (r) => r.conditionLabel)) {
    const byModel = groupBy([...cr].sort((a, b) => modelOrder(a) - modelOrder(b)), (r) => modelLabel(r.model, r.a0));
    for (const [label, mr] of byModel) {
      const diverged = mr.filter((r) => r.diverged).length;
      const perUnit = mr.some((r) => r.aSpread !== null);
      rows.push([
        condition,
        label,
        `${mr.length}${diverged ? ` (${diverged} diverged)` : ""}`,
        mr[0]!.model === "mixture" ? formatMeanStd(meanStd(mr.map((r) => r.aFinal)), 3) + (perUnit ? ` (spread over units ${formatMeanStd(meanStd(mr.map((r) => r.aSpread)), 3)})` : "") : "—",
        formatMeanStd(meanStd(mr.map(performance)), 3),
        formatMeanStd(meanStd(mr.map((r) => r.loss)), 4),
        `${(mr.reduce((a, r) => a + r.wallSeconds, 0) / mr.length).toFixed(1)} s`,
      ]);
    }
  }
  return markdownTable(["condition", "model", "seeds", "final a (mean ± std)", `${metric} (mean ± std)`, "final loss", "wall / run"], rows);
}

/** The curves the fit table shows: the task's own variable, or the relevant and irrelevant modality. */
const FIT_KEYS = ["psychometric", "relevant", "irrelevant"];

/**
 * The psychometric-fit table of a task: per condition, model and stimulus variable, the runs fitted,
 * those separated (step functions, σ = 0) or without a fit, and μ, σ, 1/σ (mean ± std over the
 * fitted, non-separated runs). Empty when no run has a curve.
 */
export function psychometricFitTable(rs: readonly MixRecord[]): string[] {
  const rows: string[][] = [];
  for (const [condition, cr] of groupBy(rs, (r) => r.conditionLabel)) {
    const byModel = groupBy([...cr].sort((a, b) => modelOrder(a) - modelOrder(b)), (r) => modelLabel(r.model, r.a0));
    for (const [label, mr] of byModel) {
      const fits = mr.flatMap((r) => fitRecordCurves(r)).filter((c) => FIT_KEYS.includes(c.key));
      for (const [key, cs] of groupBy(fits, (c) => c.key)) {
        const finite = cs.filter((c) => c.fit && !c.fit.separated).map((c) => c.fit!);
        const separated = cs.filter((c) => c.fit?.separated).length;
        const none = cs.filter((c) => !c.fit).length;
        rows.push([
          condition,
          label,
          key === "psychometric" ? cs[0]!.variable : `${key}: ${cs[0]!.variable}`,
          `${finite.length} of ${cs.length}${separated ? `, ${separated} separated` : ""}${none ? `, ${none} without a fit` : ""}`,
          formatMeanStd(meanStd(finite.map((f) => f.mu)), 2),
          formatMeanStd(meanStd(finite.map((f) => f.sigma)), 2),
          formatMeanStd(meanStd(finite.map((f) => f.slope)), 4),
        ]);
      }
    }
  }
  if (rows.length === 0) return [];
  return [
    "Psychometric fits: P(choice 1) = Φ((x − μ) / σ) by maximum likelihood to each run's test-trial choices (no lapse rates); μ is the bias, 1/σ the sensitivity (mean ± std over the fitted runs; separated runs are step functions, σ = 0).",
    "",
    ...markdownTable(["condition", "model", "stimulus variable", "runs fitted", "μ", "σ", "1/σ"], rows),
  ];
}

/**
 * The discretisation check of a task's trained runs (records with `halfDt`): accuracy at dt and at
 * dt / 2 with the same weights and trials, the fraction of unchanged decisions and the largest
 * relative output change (mean ± std over runs); empty when no run has it.
 */
export function halfDtSentence(rs: readonly MixRecord[]): string[] {
  const checked = rs.filter((r) => r.halfDt && r.accuracy !== null);
  if (checked.length === 0) return [];
  const dt = [...new Set(checked.map((r) => r.condition.dt))].join(" / ");
  const f = (xs: number[], d = 3): string => formatMeanStd(meanStd(xs), d);
  const pct = (xs: number[]): string => formatMeanStd(meanStd(xs.map((x) => 100 * x)), 1);
  return [
    `Discretisation check (${checked.length} trained runs rebuilt at dt = ${dt} ms / 2 with the same weights, fed the same test trials with each input step held for two steps): accuracy ${f(checked.map((r) => r.halfDt!.accuracy))} at dt / 2 against ${f(checked.map((r) => r.accuracy!))} at dt; decisions unchanged on ${pct(checked.map((r) => r.halfDt!.agreement))}% of trials; largest output change ${pct(checked.map((r) => r.halfDt!.outputDifference))}% of the largest output (Euler is first order in dt).`,
  ];
}

function aTrajectorySpec(task: CtTaskName, rs: readonly MixRecord[]): TopLevelSpec | null {
  const mix = rs.filter((r) => r.model === "mixture");
  if (mix.length === 0) return null;
  const many = new Set(mix.map((r) => r.conditionLabel)).size > 1;
  const values = mix.flatMap((r) => r.aCurve.map((p) => ({ update: p.update, a: p.a, delta: p.a - r.a0!, a0: `a0 = ${r.a0}`, series: `${r.a0} ${r.conditionLabel} ${r.seed}`, condition: r.conditionLabel })));
  const encoding = (y: object): object => ({
    x: { field: "update", type: "quantitative", title: "updates" },
    y,
    color: { field: "a0", type: "nominal", title: "a₀" },
    detail: { field: "series", type: "nominal" },
    ...(many ? { strokeDash: { field: "condition", type: "nominal" } } : {}),
  });
  return {
    $schema: SCHEMA,
    title: { text: `${CT_TASK_TITLES[task]}: mixing weight a over training`, subtitle: "a = 1: Dale, a = 0: free; one line per seed; right: the change a − a₀" },
    data: { values },
    hconcat: [
      { width: 380, height: 280, mark: { type: "line" }, encoding: encoding({ field: "a", type: "quantitative", title: "a", scale: { domain: [0, 1] } }) },
      { width: 380, height: 280, mark: { type: "line" }, encoding: encoding({ field: "delta", type: "quantitative", title: "a − a₀" }) },
    ],
  } as TopLevelSpec;
}

function performanceSpec(task: CtTaskName, rs: readonly MixRecord[]): TopLevelSpec {
  const metric = task === "seqmnist" ? "test error" : "accuracy";
  const order = [...new Set([...rs].sort((a, b) => modelOrder(a) - modelOrder(b)).map((r) => modelLabel(r.model, r.a0)))];
  const values = rs.filter((r) => performance(r) !== null).map((r) => ({ model: modelLabel(r.model, r.a0), value: performance(r), condition: r.conditionLabel }));
  const x = { field: "model", type: "nominal", sort: order, title: null } as const;
  return {
    $schema: SCHEMA,
    title: { text: `${CT_TASK_TITLES[task]}: ${metric}`, subtitle: "bars: mean over seeds; points: seeds" },
    width: 420,
    height: 260,
    data: { values },
    layer: [
      { mark: { type: "bar", opacity: 0.6 }, encoding: { x, xOffset: { field: "condition" }, y: { aggregate: "mean", field: "value", type: "quantitative", title: metric }, color: { field: "condition", type: "nominal" } } },
      { mark: { type: "point", filled: true }, encoding: { x, xOffset: { field: "condition" }, y: { field: "value", type: "quantitative" }, color: { field: "condition", type: "nominal" } } },
    ],
  } as TopLevelSpec;
}

function psychometricSpec(task: CtTaskName, rs: readonly MixRecord[]): TopLevelSpec | null {
  const withCurve = rs.filter((r) => r.psychometric && r.psychometric.length > 2);
  if (withCurve.length === 0) return null;
  const many = new Set(withCurve.map((r) => r.conditionLabel)).size > 1;
  const curvesOf = (r: MixRecord): Array<{ key: string; points: NonNullable<MixRecord["psychometric"]> }> => {
    const cs = recordCurves(r).filter((c) => FIT_KEYS.includes(c.key));
    return cs.length ? cs : [{ key: "psychometric", points: r.psychometric! }];
  };
  const values = withCurve.flatMap((r) =>
    curvesOf(r).flatMap((c) => c.points.map((p) => ({ x: p.x, f: p.fractionChoice1, curve: c.key, model: many ? `${modelLabel(r.model, r.a0)} [${r.conditionLabel}]` : modelLabel(r.model, r.a0) }))),
  );
  const dashed = new Set(values.map((v) => v.curve)).size > 1;
  return {
    $schema: SCHEMA,
    title: { text: `${CT_TASK_TITLES[task]}: psychometric curves`, subtitle: "test trials, noise-free network; mean over seeds" },
    width: 460,
    height: 280,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: dashed ? "signed coherence (%) of the relevant / irrelevant modality" : (withCurve[0]!.psychometricVariable ?? "psychometric variable") },
      y: { aggregate: "mean", field: "f", type: "quantitative", title: "fraction choice 1", scale: { domain: [0, 1] } },
      color: { field: "model", type: "nominal" },
      ...(dashed ? { strokeDash: { field: "curve", type: "nominal", title: "stimulus variable" } } : {}),
    },
  } as TopLevelSpec;
}

/**
 * Writes `report.md` and per task `a-<task>.svg` (a over training), `performance-<task>.svg`
 * and, for decision tasks, `psychometric-<task>.svg`.
 *
 * @returns the paths written, the markdown first
 */
export async function writeMixReport(out: string, records: readonly MixRecord[]): Promise<string[]> {
  const lines = [
    "# Is Dale's law computationally beneficial? The Dale / free mixture (Seay 2019)",
    "",
    "Continuous-time E/I RNNs (80% E, ReLU, Euler with α = dt/τ, recurrent noise) whose recurrent matrix is W_rec = a · W_dale + (1 − a) · W_free with a trainable (a = σ(ã), both matrices at fixed Frobenius norms so that a alone sets the mix), next to pure Dale and pure free networks; projected Adam with per-tensor gradient-norm clipping. Trial tasks report the decision accuracy of the noise-free network on a fixed test set per task; sequential MNIST the test error. Mean ± std over seeds.",
    "",
    "How far a can move: Adam changes ã by about the learning rate η per update at most, so after U updates |a − a₀| ≲ a₀(1 − a₀) · η · U (η = 1e-3: ≈ 0.04 at a₀ = 0.5 after 150 updates, 0.25 after 1,000; the paper profile's 5,000 updates can reach either end). A verdict of \"neither\" after few updates says that a had no time to move, not that the task is indifferent.",
    "",
  ];
  const paths: string[] = [];
  const verdicts: string[] = [];
  for (const task of CT_TASKS) {
    const rs = records.filter((r) => r.task === task);
    if (rs.length === 0) continue;
    lines.push(`## ${CT_TASK_TITLES[task]}`, "");
    for (const [condition, cr] of [...groupBy(rs, (r) => r.conditionLabel)].sort((a, b) => Number(b[0] === "base") - Number(a[0] === "base"))) {
      const v = mixVerdict(task, condition, cr);
      lines.push(v, "");
      verdicts.push(`- ${v}`);
    }
    const first = rs[0]!;
    lines.push(`${first.units} units, ${first.updates} updates of batch ${first.batchSize}, T ≤ ${first.maxSteps} steps, profile ${first.profile}.`, "");
    lines.push(...taskTable(task, rs), "");
    const fitTable = psychometricFitTable(rs);
    if (fitTable.length) lines.push(...fitTable, "");
    const halfDt = halfDtSentence(rs);
    if (halfDt.length) lines.push(...halfDt, "");
    const figures: Array<[string, TopLevelSpec | null, string]> = [
      [`a-${task}.svg`, aTrajectorySpec(task, rs), "a over training"],
      [`performance-${task}.svg`, performanceSpec(task, rs), "performance"],
      [`psychometric-${task}.svg`, psychometricSpec(task, rs), "psychometric curves"],
    ];
    for (const [file, spec, alt] of figures) {
      if (!spec) continue;
      const path = join(out, file);
      writeFileAtomic(path, await vegaLiteSvg(spec));
      paths.push(path);
      lines.push(`![${alt}](${file})`, "");
    }
  }
  if (verdicts.length > 1) lines.splice(6, 0, "## Summary", "", ...verdicts, "");
  return [writeMarkdownReport(out, lines), ...paths];
}
