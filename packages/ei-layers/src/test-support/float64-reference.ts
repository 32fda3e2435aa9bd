/**
 * Independent float64 reference implementations (plain loops over Float64Array), used only in
 * tests to check the tfjs layers and their gradients. Not exported from the package.
 */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function mat(rows: number, cols: number, data?: ArrayLike<number>): Mat {
  const m = { rows, cols, data: new Float64Array(rows * cols) };
  if (data) m.data.set(Array.from(data));
  return m;
}

/** y = x Wᵀ: x [B, d], W [out, d] → [B, out]. */
export function linear64(x: Mat, w: Mat): Mat {
  const y = mat(x.rows, w.rows);
  for (let b = 0; b < x.rows; b++) {
    for (let o = 0; o < w.rows; o++) {
      let s = 0;
      for (let k = 0; k < x.cols; k++) s += x.data[b * x.cols + k]! * w.data[o * w.cols + k]!;
      y.data[b * w.rows + o] = s;
    }
  }
  return y;
}

export interface Dann64Params {
  wEE: Mat;
  wIE: Mat;
  wEI: Mat;
  alpha: Float64Array;
  g: Float64Array;
  beta: Float64Array;
}

/** Eq. 1 of Cornford et al. (2021) in float64, written from the paper independently of the tfjs code. */
export function dann64(x: Mat, p: Dann64Params, eps = 1e-8): Mat {
  const B = x.rows;
  const ne = p.wEE.rows;
  const ni = p.wIE.rows;
  const d = x.cols;
  const out = mat(B, ne);
  for (let b = 0; b < B; b++) {
    const zI = new Float64Array(ni);
    for (let j = 0; j < ni; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += p.wIE.data[j * d + k]! * x.data[b * d + k]!;
      zI[j] = s;
    }
    for (let i = 0; i < ne; i++) {
      let zE = 0;
      for (let k = 0; k < d; k++) zE += p.wEE.data[i * d + k]! * x.data[b * d + k]!;
      let subtractive = 0;
      let gamma = 0;
      for (let j = 0; j < ni; j++) {
        subtractive += p.wEI.data[i * ni + j]! * zI[j]!;
        gamma += p.wEI.data[i * ni + j]! * Math.exp(p.alpha[j]!) * zI[j]!;
      }
      gamma += eps;
      out.data[b * ne + i] = (p.g[i]! * (zE - subtractive)) / gamma + p.beta[i]!;
    }
  }
  return out;
}

/**
 * A ReLU RNN in float64: h_t = max(0, U x_t + W h_{t−1} + b) for x [B, T, d] (row-major), U [n, d],
 * W [n, n], b [n], h_{−1} = h0 [B, n] (default 0). Returns every state, [B, T, n].
 */
export function rnn64(x: Float64Array, B: number, T: number, d: number, u: Float64Array, w: Float64Array, b: Float64Array, n: number, h0?: Float64Array): Float64Array {
  const out = new Float64Array(B * T * n);
  for (let s = 0; s < B; s++) {
    let h = h0 ? h0.slice(s * n, (s + 1) * n) : new Float64Array(n);
    for (let t = 0; t < T; t++) {
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let z = b[i]!;
        for (let k = 0; k < d; k++) z += u[i * d + k]! * x[(s * T + t) * d + k]!;
        for (let k = 0; k < n; k++) z += w[i * n + k]! * h[k]!;
        next[i] = Math.max(0, z);
      }
      h = next;
      out.set(h, (s * T + t) * n);
    }
  }
  return out;
}
