import type { ChannelPartition } from "../silent-channels.js";

/** Responsive / silent split of validated [rows, cols] responses: silent when max ≤ threshold. */
export function partitionChannels(data: Float64Array, rows: number, cols: number, threshold: number): ChannelPartition {
  const responsive: number[] = [];
  const silent: number[] = [];
  for (let j = 0; j < cols; j++) {
    let max = -Infinity;
    for (let k = 0; k < rows; k++) max = Math.max(max, data[k * cols + j] as number);
    (max > threshold ? responsive : silent).push(j);
  }
  return { responsive: Int32Array.from(responsive), silent: Int32Array.from(silent) };
}
