/**
 * Values-only eigenvalue solvers on flat row-major Float64Arrays (no eigenvectors):
 * - general matrices: balancing (EISPACK balanc, scaling by powers of 2), Householder reduction to
 *   upper Hessenberg form, then the Francis implicit double-shift QR with deflation (EISPACK hqr),
 *   updating only the active window;
 * - exactly symmetric matrices: Householder tridiagonalisation, then implicit-shift QL (tqli), so
 *   the eigenvalues come back exactly real.
 * Not exported from the package; see ../eigenvalues.ts.
 */

/** Eigenvalues λ_k = re[k] + i·im[k], unsorted; conjugate pairs adjacent (+im first). */
export interface FlatEigenvalues {
  re: Float64Array;
  im: Float64Array;
}

export interface EigenOptions {
  /** Name of the public function, for error messages. */
  context?: string;
  /** Total QR iterations allowed (default max(30 n, 100), as EISPACK's 30 n). For tests. */
  maxIterations?: number;
}

const EPS = Number.EPSILON;

/**
 * Eigenvalues of the n x n row-major matrix `a` (not modified). Uses the symmetric path when
 * a = aᵀ exactly.
 * @throws Error when the QR iteration does not converge within the iteration limit
 */
export function eigenvaluesFlat(a: Float64Array, n: number, options: EigenOptions = {}): FlatEigenvalues {
  const context = options.context ?? "eigenvalues";
  const maxIterations = options.maxIterations ?? Math.max(30 * n, 100);
  const h = Float64Array.from(a);
  // Rescale by a power of 2 (exact) when the entries are extreme, so squares cannot overflow/underflow.
  const factor = powerOfTwoScale(h);
  let result: FlatEigenvalues;
  if (isSymmetric(h, n)) {
    result = { re: symmetricEigenvalues(h, n, context, maxIterations), im: new Float64Array(n) };
  } else {
    balance(h, n);
    hessenberg(h, n);
    result = hqr(h, n, context, maxIterations);
  }
  if (factor !== 1) {
    for (let k = 0; k < n; k++) {
      result.re[k]! /= factor;
      result.im[k]! /= factor;
    }
  }
  return result;
}

/**
 * Multiplies `data` in place by a power of 2 bringing max |entry| into [2^-100, 2^100] when it is
 * outside that range; returns the factor (1 when nothing was done).
 */
export function powerOfTwoScale(data: Float64Array): number {
  let max = 0;
  for (let k = 0; k < data.length; k++) {
    const v = Math.abs(data[k]!);
    if (v > max) max = v;
  }
  if (max === 0 || (max >= 2 ** -100 && max <= 2 ** 100)) return 1;
  const factor = 2 ** -Math.round(Math.log2(max));
  for (let k = 0; k < data.length; k++) data[k]! *= factor;
  return factor;
}

function isSymmetric(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) if (a[i * n + j] !== a[j * n + i]) return false;
  }
  return true;
}

/**
 * Balancing (Parlett-Reinsch, EISPACK balanc without the permutation step): D⁻¹ A D with D a
 * diagonal of powers of 2 (exact), making row and column 1-norms comparable; same eigenvalues.
 */
function balance(a: Float64Array, n: number): void {
  const RADIX = 2;
  const SQRDX = RADIX * RADIX;
  let done = false;
  for (let sweep = 0; !done && sweep < 100; sweep++) {
    done = true;
    for (let i = 0; i < n; i++) {
      let c = 0;
      let r = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        c += Math.abs(a[j * n + i]!);
        r += Math.abs(a[row + j]!);
      }
      if (c === 0 || r === 0) continue;
      let g = r / RADIX;
      let f = 1;
      const s = c + r;
      while (c < g) {
        f *= RADIX;
        c *= SQRDX;
      }
      g = r * RADIX;
      while (c > g) {
        f /= RADIX;
        c /= SQRDX;
      }
      if ((c + r) / f < 0.95 * s) {
        done = false;
        const inv = 1 / f;
        for (let j = 0; j < n; j++) a[row + j]! *= inv;
        for (let j = 0; j < n; j++) a[j * n + i]! *= f;
      }
    }
  }
}

