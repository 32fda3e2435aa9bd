import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { perImageStandardization } from "@dale-nn/datasets";
import { gratingSet } from "@dale-nn/selectivity";
import { selectBackend } from "../../backend.js";
import type { Command } from "../../runner/experiment.js";
import { integerFlag } from "../../runner/flag-values.js";
import { parseFlags } from "../../runner/parse-flags.js";
import { writeFileAtomic } from "../../report/index.js";
import { UserError } from "../../user-error.js";
import { limitView, loadConvData } from "../conv/conv-data.js";
import type { ConvDataset } from "../conv/conv-models.js";
import { listSavedNetworks, loadNetwork } from "../conv/model-store.js";
import { analyseNetwork, type SelectivityRow } from "./analyse-network.js";
import { writeSelectivityReport } from "./selectivity-report.js";

const HELP = `usage: dale-bench selectivity DIR [--json] [--images N] [--epochs a,b] [--bootstrap-seed S] [--resamples B] [--backend auto|openblas|wasm|cpu] [--data-dir DIR]

Analyses every network saved by \`dale-bench conv\` under DIR/models/ (paper 002, Sec. 2, Figs. 2-5):
the 432 gratings and N test images (default 1000; the paper: all 10,000) through each network in
inference mode; per channel the centre unit of its map averaged over the time steps (PN before
pooling, IG / OG after ReLU; E / I for StandardEI), gOSI and orientation skewness over the
gratings, image skewness over the images (silent channels, max <= exp(-10), left out), and the
connection density of the rebuilt kernels (PN->PN, IG->PN, OG->PN, Int->PN; E->E, I->E).
Writes DIR/selectivity.jsonl (one row per model, seed, epoch, area and cell type), DIR/selectivity.md
(Delta image skewness PN - Int and Delta density Int->PN - PN->PN with 95% bootstrap intervals over
networks, per area) and DIR/selectivity-*.svg (Fig. 2 bars, Fig. 3e density, Fig. 4 scatter, Fig. 5
over epochs). --json prints the rows on stdout instead of the progress lines.`;

const FLAGS = {
  json: { type: "boolean", description: "print one JSON row per (model, seed, epoch, area, cell type) on stdout" },
  images: { type: "string", value: "N", description: "test images for the image skewness (default 1000)" },
  epochs: { type: "string", value: "a,b", description: "only these saved epochs" },
  "bootstrap-seed": { type: "string", value: "S", description: "seed of the bootstrap (default 0)" },
  resamples: { type: "string", value: "B", description: "bootstrap resamples (default 10000)" },
  backend: { type: "string", value: "auto|openblas|wasm|cpu", description: "tfjs backend" },
  "data-dir": { type: "string", value: "DIR", description: "dataset folder, if not the one recorded in DIR/experiment.json" },
} as const;

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS, true);
  if (positionals.length !== 1) throw new UserError(`selectivity takes one directory (a dale-bench conv --out folder); got ${positionals.length} arguments`);
  const dir = resolve(positionals[0]!);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`results directory ${dir} does not exist; expected the --out folder of dale-bench conv`);
  const json = values.json === true;
  const imageCount = values.images === undefined ? 1000 : integerFlag("--images", values.images as string);
  const epochs = values.epochs === undefined ? null : (values.epochs as string).split(",").map((e) => integerFlag("--epochs", e.trim(), 0));
  const bootstrapSeed = values["bootstrap-seed"] === undefined ? 0 : integerFlag("--bootstrap-seed", values["bootstrap-seed"] as string, 0);
  const resamples = values.resamples === undefined ? 10_000 : integerFlag("--resamples", values.resamples as string);
  const log = (line: string): void => void (json ? process.stderr : process.stdout).write(`${line}\n`);
  const nets = listSavedNetworks(dir, log).filter((n) => epochs === null || epochs.includes(n.manifest.epoch));
  if (nets.length === 0) throw new UserError(`${dir} holds no saved networks under models/ ${epochs ? `at epochs ${epochs.join(", ")}` : ""}; expected the --out folder of dale-bench conv`);
  let experimentDataDir: string | null = null;
  try {
    const file = JSON.parse((await import("node:fs")).readFileSync(join(dir, "experiment.json"), "utf8")) as { options?: { dataDir?: string | null } };
    experimentDataDir = file.options?.dataDir ?? null;
  } catch {
    // no experiment.json: the dataset's default location
  }
  const dataDir = (values["data-dir"] as string | undefined) ?? experimentDataDir;
  const { description } = await selectBackend((values.backend as string | undefined) ?? "auto");
  log(`selectivity: backend ${description}; ${nets.length} saved network(s)`);
  const datasets = [...new Set(nets.map((n) => String(n.manifest.meta.dataset)))] as ConvDataset[];
  const testImages = new Map<string, { data: Float32Array; count: number }>();
  for (const d of datasets) {
    const data = loadConvData(d, dataDir === null ? null : resolve(dataDir));
    const view = limitView(data.test, imageCount);
    const features = data.test.split.features;
    const x = new Float32Array(view.count * features);
    for (let i = 0; i < view.count; i++) x.set(data.test.split.images.subarray(view.indices[i]! * features, (view.indices[i]! + 1) * features), i * features);
    perImageStandardization(x, features, x);
    testImages.set(d, { data: x, count: view.count });
  }
  const rows: SelectivityRow[] = [];
  const started = performance.now();
  for (const net of nets) {
    const m = net.manifest;
    const [height, width, channels] = m.config.inputShape;
    const gratings = gratingSet({ height, width, channels });
    const model = loadNetwork(net);
    try {
      const t0 = performance.now();
      const out = await analyseNetwork(model, m.config, gratings, testImages.get(String(m.meta.dataset))!, {
        runId: m.runId, dataset: String(m.meta.dataset), model: String(m.meta.model), seed: Number(m.meta.seed), epoch: m.epoch,
      });
      rows.push(...out);
      if (json) for (const r of out) process.stdout.write(`${JSON.stringify(r)}\n`);
      log(`  ${m.meta.model} seed ${m.meta.seed} epoch ${m.epoch}: ${out.map((r) => `${r.area} ${r.cellType} gOSI ${r.gosi?.toFixed(3) ?? "—"}`).join(", ")} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    } finally {
      model.dispose();
    }
  }
  writeFileAtomic(join(dir, "selectivity.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const paths = await writeSelectivityReport(dir, rows, { seed: bootstrapSeed, resamples, images: Math.min(...[...testImages.values()].map((t) => t.count)) });
  log(`selectivity: wrote ${join(dir, "selectivity.jsonl")}, ${paths.join(", ")} (${((performance.now() - started) / 1000).toFixed(0)} s, tensors ${tf.memory().numTensors})`);
  return 0;
}

/** `dale-bench selectivity DIR`: the analyses of paper 002 on the networks a conv run saved. */
export const selectivityCommand: Command = {
  name: "selectivity",
  summary: "paper 002's selectivity (gOSI, skewness) and connection-density analyses of the networks saved by `conv`",
  help: HELP,
  run,
};
