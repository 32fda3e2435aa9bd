import { compareMeanStd } from "../../../report/compare-mean-std.js";
import { markdownTable } from "../../../report/markdown-table.js";
import { trainErrorDefinitionOf } from "./train-error-definition.js";
import { findPaperResult, PAPER_EPOCHS, PAPER_RESULTS } from "./paper-results.js";
import { SUPP_FIG5_MODELS, type ErrorPlotKind } from "./render-error-plots.js";
import type { UpdateControl } from "../update-control.js";
import { RUN_DATASETS, type RunDataset } from "./run-record.js";
import type { RunGroupSummary, RunSummary } from "./summarise-runs.js";
import {
  cell,
  datasetLabel,
  formatDuration,
  formatLearningRate,
  formatMeanStd,
  formatPaperNumber,
} from "./internal/format.js";

/** A plot file the report links to (a path relative to the report). */
export interface MarkdownPlotLink {
  dataset: RunDataset;
  kind: ErrorPlotKind;
  /** Path relative to the markdown file, e.g. "test-error-mnist.svg". */
  fileName: string;
  /** Alt text; defaults to the kind and dataset. */
  title?: string;
}

/** Options of {@link renderMarkdown}. */
export interface RenderMarkdownOptions {
  /** Level-1 heading of the report. */
  title: string;
  /** Plots to embed and link under each dataset. */
  plots?: readonly MarkdownPlotLink[];
  /** Truncated lines ignored when reading the results (shown as a warning when > 0). */
  skippedLines?: number;
  /** Run ids that occurred more than once in the results (the last row was kept). */
  duplicateRunIds?: readonly string[];
  /** Extra lines printed under the heading (e.g. the results path). */
  notes?: readonly string[];
}


const PLOT_LINK_TEXT: Record<ErrorPlotKind, string> = {
  "test-error": "test error vs updates",
  "train-error": "train error per epoch",
  "supp-fig5-test-error": "Supp. Fig. 5: DANN with gradient normalisation and learning-rate scaling",
};

const PLOT_ALT_TEXT: Record<ErrorPlotKind, string> = {
  "test-error": "mean test error vs updates",
  "train-error": "mean train error per epoch",
  "supp-fig5-test-error": "mean test error of DANN with gradient normalisation and learning-rate scaling (Supp. Fig. 5)",
};

function controlCell(c: UpdateControl | undefined): string {
  if (c === undefined) return "none (DANN)";
  if (c.kind === "gradient-normalisation") return `Alg. 5: per-layer gradient norm ≤ ${c.maxNorm}`;
  return `Alg. 6: rate η·{${c.factors.join(", ")}}, first with ${c.measure} cosine ≥ ${c.minCosine}`;
}

/**
 * Supp. Fig. 5 (Cornford et al. 2021, App. E.4): each DANN variant against our DANN of the same
 * profile (Welch's t test over seeds), and how often its control changed a layer's step. The
 * paper shows curves only, with the conclusion "no observable improvement".
 */
function suppFig5Section(groups: RunGroupSummary[]): string[] {
  const variants = groups.filter((g) => SUPP_FIG5_MODELS.includes(g.model) && g.model !== "dann");
  if (variants.length === 0) return [];
  const rows: string[][] = [];
  for (const profile of [...new Set(variants.map((g) => g.profile))]) {
    const base = groups.find((g) => g.model === "dann" && g.profile === profile);
    for (const g of groups.filter((x) => SUPP_FIG5_MODELS.includes(x.model) && x.profile === profile)) {
      const c = base && g !== base ? compareMeanStd(g.evalError, base.evalError) : null;
      const engaged = g.updateControl ? g.updateControl.engagedFractions.filter(Number.isFinite) : [];
      rows.push([
        g.model,
        cell(profile),
        controlCell(g.updateControl?.control),
        seedsCell(g),
        formatMeanStd(g.evalError),
        formatMeanStd(g.trainError),
        g === base ? "—" : c ? `${c.difference >= 0 ? "+" : "−"}${Math.abs(c.difference).toFixed(3)} (p ${c.meanP.toFixed(3)})` : base ? "needs ≥ 2 seeds a side" : "no DANN runs to compare",
        engaged.length > 0 ? `${(100 * engaged.reduce((a, b) => a + b, 0) / engaged.length).toFixed(1)}%` : "—",
      ]);
    }
  }
  return [
    `### Supp. Fig. 5: gradient normalisation and learning-rate scaling`,
    "",
    `DANN with the update controls of App. E.4 at DANN's learning rate; the paper shows the curves and finds "no observable improvement". ` +
      `"vs DANN": the difference of the mean test error from our DANN of the same profile, with Welch's two-sided p; ` +
      `"steps changed": the share of sampled (layer, update) pairs, every 50 updates, where the control changed the step (a gradient norm above M, or a rate below η).`,
    "",
    ...markdownTable(["model", "profile", "control", "seeds", "test error %", "train error %", "vs DANN", "steps changed"], rows),
    "",
  ];
}

