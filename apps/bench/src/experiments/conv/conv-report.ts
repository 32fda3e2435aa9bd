import { join } from "node:path";
import { formatMeanStd, markdownTable, meanStd, vegaLiteSvg, writeFileAtomic, writeMarkdownReport } from "../../report/index.js";
import { PAPER_CIFAR10_ACCURACY, type ConvModel } from "./conv-models.js";
import type { ConvRecord } from "./conv-record.js";

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : "—");

/**
 * Writes `<out>/report.md` (per dataset and model: final test accuracy mean ± std over seeds,
 * parameters, wall time; next to the paper's CIFAR-10 accuracies) and `<out>/accuracy-<dataset>.svg`
 * (test accuracy against epochs, one line per run).
 *
 * @returns the paths written, the markdown first
 */
export async function writeConvReport(out: string, records: readonly ConvRecord[]): Promise<string[]> {
  const lines: string[] = ["# dale-bench conv: convolutional recurrent E/I networks (paper 002)", ""];
  const paths: string[] = [];
  const datasets = [...new Set(records.map((r) => r.dataset))];
  if (records.length === 0) lines.push("No finished runs yet.");
  for (const dataset of datasets) {
    const rs = records.filter((r) => r.dataset === dataset);
    const profiles = [...new Set(rs.map((r) => r.profile))].join(", ");
    lines.push(`## ${dataset} (profile ${profiles})`, "");
    const models = [...new Set(rs.map((r) => r.model))];
    const rows = models.map((m) => {
      const ms = rs.filter((r) => r.model === m);
      const ok = ms.filter((r) => !r.diverged);
      const acc = meanStd(ok.map((r) => r.finalTestAccuracy), 100);
      const paper = dataset === "cifar10" ? PAPER_CIFAR10_ACCURACY[m as ConvModel] : undefined;
      const first = ms[0]!;
      return [
        m,
        first.variant + (first.batchNorm ? "" : " (no BN)"),
        String(ms.length) + (ms.length > ok.length ? ` (${ms.length - ok.length} diverged)` : ""),
        formatMeanStd(acc, 2, { suffix: "%" }),
        dataset === "cifar10" ? (paper === undefined ? "not reported" : pct(paper)) : "no paper number",
        String(first.parameters),
        `${first.epochs} × ${first.updatesPerEpoch} updates, batch ${first.batchSize}, ${first.trainImages} / ${first.testImages} images`,
        formatMeanStd(meanStd(ms.map((r) => r.wallSeconds)), 0, { suffix: " s" }),
      ];
    });
    lines.push(...markdownTable(["model", "variant", "runs", "final test accuracy", "paper (CIFAR-10, 250 epochs)", "parameters", "training", "wall time"], rows), "");
    if (dataset !== "cifar10") lines.push(`The paper reports CIFAR-10 only (Standard ≈ 85.5%, StandardEI 84.2%, App. L); there is no paper number for ${dataset}.`, "");
    lines.push("Test accuracy per epoch (epoch 0 = initialisation):", "");
    const maxEpochs = Math.max(...rs.map((r) => r.testAccuracyPerEpoch.length));
    lines.push(
      ...markdownTable(
        ["run", ...Array.from({ length: maxEpochs }, (_, e) => String(e))],
        rs.map((r) => [`${r.model} seed ${r.seed}`, ...Array.from({ length: maxEpochs }, (_, e) => pct(r.testAccuracyPerEpoch[e] ?? Number.NaN))]),
      ),
      "",
    );
    const values = rs.flatMap((r) => r.testCurve.map((p) => ({ run: `${r.model} seed ${r.seed}`, epoch: p.update / r.updatesPerEpoch, accuracy: p.accuracy })));
    const svg = await vegaLiteSvg({
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      title: `Test accuracy, ${dataset}`,
      width: 480,
      height: 280,
      data: { values },
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "epoch", type: "quantitative", title: "epoch" },
        y: { field: "accuracy", type: "quantitative", title: "test accuracy", scale: { domain: [0, 1] } },
        color: { field: "run", type: "nominal" },
      },
    });
    const svgPath = join(out, `accuracy-${dataset}.svg`);
    writeFileAtomic(svgPath, svg);
    paths.push(svgPath);
    lines.push(`![test accuracy](accuracy-${dataset}.svg)`, "");
    const diverged = rs.filter((r) => r.diverged);
    if (diverged.length) lines.push("Diverged runs:", "", ...diverged.map((r) => `- ${r.runId}: update ${r.diverged!.update}: ${r.diverged!.reason}`), "");
  }
  lines.push("Weights kept for `dale-bench selectivity DIR`: DIR/models/<run>/epoch-<k>/ (network.json + weights.bin).");
  return [writeMarkdownReport(out, lines), ...paths];
}
