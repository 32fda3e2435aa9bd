/** gOSI of `data[offset + k * stride]` against `orientations[k]` on validated data; NaN when Σr = 0. */
export function gosiOf(data: ArrayLike<number>, offset: number, stride: number, orientations: ArrayLike<number>): number {
  let re = 0;
  let im = 0;
  let sum = 0;
  for (let k = 0; k < orientations.length; k++) {
    const x = data[offset + k * stride] as number;
    const a = 2 * (orientations[k] as number);
    re += x * Math.cos(a);
    im += x * Math.sin(a);
    sum += x;
  }
  if (!(sum > 0)) return Number.NaN;
  return Math.min(1, Math.hypot(re, im) / sum);
}