function seedsCell(g: RunGroupSummary): string {
  const extra: string[] = [];
  if (g.evalError.n < g.runs) extra.push(`${g.evalError.n} finite`);
  if (g.diverged.length > 0) extra.push(`${g.diverged.length} diverged`);
  return extra.length > 0 ? `${g.runs} (${extra.join(", ")})` : String(g.runs);
}

function paperStats(s: { mean: number; std: number } | undefined): string {
  return s ? `${formatPaperNumber(s.mean)} ± ${formatPaperNumber(s.std)}` : "—";
}

function testTable(groups: RunGroupSummary[]): string[] {
  return markdownTable(
    ["model", "profile", "learning rate", "seeds", "epochs", "train error %", "test error %", "paper train %", "paper test %", "paper LR", "wall time / run"],
    groups.map((g) => {
      const paper = findPaperResult(g.dataset, g.model);
      return [
        g.model,
        cell(g.profile),
        formatLearningRate(g.learningRate),
        seedsCell(g),
        g.epochs.join("/"),
        formatMeanStd(g.trainError),
        formatMeanStd(g.evalError),
        paperStats(paper?.trainError),
        paperStats(paper?.testError),
        paper ? String(paper.learningRate) : "—",
        formatDuration(g.meanWallSeconds),
      ];
    }),
  );
}

/** The paper's tables are over 6 seeds (Cornford et al. 2021, Sec. 5.1). */
const PAPER_SEEDS = 6;

/**
 * Our final test (or train) error against the paper's, for the groups trained for the paper's
 * epochs: Welch's t test of the means and the F test of the spreads ({@link compareMeanStd}), with
 * a verdict at the 5% level. The train table names how each row's train error was measured
 * ({@link trainErrorDefinitionOf}): the paper's is the running mean of the last epoch's batch
 * errors (the reference code's), so a full-pass row is not the same quantity.
 */
function paperComparisonSection(groups: RunGroupSummary[], metric: "test" | "train"): string[] {
  const rows: string[][] = [];
  for (const g of groups) {
    const paper = findPaperResult(g.dataset, g.model);
    if (!paper || g.evalSplit !== "test" || g.epochs.length !== 1 || g.epochs[0] !== PAPER_EPOCHS) continue;
    const ours = metric === "test" ? g.evalError : g.trainError;
    const theirs = metric === "test" ? paper.testError : paper.trainError;
    const c = compareMeanStd(ours, { ...theirs, n: PAPER_SEEDS });
    if (c === null) continue;
    const verdicts: string[] = [];
    if (c.meanP < 0.05) verdicts.push(`mean ${c.difference > 0 ? "higher" : "lower"}`);
    if (c.spreadP < 0.05) verdicts.push(`spread ${c.stdRatio > 1 ? "wider" : "narrower"}`);
    rows.push([
      g.model,
      cell(g.profile),
      ...(metric === "train" ? [trainErrorDefinitionOf(g.profile) ?? "?"] : []),
      `${formatMeanStd(ours)} (${ours.n})`,
      paperStats(theirs),
      `${c.difference >= 0 ? "+" : "−"}${Math.abs(c.difference).toFixed(3)}`,
      `${c.welchT.toFixed(2)} (${c.welchDf.toFixed(1)})`,
      c.meanP.toFixed(3),
      c.stdRatio.toFixed(2),
      c.spreadP.toFixed(3),
      verdicts.length === 0 ? "consistent" : `**${verdicts.join(", ")}**`,
    ]);
  }
  if (rows.length === 0) return [];
  const intro =
    metric === "test"
      ? `Welch's t test of the means and the F test of the spreads from the summary statistics (the paper's over ${PAPER_SEEDS} seeds), ` +
        `two-sided; "consistent": neither p is below 0.05. With 6 seeds a side only large differences show, so "consistent" means no evidence of a difference, not equality.`
      : `The same tests for the final train error. The paper's is the reference code's: the mean of the last epoch's mini-batch errors while it trains ("running"); ` +
        `a "full-pass" row measures the network after the epoch over the whole training set instead, a different quantity (lower where the error still falls within an epoch, and for BatchNorm also evaluated with running statistics).`;
  return [
    `### Against the paper (${metric} error after ${PAPER_EPOCHS} epochs)`,
    "",
    intro,
    "",
    ...markdownTable(
      ["model", "profile", ...(metric === "train" ? ["ours measured as"] : []), `ours ${metric} % (n)`, `paper ${metric} %`, "difference", "Welch t (ν)", "p (means)", "std ratio", "p (spreads)", "verdict"],
      rows,
    ),
    "",
  ];
}

