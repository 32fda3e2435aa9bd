/**
 * A small bounded Nelder–Mead minimiser for a few parameters (never re-exported): the standard
 * reflection 1, expansion 2, contraction ½, shrink ½ (Nelder & Mead 1965; Lagarias et al. 1998),
 * with every trial point projected onto the box [lo, hi] (so a minimum on the boundary, e.g. a
 * lapse rate of 0, is reached exactly).
 */
export interface NelderMeadResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface NelderMeadOptions {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  /** Initial step per coordinate. */
  readonly step: readonly number[];
  /** Stop when the simplex spans less than this in every coordinate and in f (absolute); default 1e-10. */
  readonly tolerance?: number;
  readonly maxIterations?: number;
}

export function nelderMead(f: (x: Float64Array) => number, x0: readonly number[], o: NelderMeadOptions): NelderMeadResult {
  const d = x0.length;
  const tol = o.tolerance ?? 1e-10;
  const maxIt = o.maxIterations ?? 200 * d;
  const project = (x: Float64Array): Float64Array => {
    for (let j = 0; j < d; j++) x[j] = Math.min(o.hi[j] as number, Math.max(o.lo[j] as number, x[j] as number));
    return x;
  };
  const evaluate = (x: Float64Array): number => {
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const simplex: Float64Array[] = [project(Float64Array.from(x0))];
  for (let j = 0; j < d; j++) {
    const v = Float64Array.from(x0);
    v[j] = (v[j] as number) + (o.step[j] as number);
    // Step inward when the start lies on the upper bound.
    if ((v[j] as number) > (o.hi[j] as number)) v[j] = (x0[j] as number) - (o.step[j] as number);
    simplex.push(project(v));
  }
  let values = simplex.map(evaluate);
  const along = (centroid: Float64Array, worst: Float64Array, t: number): Float64Array =>
    project(Float64Array.from(centroid, (c, j) => c + t * (c - (worst[j] as number))));
  let it = 0;
  for (; it < maxIt; it++) {
    const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
    const pts = order.map((i) => simplex[i] as Float64Array);
    const fs = order.map((i) => values[i] as number);
    simplex.splice(0, simplex.length, ...pts);
    values = fs;
    let span = Math.abs((fs[d] as number) - (fs[0] as number));
    for (let i = 1; i <= d; i++) for (let j = 0; j < d; j++) span = Math.max(span, Math.abs((pts[i] as Float64Array)[j]! - (pts[0] as Float64Array)[j]!));
    if (span <= tol) return { x: Float64Array.from(pts[0] as Float64Array), f: fs[0] as number, iterations: it, converged: true };
    const centroid = new Float64Array(d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) centroid[j] = (centroid[j] as number) + (pts[i] as Float64Array)[j]! / d;
    const worst = pts[d] as Float64Array;
    const xr = along(centroid, worst, 1);
    const fr = evaluate(xr);
    if (fr < (fs[0] as number)) {
      const xe = along(centroid, worst, 2);
      const fe = evaluate(xe);
      [simplex[d], values[d]] = fe < fr ? [xe, fe] : [xr, fr];
      continue;
    }
    if (fr < (fs[d - 1] as number)) {
      [simplex[d], values[d]] = [xr, fr];
      continue;
    }
    const outside = fr < (fs[d] as number);
    const xc = along(centroid, worst, outside ? 0.5 : -0.5);
    const fc = evaluate(xc);
    if (fc < (outside ? fr : (fs[d] as number))) {
      [simplex[d], values[d]] = [xc, fc];
      continue;
    }
    const best = pts[0] as Float64Array;
    for (let i = 1; i <= d; i++) {
      simplex[i] = project(Float64Array.from(best, (b, j) => b + 0.5 * ((simplex[i] as Float64Array)[j]! - b)));
      values[i] = evaluate(simplex[i] as Float64Array);
    }
  }
  const bestIndex = values.indexOf(Math.min(...values));
  return { x: Float64Array.from(simplex[bestIndex] as Float64Array), f: values[bestIndex] as number, iterations: it, converged: false };
}
