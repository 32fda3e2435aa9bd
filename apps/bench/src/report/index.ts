export {
  RUN_DATASETS,
  RUN_EVAL_SPLITS,
  RUN_MODELS,
  type RunDataset,
  type RunEvalSplit,
  type RunModel,
  type RunRecord,
} from "./run-record.js";
export { readRunRecords, type ReadRunRecordsResult } from "./read-run-records.js";
export {
  summariseRuns,
  type DivergedRunSummary,
  type ErrorStats,
  type RunGroupSummary,
  type RunSummary,
} from "./summarise-runs.js";
export { PAPER_EPOCHS, PAPER_RESULTS, findPaperResult, type PaperResult } from "./paper-results.js";
export { renderMarkdown, type MarkdownPlotLink, type RenderMarkdownOptions } from "./render-markdown.js";
export { errorPlotFileName, renderErrorPlots, type ErrorPlot, type ErrorPlotKind } from "./render-error-plots.js";
export { writeReport, type WriteReportOptions, type WriteReportResult } from "./write-report.js";
