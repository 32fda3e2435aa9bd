/**
 * Test support: a second, independent float64 implementation of the quantities the package
 * computes with ml-matrix, written from the textbook algorithms (no shared code):
 * - singular values by one-sided (Hestenes) Jacobi, which has high relative accuracy;
 * - log |det| and sign by LU with partial pivoting;
 * - the backward error of a computed eigenvalue λ: min over unit z of ‖(A − λI) z‖, estimated by
 *   inverse iteration on the real 2n x 2n form of A − λI.
 */

export interface Dense {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Singular values (descending) by cyclic one-sided Jacobi on the columns of A (or Aᵀ when wide). */
export function jacobiSingularValues(a: Dense, maxSweeps = 60): Float64Array {
  const wide = a.cols > a.rows;
  const m = wide ? a.cols : a.rows;
  const n = wide ? a.rows : a.cols;
  // Column j of the working matrix, contiguous.
  const columns: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const c = new Float64Array(m);
    for (let i = 0; i < m; i++) c[i] = wide ? a.data[j * a.cols + i]! : a.data[i * a.cols + j]!;
    columns.push(c);
  }
  const tol = 1e-15 * m;
  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const cp = columns[p]!;
      for (let q = p + 1; q < n; q++) {
        const cq = columns[q]!;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = cp[i]!;
          const y = cq[i]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = cp[i]!;
          const y = cq[i]!;
          cp[i] = c * x - s * y;
          cq[i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  if (sweeps === maxSweeps) throw new Error(`jacobiSingularValues: no convergence in ${maxSweeps} sweeps`);
  const s = Float64Array.from(columns, (c) => Math.sqrt(c.reduce((acc, x) => acc + x * x, 0)));
  return s.sort().reverse();
}

/** LU with partial pivoting of a square matrix (in place on a copy); returns the factors packed. */
function luFactor(a: Dense): { lu: Float64Array; pivots: Int32Array; swaps: number; singular: boolean } {
  const n = a.rows;
  const lu = Float64Array.from(a.data);
  const pivots = new Int32Array(n);
  let swaps = 0;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    pivots[k] = p;
    if (p !== k) {
      swaps++;
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
    }
    const pivot = lu[k * n + k]!;
    if (pivot === 0) {
      singular = true;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k]! /= pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j]! -= f * lu[k * n + j]!;
    }
  }
  return { lu, pivots, swaps, singular };
}

/** log |det A| and sign(det A) by LU with partial pivoting. */
export function logDeterminant(a: Dense): { logAbs: number; sign: number } {
  const n = a.rows;
  const { lu, swaps, singular } = luFactor(a);
  if (singular) return { logAbs: -Infinity, sign: 0 };
  let logAbs = 0;
  let sign = swaps % 2 === 0 ? 1 : -1;
  for (let k = 0; k < n; k++) {
    const d = lu[k * n + k]!;
    logAbs += Math.log(Math.abs(d));
    if (d < 0) sign = -sign;
  }
  return { logAbs, sign };
}

function luSolve(f: { lu: Float64Array; pivots: Int32Array }, b: Float64Array): Float64Array {
  const n = b.length;
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    const p = f.pivots[k]!;
    if (p !== k) {
      const t = x[k]!;
      x[k] = x[p]!;
      x[p] = t;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= f.lu[i * n + j]! * x[j]!;
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= f.lu[i * n + j]! * x[j]!;
    x[i] = s / f.lu[i * n + i]!;
  }
  return x;
}

function matVec(a: Dense, x: Float64Array): Float64Array {
  const y = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

const norm = (x: Float64Array): number => Math.sqrt(x.reduce((acc, v) => acc + v * v, 0));

/**
 * Backward error of λ = re + i·im as an eigenvalue of A: ‖(A − λI) z‖ for the unit z found by three
 * steps of inverse iteration (an upper bound on σ_min(A − λI); 0 means λ is exact). Works on the
 * real form [[A − re·I, im·I], [−im·I, A − re·I]] acting on [Re z; Im z].
 */
export function eigenvalueResidual(a: Dense, re: number, im: number, seed = 1): number {
  const n = a.rows;
  const size = im === 0 ? n : 2 * n;
  const m = new Float64Array(size * size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = a.data[i * n + j]! - (i === j ? re : 0);
      m[i * size + j] = v;
      if (size > n) m[(i + n) * size + (j + n)] = v;
    }
    if (size > n) {
      m[i * size + (i + n)] = im;
      m[(i + n) * size + i] = -im;
    }
  }
  const mat = { data: m, rows: size, cols: size };
  const f = luFactor(mat);
  if (f.singular) return 0;
  let z = Float64Array.from({ length: size }, (_, k) => Math.sin(seed + 7.3 * k));
  for (let step = 0; step < 3; step++) {
    z = luSolve(f, z);
    const s = norm(z);
    if (!Number.isFinite(s)) return 0;
    z = z.map((v) => v / s);
  }
  return norm(matVec(mat, z));
}

/** Frobenius norm. */
export function frobenius(a: Dense): number {
  return norm(a.data);
}

/** Row-major product A B. */
export function matMul(a: Dense, b: Dense): Dense {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const x = a.data[i * a.cols + k]!;
      if (x === 0) continue;
      for (let j = 0; j < b.cols; j++) out[i * b.cols + j]! += x * b.data[k * b.cols + j]!;
    }
  }
  return { data: out, rows: a.rows, cols: b.cols };
}

/** Transpose. */
export function transpose(a: Dense): Dense {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]!;
  return { data: out, rows: a.cols, cols: a.rows };
}

/** trace(A^k) for k = 1, 2, 3 of a square matrix. */
export function tracePowers(a: Dense): [number, number, number] {
  const n = a.rows;
  const a2 = matMul(a, a);
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  for (let i = 0; i < n; i++) {
    t1 += a.data[i * n + i]!;
    t2 += a2.data[i * n + i]!;
    for (let k = 0; k < n; k++) t3 += a2.data[i * n + k]! * a.data[k * n + i]!;
  }
  return [t1, t2, t3];
}

/** A random orthogonal n x n matrix: modified Gram-Schmidt, applied twice, on a seeded matrix. */
export function orthogonalMatrix(n: number, entries: (k: number) => number): Dense {
  const q: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = Float64Array.from({ length: n }, (_, i) => entries(j * n + i));
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let d = 0;
        for (let i = 0; i < n; i++) d += u[i]! * v[i]!;
        for (let i = 0; i < n; i++) v[i]! -= d * u[i]!;
      }
    }
    const s = norm(v);
    q.push(v.map((x) => x / s));
  }
  // q[j] is column j.
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = q[j]![i]!;
  return { data, rows: n, cols: n };
}
