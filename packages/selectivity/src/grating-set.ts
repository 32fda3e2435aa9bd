import { formatValue, requireFinite, requireInteger } from "@dale-nn/core/validation";
import { perImageStandardization } from "@dale-nn/datasets";

/** Options of {@link gratingSet}; every field has the paper's default. */
export interface GratingSetOptions {
  /** Image height in pixels, integer >= 1; default 32. */
  height?: number;
  /** Image width in pixels, integer >= 1; default 32. */
  width?: number;
  /** Channels (the same grating in each), integer >= 1; default 3. */
  channels?: number;
  /** Number of orientations θ_o = o · 180° / count, o = 0 … count − 1; default 18 (10° apart). */
  orientations?: number;
  /** Spatial frequencies in cycles per image (finite, > 0); default [1, 2, 3, 4, 6, 8]. */
  frequencies?: readonly number[];
  /** Number of phases φ_p = p · 360° / count; default 4 (90° apart). */
  phases?: number;
  /**
   * Centre (x₀, y₀) in pixel coordinates (x = column, y = row, 0-based); default
   * (⌊width / 2⌋, ⌊height / 2⌋), the pixel {@link centreResponses} reads by default.
   */
  centre?: readonly [number, number];
  /** Apply per-image standardisation (x − mean) / max(std, 1/√N); default true (as in training). */
  standardize?: boolean;
}

/**
 * Where each image of a grating set sits in the orientation × frequency × phase grid. This is all
 * {@link gratingTuning} needs: keep it and drop the pixels once the responses are computed.
 */
export interface GratingLayout {
  /** The distinct orientations θ in radians, increasing, in [0, π). */
  readonly orientations: Float64Array;
  /** The distinct spatial frequencies in cycles per image. */
  readonly frequencies: Float64Array;
  /** The distinct phases φ in radians, in [0, 2π). */
  readonly phases: Float64Array;
  /** Per image: index into `orientations`. */
  readonly orientationIndex: Int32Array;
  /** Per image: index into `frequencies`. */
  readonly frequencyIndex: Int32Array;
  /** Per image: index into `phases`. */
  readonly phaseIndex: Int32Array;
}

/** The grating images and their metadata, as {@link gratingSet} returns them. */
export interface GratingSet extends GratingLayout {
  /** NHWC float32 pixels, `count * height * width * channels` values. */
  readonly images: Float32Array;
  /** `[count, height, width, channels]`. */
  readonly shape: readonly [number, number, number, number];
  /** Number of images = orientations × frequencies × phases (432 by default). */
  readonly count: number;
  /** Per image: θ in radians. */
  readonly theta: Float64Array;
  /** Per image: k = 2π · cycles / L in radians per pixel (L = min(height, width)). */
  readonly k: Float64Array;
  /** Per image: cycles per image. */
  readonly cycles: Float64Array;
  /** Per image: φ in radians. */
  readonly phi: Float64Array;
  /** The centre (x₀, y₀) used. */
  readonly centre: readonly [number, number];
}

/**
 * The static oriented gratings of Sun et al. (paper 002, App. C, eq. 2, Fig. 8a):
 *
 *   G(x, y) = cos{k[−(x − x₀) sin θ + (y − y₀) cos θ] + φ},
 *
 * x the column and y the row of a pixel, k = 2π f / L for f cycles per image (L = min(height,
 * width)), the same value in every channel. By default 432 images of 32 × 32 × 3: 18 orientations
 * (0°, 10°, …, 170°) × 6 frequencies (1, 2, 3, 4, 6, 8 cycles per image) × 4 phases (0°, 90°,
 * 180°, 270°), then per-image standardisation (x − mean) / max(std, 1/√N), N = height · width ·
 * channels, as the networks saw their training images. Image n = (o · F + f) · P + p for
 * orientation o, frequency f, phase p (F frequencies, P phases).
 *
 * @param options - sizes, grid and centre; see {@link GratingSetOptions}
 * @returns the NHWC float32 images with θ, k, φ (and grid indices) per image
 * @throws RangeError naming the value: a size, count or channel number that is not an integer >= 1,
 *   a non-positive or non-finite frequency, an empty frequency list, a non-finite centre
 * @example
 * const g = gratingSet();                 // 432 × 32 × 32 × 3
 * const x = tf.tensor4d(g.images, g.shape as [number, number, number, number]);
 */
