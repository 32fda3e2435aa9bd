/**
 * The standard normal distribution in float64, for the psychometric fit (never re-exported).
 *
 * Φ(z) = ½ erfc(−z / √2), with erfc from two expansions that are accurate to a few ulps where each
 * is used (checked against CPython's `math.erfc` in normal-cdf.test.ts):
 * - |x| < 1.5: erf(x) = (2/√π) e^{−x²} Σ_{n≥0} 2ⁿ x^{2n+1} / (1·3·…·(2n+1)) (all terms positive, no
 *   cancellation; Abramowitz & Stegun 7.1.6), erfc = 1 − erf;
 * - |x| ≥ 1.5: the continued fraction erfc(x) = (e^{−x²}/√π) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
 *   (A&S 7.1.14), evaluated by the modified Lentz method, accurate in the far tail (Φ(−37) ≈ 6e−300).
 */

const SQRT_PI = Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const TINY = 1e-300;

function erfSeries(x: number): number {
  // erf(x) for |x| < 1.5.
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return ((2 / SQRT_PI) * Math.exp(-x2)) * sum;
}

function erfcContinuedFraction(x: number): number {
  // erfc(x) for x >= 1.5: e^{-x²}/√π · 1 / (x + K_{k>=1} (k/2) / x), modified Lentz.
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = x + a / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) <= 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** erfc(x) = 1 − erf(x), for every real x (0 below about −26 would be 2; +Infinity → 0). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Infinity) return 0;
  return x < 1.5 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

/** Φ(z), the standard normal cumulative distribution function. Φ(−z) is computed as its own tail, so 1 − Φ(z) never cancels. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** φ(z) = e^{−z²/2} / √(2π), the standard normal density. */
export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}