function searchSection(groups: RunGroupSummary[]): string[] {
  const out: string[] = [];
  const keys = [...new Set(groups.map((g) => `${g.model}\u0000${g.profile}`))];
  for (const key of keys) {
    const rows = groups.filter((g) => `${g.model}\u0000${g.profile}` === key);
    const first = rows[0];
    if (first === undefined) continue;
    // A rate with a diverged seed is ranked after every rate whose seeds all finished (Sec. 5.1's
    // search keeps the rate with the best validation error of runs that trained).
    const score = (g: RunGroupSummary): number => (g.diverged.length === 0 && Number.isFinite(g.evalError.mean) ? g.evalError.mean : Number.POSITIVE_INFINITY);
    const sorted = [...rows].sort((a, b) => score(a) - score(b) || a.diverged.length - b.diverged.length || a.learningRate - b.learningRate);
    const best = sorted[0] !== undefined && Number.isFinite(score(sorted[0])) ? sorted[0] : undefined;
    const paper = findPaperResult(first.dataset, first.model);
    out.push(`#### ${first.model} (profile ${cell(first.profile)})`, "");
    out.push(
      `${rows.length} learning rates, sorted by mean validation error, best first.` +
        (best ? ` Best: **${formatLearningRate(best.learningRate)}**.` : " No learning rate finished on every seed without diverging.") +
        (paper ? ` Paper's selected learning rate: ${paper.learningRate}.` : ""),
      "",
    );
    out.push(
      ...markdownTable(
        ["", "learning rate", "seeds", "epochs", "validation error %", "train error %", "wall time / run"],
        sorted.map((g) => [
          g === best ? "★ best" : "",
          g === best ? `**${formatLearningRate(g.learningRate)}**` : formatLearningRate(g.learningRate),
          seedsCell(g),
          g.epochs.join("/"),
          g.diverged.length > 0 ? `diverged on ${g.diverged.length} of ${g.runs} seeds${Number.isFinite(g.evalError.mean) ? `; others ${formatMeanStd(g.evalError)}` : ""}` : formatMeanStd(g.evalError),
          formatMeanStd(g.trainError),
          formatDuration(g.meanWallSeconds),
        ]),
      ),
      "",
    );
  }
  return out;
}

/**
 * Renders the feedforward report as markdown: per dataset a table of our final errors (percent, mean ± sample
 * std over seeds) beside Tables 1-3 of Cornford et al. (2021), the plots, a learning-rate search table per
 * model for validation-split groups (best first, marked), and the list of diverged runs.
 *
 * @param summary - output of `summariseRuns`
 * @param options - title, plot links, reading warnings
 * @returns the markdown text, ending with a newline
 * @example
 * const md = renderMarkdown(summariseRuns(records), { title: "Feedforward (quick)", plots });
 */