/**
 * In-place Householder reduction of the n x n row-major `a` to upper Hessenberg form (the part
 * below the subdiagonal is zeroed). P H P with P = I − u uᵀ/h, applied right-then-left; each step's
 * left rank-1 update is deferred and fused into the next step's single pass over the rows
 * (update row, dot with the next reflector, update again, accumulate the next left product), so
 * the trailing matrix is streamed once per step.
 */
function hessenberg(a: Float64Array, n: number): void {
  let u = new Float64Array(n);
  let uPrev = new Float64Array(n);
  let f = new Float64Array(n);
  let fPrev = new Float64Array(n);
  // Pending left update from the previous step: a[i, j] -= uPrev[i] fPrev[j] for i, j >= pending.
  let pending = -1;
  for (let m = 1; m < n - 1; m++) {
    const c = m - 1;
    if (pending === c) {
      const fc = fPrev[c]!;
      for (let i = c; i < n; i++) a[i * n + c]! -= uPrev[i]! * fc;
    }
    let scale = 0;
    for (let i = m; i < n; i++) scale += Math.abs(a[i * n + c]!);
    if (scale === 0) {
      if (pending === c) {
        for (let i = c; i < n; i++) {
          const ui = uPrev[i]!;
          const row = i * n;
          for (let j = m; j < n; j++) a[row + j]! -= ui * fPrev[j]!;
        }
      }
      pending = -1;
      continue;
    }
    let h = 0;
    for (let i = m; i < n; i++) {
      const v = a[i * n + c]! / scale;
      u[i] = v;
      h += v * v;
    }
    let g = Math.sqrt(h);
    if (u[m]! > 0) g = -g;
    h -= u[m]! * g;
    u[m]! -= g;
    a[m * n + c] = scale * g;
    for (let i = m + 1; i < n; i++) a[i * n + c] = 0;
    const invH = 1 / h;
    f.fill(0, m, n);
    // Rows below m two at a time (halves the loads and stores of u, fPrev and f).
    let i0 = m;
    if (pending === c) {
      for (i0 = m; i0 + 1 < n; i0 += 2) {
        const row = i0 * n;
        const row2 = row + n;
        const ui = uPrev[i0]!;
        const ui2 = uPrev[i0 + 1]!;
        let s = 0;
        let s2 = 0;
        for (let j = m; j < n; j++) {
          const fj = fPrev[j]!;
          const uj = u[j]!;
          const x = a[row + j]! - ui * fj;
          const x2 = a[row2 + j]! - ui2 * fj;
          a[row + j] = x;
          a[row2 + j] = x2;
          s += x * uj;
          s2 += x2 * uj;
        }
        s *= invH;
        s2 *= invH;
        const vi = u[i0]!;
        const vi2 = u[i0 + 1]!;
        for (let j = m; j < n; j++) {
          const uj = u[j]!;
          const x = a[row + j]! - s * uj;
          const x2 = a[row2 + j]! - s2 * uj;
          a[row + j] = x;
          a[row2 + j] = x2;
          f[j]! += vi * x + vi2 * x2;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      if (i === m) i = i0;
      if (i >= n) break;
      const row = i * n;
      let s = 0;
      if (pending === c && i >= c) {
        const ui = uPrev[i]!;
        for (let j = m; j < n; j++) {
          const x = a[row + j]! - ui * fPrev[j]!;
          a[row + j] = x;
          s += x * u[j]!;
        }
      } else {
        for (let j = m; j < n; j++) s += a[row + j]! * u[j]!;
      }
      s *= invH;
      if (i >= m) {
        const ui = u[i]!;
        for (let j = m; j < n; j++) {
          const x = a[row + j]! - s * u[j]!;
          a[row + j] = x;
          f[j]! += ui * x;
        }
      } else {
        for (let j = m; j < n; j++) a[row + j]! -= s * u[j]!;
      }
    }
    for (let j = m; j < n; j++) f[j]! *= invH;
    [u, uPrev] = [uPrev, u];
    [f, fPrev] = [fPrev, f];
    pending = m;
  }
  if (pending >= 0) {
    for (let i = pending; i < n; i++) {
      const ui = uPrev[i]!;
      const row = i * n;
      for (let j = pending; j < n; j++) a[row + j]! -= ui * fPrev[j]!;
    }
  }
}

/**
 * Francis double-shift QR on the upper Hessenberg `a` (EISPACK hqr), values only: each sweep
 * touches only the active window rows/columns l..en. Exceptional shifts every 10 iterations
 * without deflation.
 */
function hqr(a: Float64Array, n: number, context: string, maxIterations: number): FlatEigenvalues {
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(a[i * n + j]!);
  }
  let en = n - 1;
  let exshift = 0;
  let iter = 0;
  let total = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let w = 0;
  let x = 0;
  let y = 0;
  let z = 0;
  while (en >= 0) {
    // Look for a single small subdiagonal element.
    let l = en;
    while (l > 0) {
      s = Math.abs(a[(l - 1) * n + l - 1]!) + Math.abs(a[l * n + l]!);
      if (s === 0) s = norm;
      if (Math.abs(a[l * n + l - 1]!) < EPS * s) {
        a[l * n + l - 1] = 0;
        break;
      }
      l--;
    }
    x = a[en * n + en]!;
    if (l === en) {
      // One root found.
      wr[en] = x + exshift;
      wi[en] = 0;
      en--;
      iter = 0;
      continue;
    }
    y = a[(en - 1) * n + en - 1]!;
    w = a[en * n + en - 1]! * a[(en - 1) * n + en]!;
    if (l === en - 1) {
      // Two roots found.
      p = 0.5 * (y - x);
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      x += exshift;
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        wr[en - 1] = x + z;
        wr[en] = z !== 0 ? x - w / z : x + z;
        wi[en - 1] = 0;
        wi[en] = 0;
      } else {
        wr[en - 1] = x + p;
        wr[en] = x + p;
        wi[en - 1] = z;
        wi[en] = -z;
      }
      en -= 2;
      iter = 0;
      continue;
    }
    if (total >= maxIterations) {
      throw new Error(
        `${context}: the Hessenberg QR iteration did not converge after ${total} iterations ` +
          `(${n - 1 - en} of ${n} eigenvalues found); the matrix may be badly scaled`,
      );
    }
    if (iter > 0 && iter % 10 === 0) {
      // Exceptional shift.
      exshift += x;
      for (let i = 0; i <= en; i++) a[i * n + i]! -= x;
      s = Math.abs(a[en * n + en - 1]!) + Math.abs(a[(en - 1) * n + en - 2]!);
      x = 0.75 * s;
      y = x;
      w = -0.4375 * s * s;
    }
    iter++;
    total++;
    // Look for two consecutive small subdiagonal elements.
    let m = en - 2;
    for (; m >= l; m--) {
      z = a[m * n + m]!;
      r = x - z;
      s = y - z;
      p = (r * s - w) / a[(m + 1) * n + m]! + a[m * n + m + 1]!;
      q = a[(m + 1) * n + m + 1]! - z - r - s;
      r = a[(m + 2) * n + m + 1]!;
      s = Math.abs(p) + Math.abs(q) + Math.abs(r);
      p /= s;
      q /= s;
      r /= s;
      if (m === l) break;
      const u = Math.abs(a[m * n + m - 1]!) * (Math.abs(q) + Math.abs(r));
      const v = Math.abs(p) * (Math.abs(a[(m - 1) * n + m - 1]!) + Math.abs(z) + Math.abs(a[(m + 1) * n + m + 1]!));
      if (u < EPS * v) break;
    }
    for (let i = m + 2; i <= en; i++) {
      a[i * n + i - 2] = 0;
      if (i !== m + 2) a[i * n + i - 3] = 0;
    }
    // Double QR step on rows l..en and columns m..en.
    for (let k = m; k <= en - 1; k++) {
      const notLast = k !== en - 1;
      if (k !== m) {
        p = a[k * n + k - 1]!;
        q = a[(k + 1) * n + k - 1]!;
        r = notLast ? a[(k + 2) * n + k - 1]! : 0;
        x = Math.abs(p) + Math.abs(q) + Math.abs(r);
        if (x === 0) continue;
        p /= x;
        q /= x;
        r /= x;
      }
      s = Math.sqrt(p * p + q * q + r * r);
      if (p < 0) s = -s;
      if (s === 0) continue;
      if (k !== m) a[k * n + k - 1] = -s * x;
      else if (l !== m) a[k * n + k - 1] = -a[k * n + k - 1]!;
      p += s;
      x = p / s;
      y = q / s;
      z = r / s;
      q /= p;
      r /= p;
      const rk = k * n;
      const rk1 = rk + n;
      const rk2 = rk1 + n;
      // Row modification.
      if (notLast) {
        for (let j = k; j <= en; j++) {
          const t = a[rk + j]! + q * a[rk1 + j]! + r * a[rk2 + j]!;
          a[rk + j]! -= t * x;
          a[rk1 + j]! -= t * y;
          a[rk2 + j]! -= t * z;
        }
      } else {
        for (let j = k; j <= en; j++) {
          const t = a[rk + j]! + q * a[rk1 + j]!;
          a[rk + j]! -= t * x;
          a[rk1 + j]! -= t * y;
        }
      }
      // Column modification.
      const top = Math.min(en, k + 3);
      if (notLast) {
        for (let i = l; i <= top; i++) {
          const ri = i * n + k;
          const t = x * a[ri]! + y * a[ri + 1]! + z * a[ri + 2]!;
          a[ri]! -= t;
          a[ri + 1]! -= t * q;
          a[ri + 2]! -= t * r;
        }
      } else {
        for (let i = l; i <= top; i++) {
          const ri = i * n + k;
          const t = x * a[ri]! + y * a[ri + 1]!;
          a[ri]! -= t;
          a[ri + 1]! -= t * q;
        }
      }
    }
  }
  return { re: wr, im: wi };
}

