import { formatShape, formatValue } from "@dale-nn/core/validation";
import { isTensorLikeInput, type TensorLikeInput } from "./internal/read-array.js";

/**
 * Responses of a network's channels to a set of stimuli, row-major [stimuli, channels]: entry
 * (k, j) = `data[k * cols + j]` is channel j's response to stimulus k.
 */
export interface ResponseMatrix {
  /** `rows * cols` finite values, stimulus after stimulus. */
  readonly data: Float64Array;
  /** Number of stimuli (images). */
  readonly rows: number;
  /** Number of channels. */
  readonly cols: number;
}

/**
 * What the analyses accept as responses: `{ data, rows, cols }` (row-major, any numeric array),
 * nested rows (`number[][]`, one row per stimulus), or a 2-D tensor-like `[stimuli, channels]`
 * (anything with `shape` and `dataSync()`, e.g. a `tf.Tensor2D`; no tfjs import here).
 */
export type ResponsesInput =
  | { readonly data: ArrayLike<number>; readonly rows: number; readonly cols: number }
  | ReadonlyArray<ArrayLike<number>>
  | TensorLikeInput;

/**
 * Reads responses into a validated float64 copy [stimuli, channels].
 *
 * @param input - `{ data, rows, cols }`, `number[][]` or a 2-D tensor-like
 * @param context - the caller named in errors (default "toResponseMatrix")
 * @returns a new {@link ResponseMatrix}; the input is neither modified nor retained
 * @throws RangeError on an empty matrix, a wrong data length, ragged rows, a tensor that is not 2-D
 *   or a non-finite entry (named with its stimulus and channel); TypeError on another kind of input
 * @example
 * toResponseMatrix([[0, 1], [2, 3]]); // { data: Float64Array [0, 1, 2, 3], rows: 2, cols: 2 }
 */
export function toResponseMatrix(input: ResponsesInput, context = "toResponseMatrix"): ResponseMatrix {
  if (Array.isArray(input)) {
    const nested = input as ReadonlyArray<unknown>;
    const rows = nested.length;
    const first = nested[0] as ArrayLike<number> | undefined;
    if (rows === 0 || first == null || typeof first.length !== "number") {
      throw new RangeError(`${context}: responses as number[][] need at least one row of channels; got ${formatValue(input)}`);
    }
    const cols = first.length;
    if (cols === 0) throw new RangeError(`${context}: responses must have at least one channel; row 0 is empty`);
    const data = new Float64Array(rows * cols);
    for (let k = 0; k < rows; k++) {
      const row = nested[k] as ArrayLike<unknown> | undefined;
      if (row == null || typeof row.length !== "number" || row.length !== cols) {
        throw new RangeError(`${context}: responses row ${k} has ${row == null ? formatValue(row) : `length ${formatValue(row.length)}`}; expected ${cols} channels like row 0`);
      }
      for (let j = 0; j < cols; j++) data[k * cols + j] = entry(context, row[j], k, j);
    }
    return { data, rows, cols };
  }
  let source: ArrayLike<unknown>;
  let rows: unknown;
  let cols: unknown;
  if (isTensorLikeInput(input)) {
    if (input.shape.length !== 2) throw new RangeError(`${context}: a responses tensor must be 2-D [stimuli, channels]; got shape ${formatShape(input.shape)}`);
    [rows, cols] = input.shape;
    source = input.dataSync();
  } else if (input != null && typeof input === "object" && "data" in input && "rows" in input && "cols" in input) {
    ({ rows, cols } = input);
    source = input.data;
  } else {
    throw new TypeError(`${context}: responses must be { data, rows, cols }, number[][] or a 2-D tensor [stimuli, channels]; got ${formatValue(input)}`);
  }
  if (typeof rows !== "number" || !Number.isInteger(rows) || rows < 1 || typeof cols !== "number" || !Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`${context}: responses need rows (stimuli) and cols (channels) that are integers >= 1; got rows ${formatValue(rows)}, cols ${formatValue(cols)}`);
  }
  if (source == null || typeof source.length !== "number" || source.length !== rows * cols) {
    throw new RangeError(`${context}: responses data length must be rows * cols = ${rows} * ${cols} = ${rows * cols}; got ${formatValue(source?.length)}`);
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = entry(context, source[i], Math.floor(i / cols), i % cols);
  return { data, rows, cols };
}

function entry(context: string, x: unknown, stimulus: number, channel: number): number {
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new RangeError(`${context}: response of channel ${channel} to stimulus ${stimulus} is ${formatValue(x)}; expected a finite number`);
  }
  return x;
}
