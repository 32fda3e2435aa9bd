/**
 * Independent float64 reference implementations of the paper-002 cells (plain loops over
 * Float64Array, NHWC layout), used only in tests to check the tfjs functions and their gradients.
 * Written from the paper's equations and REFERENCE-NOTES, not from the tfjs code. Not exported.
 */

/** A batch of feature maps [B, H, W, C] in float64. */
export interface Maps {
  readonly b: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly data: Float64Array;
}

export function maps(b: number, h: number, w: number, c: number, data?: ArrayLike<number>): Maps {
  const m = { b, h, w, c, data: new Float64Array(b * h * w * c) };
  if (data) m.data.set(Array.from(data));
  return m;
}

/** 3 × 3 depthwise conv, SAME padding (1 on every side), stride 1, cross-correlation; k is [3, 3, C, 1]. */
export function depthwise64(x: Maps, k: ArrayLike<number>): Maps {
  const y = maps(x.b, x.h, x.w, x.c);
  for (let n = 0; n < x.b; n++)
    for (let i = 0; i < x.h; i++)
      for (let j = 0; j < x.w; j++)
        for (let ch = 0; ch < x.c; ch++) {
          let s = 0;
          for (let dy = 0; dy < 3; dy++)
            for (let dx = 0; dx < 3; dx++) {
              const ii = i + dy - 1;
              const jj = j + dx - 1;
              if (ii < 0 || jj < 0 || ii >= x.h || jj >= x.w) continue;
              s += k[(dy * 3 + dx) * x.c + ch]! * x.data[((n * x.h + ii) * x.w + jj) * x.c + ch]!;
            }
          y.data[((n * x.h + i) * x.w + j) * x.c + ch] = s;
        }
  return y;
}

/** 1 × 1 conv; p is [1, 1, C_in, C_out]. */
export function pointwise64(x: Maps, p: ArrayLike<number>, cout: number): Maps {
  const y = maps(x.b, x.h, x.w, cout);
  const pix = x.b * x.h * x.w;
  for (let q = 0; q < pix; q++)
    for (let o = 0; o < cout; o++) {
      let s = 0;
      for (let ch = 0; ch < x.c; ch++) s += x.data[q * x.c + ch]! * p[ch * cout + o]!;
      y.data[q * cout + o] = s;
    }
  return y;
}

/** Separable conv with W = |W̃| when `abs`. */
export function separable64(x: Maps, depthwise: ArrayLike<number>, pointwise: ArrayLike<number>, cout: number, abs: boolean): Maps {
  const d = abs ? Array.from(depthwise, Math.abs) : depthwise;
  const p = abs ? Array.from(pointwise, Math.abs) : pointwise;
  return pointwise64(depthwise64(x, d), p, cout);
}

/** A direct 3 × 3 × C_in × C_out conv from the rebuilt dense kernel K[dy, dx, c, o] = D[dy, dx, c] · P[c, o] (a second, independent route). */
export function denseFromSeparable64(x: Maps, depthwise: ArrayLike<number>, pointwise: ArrayLike<number>, cout: number, abs: boolean): Maps {
  const a = (v: number): number => (abs ? Math.abs(v) : v);
  const y = maps(x.b, x.h, x.w, cout);
  for (let n = 0; n < x.b; n++)
    for (let i = 0; i < x.h; i++)
      for (let j = 0; j < x.w; j++)
        for (let o = 0; o < cout; o++) {
          let s = 0;
          for (let dy = 0; dy < 3; dy++)
            for (let dx = 0; dx < 3; dx++) {
              const ii = i + dy - 1;
              const jj = j + dx - 1;
              if (ii < 0 || jj < 0 || ii >= x.h || jj >= x.w) continue;
              for (let ch = 0; ch < x.c; ch++) s += a(depthwise[(dy * 3 + dx) * x.c + ch]!) * a(pointwise[ch * cout + o]!) * x.data[((n * x.h + ii) * x.w + jj) * x.c + ch]!;
            }
          y.data[((n * x.h + i) * x.w + j) * cout + o] = s;
        }
  return y;
}

/** Elementwise combination of same-shaped maps; `bias`-style per-channel vectors via the channel index. */
export function zip(out: { b: number; h: number; w: number; c: number }, f: (q: number, ch: number) => number): Maps {
  const y = maps(out.b, out.h, out.w, out.c);
  for (let q = 0; q < y.data.length; q++) y.data[q] = f(q, q % out.c);
  return y;
}

