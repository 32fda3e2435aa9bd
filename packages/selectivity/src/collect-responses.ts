import { requireInteger } from "@dale-nn/core/validation";
import { toResponseMatrix, type ResponseMatrix, type ResponsesInput } from "./response-matrix.js";

/**
 * Computes responses batch by batch and joins them into one [count, channels] matrix, so any model
 * can be analysed on many images (paper 002: the 10,000 CIFAR-10 test images for image skewness)
 * without holding all feature maps at once.
 *
 *   R = [respond(0, b); respond(b, 2b); …; respond(⌊(count − 1)/b⌋ b, count)].
 *
 * @param count - number of stimuli, integer >= 1
 * @param batchSize - stimuli per call, integer >= 1 (the last batch may be smaller)
 * @param respond - `(start, end)` → the responses of stimuli start … end − 1, `[end − start, C]`
 *   in any {@link ResponsesInput} form (sync or a promise; e.g. {@link centreResponses} of the maps)
 * @returns the joined float64 responses
 * @throws RangeError when a batch has the wrong number of rows or a channel count other than the
 *   first batch's (naming the batch), or on a bad count / batch size
 * @example
 * const r = await collectResponses(10000, 500, async (s, e) =>
 *   centreResponses(await model.mapsOf(testImages.slice(s, e))));
 */
export async function collectResponses(
  count: number,
  batchSize: number,
  respond: (start: number, end: number) => ResponsesInput | Promise<ResponsesInput>,
): Promise<ResponseMatrix> {
  const context = "collectResponses";
  requireInteger(context, "count", count, 1);
  requireInteger(context, "batchSize", batchSize, 1);
  if (typeof respond !== "function") throw new TypeError(`${context}: respond must be a function (start, end) => responses`);
  let out: Float64Array | undefined;
  let cols = 0;
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const part = toResponseMatrix(await respond(start, end), `${context} (batch ${start}..${end - 1})`);
    if (part.rows !== end - start) {
      throw new RangeError(`${context}: respond(${start}, ${end}) returned ${part.rows} rows; expected ${end - start} (one per stimulus)`);
    }
    if (out === undefined) {
      cols = part.cols;
      out = new Float64Array(count * cols);
    } else if (part.cols !== cols) {
      throw new RangeError(`${context}: respond(${start}, ${end}) returned ${part.cols} channels; expected ${cols} like the first batch`);
    }
    out.set(part.data, start * cols);
  }
  return { data: out!, rows: count, cols };
}
