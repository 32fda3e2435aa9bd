import type { ImageSplit } from "./image-dataset.js";
import { requireInteger } from "@dale-nn/core/validation";
import type { SequenceSplit } from "./sequence-split-from-arrays.js";

/**
 * Turns an image split into a "present once, then remember" sequence split: each example is the
 * flattened image at step 0 followed by `steps - 1` all-zero steps; the label (read out at the last
 * step by the task) is the image's label. This is the naturalistic object recognition task of
 * Li et al. (2023), App. 6.2.4: "the network is presented with a flattened image ... Over the
 * subsequent five timesteps, with no additional inputs, the network must maintain the image's
 * information to ultimately classify it during the final step" (512 / 64 / 64 train / validation /
 * test images of 64 objects in 8 categories, down-sampled by 3 with bicubic interpolation, batch 16).
 *
 * The appendix gives "the number of time steps is 5" (`steps: 5`: the image plus 4 empty steps, the
 * default reading in dale-nn); the main text's "retain information ... over 5 time steps" would be
 * `steps: 6`. Down-sampling and grey-scaling are done before this call (e.g. in Python, saved with
 * `np.save` and read with `loadSequenceDataset`).
 *
 * @param images - the image split ([count, features]; any example-major split works)
 * @param steps - sequence length including the image step, an integer >= 1
 * @returns a new split with `features = steps * images.features`, `stepFeatures = images.features`;
 *   labels (and targets, if any) are copied
 * @throws RangeError naming `steps` when it is not an integer >= 1
 * @throws TypeError when `images` is not a split with a Float32Array `images` of count x features values
 * @example
 * const seq = firstStepSequence(objects.train, 5); // [512, 5 x 1024]: image, then 4 zero steps
 */
export function firstStepSequence(images: ImageSplit, steps: number): SequenceSplit {
  requireInteger("firstStepSequence", "steps", steps, 1);
  if (
    images == null ||
    !(images.images instanceof Float32Array) ||
    !Number.isInteger(images.count) ||
    !Number.isInteger(images.features) ||
    images.images.length !== images.count * images.features
  ) {
    const got = images == null ? String(images) : `count ${images.count}, features ${images.features}, ${images.images?.length} values`;
    throw new TypeError(`firstStepSequence: expected an ImageSplit with a Float32Array of count x features values; got ${got}`);
  }
  const { count, features } = images;
  const rowSize = steps * features;
  const out = new Float32Array(count * rowSize);
  for (let r = 0; r < count; r++) out.set(images.images.subarray(r * features, (r + 1) * features), r * rowSize);
  return {
    images: out,
    labels: images.labels.slice(),
    count,
    features: rowSize,
    numClasses: images.numClasses,
    steps,
    stepFeatures: features,
    ...(images.targets ? { targets: images.targets.slice(), targetSize: images.targetSize ?? images.targets.length / Math.max(count, 1) } : {}),
  };
}
