import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TrainCheckpoint } from "@dale-nn/train";

/** A checkpoint together with the run it belongs to. */
export interface StoredCheckpoint {
  runId: string;
  checkpoint: TrainCheckpoint;
}

function fileSafe(runId: string): string {
  return runId.replace(/[^A-Za-z0-9._=-]+/g, "_");
}

/**
 * Saves and loads per-run training checkpoints as `<dir>/<run>.json` (state) plus
 * `<dir>/<run>.bin` (float32 weights). Writes go to temporary files that are renamed into place,
 * so an interrupted write never replaces a good checkpoint with a broken one.
 */
export class CheckpointStore {
  constructor(readonly dir: string) {}

  private paths(runId: string): { json: string; bin: string } {
    const base = join(this.dir, fileSafe(runId));
    return { json: `${base}.json`, bin: `${base}.bin` };
  }

  save(runId: string, cp: TrainCheckpoint): void {
    mkdirSync(this.dir, { recursive: true });
    const { json, bin } = this.paths(runId);
    const arrays = [...cp.weights.map((w) => w.values), ...cp.optimizerWeights.map((w) => w.values)];
    const total = arrays.reduce((a, v) => a + v.length, 0);
    const flat = new Float32Array(total);
    let offset = 0;
    for (const a of arrays) {
      flat.set(a, offset);
      offset += a.length;
    }
    const state = {
      runId,
      epoch: cp.epoch,
      update: cp.update,
      trainErrorPerEpoch: cp.trainErrorPerEpoch,
      meanLossPerEpoch: cp.meanLossPerEpoch,
      evalCurve: cp.evalCurve,
      wallSeconds: cp.wallSeconds,
      weightShapes: cp.weights.map((w) => w.shape),
      optimizerWeights: cp.optimizerWeights.map((w) => ({ name: w.name, shape: w.shape })),
      floats: total,
    };
    writeFileSync(`${bin}.tmp`, new Uint8Array(flat.buffer));
    writeFileSync(`${json}.tmp`, JSON.stringify(state));
    // The .bin first: a .json is only ever in place next to the .bin it describes.
    renameSync(`${bin}.tmp`, bin);
    renameSync(`${json}.tmp`, json);
  }

  /** The stored checkpoint of a run, or null when there is none (or it is unreadable). */
  load(runId: string): TrainCheckpoint | null {
    const { json, bin } = this.paths(runId);
    if (!existsSync(json) || !existsSync(bin)) return null;
    try {
      const state = JSON.parse(readFileSync(json, "utf8"));
      if (state.runId !== runId) return null;
      const buf = readFileSync(bin);
      if (buf.byteLength !== state.floats * 4) return null;
      const flat = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      let offset = 0;
      const take = (shape: number[]): Float32Array => {
        const n = shape.reduce((a, b) => a * b, 1);
        const out = flat.slice(offset, offset + n);
        offset += n;
        return out;
      };
      const weights = (state.weightShapes as number[][]).map((shape) => ({ shape, values: take(shape) }));
      const optimizerWeights = (state.optimizerWeights as Array<{ name: string; shape: number[] }>).map((w) => ({ ...w, values: take(w.shape) }));
      return {
        epoch: state.epoch,
        update: state.update,
        trainErrorPerEpoch: state.trainErrorPerEpoch,
        meanLossPerEpoch: state.meanLossPerEpoch,
        evalCurve: state.evalCurve,
        wallSeconds: state.wallSeconds,
        weights,
        optimizerWeights,
      };
    } catch {
      return null;
    }
  }

  remove(runId: string): void {
    const { json, bin } = this.paths(runId);
    rmSync(json, { force: true });
    rmSync(bin, { force: true });
  }
}
