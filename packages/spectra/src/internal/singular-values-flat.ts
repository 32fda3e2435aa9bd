/**
 * Values-only singular values on flat row-major Float64Arrays (no U or V): one-sided Householder
 * bidiagonalisation (a wide matrix is transposed first), then the Golub-Kahan implicit-shift QR
 * on the bidiagonal (LINPACK dsvdc / JAMA structure, the same iteration ml-matrix uses, values
 * only). Not exported from the package; see ../singular-values.ts.
 */
import { powerOfTwoScale } from "./eigenvalues-flat.js";

const EPS = 2 ** -52;

/**
 * Singular values (unsorted, non-negative) of the rows x cols row-major matrix `data` (not modified).
 * @throws Error when the bidiagonal QR does not converge within `maxIterations` sweeps in total
 */
export function singularValuesFlat(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  context = "singularValues",
  maxIterations = Math.max(75 * Math.min(rows, cols), 100),
): Float64Array {
  // Work on a tall m x n copy (m >= n).
  const wide = cols > rows;
  const m = wide ? cols : rows;
  const n = wide ? rows : cols;
  const a = new Float64Array(m * n);
  if (wide) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[j * n + i] = data[i * cols + j]!;
  } else {
    for (let k = 0; k < m * n; k++) a[k] = data[k]!;
  }
  const factor = powerOfTwoScale(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  bidiagonalise(a, m, n, d, e);
  bidiagonalQr(d, e, n, context, maxIterations);
  if (factor !== 1) for (let k = 0; k < n; k++) d[k]! /= factor;
  return d;
}

/**
 * Householder bidiagonalisation of the m x n (m >= n) row-major `a` (overwritten): Q_Lᵀ A Q_R
 * upper bidiagonal with diagonal d and superdiagonal e (e[k] = B[k, k + 1]). Signs are not kept
 * consistent (singular values do not depend on them).
 *
 * One pass over the trailing rows per step k: for each row, apply the left reflector of column k
 * (rank 1, with uᵀA from the previous pass), take the dot with the right reflector of row k,
 * apply it, and accumulate xᵀA for the next column x (so the next left reflector's uᵀA =
 * xᵀA − α A[k+1, :] needs no extra pass).
 */
function bidiagonalise(a: Float64Array, m: number, n: number, d: Float64Array, e: Float64Array): void {
  let acc = new Float64Array(n); // acc[j] = Σ_{i>=k} a[i, k] a[i, j], j >= k
  let accNext = new Float64Array(n);
  const f = new Float64Array(n);
  const w = new Float64Array(n);
  // Initial acc for column 0.
  for (let i = 0; i < m; i++) {
    const row = i * n;
    const x = a[row]!;
    if (x === 0) continue;
    for (let j = 0; j < n; j++) acc[j]! += x * a[row + j]!;
  }
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    // Left reflector P = I − τ v vᵀ with v = x − α e₁, x = a[k:, k]: P x = α e₁.
    const sigma2 = acc[k]!;
    let tau = 0;
    if (sigma2 > 0) {
      const x0 = a[rowK + k]!;
      const alpha = x0 > 0 ? -Math.sqrt(sigma2) : Math.sqrt(sigma2);
      tau = 1 / (sigma2 - x0 * alpha); // 2 / vᵀv
      d[k] = alpha;
      // f = vᵀ a[k:, k+1:] = xᵀa − α a[k, :]
      for (let j = k + 1; j < n; j++) f[j] = acc[j]! - alpha * a[rowK + j]!;
      const tv0 = tau * (x0 - alpha);
      for (let j = k + 1; j < n; j++) a[rowK + j]! -= tv0 * f[j]!;
    } else {
      d[k] = 0;
    }
    if (k === n - 1) break;
    // Right reflector from y = a[k, k+1:] (when at least two entries): G = I − τw w wᵀ, yᵀG = β e₁ᵀ.
    let tauW = 0;
    if (k < n - 2) {
      let y2 = 0;
      for (let j = k + 1; j < n; j++) y2 += a[rowK + j]! * a[rowK + j]!;
      if (y2 > 0) {
        const y0 = a[rowK + k + 1]!;
        const beta = y0 > 0 ? -Math.sqrt(y2) : Math.sqrt(y2);
        tauW = 1 / (y2 - y0 * beta);
        e[k] = beta;
        for (let j = k + 2; j < n; j++) w[j] = a[rowK + j]!;
        w[k + 1] = y0 - beta;
      } else {
        e[k] = 0;
      }
    } else {
      e[k] = a[rowK + k + 1]!;
    }
    // Fused pass over rows k+1..m-1.
    accNext.fill(0, k + 1, n);
    const j0 = k + 1;
    for (let i = k + 1; i < m; i++) {
      const row = i * n;
      const tvi = tau * a[row + k]!; // τ v_i (v_i = x_i for i > k)
      if (tauW !== 0) {
        let s = 0;
        if (tvi !== 0) {
          for (let j = j0; j < n; j++) {
            const x = a[row + j]! - tvi * f[j]!;
            a[row + j] = x;
            s += x * w[j]!;
          }
        } else {
          for (let j = j0; j < n; j++) s += a[row + j]! * w[j]!;
        }
        s *= tauW;
        const xi = a[row + j0]! - s * w[j0]!;
        for (let j = j0; j < n; j++) {
          const x = a[row + j]! - s * w[j]!;
          a[row + j] = x;
          accNext[j]! += xi * x;
        }
      } else {
        const xi = a[row + j0]! - tvi * f[j0]!;
        for (let j = j0; j < n; j++) {
          const x = a[row + j]! - tvi * f[j]!;
          a[row + j] = x;
          accNext[j]! += xi * x;
        }
      }
    }
    [acc, accNext] = [accNext, acc];
  }
}

