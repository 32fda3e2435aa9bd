import * as tf from "@tensorflow/tfjs";
import type { OpenBlasBackend } from "../openblas-backend.js";

/** A 2-D window: size, strides and TF padding ("same" / "valid"). */
export interface Window2d {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  pad: "same" | "valid";
}

/**
 * TensorFlow's output size and leading pad of one axis, written out independently of tfjs:
 * SAME: out = ⌈in / s⌉, total pad = max((out − 1)·s + k − in, 0), before = ⌊total / 2⌋;
 * VALID: out = ⌈(in − k + 1) / s⌉, no pad.
 */
export function axisWindow(size: number, k: number, stride: number, pad: "same" | "valid"): { out: number; before: number } {
  if (pad === "valid") return { out: Math.ceil((size - k + 1) / stride), before: 0 };
  const out = Math.ceil(size / stride);
  return { out, before: Math.floor(Math.max((out - 1) * stride + k - size, 0) / 2) };
}

/** What {@link referenceConv} computes, in float64. */
export interface ConvSums {
  /** y [n, oh, ow, cout] */
  y: Float64Array;
  /** dL/dx [n, h, w, cin] for dL/dy = dy */
  dx: Float64Array;
  /** dL/dw, the kernel's shape */
  dw: Float64Array;
  outShape: [number, number, number, number];
}

/**
 * The convolution sums written out in float64, straight from the definition (no im2col, no
 * gather tricks): for every output pixel and tap inside the image,
 * y[b, oy, ox, o] += x[b, iy, ix, i] · w[ky, kx, i, o], dx[b, iy, ix, i] += dy[b, oy, ox, o] · w[ky, kx, i, o],
 * dw[ky, kx, i, o] += x[b, iy, ix, i] · dy[b, oy, ox, o], with iy = oy·sh − pt + ky, ix = ox·sw − pl + kx;
 * a depthwise conv (channel multiplier 1, kernel [kh, kw, C, 1]) only has the terms o = i.
 *
 * @param x - input values, [n, h, w, cin] row-major
 * @param xShape - [n, h, w, cin]
 * @param w - kernel values, [kh, kw, cin, cout] (depthwise: [kh, kw, C, 1])
 * @param cout - output channels (depthwise: C)
 * @param dy - the upstream gradient [n, oh, ow, cout]
 * @param win - window, strides and padding
 * @param depthwise - a depthwise conv
 */
export function referenceConv(
  x: ArrayLike<number>, xShape: readonly number[], w: ArrayLike<number>, cout: number, dy: ArrayLike<number>, win: Window2d, depthwise: boolean,
): ConvSums {
  const [n, h, wd, cin] = xShape as [number, number, number, number];
  const rows = axisWindow(h, win.kh, win.sh, win.pad);
  const cols = axisWindow(wd, win.kw, win.sw, win.pad);
  const [oh, ow] = [rows.out, cols.out];
  const y = new Float64Array(n * oh * ow * cout);
  const dx = new Float64Array(n * h * wd * cin);
  const dw = new Float64Array(win.kh * win.kw * cin * (depthwise ? 1 : cout));
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const o0 = ((b * oh + oy) * ow + ox) * cout;
        for (let ky = 0; ky < win.kh; ky++) {
          const iy = oy * win.sh - rows.before + ky;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < win.kw; kx++) {
            const ix = ox * win.sw - cols.before + kx;
            if (ix < 0 || ix >= wd) continue;
            const i0 = ((b * h + iy) * wd + ix) * cin;
            for (let i = 0; i < cin; i++) {
              const xv = x[i0 + i]!;
              if (depthwise) {
                const k = (ky * win.kw + kx) * cin + i;
                y[o0 + i]! += xv * w[k]!;
                dx[i0 + i]! += dy[o0 + i]! * w[k]!;
                dw[k]! += xv * dy[o0 + i]!;
                continue;
              }
              for (let o = 0; o < cout; o++) {
                const k = ((ky * win.kw + kx) * cin + i) * cout + o;
                y[o0 + o]! += xv * w[k]!;
                dx[i0 + i]! += dy[o0 + o]! * w[k]!;
                dw[k]! += xv * dy[o0 + o]!;
              }
            }
          }
        }
      }
    }
  }
  return { y, dx, dw, outShape: [n, oh, ow, cout] };
}

/**
 * Max-pooling and its gradient written out: the first strictly greater tap of each window,
 * scanned row by row from −∞, is its maximum and takes its dy.
 */
export function referenceMaxPool(x: ArrayLike<number>, xShape: readonly number[], dy: ArrayLike<number>, win: Window2d): { y: Float64Array; dx: Float64Array } {
  const [n, h, wd, c] = xShape as [number, number, number, number];
  const rows = axisWindow(h, win.kh, win.sh, win.pad);
  const cols = axisWindow(wd, win.kw, win.sw, win.pad);
  const y = new Float64Array(n * rows.out * cols.out * c);
  const dx = new Float64Array(n * h * wd * c);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < rows.out; oy++) {
      for (let ox = 0; ox < cols.out; ox++) {
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let ky = 0; ky < win.kh; ky++) {
            const iy = oy * win.sh - rows.before + ky;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < win.kw; kx++) {
              const ix = ox * win.sw - cols.before + kx;
              if (ix < 0 || ix >= wd) continue;
              const i = ((b * h + iy) * wd + ix) * c + ch;
              if (x[i]! > best) {
                best = x[i]!;
                at = i;
              }
            }
          }
          const o = ((b * rows.out + oy) * cols.out + ox) * c + ch;
          y[o] = best;
          if (at >= 0) dx[at]! += dy[o]!;
        }
      }
    }
  }
  return { y, dx };
}

/**
 * Whether a kernel's output on the OpenBLAS backend came from its native path: native outputs
 * are buffers of the backend's pool, the plain CPU kernels' fallbacks are new arrays.
 */
export function isNativeOutput(t: tf.Tensor): boolean {
  const backend = tf.backend() as unknown as OpenBlasBackend;
  return backend.pool.owns(backend.data.get(t.dataId)?.values);
}
