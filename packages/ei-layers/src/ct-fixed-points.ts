import {
  add, div, grad, matMul, mul, scalar, sqrt, square, sub, sum, tensor1d, tensor2d, tidy, variable,
  type Tensor, type Tensor2D,
} from "@tensorflow/tfjs-core";
import { formatValue } from "@dale-nn/core";
import { eigenvalues } from "@dale-nn/spectra";
import { CT_ACTIVATIONS, ctActivation, type CtActivation, type CtRnnParams } from "./ct-rnn-forward.js";

/** Options of {@link ctFixedPoints}. */
export interface CtFixedPointsOptions {
  /** Time step dt in ms, 0 < dt ≤ min τ (the map F is the Euler step of `ctRnnForward`). */
  dt: number;
  /** φ; default "relu". */
  activation?: CtActivation;
  /** Starting states, [m, n]: e.g. states sampled from trajectories (rows of `CtEiRnn`'s `states`). */
  initialStates: Tensor2D | readonly (readonly number[])[];
  /** The constant input u* held during the search, [nIn]; default 0 (no input). */
  input?: ArrayLike<number>;
  /** Adam updates; default 2000. */
  iterations?: number;
  /** Adam's initial learning rate η₀; default 0.01. It decays exponentially to η₀ · `finalLearningRateFraction`. */
  learningRate?: number;
  /** Default 1e-2. */
  finalLearningRateFraction?: number;
  /**
   * Damped Newton steps on G(v) = F(v) − v = 0 after Adam, in float64 on the host, from every final
   * state (each step is halved until q decreases); default 10, 0 for Adam alone. Costs O(n³) per
   * step and start.
   */
  newtonSteps?: number;
  /** q below which a point counts as fixed (float64, in the units of v²); default 1e-10. */
  tolerance?: number;
  /** Fixed points closer than this (Euclidean) are one point; default 1e-3. */
  distinctTolerance?: number;
}

/** One fixed point found by {@link ctFixedPoints}. */
export interface CtFixedPoint {
  /** v*, [n] (float64). */
  readonly state: Float64Array;
  /** q(v*) = ½ ‖F(v*) − v*‖², float64. */
  readonly speed: number;
  /** Eigenvalues of the map's Jacobian ∂F/∂v at v*, sorted by |λ| descending. */
  readonly eigenvalues: { readonly re: Float64Array; readonly im: Float64Array };
  /** max |λ|: the fixed point is linearly stable when it is < 1. */
  readonly spectralRadius: number;
  readonly stable: boolean;
  /** How many starting states converged to this point (within `distinctTolerance`). */
  readonly count: number;
}

/** What {@link ctFixedPoints} returns. */
export interface CtFixedPointsResult {
  /** The distinct fixed points (q < tolerance), by speed ascending. */
  readonly points: readonly CtFixedPoint[];
  /** Final q of every starting state (float64), [m]: the slow points (local minima with q ≥ tolerance) show here. */
  readonly speeds: Float64Array;
  /** Final states of every start, [m, n] row-major (float64). */
  readonly finalStates: Float64Array;
}

const CONTEXT = "ctFixedPoints";

const positive = (name: string, v: unknown): number => {
  if (typeof v !== "number" || !Number.isFinite(v) || !(v > 0)) throw new RangeError(`${CONTEXT}: ${name} must be a finite number > 0; got ${formatValue(v)}`);
  return v;
};

/** φ'(v) in float64. */
function derivative(v: number, activation: CtActivation): number {
  if (activation === "relu") return v > 0 ? 1 : 0;
  if (activation === "softplus") return 1 / (1 + Math.exp(-v));
  const t = Math.tanh(v);
  return 1 - t * t;
}

function phi64(v: number, activation: CtActivation): number {
  if (activation === "relu") return Math.max(v, 0);
  if (activation === "softplus") return v > 30 ? v : Math.log1p(Math.exp(v));
  return Math.tanh(v);
}