/** √(f² + g²) without the cost of Math.hypot in the common case; exact fallback near under/overflow. */
function pythag(f: number, g: number): number {
  const t = Math.sqrt(f * f + g * g);
  return t > 1e-150 && t < 1e150 ? t : Math.hypot(f, g);
}

/**
 * Singular values of the upper bidiagonal (s, e) (e[k] = B[k, k + 1], e[n − 1] unused) in place
 * in s: Golub-Kahan implicit-shift QR with deflation and splitting at negligible entries, values only.
 */
function bidiagonalQr(s: Float64Array, e: Float64Array, n: number, context: string, maxIterations: number): void {
  e[n - 1] = 0;
  let p = n;
  let total = 0;
  while (p > 0) {
    let k: number;
    let kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      const alpha = Number.MIN_VALUE + EPS * (Math.abs(s[k]!) + Math.abs(s[k + 1]!));
      if (Math.abs(e[k]!) <= alpha) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) {
        kase = 3;
      } else if (ks === p - 1) {
        kase = 1;
      } else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // Deflate negligible s[p − 1].
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = pythag(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
      }
    } else if (kase === 2) {
      // Split at negligible s[k − 1].
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = pythag(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
      }
    } else if (kase === 3) {
      if (++total > maxIterations) {
        throw new Error(
          `${context}: the bidiagonal QR iteration did not converge after ${total - 1} iterations ` +
            `(${n - p} of ${n} singular values found)`,
        );
      }
      // One implicit-shift QR step on s[k..p−1].
      const scale = Math.max(Math.abs(s[p - 1]!), Math.abs(s[p - 2]!), Math.abs(e[p - 2]!), Math.abs(s[k]!), Math.abs(e[k]!));
      const sp = s[p - 1]! / scale;
      const spm1 = s[p - 2]! / scale;
      const epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale;
      const ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = b < 0 ? -Math.sqrt(b * b + c) : Math.sqrt(b * b + c);
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = pythag(f, g);
        if (t === 0) t = Number.MIN_VALUE;
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        t = pythag(f, g);
        if (t === 0) t = Number.MIN_VALUE;
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
      }
      e[p - 2] = f;
    } else {
      // Convergence.
      if (s[k]! <= 0) s[k] = s[k] === 0 ? 0 : -s[k]!;
      p--;
    }
  }
}