export function gratingSet(options: GratingSetOptions = {}): GratingSet {
  const context = "gratingSet";
  if (options == null || typeof options !== "object") {
    throw new TypeError(`${context}: options must be an object; got ${formatValue(options)}`);
  }
  const height = requireInteger(context, "height", options.height ?? 32, 1);
  const width = requireInteger(context, "width", options.width ?? 32, 1);
  const channels = requireInteger(context, "channels", options.channels ?? 3, 1);
  const nOrientations = requireInteger(context, "orientations", options.orientations ?? 18, 1);
  const nPhases = requireInteger(context, "phases", options.phases ?? 4, 1);
  const freqInput = options.frequencies ?? [1, 2, 3, 4, 6, 8];
  if (!Array.isArray(freqInput) || freqInput.length === 0) {
    throw new RangeError(`${context}: frequencies must be a non-empty array of cycles per image; got ${formatValue(freqInput)}`);
  }
  const frequencies = new Float64Array(freqInput.length);
  freqInput.forEach((f: unknown, i: number) => {
    if (typeof f !== "number" || !Number.isFinite(f) || f <= 0) {
      throw new RangeError(`${context}: frequencies[${i}] must be a finite number of cycles per image > 0; got ${formatValue(f)}`);
    }
    frequencies[i] = f;
  });
  let centre: [number, number] = [Math.floor(width / 2), Math.floor(height / 2)];
  if (options.centre !== undefined) {
    const c = options.centre;
    if (!Array.isArray(c) || c.length !== 2) {
      throw new RangeError(`${context}: centre must be [x0, y0]; got ${formatValue(c)}`);
    }
    centre = [requireFinite(context, "centre[0] (x0)", c[0]), requireFinite(context, "centre[1] (y0)", c[1])];
  }
  const orientations = Float64Array.from({ length: nOrientations }, (_, o) => (o * Math.PI) / nOrientations);
  const phases = Float64Array.from({ length: nPhases }, (_, p) => (2 * p * Math.PI) / nPhases);
  const nFreq = frequencies.length;
  const count = nOrientations * nFreq * nPhases;
  const side = Math.min(height, width);
  const pixels = height * width;
  const features = pixels * channels;
  const images = new Float32Array(count * features);
  const theta = new Float64Array(count);
  const k = new Float64Array(count);
  const cycles = new Float64Array(count);
  const phi = new Float64Array(count);
  const orientationIndex = new Int32Array(count);
  const frequencyIndex = new Int32Array(count);
  const phaseIndex = new Int32Array(count);
  const [x0, y0] = centre;
  let n = 0;
  for (let o = 0; o < nOrientations; o++) {
    const th = orientations[o] as number;
    const s = Math.sin(th);
    const c = Math.cos(th);
    for (let f = 0; f < nFreq; f++) {
      const kk = (2 * Math.PI * (frequencies[f] as number)) / side;
      for (let p = 0; p < nPhases; p++) {
        const ph = phases[p] as number;
        theta[n] = th;
        k[n] = kk;
        cycles[n] = frequencies[f] as number;
        phi[n] = ph;
        orientationIndex[n] = o;
        frequencyIndex[n] = f;
        phaseIndex[n] = p;
        const base = n * features;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const g = Math.cos(kk * (-(x - x0) * s + (y - y0) * c) + ph);
            const at = base + (y * width + x) * channels;
            for (let ch = 0; ch < channels; ch++) images[at + ch] = g;
          }
        }
        n++;
      }
    }
  }
  if (options.standardize ?? true) perImageStandardization(images, features, images);
  return {
    images,
    shape: [count, height, width, channels],
    count,
    orientations,
    frequencies,
    phases,
    orientationIndex,
    frequencyIndex,
    phaseIndex,
    theta,
    k,
    cycles,
    phi,
    centre,
  };
}