/** Solves A x = b (n x n, row-major) by Gaussian elimination with partial pivoting; null when singular. Overwrites A. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i * n + k] as number) > Math.abs(A[piv * n + k] as number)) piv = i;
    const pv = A[piv * n + k] as number;
    if (!(Math.abs(pv) > 1e-300)) return null;
    if (piv !== k) {
      for (let j = 0; j < n; j++) [A[k * n + j], A[piv * n + j]] = [A[piv * n + j] as number, A[k * n + j] as number];
      [x[k], x[piv]] = [x[piv] as number, x[k] as number];
    }
    for (let i = k + 1; i < n; i++) {
      const f = (A[i * n + k] as number) / pv;
      if (f === 0) continue;
      for (let j = k; j < n; j++) A[i * n + j] = (A[i * n + j] as number) - f * (A[k * n + j] as number);
      x[i] = (x[i] as number) - f * (x[k] as number);
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = x[k] as number;
    for (let j = k + 1; j < n; j++) s -= (A[k * n + j] as number) * (x[j] as number);
    x[k] = s / (A[k * n + k] as number);
  }
  return x;
}

/**
 * Fixed points of a continuous-time RNN by speed minimisation (Sussillo & Barak 2013, "Opening the
 * black box", eq. 2; used on trained cognitive-task RNNs by Mante et al. 2013): with the Euler map
 * of `ctRnnForward` at a constant input u*,
 *
 *   F(v) = (1 − α) ⊙ v + α ⊙ (W_rec φ(v) + W_in u* + b),   α = dt / τ,
 *   q(v) = ½ ‖F(v) − v‖² = ½ ‖α ⊙ (−v + W_rec φ(v) + W_in u* + b)‖²,
 *
 * q is minimised from every starting state at once with Adam (its own state, learning rate decaying
 * exponentially; each start moves independently, as q sums over them), in the backend's float32,
 * then refined by a few damped Newton steps on G(v) = F(v) − v in float64 (Adam alone stalls at
 * q ≈ 1e−7 on some starts). The final states are checked in float64: those with q < tolerance are fixed points, merged
 * within `distinctTolerance`, and each gets the eigenvalues of the map's Jacobian
 * ∂F/∂v = diag(1 − α) + diag(α) W_rec diag(φ'(v*)) (via `@dale-nn/spectra`), so |λ| < 1 is stable.
 * Local minima with q ≥ tolerance (slow points) are left out of `points` but show in `speeds`.
 *
 * @param params - W_in [n, nIn], W_rec [n, n], b [n], τ [n] (e.g. `rnn.effectiveParams()`; not disposed)
 * @param options - dt, φ, starting states, u*, the Adam schedule and the tolerances
 * @returns the distinct fixed points with their speeds and Jacobian eigenvalues, and every start's final q and state
 * @throws RangeError on a bad dt (≤ 0 or > some τ), shapes that do not match, a bad option value, or a non-finite start
 * @example
 * const p = rnn.effectiveParams();
 * const { points } = ctFixedPoints(p, { dt: rnn.dt, activation: rnn.activation, initialStates: sampledStates });
 * tf.dispose(Object.values(p));
 */