/**
 * Eigenvalues of the exactly symmetric n x n row-major `a` (overwritten): Householder
 * tridiagonalisation (each step's rank-2 update fused with the next step's matrix-vector product,
 * one pass over the trailing rows per step), then implicit-shift QL (tqli), values only.
 */
function symmetricEigenvalues(a: Float64Array, n: number, context: string, maxIterations: number): Float64Array {
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[k] = T[k + 1, k]
  let v = new Float64Array(n);
  let vPrev = new Float64Array(n);
  let qPrev = new Float64Array(n);
  const p = new Float64Array(n);
  // Pending rank-2 update: a[i, j] -= vPrev[i] qPrev[j] + qPrev[i] vPrev[j] for i, j >= pending.
  let pending = -1;
  const applyPending = (i: number, from: number): void => {
    const row = i * n;
    const vi = vPrev[i]!;
    const qi = qPrev[i]!;
    for (let j = from; j < n; j++) a[row + j]! -= vi * qPrev[j]! + qi * vPrev[j]!;
  };
  for (let k = 0; k < n - 2; k++) {
    if (pending === k) applyPending(k, k);
    const rowK = k * n;
    d[k] = a[rowK + k]!;
    // Reflector from x = a[k, k+1:] (= column k below the diagonal, by symmetry).
    let scale = 0;
    for (let j = k + 1; j < n; j++) scale += Math.abs(a[rowK + j]!);
    if (scale === 0) {
      e[k] = 0;
      if (pending === k) for (let i = k + 1; i < n; i++) applyPending(i, k + 1);
      pending = -1;
      continue;
    }
    let h = 0;
    for (let j = k + 1; j < n; j++) {
      const x = a[rowK + j]! / scale;
      v[j] = x;
      h += x * x;
    }
    let g = Math.sqrt(h);
    if (v[k + 1]! > 0) g = -g;
    h -= v[k + 1]! * g;
    v[k + 1]! -= g;
    e[k] = scale * g;
    const invH = 1 / h;
    // p = B v / h on the trailing block B = a[k+1:, k+1:], after the pending update.
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      let s = 0;
      if (pending === k) {
        const vi = vPrev[i]!;
        const qi = qPrev[i]!;
        for (let j = k + 1; j < n; j++) {
          const x = a[row + j]! - (vi * qPrev[j]! + qi * vPrev[j]!);
          a[row + j] = x;
          s += x * v[j]!;
        }
      } else {
        for (let j = k + 1; j < n; j++) s += a[row + j]! * v[j]!;
      }
      p[i] = s * invH;
    }
    // q = p − (vᵀp / 2h) v; B ← B − v qᵀ − q vᵀ (deferred).
    let kk = 0;
    for (let j = k + 1; j < n; j++) kk += v[j]! * p[j]!;
    kk *= 0.5 * invH;
    for (let j = k + 1; j < n; j++) qPrev[j] = p[j]! - kk * v[j]!;
    [v, vPrev] = [vPrev, v];
    pending = k + 1;
  }
  if (pending >= 0) for (let i = pending; i < n; i++) applyPending(i, pending);
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 2) * n + n - 1]!;
  }
  d[n - 1] = a[(n - 1) * n + n - 1]!;
  tqli(d, e, n, context, maxIterations);
  return d;
}