export function renderMarkdown(summary: RunSummary, options: RenderMarkdownOptions): string {
  const { title, plots = [], skippedLines = 0, duplicateRunIds = [], notes = [] } = options;
  const groups = summary.groups;
  const out: string[] = [`# ${title}`, ""];

  const datasets = RUN_DATASETS.filter((d) => groups.some((g) => g.dataset === d));
  const backends = [...new Set(groups.flatMap((g) => g.backends))].sort();
  const totalWall = groups.reduce((a, g) => a + g.meanWallSeconds * g.runs, 0);
  out.push(
    `${summary.runs} run${summary.runs === 1 ? "" : "s"} in ${groups.length} setting${groups.length === 1 ? "" : "s"}` +
      (datasets.length > 0 ? `; datasets: ${datasets.map(datasetLabel).join(", ")}` : "") +
      (backends.length > 0 ? `; backend${backends.length === 1 ? "" : "s"}: ${backends.join(", ")}` : "") +
      `; total wall time ${formatDuration(totalWall)}.`,
    "",
  );
  for (const n of notes) out.push(n, "");

  const warnings: string[] = [];
  if (skippedLines > 0) {
    warnings.push(`${skippedLines} truncated row${skippedLines === 1 ? "" : "s"} in the results ignored (runs killed while writing).`);
  }
  if (duplicateRunIds.length > 0) {
    warnings.push(`${duplicateRunIds.length} run id${duplicateRunIds.length === 1 ? "" : "s"} occurred more than once; the last row was kept: ${duplicateRunIds.map((id) => `\`${id}\``).join(", ")}.`);
  }
  for (const w of warnings) out.push(`> **Warning:** ${w}`, "");

  if (groups.length === 0) {
    out.push("No runs to report.", "");
    return out.join("\n");
  }

  out.push(
    `Errors are in percent: mean ± sample standard deviation over seeds (a single seed shows the mean only). ` +
      `The paper's numbers (Cornford et al. 2021, "Learning to live with Dale's principle", Tables 1-3) are final errors ` +
      `after ${PAPER_EPOCHS} epochs with batch size 32, over 6 seeds; ours are after the number of epochs of each row's ` +
      `profile (the "epochs" column), so short profiles are not expected to reach them. "—": the paper has no such row.`,
    "",
  );

  for (const dataset of datasets) {
    const name = datasetLabel(dataset);
    const dsGroups = groups.filter((g) => g.dataset === dataset);
    const test = dsGroups.filter((g) => g.evalSplit === "test");
    const search = dsGroups.filter((g) => g.evalSplit === "validation");
    out.push(`## ${name}`, "");

    const dsPlots = plots.filter((p) => p.dataset === dataset);
    if (dsPlots.length > 0) {
      for (const p of dsPlots) {
        const alt = p.title ?? `${name} ${PLOT_ALT_TEXT[p.kind]}`;
        out.push(`![${cell(alt)}](${p.fileName})`, "");
      }
      out.push(
        `Plots: ${dsPlots.map((p) => `[${PLOT_LINK_TEXT[p.kind]}](${p.fileName})`).join(" · ")}`,
        "",
      );
    }

    if (test.length > 0) {
      out.push(...testTable(test), "");
      out.push(...paperComparisonSection(test, "test"), ...paperComparisonSection(test, "train"));
      out.push(...suppFig5Section(test));
      const missing = PAPER_RESULTS.filter((r) => r.dataset === dataset && !test.some((g) => g.model === r.model));
      if (missing.length > 0) {
        out.push(
          `Not run here (paper test error %): ${missing.map((r) => `${r.model} (${r.paperName}) ${paperStats(r.testError)}`).join("; ")}.`,
          "",
        );
      }
    } else {
      out.push("No test-split runs for this dataset.", "");
    }

    if (search.length > 0) {
      out.push(
        `### Learning-rate search (validation error)`,
        "",
        `The paper chose learning rates by validation error averaged over 3 seeds on a 10k validation split ` +
          `(random search, log-uniform, 100 trials).`,
        "",
        ...searchSection(search),
      );
    }
  }

  const diverged = groups.flatMap((g) => g.diverged);
  out.push("## Diverged runs", "");
  if (diverged.length === 0) {
    out.push("None.", "");
  } else {
    out.push(
      ...markdownTable(
        ["run", "seed", "update", "reason"],
        diverged.map((d) => [`\`${cell(d.runId)}\``, String(d.seed), String(d.update), cell(d.reason)]),
      ),
      "",
    );
  }
  return out.join("\n");
}
