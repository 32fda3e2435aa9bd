import { resolve } from "node:path";
import type { NpyArray } from "../npy.js";
import { sequenceSplitFromArrays, type SequenceSplit } from "../sequence-split-from-arrays.js";
import { loadNpy } from "./load-npy.js";

/** The `.npy` files of one sequence split, relative to the folder given to {@link loadSequenceDataset} (or absolute). */
export interface SequenceDatasetFiles {
  /** Inputs, shape [count, steps, features] (or [count, features]: one step); any supported dtype, converted to float32 unscaled. */
  readonly inputs: string;
  /** Class labels, shape [count], integers in [0, numClasses) (uint8, int32 or int64; float arrays must hold integers). */
  readonly labels?: string;
  /** Real-valued targets, shape [count, ...]: targetSize is the product of the trailing dimensions (1 for [count]). */
  readonly targets?: string;
}

/** Options for {@link loadSequenceDataset}. */
export interface LoadSequenceDatasetOptions {
  /** Classes (default max label + 1); set it when a split may lack the highest class. */
  readonly numClasses?: number;
}

/**
 * Loads one split of user-supplied sequence data saved from Python with `np.save`: inputs of shape
 * [count, steps, features] plus class labels [count] and/or targets [count, ...], each in its own
 * `.npy` file. The result is a {@link SequenceSplit}: `features = steps * features`, so
 * `iterateBatches` works and a task reshapes a batch to [batch, steps, features].
 *
 * Writing the files in Python:
 * ```py
 * np.save("x_train.npy", x.astype("<f4"))     # (count, steps, features)
 * np.save("y_train.npy", y.astype("<i8"))     # (count,)
 * ```
 * A rank-2 inputs array [count, features] is read as one step per example (an image split, e.g. for
 * `firstStepSequence`). Values are converted to float32 but never scaled (a uint8 image stays 0..255).
 *
 * @param files - `{ inputs, labels?, targets? }` file names (at least one of labels and targets)
 * @param dir - the folder the names are relative to (default: the current directory)
 * @param options - `numClasses`
 * @returns the split
 * @throws Error naming the file: missing, not a supported NPY array, inputs not of rank 2 or 3,
 *   labels not of rank 1, or a count that differs from the inputs' (naming both files); and the
 *   validation errors of `sequenceSplitFromArrays` (label range, non-finite values) with file names
 * @example
 * const train = loadSequenceDataset({ inputs: "x_train.npy", labels: "y_train.npy" }, "/data/objects");
 * train.steps; train.stepFeatures; // from the shape of x_train.npy
 */
export function loadSequenceDataset(files: SequenceDatasetFiles, dir = ".", options: LoadSequenceDatasetOptions = {}): SequenceSplit {
  if (files == null || typeof files.inputs !== "string" || files.inputs === "") {
    throw new Error(`loadSequenceDataset: files.inputs must name a .npy file of shape [count, steps, features]; got ${files == null ? String(files) : String(files.inputs)}`);
  }
  if (files.labels === undefined && files.targets === undefined) {
    throw new Error(`loadSequenceDataset: give files.labels ([count] class labels) and/or files.targets ([count, ...] values) with ${files.inputs}`);
  }
  const inputsPath = resolve(dir, files.inputs);
  const x = loadNpy(inputsPath);
  if (x.shape.length !== 2 && x.shape.length !== 3) {
    throw new Error(`${inputsPath}: inputs of shape [${x.shape.join(", ")}]; expected [count, steps, features] (or [count, features] for one step)`);
  }
  const [count, steps, features] = x.shape.length === 3 ? (x.shape as [number, number, number]) : [x.shape[0] as number, 1, x.shape[1] as number];
  if (steps === 0 || features === 0) throw new Error(`${inputsPath}: inputs of shape [${x.shape.join(", ")}] have no values per example; expected steps and features >= 1`);

  let labelsPath: string | undefined;
  let y: NpyArray | undefined;
  if (files.labels !== undefined) {
    labelsPath = resolve(dir, files.labels);
    y = loadNpy(labelsPath);
    if (y.shape.length !== 1) throw new Error(`${labelsPath}: labels of shape [${y.shape.join(", ")}]; expected [count] (in Python: y.reshape(-1))`);
    if (y.shape[0] !== count) throw new Error(`${inputsPath} has ${count} examples (shape [${x.shape.join(", ")}]) but ${labelsPath} has ${y.shape[0]} labels; expected equal counts`);
  }
  let targetsPath: string | undefined;
  let t: NpyArray | undefined;
  if (files.targets !== undefined) {
    targetsPath = resolve(dir, files.targets);
    t = loadNpy(targetsPath);
    if (t.shape.length < 1 || t.shape[0] !== count) {
      throw new Error(`${inputsPath} has ${count} examples (shape [${x.shape.join(", ")}]) but ${targetsPath} has shape [${t.shape.join(", ")}]; expected [${count}, ...]`);
    }
  }
  const targetSize = t ? t.shape.slice(1).reduce((a, b) => a * b, 1) : undefined;
  return sequenceSplitFromArrays(
    {
      inputs: toFloat32(x.data),
      steps,
      features,
      ...(y ? { labels: y.data } : {}),
      ...(t ? { targets: toFloat32(t.data), targetSize: targetSize as number } : {}),
      ...(options.numClasses !== undefined ? { numClasses: options.numClasses } : {}),
    },
    { context: "loadSequenceDataset", inputs: inputsPath, ...(labelsPath ? { labels: labelsPath } : {}), ...(targetsPath ? { targets: targetsPath } : {}) },
  );
}

function toFloat32(data: NpyArray["data"]): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}
