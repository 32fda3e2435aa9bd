import type { ImageSplit } from "./image-dataset.js";
import { formatValue, requireInteger } from "@dale-nn/core/validation";

/**
 * An {@link ImageSplit} whose examples are sequences: row r of `images` holds example r's
 * `steps` x `stepFeatures` values, step-major (all features of step 0, then step 1, ...), so
 * `features = steps * stepFeatures`, `iterateBatches` works unchanged, and a task reshapes a batch
 * `x` to [batch, steps, stepFeatures].
 */
export interface SequenceSplit extends ImageSplit {
  /** Time steps per example (T). */
  readonly steps: number;
  /** Input values per time step (d). */
  readonly stepFeatures: number;
}

/** Arguments of {@link sequenceSplitFromArrays}. */
export interface SequenceArrays {
  /** Inputs, [count, steps, features] row-major (not copied). */
  readonly inputs: Float32Array;
  /** Time steps per example, an integer >= 1. */
  readonly steps: number;
  /** Input values per time step, an integer >= 1. */
  readonly features: number;
  /** Class labels, [count], integers in [0, numClasses) with numClasses <= 256 (stored as a Uint8Array). */
  readonly labels?: ArrayLike<number>;
  /** Real-valued targets, [count, targetSize] row-major (not copied), for regression tasks. */
  readonly targets?: Float32Array;
  /** Target values per example (default targets.length / count). */
  readonly targetSize?: number;
  /** Classes, an integer in [1, 256] (default max label + 1); only with `labels`. */
  readonly numClasses?: number;
}

/** Names used in {@link sequenceSplitFromArrays}'s error messages (the loaders pass file paths). */
export interface SequenceArrayNames {
  readonly context?: string;
  readonly inputs?: string;
  readonly labels?: string;
  readonly targets?: string;
}

/**
 * Wraps user-supplied sequence data ([count, steps, features] inputs with class labels and/or
 * real-valued targets) as a {@link SequenceSplit}, validating everything a training run would
 * otherwise trip over later: lengths, label range, and non-finite values.
 *
 * Inputs and targets are used as given (not copied, not scaled); labels are copied into a Uint8Array.
 * A split with targets but no labels is a regression split (labels all 0, numClasses 0), as for the
 * adding problem.
 *
 * @param arrays - `inputs`, `steps`, `features`, and `labels` and/or `targets` (`targetSize`, `numClasses` optional)
 * @param names - names for error messages (default "sequenceSplitFromArrays", "inputs", "labels", "targets")
 * @returns the split, with `features = steps * features` and `steps`, `stepFeatures` recorded
 * @throws TypeError when inputs or targets are not Float32Arrays or labels are not array-like
 * @throws RangeError naming the value and the expectation: steps or features not integers >= 1;
 *   an input length that is not a multiple of steps x features; label or target counts that do not
 *   match the input count; a label that is not an integer in [0, numClasses); numClasses outside
 *   [1, 256]; a non-finite input or target (naming its index); neither labels nor targets
 * @example
 * // 100 sequences of 28 steps x 28 features, 10 classes
 * const split = sequenceSplitFromArrays({ inputs: x, steps: 28, features: 28, labels: y, numClasses: 10 });
 * split.features; // 784
 */
