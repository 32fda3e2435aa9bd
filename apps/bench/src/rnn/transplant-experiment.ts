import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { colEiRnnInit, deriveSeed, standardRnnInit } from "@dale-nn/ei-init";
import { buildRecurrentNetwork } from "@dale-nn/ei-layers";
import { normalisedSvdEntropy, singularValues, spectralRadius, transplantSpectrum } from "@dale-nn/spectra";
import { DATASET_PIXEL_MEANS } from "@dale-nn/datasets";
import { CheckpointStore } from "../checkpoint-store.js";
import { readRnnRecords, RNN_TASK_SETTINGS, taskData, trainAndRecord, type RnnProfile, type RnnRecord } from "./rnn-experiment.js";

/** One of the 2³ configurations of Li et al. (2023), Sec. 2.3.1 / Table 1. */
export interface TransplantConfig {
  /** Whose singular values W starts with. */
  spectrum: "rnn" | "colei";
  /** Whose singular vectors (U, V of the SVD) W starts with. */
  vectors: "rnn" | "colei";
  /** Keep each weight's initial sign during learning (sign-frozen projection). */
  signConstrained: boolean;
}

export const TRANSPLANT_CONFIGS: readonly TransplantConfig[] = (["rnn", "colei"] as const).flatMap((spectrum) =>
  (["rnn", "colei"] as const).flatMap((vectors) => [false, true].map((signConstrained) => ({ spectrum, vectors, signConstrained }))),
);

export function transplantLabel(c: TransplantConfig): string {
  return `${c.vectors === "rnn" ? "RNN" : "ColEI"} vectors + ${c.spectrum === "rnn" ? "RNN" : "ColEI"} spectrum, ${c.signConstrained ? "sign-constrained" : "free"}`;
}

/**
 * The recurrent matrix of a configuration: W_rnn and W_colei drawn as at initialisation (n units,
 * 10% inhibitory, ColEI rescaled to ρ = 1.5), then U_a diag(s_b) V_aᵀ with a = vectors, b = spectrum.
 */
export function transplantMatrix(c: TransplantConfig, n: number, seed: number): Float64Array {
  const rnn = { data: Float64Array.from(standardRnnInit({ inputs: 1, hidden: n, seed: deriveSeed(seed, "rnn") }).w.values), rows: n, cols: n };
  const colei = {
    data: Float64Array.from(
      colEiRnnInit({
        inputs: 1, hidden: n, ni: Math.max(1, Math.round(0.1 * n)), seed: deriveSeed(seed, "colei"), firstLayer: { inputMean: 0 },
        spectralRadius: (data, size) => spectralRadius({ data, rows: size, cols: size }),
      }).w.values,
    ),
    rows: n,
    cols: n,
  };
  const a = c.vectors === "rnn" ? rnn : colei;
  const b = c.spectrum === "rnn" ? rnn : colei;
  return a === b ? a.data : transplantSpectrum(a, b).data;
}

/**
 * Runs the spectrum-transplant experiment on sequential MNIST: a standard RNN (1 recurrent layer of
 * 100 ReLU units, linear readout) whose recurrent matrix starts as one of the 8 configurations;
 * sign-constrained configurations train with the frozen-sign projection.
 */