export const sigmoid64 = (z: number): number => 1 / (1 + Math.exp(-z));
export const relu64 = (z: number): number => Math.max(0, z);

/** BatchNorm over batch and space per channel; training: batch mean and biased variance. */
export function batchNorm64(
  x: Maps,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  moving: { mean: ArrayLike<number>; variance: ArrayLike<number> },
  training: boolean,
  eps: number,
): { y: Maps; mean: Float64Array; variance: Float64Array } {
  const pix = x.b * x.h * x.w;
  const mean = new Float64Array(x.c);
  const variance = new Float64Array(x.c);
  for (let ch = 0; ch < x.c; ch++) {
    if (training) {
      let s = 0;
      for (let q = 0; q < pix; q++) s += x.data[q * x.c + ch]!;
      const m = s / pix;
      let v = 0;
      for (let q = 0; q < pix; q++) v += (x.data[q * x.c + ch]! - m) ** 2;
      mean[ch] = m;
      variance[ch] = v / pix;
    } else {
      mean[ch] = moving.mean[ch]!;
      variance[ch] = moving.variance[ch]!;
    }
  }
  const y = zip(x, (q, ch) => (gamma[ch]! * (x.data[q]! - mean[ch]!)) / Math.sqrt(variance[ch]! + eps) + beta[ch]!);
  return { y, mean, variance };
}

/** Options of the float64 cells. */
export interface Cell64Options {
  abs: boolean;
  inhibitoryPrincipal: boolean;
  ablation: "none" | "no-ig" | "no-og" | "no-i";
  forgetOffset: number;
  inhibitoryPrincipalOffset: number;
  /** Per-step BatchNorm (γ, β, moving statistics), or null. */
  bn: null | { training: boolean; eps: number; steps: Array<{ gamma: ArrayLike<number>; beta: ArrayLike<number>; mean: ArrayLike<number>; variance: ArrayLike<number> }> };
}

/** Parameters by the layer's weight names: `<conn>_depthwise`, `<conn>_pointwise`, biases. */
export type Params64 = Record<string, ArrayLike<number>>;

/**
 * The Standard cell in float64, from the equations of paper 002, Sec. 1 and REFERENCE-NOTES
 * "Standard cell" (with the InhPN flip and the App. L ablations).
 */
export function standardCell64(
  inputs: Maps[],
  p: Params64,
  sizes: { P: number; G: number; O: number },
  o: Cell64Options,
  init?: { pn: Maps; c: Maps },
): { pn: Maps[]; c: Maps[]; ig: Maps[]; og: Maps[]; mean: Float64Array[]; variance: Float64Array[] } {
  const x0 = inputs[0]!;
  const shape = (c: number): { b: number; h: number; w: number; c: number } => ({ b: x0.b, h: x0.h, w: x0.w, c });
  let pn = init?.pn ?? maps(x0.b, x0.h, x0.w, sizes.P);
  let c = init?.c ?? maps(x0.b, x0.h, x0.w, sizes.P);
  const conv = (x: Maps, name: string, cout: number): Maps => separable64(x, p[`${name}_depthwise`]!, p[`${name}_pointwise`]!, cout, o.abs);
  const s = o.inhibitoryPrincipal ? -1 : 1;
  const out = { pn: [] as Maps[], c: [] as Maps[], ig: [] as Maps[], og: [] as Maps[], mean: [] as Float64Array[], variance: [] as Float64Array[] };
  inputs.forEach((x, t) => {
    const xf = conv(x, "xToF", sizes.P), rf = conv(pn, "pnToF", sizes.P);
    const f = zip(shape(sizes.P), (q, ch) => sigmoid64(xf.data[q]! + s * rf.data[q]! + p.bF![ch]! + o.forgetOffset));
    const xig = conv(x, "xToIg", sizes.G), rig = conv(pn, "pnToIg", sizes.G);
    const igMask = o.ablation === "no-ig" || o.ablation === "no-i" ? 0 : 1;
    const ig = zip(shape(sizes.G), (q, ch) => igMask * relu64(xig.data[q]! + s * rig.data[q]! + p.bIg![ch]!));
    const xog = conv(x, "xToOg", sizes.O), rog = conv(pn, "pnToOg", sizes.O);
    const ogMask = o.ablation === "no-og" || o.ablation === "no-i" ? 0 : 1;
    const og = zip(shape(sizes.O), (q, ch) => ogMask * relu64(xog.data[q]! + s * rog.data[q]! + p.bOg![ch]!));
    const zi = conv(ig, "igToPn", sizes.P);
    const zo = conv(og, "ogToPn", sizes.P);
    const xc = conv(x, "xToPn", sizes.P), rc = conv(pn, "pnToPn", sizes.P);
    const pre = zip(shape(sizes.P), (q, ch) => {
      const i = sigmoid64(zi.data[q]! + p.bI![ch]!);
      const u = relu64(xc.data[q]! + s * rc.data[q]! + p.bC![ch]!);
      const gate = o.inhibitoryPrincipal ? i : 1 - i;
      return f.data[q]! * c.data[q]! + gate * u;
    });
    if (o.bn) {
      const st = o.bn.steps[t]!;
      const r = batchNorm64(pre, st.gamma, st.beta, { mean: st.mean, variance: st.variance }, o.bn.training, o.bn.eps);
      c = r.y;
      out.mean.push(r.mean);
      out.variance.push(r.variance);
    } else c = pre;
    const cNow = c;
    pn = zip(shape(sizes.P), (q, ch) => {
      const og2 = relu64(zo.data[q]! + p.bO![ch]!);
      return o.inhibitoryPrincipal ? relu64(cNow.data[q]! + og2 - o.inhibitoryPrincipalOffset) : relu64(cNow.data[q]! - og2);
    });
    out.pn.push(pn);
    out.c.push(c);
    out.ig.push(ig);
    out.og.push(og);
  });
  return out;
}

