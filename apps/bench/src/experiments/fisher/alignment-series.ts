import { AlignmentTracker, type LayerAlignment } from "@dale-nn/fisher-correction";

/**
 * The Fisher alignment of one recorded update: per layer (index 0 = the first layer), the cosine
 * between the Fisher-preconditioned gradient and the raw (`raw`) or the heuristically corrected
 * (`corrected`) gradient; null where undefined (a layer whose gradient was all zeros).
 */
export interface AlignmentSample {
  /** The update (1-based: the first update of the run is 1). */
  update: number;
  raw: Array<number | null>;
  corrected: Array<number | null>;
}

/** One point of a layer's curve: the moving averages of both cosines after `update` updates (null: no finite value yet). */
export interface AlignmentCurvePoint {
  update: number;
  raw: number | null;
  corrected: number | null;
}

/** A layer's mean cosines over one epoch's recorded updates. */
export interface EpochAlignmentMean {
  epoch: number;
  raw: number | null;
  corrected: number | null;
  /** Recorded updates with a finite raw cosine in the epoch. */
  count: number;
}

/** What a record keeps of one layer's series: the moving-average curve and the per-epoch means. */
export interface LayerAlignmentSummary {
  curve: AlignmentCurvePoint[];
  epochMeans: EpochAlignmentMean[];
}

/** How {@link summariseAlignment} reads a series. */
export interface SummariseAlignmentOptions {
  /** Layers per sample. */
  layers: number;
  /** The moving average's window in updates (Fig. 2: 500). */
  window: number;
  /** The series holds every this many updates (updates k, 2k, 3k, ...). */
  alignEvery: number;
  /** One curve point every this many updates. */
  curveEvery: number;
  /** Updates per epoch, to assign samples to epochs (update u is in epoch ⌈u / n⌉). */
  updatesPerEpoch: number;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Summarises a per-update alignment series for a record (Cornford et al. 2021, Fig. 2):
 *
 * - the curve: per layer, the trailing moving average of each cosine over the last `window`
 *   updates, i.e. the last round(window / alignEvery) samples (`AlignmentTracker` of
 *   @dale-nn/fisher-correction, which skips undefined cosines), read at the last sample at or
 *   before every multiple of `curveEvery` updates, and at the last sample;
 * - the epoch means: per layer and epoch, the mean of the epoch's finite cosines.
 *
 * @param samples - the series, in update order
 * @returns one summary per layer
 * @throws RangeError when a sample has the wrong number of layers or the updates are not increasing
 * @example
 * summariseAlignment(samples, { layers: 4, window: 500, alignEvery: 1, curveEvery: 100, updatesPerEpoch: 240 });
 */
export function summariseAlignment(samples: readonly AlignmentSample[], o: SummariseAlignmentOptions): LayerAlignmentSummary[] {
  const tracker = new AlignmentTracker({ window: Math.max(1, Math.round(o.window / o.alignEvery)) });
  const out: LayerAlignmentSummary[] = Array.from({ length: o.layers }, () => ({ curve: [], epochMeans: [] }));
  const sums = new Map<number, Array<{ raw: number; corrected: number; nRaw: number; nCorrected: number }>>();
  const c = o.curveEvery;
  let previous = 0;
  samples.forEach((s, i) => {
    if (s.raw.length !== o.layers || s.corrected.length !== o.layers) {
      throw new RangeError(`summariseAlignment: sample of update ${s.update} has ${s.raw.length} raw and ${s.corrected.length} corrected cosines; expected ${o.layers} layers`);
    }
    if (!(s.update > previous)) throw new RangeError(`summariseAlignment: updates must increase; update ${s.update} follows ${previous}`);
    previous = s.update;
    const alignments: LayerAlignment[] = s.raw.map((r, l) => ({ layer: String(l), rawCosine: r ?? Number.NaN, correctedCosine: s.corrected[l] ?? Number.NaN }));
    const averages = tracker.update(alignments);
    const epoch = Math.ceil(s.update / o.updatesPerEpoch);
    let acc = sums.get(epoch);
    if (acc === undefined) {
      acc = Array.from({ length: o.layers }, () => ({ raw: 0, corrected: 0, nRaw: 0, nCorrected: 0 }));
      sums.set(epoch, acc);
    }
    for (let l = 0; l < o.layers; l++) {
      const a = acc[l]!;
      const r = s.raw[l];
      const k = s.corrected[l];
      if (typeof r === "number" && Number.isFinite(r)) {
        a.raw += r;
        a.nRaw++;
      }
      if (typeof k === "number" && Number.isFinite(k)) {
        a.corrected += k;
        a.nCorrected++;
      }
    }
    const next = samples[i + 1]?.update;
    const last = next === undefined;
    if (last || Math.ceil(s.update / c) < Math.ceil(next / c)) {
      averages.forEach((avg) => {
        out[Number(avg.layer)]!.curve.push({ update: s.update, raw: finite(avg.rawCosine), corrected: finite(avg.correctedCosine) });
      });
    }
  });
  for (const [epoch, acc] of [...sums].sort((a, b) => a[0] - b[0])) {
    acc.forEach((a, l) => {
      out[l]!.epochMeans.push({ epoch, raw: a.nRaw ? a.raw / a.nRaw : null, corrected: a.nCorrected ? a.corrected / a.nCorrected : null, count: a.nRaw });
    });
  }
  return out;
}

/**
 * The samples of a series up to and including `update`, when the series is complete there (it
 * holds exactly the updates k, 2k, ..., ⌊update / k⌋ k); otherwise a reason why not.
 *
 * @returns the samples, or a one-line reason
 */
export function seriesUpTo(samples: readonly AlignmentSample[], update: number, alignEvery: number): AlignmentSample[] | string {
  const kept = samples.filter((s) => s.update <= update);
  const expected = Math.floor(update / alignEvery);
  if (kept.length !== expected) return `it holds ${kept.length} samples up to update ${update}; expected ${expected} (one every ${alignEvery} updates)`;
  const bad = kept.findIndex((s, i) => s.update !== (i + 1) * alignEvery);
  if (bad >= 0) return `sample ${bad} is of update ${kept[bad]!.update}; expected ${(bad + 1) * alignEvery}`;
  return kept;
}

const isCosine = (x: unknown): boolean => x === null || (typeof x === "number" && x >= -1 && x <= 1);

/**
 * Parses the series kept beside a checkpoint (JSON: an array of {@link AlignmentSample}).
 *
 * @param text - the file's text
 * @param layers - the layers each sample must have
 * @returns the samples
 * @throws Error naming the first entry that does not fit
 */
export function parseAlignmentSeries(text: string, layers: number): AlignmentSample[] {
  const value = JSON.parse(text) as unknown;
  if (!Array.isArray(value)) throw new Error(`expected a JSON array of { update, raw, corrected }; got ${typeof value}`);
  value.forEach((s: Partial<AlignmentSample> | null, i) => {
    const ok =
      typeof s === "object" && s !== null && Number.isInteger(s.update) && (s.update as number) >= 1 &&
      Array.isArray(s.raw) && s.raw.length === layers && s.raw.every(isCosine) &&
      Array.isArray(s.corrected) && s.corrected.length === layers && s.corrected.every(isCosine);
    if (!ok) throw new Error(`entry ${i} must be { update: an integer >= 1, raw and corrected: ${layers} cosines in [-1, 1] or null }; got ${JSON.stringify(s)?.slice(0, 80)}`);
  });
  return value as AlignmentSample[];
}
