/** γ of `data[offset + i * stride]`, i = 0 … m − 1, on validated data (shared with the analyses). */
export function skewnessOf(data: ArrayLike<number>, offset: number, stride: number, m: number): number {
  let sum = 0;
  let maxAbs = 0;
  for (let i = 0; i < m; i++) {
    const x = data[offset + i * stride] as number;
    sum += x;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  const mean = sum / m;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < m; i++) {
    const d = (data[offset + i * stride] as number) - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
  }
  m2 /= m;
  m3 /= m;
  if (!(Math.sqrt(m2) > 64 * Number.EPSILON * maxAbs)) return 0;
  return m3 / Math.pow(m2, 1.5);
}
