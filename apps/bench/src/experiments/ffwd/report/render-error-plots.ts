import type { TopLevelSpec } from "vega-lite";
import { vegaLiteSvg } from "../../../report/vega-lite-svg.js";
import { findPaperResult } from "./paper-results.js";
import { RUN_DATASETS, type RunDataset, type RunModel } from "./run-record.js";
import type { RunGroupSummary, RunSummary } from "./summarise-runs.js";
import { datasetLabel, formatLearningRate } from "./internal/format.js";

/**
 * Which curve a plot shows: mean test error vs updates, mean train error per epoch, or Supp. Fig. 5's
 * test error of DANN with and without gradient normalisation and learning-rate scaling.
 */
export type ErrorPlotKind = "test-error" | "train-error" | "supp-fig5-test-error";

/** The models of Supp. Fig. 5 (Cornford et al. 2021): DANN and its two update controls, in legend order. */
export const SUPP_FIG5_MODELS: readonly RunModel[] = ["dann", "dann-gradnorm", "dann-lrscale"];

/** One rendered plot of {@link renderErrorPlots}. */
export interface ErrorPlot {
  dataset: RunDataset;
  kind: ErrorPlotKind;
  /** File name the report uses: `test-error-<dataset>.svg` or `train-error-<dataset>.svg`. */
  fileName: string;
  /** Plot title. */
  title: string;
  /** Standalone SVG document. */
  svg: string;
}

/**
 * File name of a plot in the report directory.
 *
 * @param dataset - dataset name
 * @param kind - curve kind
 * @returns `test-error-<dataset>.svg` or `train-error-<dataset>.svg`
 * @example
 * errorPlotFileName("mnist", "test-error"); // "test-error-mnist.svg"
 */
export function errorPlotFileName(dataset: RunDataset, kind: ErrorPlotKind): string {
  return `${kind}-${dataset}.svg`;
}

interface SeriesPoint {
  series: string;
  x: number;
  error: number;
}

/** Legend label per group: the model name, plus profile and learning rate when a model has several test groups. */
function seriesLabels(groups: RunGroupSummary[]): Map<RunGroupSummary, string> {
  const perModel = new Map<string, number>();
  for (const g of groups) perModel.set(g.model, (perModel.get(g.model) ?? 0) + 1);
  return new Map(
    groups.map((g) => [
      g,
      (perModel.get(g.model) ?? 0) > 1 ? `${g.model} (${g.profile}, lr=${formatLearningRate(g.learningRate)})` : g.model,
    ]),
  );
}

/**
 * The y axis is logarithmic; errors of exactly 0 % (common for train error) cannot sit on a log axis, so they are
 * drawn at a floor one decade below the smallest value shown (at most 0.001 %), and the axis title says so.
 */
function logFloor(values: number[]): { floor: number | undefined; note: string } {
  if (values.every((v) => v > 0)) return { floor: undefined, note: "log scale" };
  const positive = values.filter((v) => v > 0);
  const smallest = Math.min(0.01, ...positive);
  const floor = 10 ** (Math.floor(Math.log10(smallest)) - 1);
  return { floor, note: `log scale; 0 drawn at ${floor}` };
}

