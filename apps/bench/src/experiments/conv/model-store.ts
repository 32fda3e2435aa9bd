import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { buildConvEiNetwork, type ConvEiNetworkConfig } from "@dale-nn/ei-conv";
import { shardName } from "../../executors/executor.js";

/** The manifest of a saved network: `<out>/models/<shardName(runId)>/epoch-<k>/network.json`. */
export interface SavedNetworkManifest {
  format: "dale-bench-conv-weights-1";
  runId: string;
  epoch: number;
  /** The configuration `buildConvEiNetwork` rebuilds the network from. */
  config: ConvEiNetworkConfig;
  /** `model.getWeights()` order (trainable and BatchNorm statistics), float32 little-endian in weights.bin. */
  weights: Array<{ name: string; shape: number[] }>;
  /** Extra fields of the run (model, seed, dataset) for the analyses. */
  meta: Record<string, string | number | boolean>;
}

/** The folder of a run's saved networks. */
export function modelsFolder(out: string, runId: string): string {
  return join(out, "models", shardName(runId));
}

/**
 * Saves a network's weights at an epoch as `network.json` (configuration + weight names and
 * shapes) and `weights.bin` (float32) under `<out>/models/<shardName(runId)>/epoch-<k>/`; the
 * folder is written beside and renamed into place, so a saved epoch is complete or absent.
 *
 * @returns the folder written
 */
export function saveNetwork(out: string, runId: string, epoch: number, model: tf.LayersModel, config: ConvEiNetworkConfig, meta: SavedNetworkManifest["meta"]): string {
  const dir = join(modelsFolder(out, runId), `epoch-${epoch}`);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const weights = model.getWeights();
  const names = model.weights.map((w) => w.originalName ?? w.name);
  const total = weights.reduce((s, w) => s + w.size, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    data.set(w.dataSync() as Float32Array, offset);
    offset += w.size;
  }
  const manifest: SavedNetworkManifest = { format: "dale-bench-conv-weights-1", runId, epoch, config, weights: weights.map((w, i) => ({ name: names[i] ?? `weight ${i}`, shape: [...w.shape] })), meta };
  writeFileSync(join(tmp, "weights.bin"), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  writeFileSync(join(tmp, "network.json"), `${JSON.stringify(manifest, null, 1)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/** One saved network found under `<out>/models/`. */
export interface SavedNetworkRef {
  dir: string;
  manifest: SavedNetworkManifest;
}

/** Every saved network under `<out>/models/` (by run folder, then epoch). Unreadable ones are reported through `warn` and skipped. */
export function listSavedNetworks(out: string, warn: (line: string) => void = () => {}): SavedNetworkRef[] {
  const root = join(out, "models");
  if (!existsSync(root)) return [];
  const found: SavedNetworkRef[] = [];
  for (const run of readdirSync(root).sort()) {
    const runDir = join(root, run);
    let epochs: string[];
    try {
      epochs = readdirSync(runDir).filter((e) => /^epoch-\d+$/.test(e));
    } catch {
      continue;
    }
    epochs.sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
    for (const e of epochs) {
      const dir = join(runDir, e);
      try {
        const manifest = JSON.parse(readFileSync(join(dir, "network.json"), "utf8")) as SavedNetworkManifest;
        if (manifest.format !== "dale-bench-conv-weights-1") throw new Error(`unknown format ${JSON.stringify(manifest.format)}`);
        found.push({ dir, manifest });
      } catch (err) {
        warn(`skipping ${dir}: ${(err as Error).message.split("\n")[0]}`);
      }
    }
  }
  return found;
}

/**
 * Rebuilds a saved network (`buildConvEiNetwork(config)`, then its weights).
 *
 * @throws Error when weights.bin does not hold the manifest's weights
 */
export function loadNetwork(ref: SavedNetworkRef): tf.Sequential {
  const model = buildConvEiNetwork(ref.manifest.config);
  const buf = readFileSync(join(ref.dir, "weights.bin"));
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const specs = ref.manifest.weights;
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  if (data.length !== expected || specs.length !== model.weights.length) {
    model.dispose();
    throw new Error(`${ref.dir}: weights.bin holds ${data.length} floats for ${specs.length} weights; the network has ${model.weights.length} weights of ${expected} floats`);
  }
  let offset = 0;
  const tensors = specs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(data.subarray(offset, offset + n), s.shape, "float32");
    offset += n;
    return t;
  });
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return model;
}