/** Implicit-shift QL on the symmetric tridiagonal (d, e) with e[k] = T[k + 1, k]; d gets the eigenvalues. */
function tqli(d: Float64Array, e: Float64Array, n: number, context: string, maxIterations: number): void {
  let total = 0;
  for (let l = 0; l < n; l++) {
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= EPS * dd) {
          e[m] = 0;
          break;
        }
      }
      if (m === l) break;
      if (m === l + 1) {
        // 2 x 2 block: closed form (LAPACK dlae2), exact for e.g. [[0, b], [b, 0]].
        [d[l], d[l + 1]] = symmetric2x2(d[l]!, e[l]!, d[l + 1]!);
        e[l] = 0;
        continue;
      }
      if (++total > maxIterations) {
        throw new Error(
          `${context}: the symmetric QL iteration did not converge after ${total - 1} iterations (eigenvalue ${l} of ${n})`,
        );
      }
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1]! -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (underflow) continue;
      d[l]! -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** Eigenvalues (rt1, rt2), |rt1| >= |rt2|, of [[a, b], [b, c]] (LAPACK dlae2). */
function symmetric2x2(a: number, b: number, c: number): [number, number] {
  const sm = a + c;
  const adf = Math.abs(a - c);
  const ab = Math.abs(2 * b);
  const [acmx, acmn] = Math.abs(a) > Math.abs(c) ? [a, c] : [c, a];
  const rt = adf > ab ? adf * Math.sqrt(1 + (ab / adf) ** 2) : adf < ab ? ab * Math.sqrt(1 + (adf / ab) ** 2) : ab * Math.SQRT2;
  if (sm === 0) return [0.5 * rt, -0.5 * rt];
  const rt1 = 0.5 * (sm < 0 ? sm - rt : sm + rt);
  return [rt1, (acmx / rt1) * acmn - (b / rt1) * b];
}
