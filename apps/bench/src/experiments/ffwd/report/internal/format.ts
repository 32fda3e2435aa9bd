import { formatMeanStd as formatStats } from "../../../../report/mean-std.js";
import type { RunDataset } from "../run-record.js";

const DATASET_LABELS: Record<RunDataset, string> = { mnist: "MNIST", kmnist: "K-MNIST", fashion: "Fashion-MNIST" };

/** Display name of a dataset ("K-MNIST"). */
export function datasetLabel(dataset: RunDataset): string {
  return DATASET_LABELS[dataset];
}

/** A learning rate to 4 significant digits without trailing zeros: 0.29760000001 -> "0.2976". */
export function formatLearningRate(lr: number): string {
  return String(Number(lr.toPrecision(4)));
}

/** A percentage with 3 decimals, or "—" when not finite. */
export function formatPercent(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : "—";
}

/** "mean ± std" in percent; the std is left out for a single seed; "—" when there is no value. */
export function formatMeanStd(s: { mean: number; std: number }): string {
  return formatStats({ ...s, n: 0 }, 3);
}

/** Seconds as "12.3 s", "4.5 min" or "1.25 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(2)} h`;
}

/** Escapes the characters that would break a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A number as printed in the paper's tables: 0 as "0.0", otherwise unchanged ("1.44", "0.034"). */
export function formatPaperNumber(v: number): string {
  return v === 0 ? "0.0" : String(v);
}