export async function runTransplantExperiment(options: { profile: RnnProfile; out: string; backend: string; log: (l: string) => void; hidden?: number }): Promise<RnnRecord[]> {
  const { profile, out, log } = options;
  const n = options.hidden ?? 100;
  mkdirSync(out, { recursive: true });
  const done = new Set(readRnnRecords(out).map((r) => r.runId));
  const checkpoints = new CheckpointStore(join(out, "checkpoints"));
  const settings = { ...RNN_TASK_SETTINGS.seqmnist, hidden: [n], dense: [] };
  const runs = TRANSPLANT_CONFIGS.flatMap((c) => profile.seeds.map((seed) => ({ c, seed, runId: `transplant/${profile.name}/n=${n}/${c.vectors}-vectors/${c.spectrum}-spectrum/${c.signConstrained ? "signed" : "free"}/seed=${seed}` })));
  const todo = runs.filter((r) => !done.has(r.runId));
  log(`dale-bench transplant: ${runs.length} runs, ${runs.length - todo.length} already done`);
  if (todo.length > 0) {
    const data = taskData("seqmnist", profile);
    for (const run of todo) {
      const w = transplantMatrix(run.c, n, run.seed);
      const model = buildRecurrentNetwork({
        kind: "standard", seed: deriveSeed(run.seed, "transplant"), hidden: [n], dense: [], outputs: 10,
        signFrozen: run.c.signConstrained, inputMean: DATASET_PIXEL_MEANS.mnist,
      });
      const rnn = model.layers[0]!;
      const wVar = rnn.trainableWeights.find((v) => v.originalName.endsWith("/w"))!;
      const t = tf.tensor2d(Float32Array.from(w), [n, n]);
      wVar.write(t);
      t.dispose();
      await trainAndRecord({
        experiment: "transplant", runId: run.runId, taskName: "seqmnist", label: transplantLabel(run.c), seed: run.seed, model,
        clipping: { maxNorm: 10, scope: "global" }, correction: false, settings, profile, data, out, backend: options.backend, checkpoints, log,
        variant: {
          spectrum: run.c.spectrum, vectors: run.c.vectors, signConstrained: run.c.signConstrained, hidden: n,
          nseAtInit: normalisedSvdEntropy({ data: w, rows: n, cols: n }), sigmaMaxAtInit: singularValues({ data: w, rows: n, cols: n })[0]!,
        },
      });
    }
  }
  const records = readRnnRecords(out).filter((r) => r.experiment === "transplant");
  writeTransplantReport(out, records);
  return records;
}

export function writeTransplantReport(out: string, records: RnnRecord[]): string {
  const lines = [
    "# Spectrum transplant (Li et al. 2023, Sec. 2.3.1, Table 1)",
    "",
    "Sequential MNIST, 1 recurrent layer of ReLU units, the recurrent matrix at initialisation = U_a diag(s_b) V_aᵀ (singular vectors of one network, singular values of the other; ColEI with 10% inhibitory units, ρ = 1.5). Sign-constrained runs keep each weight's initial sign (frozen-sign projection). Final test error, mean ± std over seeds.",
    "",
    "| singular vectors | spectrum | sign constraints | seeds | NSE at init | σ_max at init | final test error |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const c of TRANSPLANT_CONFIGS) {
    const rs = records.filter((r) => r.variant?.spectrum === c.spectrum && r.variant?.vectors === c.vectors && r.variant?.signConstrained === c.signConstrained);
    if (rs.length === 0) continue;
    const errs = rs.map((r) => r.finalEvalError).filter((x): x is number => x !== null && Number.isFinite(x));
    const m = errs.reduce((a, b) => a + b, 0) / Math.max(1, errs.length);
    const sd = errs.length > 1 ? Math.sqrt(errs.reduce((a, v) => a + (v - m) ** 2, 0) / (errs.length - 1)) : Number.NaN;
    const avg = (k: string) => rs.reduce((a, r) => a + Number(r.variant?.[k] ?? 0), 0) / rs.length;
    lines.push(
      `| ${c.vectors === "rnn" ? "RNN" : "ColEI"} | ${c.spectrum === "rnn" ? "RNN" : "ColEI"} | ${c.signConstrained ? "yes" : "no"} | ${rs.length} | ${avg("nseAtInit").toFixed(3)} | ${avg("sigmaMaxAtInit").toFixed(2)} | ${(100 * m).toFixed(2)}%${Number.isFinite(sd) ? ` ± ${(100 * sd).toFixed(2)}` : ""} |`,
    );
  }
  const path = join(out, "report.md");
  writeFileSync(`${path}.tmp`, `${lines.join("\n")}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}