function curveSpec(opts: {
  title: string;
  subtitle: string[];
  integerX: boolean;
  xTitle: string;
  yTitle: string;
  points: SeriesPoint[];
  series: string[];
  rules: { series: string; error: number }[];
  showPoints: boolean;
}): TopLevelSpec {
  const { floor, note } = logFloor([...opts.points.map((p) => p.error), ...opts.rules.map((r) => r.error)]);
  const lift = <T extends { error: number }>(rows: T[]): T[] =>
    floor === undefined ? rows : rows.map((r) => (r.error > 0 ? r : { ...r, error: floor }));
  const points = lift(opts.points);
  const rules = lift(opts.rules);
  const color = {
    field: "series",
    type: "nominal" as const,
    title: "model",
    scale: { domain: opts.series },
    legend: { labelLimit: 320 },
  };
  const y = { field: "error", type: "quantitative" as const, title: `${opts.yTitle} (%, ${note})`, scale: { type: "log" } };
  const line = {
    data: { values: points },
    mark: { type: "line" as const, point: opts.showPoints, strokeWidth: 1.5 },
    encoding: {
      x: {
        field: "x",
        type: "quantitative" as const,
        title: opts.xTitle,
        axis: opts.integerX ? { tickMinStep: 1, format: "d" } : { format: "~s" },
      },
      y,
      color,
    },
  };
  const layers: unknown[] = [line];
  if (rules.length > 0) {
    layers.push({
      data: { values: rules },
      mark: { type: "rule", strokeDash: [4, 4], strokeWidth: 1, opacity: 0.8 },
      encoding: { y, color },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: opts.title, subtitle: opts.subtitle },
    width: 560,
    height: 320,
    background: "white",
    layer: layers,
  } as TopLevelSpec;
}

/**
 * Renders the report's plots with vega-lite (compiled to vega, rendered headless to SVG; no canvas needed).
 * Per dataset with test-split runs: (a) mean test error vs updates, one line per model, with the paper's final
 * test error as a dashed rule of the same colour; (b) mean train error per epoch, one line per model. Log y axes
 * in percent; errors of exactly 0 % are drawn at a stated floor (0.001 % or lower).
 * Validation-split (learning-rate search) groups are not plotted.
 *
 * @param summary - output of `summariseRuns`
 * @returns the plots in dataset order, test-error plot first; empty when there are no test-split runs
 * @example
 * for (const p of await renderErrorPlots(summary)) await writeFile(join(dir, p.fileName), p.svg);
 */
export async function renderErrorPlots(summary: RunSummary): Promise<ErrorPlot[]> {
  const plots: ErrorPlot[] = [];
  for (const dataset of RUN_DATASETS) {
    const groups = summary.groups.filter((g) => g.dataset === dataset && g.evalSplit === "test");
    if (groups.length === 0) continue;
    const labels = seriesLabels(groups);
    const series = groups.map((g) => labels.get(g) ?? g.model);
    const name = datasetLabel(dataset);

    const testPoints = groups.flatMap((g) =>
      g.evalCurve.filter((p) => Number.isFinite(p.error)).map((p) => ({ series: labels.get(g) ?? g.model, x: p.update, error: p.error })),
    );
    const rules = groups.flatMap((g) => {
      const paper = findPaperResult(g.dataset, g.model);
      return paper ? [{ series: labels.get(g) ?? g.model, error: paper.testError.mean }] : [];
    });
    const testTitle = `${name}: mean test error vs updates`;
    plots.push({
      dataset,
      kind: "test-error",
      fileName: errorPlotFileName(dataset, "test-error"),
      title: testTitle,
      svg: await vegaLiteSvg(
        curveSpec({
          title: testTitle,
          subtitle: ["mean over seeds", "dashed: paper's final test error, 50 epochs (Cornford et al. 2021)"],
          integerX: false,
          xTitle: "updates (minibatches)",
          yTitle: "test error",
          points: testPoints,
          series,
          rules,
          showPoints: new Set(testPoints.map((p) => p.x)).size <= 30,
        }),
      ),
    });

    // Supp. Fig. 5's layout: DANN against its gradient-normalised and learning-rate-scaled variants.
    const supp = groups.filter((g) => SUPP_FIG5_MODELS.includes(g.model));
    if (supp.some((g) => g.model !== "dann")) {
      const suppTitle = `${name}: DANN with gradient normalisation and learning-rate scaling (Supp. Fig. 5)`;
      plots.push({
        dataset,
        kind: "supp-fig5-test-error",
        fileName: errorPlotFileName(dataset, "supp-fig5-test-error"),
        title: suppTitle,
        svg: await vegaLiteSvg(
          curveSpec({
            title: suppTitle,
            subtitle: ["mean test error over seeds vs updates"],
            integerX: false,
            xTitle: "updates (minibatches)",
            yTitle: "test error",
            points: testPoints.filter((p) => supp.some((g) => (labels.get(g) ?? g.model) === p.series)),
            series: supp.map((g) => labels.get(g) ?? g.model),
            rules: [],
            showPoints: false,
          }),
        ),
      });
    }

    const trainPoints = groups.flatMap((g) =>
      g.trainErrorPerEpoch.filter((p) => Number.isFinite(p.error)).map((p) => ({ series: labels.get(g) ?? g.model, x: p.epoch, error: p.error })),
    );
    const trainTitle = `${name}: mean train error per epoch`;
    plots.push({
      dataset,
      kind: "train-error",
      fileName: errorPlotFileName(dataset, "train-error"),
      title: trainTitle,
      svg: await vegaLiteSvg(
        curveSpec({
          title: trainTitle,
          subtitle: ["mean over seeds, measured after each epoch"],
          integerX: true,
          xTitle: "epoch",
          yTitle: "train error",
          points: trainPoints,
          series,
          rules: [],
          showPoints: true,
        }),
      ),
    });
  }
  return plots;
}