export function sequenceSplitFromArrays(arrays: SequenceArrays, names: SequenceArrayNames = {}): SequenceSplit {
  const ctx = names.context ?? "sequenceSplitFromArrays";
  const inputsName = names.inputs ?? "inputs";
  const labelsName = names.labels ?? "labels";
  const targetsName = names.targets ?? "targets";
  const { inputs, steps, features, labels, targets } = arrays ?? ({} as SequenceArrays);
  if (!(inputs instanceof Float32Array)) {
    throw new TypeError(`${ctx}: ${inputsName} must be a Float32Array [count, steps, features]; got ${describe(inputs)} (convert with Float32Array.from)`);
  }
  requireInteger(ctx, "steps", steps, 1);
  requireInteger(ctx, "features", features, 1);
  const rowSize = steps * features;
  if (inputs.length % rowSize !== 0) {
    throw new RangeError(`${ctx}: ${inputsName} has ${inputs.length} values, not a multiple of steps x features = ${steps} x ${features} = ${rowSize}`);
  }
  const count = inputs.length / rowSize;
  if (labels === undefined && targets === undefined) {
    throw new RangeError(`${ctx}: neither labels nor targets given; expected class labels [count] and/or targets [count, targetSize]`);
  }
  const bad = firstNonFinite(inputs);
  if (bad >= 0) {
    const example = Math.floor(bad / rowSize);
    const step = Math.floor((bad % rowSize) / features);
    throw new RangeError(
      `${ctx}: ${inputsName} value ${inputs[bad]} at index ${bad} (example ${example}, step ${step}, feature ${bad % features}) is not finite; expected finite numbers`,
    );
  }

  let labelBytes = new Uint8Array(count);
  let numClasses = 0;
  if (labels !== undefined) {
    if (labels == null || typeof labels !== "object" || typeof labels.length !== "number") {
      throw new TypeError(`${ctx}: ${labelsName} must be an array of integers [count]; got ${describe(labels)}`);
    }
    if (labels.length !== count) {
      throw new RangeError(`${ctx}: ${inputsName} holds ${count} examples (${inputs.length} values / ${rowSize} per example) but ${labelsName} has ${labels.length} entries; expected equal counts`);
    }
    let max = -1;
    for (let i = 0; i < count; i++) {
      const v = labels[i] as number;
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${ctx}: ${labelsName} value ${formatValue(v)} at index ${i} is not an integer >= 0`);
      if (v > max) max = v;
    }
    if (arrays.numClasses !== undefined) {
      requireInteger(ctx, "numClasses", arrays.numClasses, 1, 256);
      numClasses = arrays.numClasses;
    } else {
      numClasses = max + 1;
    }
    if (numClasses > 256) {
      throw new RangeError(`${ctx}: ${labelsName} has label ${max}, so ${numClasses} classes; expected at most 256 classes (labels are stored as Uint8Array)`);
    }
    for (let i = 0; i < count; i++) {
      const v = labels[i] as number;
      if (v >= numClasses) throw new RangeError(`${ctx}: ${labelsName} value ${v} at index ${i} is outside [0, ${numClasses}) (numClasses ${numClasses})`);
    }
    labelBytes = Uint8Array.from({ length: count }, (_, i) => labels[i] as number);
  } else if (arrays.numClasses !== undefined) {
    throw new RangeError(`${ctx}: numClasses ${formatValue(arrays.numClasses)} given without labels; expected labels [count] with it`);
  }

  const split = { images: inputs, labels: labelBytes, count, features: rowSize, numClasses, steps, stepFeatures: features };
  if (targets === undefined) {
    if (arrays.targetSize !== undefined) throw new RangeError(`${ctx}: targetSize ${formatValue(arrays.targetSize)} given without targets`);
    return split;
  }
  if (!(targets instanceof Float32Array)) {
    throw new TypeError(`${ctx}: ${targetsName} must be a Float32Array [count, targetSize]; got ${describe(targets)}`);
  }
  let targetSize: number;
  if (arrays.targetSize !== undefined) {
    targetSize = requireInteger(ctx, "targetSize", arrays.targetSize, 1);
    if (targets.length !== count * targetSize) {
      throw new RangeError(`${ctx}: ${targetsName} has ${targets.length} values; expected count x targetSize = ${count} x ${targetSize} = ${count * targetSize}`);
    }
  } else if (count === 0) {
    if (targets.length !== 0) throw new RangeError(`${ctx}: ${targetsName} has ${targets.length} values but ${inputsName} holds 0 examples`);
    targetSize = 1;
  } else {
    if (targets.length === 0 || targets.length % count !== 0) {
      throw new RangeError(`${ctx}: ${targetsName} has ${targets.length} values, not a positive multiple of the ${count} examples in ${inputsName}; expected [count, targetSize]`);
    }
    targetSize = targets.length / count;
  }
  const badTarget = firstNonFinite(targets);
  if (badTarget >= 0) {
    throw new RangeError(
      `${ctx}: ${targetsName} value ${targets[badTarget]} at index ${badTarget} (example ${Math.floor(badTarget / targetSize)}) is not finite; expected finite numbers`,
    );
  }
  return { ...split, targets, targetSize };
}

function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v - v !== 0) return i; // NaN and +-Infinity
  }
  return -1;
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (Array.isArray(value)) return "a plain Array";
  return formatValue(value);
}
