import * as tf from "@tensorflow/tfjs";
import { areaActivity, recurrentCells, type ConvEiNetworkConfig } from "@dale-nn/ei-conv";
import {
  centreResponses, collectResponses, connectionDensity, gratingTuning, rebuildSeparableKernel, responseSkewness, spatialMeanKernel, type GratingSet, type ResponseMatrix,
} from "@dale-nn/selectivity";

/** One row of `dale-bench selectivity --json`: one cell type of one area of one saved network. */
export interface SelectivityRow {
  [key: string]: string | number | null | Record<string, number> | number[];
  runId: string;
  dataset: string;
  model: string;
  seed: number;
  epoch: number;
  area: string;
  cellType: string;
  channels: number;
  /** Channels silent on the gratings (left out of gOSI / orientation skewness) and on the images. */
  silentOnGratings: number;
  silentOnImages: number;
  /** Means over responsive channels (null when all are silent). */
  gosi: number | null;
  orientationSkewness: number | null;
  imageSkewness: number | null;
  /** Per-channel image skewness (NaN → null), for the Δ summaries. */
  imageSkewnessPerChannel: Array<number | null> & number[];
  /** The area's connection densities by type (Standard: PN→PN, IG→PN, OG→PN, Int→PN; StandardEI: E→E, I→E). */
  density: Record<string, number>;
}

const host = (t: tf.Tensor) => ({ data: t.dataSync(), shape: t.shape });
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The connection densities of each recurrent area (paper 002, Sec. 2, App. A): |D|·|P| rebuilt, averaged over space, fraction > exp(−10). */
export function areaDensities(model: tf.Sequential, config: ConvEiNetworkConfig): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  recurrentCells(model).forEach((cell, k) => {
    const area = `area${config.feedforward.length + k + 1}`;
    const matrices: Record<string, ReturnType<typeof spatialMeanKernel>> = {};
    for (const c of cell.connections()) {
      if (c.source === "X" || c.target === "f") continue;
      matrices[`${c.source}→${c.target}`] = spatialMeanKernel(rebuildSeparableKernel(host(c.depthwise), host(c.pointwise)));
    }
    const d: Record<string, number> = {};
    for (const [name, m] of Object.entries(matrices)) d[name] = connectionDensity(m);
    if (matrices["IG→PN"] && matrices["OG→PN"]) d["Int→PN"] = connectionDensity([matrices["IG→PN"], matrices["OG→PN"]]);
    out[area] = d;
  });
  return out;
}

/**
 * Centre responses (averaged over steps) of every cell type of every recurrent area to a set of
 * images, in batches.
 */
async function responses(model: tf.Sequential, config: ConvEiNetworkConfig, images: Float32Array, count: number, batch: number): Promise<Record<string, Record<string, ResponseMatrix>>> {
  const [h, w, c] = config.inputShape;
  const per = h * w * c;
  const parts: Record<string, Record<string, ResponseMatrix[]>> = {};
  await collectResponses(count, batch, (s, e) => {
    const x = tf.tensor4d(images.subarray(s * per, e * per), [e - s, h, w, c]);
    const act = areaActivity(model, config, x);
    x.dispose();
    for (const a of act) {
      parts[a.area] ??= {};
      for (const [type, maps] of Object.entries(a.maps)) {
        (parts[a.area]![type] ??= []).push(centreResponses(maps.map(host)));
        maps.forEach((m) => m.dispose());
      }
    }
    return { data: new Float64Array(e - s), rows: e - s, cols: 1 };
  });
  const out: Record<string, Record<string, ResponseMatrix>> = {};
  for (const [area, types] of Object.entries(parts)) {
    out[area] = {};
    for (const [type, list] of Object.entries(types)) {
      const cols = list[0]!.cols;
      const rows = list.reduce((n, m) => n + m.rows, 0);
      const data = new Float64Array(rows * cols);
      let o = 0;
      for (const m of list) {
        data.set(m.data, o);
        o += m.data.length;
      }
      out[area]![type] = { data, rows, cols };
    }
  }
  return out;
}

/**
 * The selectivity and connectivity analyses of paper 002 (Sec. 2, App. A, C) on one network:
 * gOSI and orientation skewness over the 432 gratings, image skewness over `images`, and the
 * connection density of each area.
 *
 * @returns one row per (area, cell type)
 */
export async function analyseNetwork(
  model: tf.Sequential,
  config: ConvEiNetworkConfig,
  gratings: GratingSet,
  images: { data: Float32Array; count: number },
  ids: { runId: string; dataset: string; model: string; seed: number; epoch: number },
): Promise<SelectivityRow[]> {
  const g = await responses(model, config, gratings.images, gratings.count, 108);
  const im = await responses(model, config, images.data, images.count, 100);
  const dens = areaDensities(model, config);
  const rows: SelectivityRow[] = [];
  for (const [area, types] of Object.entries(g)) {
    for (const [type, r] of Object.entries(types)) {
      const tuning = gratingTuning(r, gratings);
      const skew = responseSkewness(im[area]![type]!);
      rows.push({
        ...ids,
        area,
        cellType: type,
        channels: r.cols,
        silentOnGratings: tuning.silent.length,
        silentOnImages: skew.silent.length,
        gosi: finite(tuning.meanGosi),
        orientationSkewness: finite(tuning.meanOrientationSkewness),
        imageSkewness: finite(skew.mean),
        imageSkewnessPerChannel: Array.from(skew.skewness, (v) => (Number.isFinite(v) ? v : null)) as Array<number | null> & number[],
        density: dens[area] ?? {},
      });
    }
  }
  return rows;
}
