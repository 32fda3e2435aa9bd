import type { LayerAlignment } from "./fisher-alignment.js";
import { exponentialAverage, windowAverage, type ScalarAverage } from "./internal/moving-average.js";
import { formatValue } from "@dale-nn/core";

/** Default window of {@link AlignmentTracker}: Fig. 2 plots a moving average over 500 updates. */
export const DEFAULT_ALIGNMENT_WINDOW = 500;

/**
 * How {@link AlignmentTracker} averages: a window of the last n updates (Fig. 2 uses 500), or an
 * exponential moving average m ← k v + (1 − k) m with momentum k in (0, 1].
 */
export type AlignmentAveraging = { window: number } | { momentum: number };

/** The moving average of one layer's alignment. */
export interface LayerAlignmentAverage extends LayerAlignment {
  /** How many finite raw-cosine values the layer has received in total. */
  count: number;
}

interface LayerAverages {
  raw: ScalarAverage;
  corrected: ScalarAverage;
}

/**
 * Moving averages, per layer, of the Fisher-alignment cosines of {@link fisherAlignment}
 * (Cornford et al. 2021, Fig. 2: "moving average over 500 updates").
 *
 * Construct with a window (an integer >= 1, default 500), a momentum (a number in (0, 1)), or an
 * explicit `{ window }` / `{ momentum }`. A window of 1 and a momentum of 1 both track the latest
 * value. NaN cosines (a layer with an all-zero gradient) are skipped. Pure host-side state: no
 * tensors.
 *
 * @example
 * const tracker = new AlignmentTracker(500);
 * // every update:
 * tracker.update(fisherAlignment({ raw, corrected, fisherPreconditioned }));
 * tracker.averages(); // [{ layer: "h1", rawCosine, correctedCosine, count }, ...]
 */
export class AlignmentTracker {
  /** The averaging in use. */
  readonly averaging: Readonly<AlignmentAveraging>;
  private readonly layers = new Map<string, LayerAverages>();

  /**
   * @param windowOrMomentum - an integer window >= 1, a momentum in (0, 1), or an
   *   {@link AlignmentAveraging}; default a window of 500
   * @throws RangeError when the window is not an integer >= 1 or the momentum is outside (0, 1]
   */
  constructor(windowOrMomentum: number | AlignmentAveraging = DEFAULT_ALIGNMENT_WINDOW) {
    const context = "AlignmentTracker";
    let averaging: AlignmentAveraging;
    if (typeof windowOrMomentum === "number") {
      if (windowOrMomentum > 0 && windowOrMomentum < 1) averaging = { momentum: windowOrMomentum };
      else if (Number.isInteger(windowOrMomentum) && windowOrMomentum >= 1) averaging = { window: windowOrMomentum };
      else {
        throw new RangeError(
          `${context}: expected a window (an integer >= 1) or a momentum in (0, 1); got ${formatValue(windowOrMomentum)}`,
        );
      }
    } else if (windowOrMomentum !== null && typeof windowOrMomentum === "object" && "window" in windowOrMomentum) {
      const w = windowOrMomentum.window;
      if (!Number.isInteger(w) || w < 1) throw new RangeError(`${context}: window must be an integer >= 1; got ${formatValue(w)}`);
      averaging = { window: w };
    } else if (windowOrMomentum !== null && typeof windowOrMomentum === "object" && "momentum" in windowOrMomentum) {
      const k = windowOrMomentum.momentum;
      if (typeof k !== "number" || !(k > 0 && k <= 1)) throw new RangeError(`${context}: momentum must be a number in (0, 1]; got ${formatValue(k)}`);
      averaging = { momentum: k };
    } else {
      throw new RangeError(`${context}: expected a number, { window } or { momentum }; got ${formatValue(windowOrMomentum)}`);
    }
    this.averaging = Object.freeze(averaging);
  }

  /**
   * Adds one update's alignments and returns the averages of every layer seen so far.
   *
   * @param alignments - the output of {@link fisherAlignment} for one update
   * @returns the current averages, see {@link AlignmentTracker.averages}
   */
  update(alignments: readonly LayerAlignment[]): LayerAlignmentAverage[] {
    for (const a of alignments) {
      let avg = this.layers.get(a.layer);
      if (avg === undefined) {
        avg = { raw: this.makeAverage(), corrected: this.makeAverage() };
        this.layers.set(a.layer, avg);
      }
      avg.raw.push(a.rawCosine);
      avg.corrected.push(a.correctedCosine);
    }
    return this.averages();
  }

  /**
   * The current moving averages, one per layer in order of first appearance (NaN for a layer that
   * has only had NaN cosines).
   */
  averages(): LayerAlignmentAverage[] {
    return Array.from(this.layers, ([layer, avg]) => ({
      layer,
      rawCosine: avg.raw.value,
      correctedCosine: avg.corrected.value,
      count: avg.raw.count,
    }));
  }

  /** Forgets every layer's history. */
  reset(): void {
    this.layers.clear();
  }

  private makeAverage(): ScalarAverage {
    return "window" in this.averaging ? windowAverage(this.averaging.window) : exponentialAverage(this.averaging.momentum);
  }
}
