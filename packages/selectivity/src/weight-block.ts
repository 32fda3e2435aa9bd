import { formatValue } from "@dale-nn/core/validation";
import type { ChannelRange } from "./channel-groups.js";
import type { ConnectionMatrix } from "./spatial-mean-kernel.js";

/**
 * The block of a connection matrix from one channel group to another (paper 002, Fig. 3b-d:
 * PN→PN, OG→PN, IG→PN; Fig. 15: E→E, I→E):
 *
 *   B[a, b] = W[from.start + a, to.start + b],  a < from.size, b < to.size.
 *
 * @param matrix - `[C_in, C_out]`, e.g. {@link spatialMeanKernel}'s result
 * @param from - input (presynaptic) channel range, rows of `matrix`
 * @param to - output (postsynaptic) channel range, columns of `matrix`
 * @returns a new `[from.size, to.size]` matrix
 * @throws RangeError when a range is not inside the matrix (naming it and the size) or is empty
 * @example
 * const g = channelGroups({ PN: 64, IG: 16, OG: 16 });
 * const igToPn = weightBlock(w, g.IG, g.PN);
 */
export function weightBlock(matrix: ConnectionMatrix, from: ChannelRange, to: ChannelRange): ConnectionMatrix {
  const context = "weightBlock";
  if (matrix == null || !(matrix.data != null && Number.isInteger(matrix.rows) && Number.isInteger(matrix.cols) && matrix.data.length === matrix.rows * matrix.cols)) {
    throw new TypeError(`${context}: matrix must be { data, rows, cols } with rows * cols values; got ${formatValue(matrix)}`);
  }
  checkRange(context, "from", from, matrix.rows, "rows (input channels)");
  checkRange(context, "to", to, matrix.cols, "cols (output channels)");
  const rows = from.end - from.start;
  const cols = to.end - to.start;
  const data = new Float64Array(rows * cols);
  for (let a = 0; a < rows; a++) {
    const src = (from.start + a) * matrix.cols + to.start;
    for (let b = 0; b < cols; b++) data[a * cols + b] = matrix.data[src + b] as number;
  }
  return { data, rows, cols };
}

function checkRange(context: string, name: string, r: ChannelRange, limit: number, what: string): void {
  if (r == null || !Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 0 || r.end > limit || r.end <= r.start) {
    throw new RangeError(`${context}: ${name} must be a non-empty channel range inside the matrix's ${limit} ${what}; got ${formatValue(r)}`);
  }
}