export function ctFixedPoints(params: Pick<CtRnnParams, "wIn" | "wRec" | "bias" | "tau">, options: CtFixedPointsOptions): CtFixedPointsResult {
  const dt = positive("dt", options.dt);
  const activation = options.activation ?? "relu";
  if (!CT_ACTIVATIONS.includes(activation)) throw new RangeError(`${CONTEXT}: activation must be one of ${CT_ACTIVATIONS.join(", ")}; got ${formatValue(activation)}`);
  const iterations = options.iterations ?? 2000;
  if (!Number.isInteger(iterations) || iterations < 0) throw new RangeError(`${CONTEXT}: iterations must be an integer >= 0; got ${formatValue(iterations)}`);
  const lr0 = positive("learningRate", options.learningRate ?? 0.01);
  const lrFraction = positive("finalLearningRateFraction", options.finalLearningRateFraction ?? 1e-2);
  const newtonSteps = options.newtonSteps ?? 10;
  if (!Number.isInteger(newtonSteps) || newtonSteps < 0) throw new RangeError(`${CONTEXT}: newtonSteps must be an integer >= 0; got ${formatValue(newtonSteps)}`);
  const tolerance = positive("tolerance", options.tolerance ?? 1e-10);
  const distinct = positive("distinctTolerance", options.distinctTolerance ?? 1e-3);
  const [n, nIn] = params.wIn.shape;
  if (params.wRec.shape[0] !== n || params.wRec.shape[1] !== n) throw new RangeError(`${CONTEXT}: W_rec must be [${n}, ${n}]; got [${params.wRec.shape.join(", ")}]`);
  if (params.bias.shape.length !== 1 || params.bias.shape[0] !== n) throw new RangeError(`${CONTEXT}: b must be [${n}]; got [${params.bias.shape.join(", ")}]`);
  if (params.tau.shape.length !== 1 || params.tau.shape[0] !== n) throw new RangeError(`${CONTEXT}: tau must be [${n}]; got [${params.tau.shape.join(", ")}]`);
  const u = Float64Array.from(options.input ?? new Float64Array(nIn));
  if (u.length !== nIn) throw new RangeError(`${CONTEXT}: input must hold nIn = ${nIn} values (columns of W_in); got ${u.length}`);
  u.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new RangeError(`${CONTEXT}: input[${i}] must be finite; got ${formatValue(x)}`);
  });

  // Host float64 copies for the final check.
  const W = Float64Array.from(params.wRec.dataSync());
  const Win = Float64Array.from(params.wIn.dataSync());
  const b = Float64Array.from(params.bias.dataSync());
  const tau = Float64Array.from(params.tau.dataSync());
  const alpha = Float64Array.from(tau, (t, i) => {
    if (!(t > 0) || dt > t * (1 + 1e-6)) throw new RangeError(`${CONTEXT}: dt = ${dt} ms must be in (0, tau] for every unit (α = dt/τ ≤ 1); tau[${i}] = ${t} ms`);
    return dt / t;
  });
  const c = Float64Array.from(b, (bi, i) => {
    let s = bi;
    for (let k = 0; k < nIn; k++) s += (Win[i * nIn + k] as number) * (u[k] as number);
    return s;
  });

  let starts: Float32Array;
  let m: number;
  if (Array.isArray(options.initialStates)) {
    const rows = options.initialStates as readonly (readonly number[])[];
    m = rows.length;
    starts = new Float32Array(m * n);
    rows.forEach((r, i) => {
      if (!r || r.length !== n) throw new RangeError(`${CONTEXT}: initialStates[${i}] must hold n = ${n} values; got ${formatValue(r)}`);
      starts.set(r, i * n);
    });
  } else {
    const t = options.initialStates as Tensor2D;
    if (t.rank !== 2 || t.shape[1] !== n) throw new RangeError(`${CONTEXT}: initialStates must be [m, ${n}]; got [${t.shape.join(", ")}]`);
    m = t.shape[0];
    starts = Float32Array.from(t.dataSync());
  }
  if (m === 0) throw new RangeError(`${CONTEXT}: initialStates must hold at least one state; got 0`);
  starts.forEach((x, k) => {
    if (!Number.isFinite(x)) throw new RangeError(`${CONTEXT}: initialStates (${Math.floor(k / n)}, ${k % n}) must be finite; got ${formatValue(x)}`);
  });

  const finalStates = new Float64Array(m * n);
  {
    const init = tensor2d(starts, [m, n]);
    const v = variable(init, true, undefined, "float32");
    init.dispose();
    const aT = tensor1d(Float32Array.from(alpha));
    const cT = tensor1d(Float32Array.from(c));
    const wT = params.wRec;
    const speed = (x: Tensor): Tensor => {
      const r = mul(aT, add(sub(matMul(ctActivation(x, activation) as Tensor2D, wT, false, true), x), cT));
      return mul(sum(square(r)), 0.5);
    };
    const g = grad(speed);
    let m1: Tensor = tidy(() => mul(v, 0));
    let m2: Tensor = tidy(() => mul(v, 0));
    const b1 = 0.9;
    const b2 = 0.999;
    for (let t = 1; t <= iterations; t++) {
      const lr = lr0 * Math.pow(lrFraction, (t - 1) / Math.max(1, iterations - 1));
      const [n1, n2, next] = tidy(() => {
        const gt = g(v);
        const a1 = add(mul(m1, b1), mul(gt, 1 - b1));
        const a2 = add(mul(m2, b2), mul(square(gt), 1 - b2));
        const hat1 = div(a1, 1 - Math.pow(b1, t));
        const hat2 = div(a2, 1 - Math.pow(b2, t));
        const step = mul(div(hat1, add(sqrt(hat2), 1e-8)), scalar(lr));
        return [a1, a2, sub(v, step)];
      });
      m1.dispose();
      m2.dispose();
      m1 = n1 as Tensor;
      m2 = n2 as Tensor;
      v.assign(next as Tensor2D);
      (next as Tensor).dispose();
    }
    finalStates.set(v.dataSync());
    [v, aT, cT, m1, m2].forEach((x) => x.dispose());
  }

  // Float64 speeds at the final states.
  const residual = (x: Float64Array, o: number, i: number): number => {
    let s = -(x[o + i] as number) + (c[i] as number);
    for (let j = 0; j < n; j++) s += (W[i * n + j] as number) * phi64(x[o + j] as number, activation);
    return (alpha[i] as number) * s;
  };
  const speedAt = (x: Float64Array, o: number): number => {
    let q = 0;
    for (let i = 0; i < n; i++) q += residual(x, o, i) ** 2;
    return 0.5 * q;
  };
  const speeds = new Float64Array(m);
  const x = new Float64Array(n);
  const trial = new Float64Array(n);
  for (let p = 0; p < m; p++) {
    x.set(finalStates.subarray(p * n, (p + 1) * n));
    let q = speedAt(x, 0);
    for (let s = 0; s < newtonSteps && q > 0; s++) {
      // ∂G/∂v = diag(α) (−I + W diag(φ'(v))); solve ∂G/∂v δ = −G(v).
      const A = new Float64Array(n * n);
      const rhs = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = alpha[i] as number;
        for (let j = 0; j < n; j++) A[i * n + j] = a * (W[i * n + j] as number) * derivative(x[j] as number, activation);
        A[i * n + i] = (A[i * n + i] as number) - a;
        rhs[i] = -residual(x, 0, i);
      }
      const delta = solve(A, rhs, n);
      if (!delta) break;
      let accepted = false;
      for (let t = 1; t > 1e-6; t /= 2) {
        for (let i = 0; i < n; i++) trial[i] = (x[i] as number) + t * (delta[i] as number);
        const qt = speedAt(trial, 0);
        if (qt < q) {
          x.set(trial);
          q = qt;
          accepted = true;
          break;
        }
      }
      if (!accepted) break;
    }
    finalStates.set(x, p * n);
    speeds[p] = q;
  }
  const order = Array.from({ length: m }, (_, p) => p).filter((p) => (speeds[p] as number) < tolerance).sort((x, y) => (speeds[x] as number) - (speeds[y] as number));
  const found: Array<{ p: number; count: number }> = [];
  for (const p of order) {
    const near = found.find(({ p: q }) => {
      let d = 0;
      for (let i = 0; i < n; i++) d += ((finalStates[p * n + i] as number) - (finalStates[q * n + i] as number)) ** 2;
      return Math.sqrt(d) <= distinct;
    });
    if (near) near.count++;
    else found.push({ p, count: 1 });
  }
  const points = found.map(({ p, count }) => {
    const state = finalStates.slice(p * n, (p + 1) * n);
    const J = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) J[i * n + j] = (alpha[i] as number) * (W[i * n + j] as number) * derivative(state[j] as number, activation);
      J[i * n + i] = (J[i * n + i] as number) + 1 - (alpha[i] as number);
    }
    const ev = eigenvalues({ data: J, rows: n, cols: n });
    let rho = 0;
    for (let k = 0; k < n; k++) rho = Math.max(rho, Math.hypot(ev.re[k] as number, ev.im[k] as number));
    return { state, speed: speeds[p] as number, eigenvalues: { re: ev.re, im: ev.im }, spectralRadius: rho, stable: rho < 1, count };
  });
  return { points, speeds, finalStates };
}