/** The StandardEI cell in float64, from paper 002, eq. 1 and REFERENCE-NOTES "StandardEI cell". */
export function standardEiCell64(
  inputs: Maps[],
  p: Params64,
  sizes: { E: number; I: number },
  o: Cell64Options,
  init?: { e: Maps; i: Maps },
): { e: Maps[]; i: Maps[]; mean: Float64Array[]; variance: Float64Array[] } {
  const x0 = inputs[0]!;
  const shape = (c: number): { b: number; h: number; w: number; c: number } => ({ b: x0.b, h: x0.h, w: x0.w, c });
  let e = init?.e ?? maps(x0.b, x0.h, x0.w, sizes.E);
  let inh = init?.i ?? maps(x0.b, x0.h, x0.w, sizes.I);
  const conv = (x: Maps, name: string, cout: number): Maps => separable64(x, p[`${name}_depthwise`]!, p[`${name}_pointwise`]!, cout, o.abs);
  const sE = o.inhibitoryPrincipal ? -1 : 1;
  const sI = -sE;
  const out = { e: [] as Maps[], i: [] as Maps[], mean: [] as Float64Array[], variance: [] as Float64Array[] };
  inputs.forEach((x, t) => {
    const a = conv(x, "xToE", sizes.E), b = conv(e, "eToE", sizes.E), cc = conv(inh, "iToE", sizes.E);
    let currE = zip(shape(sizes.E), (q, ch) => a.data[q]! + sE * b.data[q]! + sI * cc.data[q]! + p.bE![ch]!);
    const a2 = conv(x, "xToI", sizes.I), b2 = conv(e, "eToI", sizes.I), c2 = conv(inh, "iToI", sizes.I);
    const currI = zip(shape(sizes.I), (q, ch) => a2.data[q]! + sE * b2.data[q]! + sI * c2.data[q]! + p.bI![ch]!);
    if (o.bn) {
      const st = o.bn.steps[t]!;
      const r = batchNorm64(currE, st.gamma, st.beta, { mean: st.mean, variance: st.variance }, o.bn.training, o.bn.eps);
      currE = r.y;
      out.mean.push(r.mean);
      out.variance.push(r.variance);
    }
    const ePrev = e, iPrev = inh, ce = currE;
    e = zip(shape(sizes.E), (q, ch) => {
      const f = sigmoid64(p.fE![ch]! + o.forgetOffset);
      return f * ePrev.data[q]! + (1 - f) * relu64(ce.data[q]!);
    });
    const mask = o.ablation === "no-i" ? 0 : 1;
    inh = zip(shape(sizes.I), (q, ch) => {
      const f = sigmoid64(p.fI![ch]! + o.forgetOffset);
      return mask * (f * iPrev.data[q]! + (1 - f) * relu64(currI.data[q]!));
    });
    out.e.push(e);
    out.i.push(inh);
  });
  return out;
}
