import {
  add, div, mul, relu, reshape, softplus, sqrt, stack, sub, tanh, tensor3d, tidy, transpose, zeros,
  type Tensor, type Tensor1D, type Tensor2D, type Tensor3D,
} from "@tensorflow/tfjs-core";
import { createRandomSource, deriveSeed } from "@dale-nn/ei-init";
import { formatValue, isCtRnnAvailable, runCtRnnKernel, unstackSteps } from "@dale-nn/core";
import { linear } from "./internal/linear.js";

/** Rate functions φ of a continuous-time RNN. */
export type CtActivation = "relu" | "softplus" | "tanh";
/** Every {@link CtActivation}, for validation. */
export const CT_ACTIVATIONS: readonly CtActivation[] = ["relu", "softplus", "tanh"];

/** The effective parameters of a continuous-time RNN ("post x pre"). */
export interface CtRnnParams {
  /** W_in, [n, nIn]. */
  wIn: Tensor2D;
  /** W_rec, [n, n] (compose it with `ctRecurrentWeight`). */
  wRec: Tensor2D;
  /** b, [n]. */
  bias: Tensor1D;
  /** W_out, [nOut, n] (zero the I columns for an E-only readout). */
  wOut: Tensor2D;
  /** b_out, [nOut]. */
  biasOut: Tensor1D;
  /** τ per unit, [n], in ms (the same unit as dt). */
  tau: Tensor1D;
  /** v_0, [n] (shared by the batch) or [B, n]; default 0. */
  v0?: Tensor1D | Tensor2D;
}

/** Options of {@link ctRnnForward}. */
export interface CtRnnForwardOptions {
  /** Time step dt in ms, 0 < dt ≤ min τ. */
  dt: number;
  /** φ; default "relu". */
  activation?: CtActivation;
  /** σ_rec of the recurrent noise √(2α) σ_rec ξ_t; default 0. */
  recurrentNoise?: number;
  /** σ_in of the input noise u_t + σ_in ξ^in_t; default 0. */
  inputNoise?: number;
  /** false turns both noises off (evaluation); default true. */
  noise?: boolean;
  /** Seed of the noise draws (required when a noise is on). */
  seed?: number;
  /** Read τ back to check 0 < dt ≤ τ (one small download); default true. */
  checkTau?: boolean;
  /** Name for error messages. */
  name?: string;
  /**
   * Run the Euler recurrence as one fused kernel (the `CT_RNN_KERNEL` contract of `@dale-nn/core`)
   * when the backend has this version of it, as the OpenBLAS backend of `@dale-nn/openblas` does;
   * default true. Same equations either way (the recurrent noise then enters as part of the
   * drive, √(2/α) σ ξ_t inside α ⊙ (…)); false forces the per-step ops.
   */
  fused?: boolean;
}

/** What {@link ctRnnForward} returns. */
export interface CtRnnForwardResult {
  /** v_1 … v_T, [B, T, n]. */
  states: Tensor3D;
  /** z_1 … z_T, [B, T, nOut]. */
  outputs: Tensor3D;
}

/**
 * The rate function φ(v) of a continuous-time RNN: max(v, 0), log(1 + e^v) or tanh(v).
 *
 * @example
 * const r = ctActivation(v, "softplus");
 */
export function ctActivation(v: Tensor, activation: CtActivation): Tensor {
  return activation === "relu" ? relu(v) : activation === "softplus" ? softplus(v) : tanh(v);
}

function shapeError(name: string, what: string, expected: string, got: readonly number[]): RangeError {
  return new RangeError(`${name}: ${what} must be ${expected}; got [${got.join(", ")}]`);
}

/** The T slices of a time-major [T, B, k] tensor (differentiable for T = 1 too). */
function perStep(x: Tensor): Tensor[] {
  return unstackSteps(x, 0);
}

/** Host-drawn standard normals, [T, B, k] (seeded, identical on every backend). */
function normals(seed: number, T: number, B: number, k: number): Tensor3D {
  const rng = createRandomSource(seed);
  const data = new Float32Array(T * B * k);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return tensor3d(data, [T, B, k]);
}

/**
 * Runs a continuous-time E/I rate RNN, τ ⊙ dv/dt = −v + W_rec φ(v) + W_in u + b, with the Euler
 * step used by pycog, PsychRNN and neurogym (α = dt / τ per unit):
 *
 *   v_{t+1} = (1 − α) ⊙ v_t + α ⊙ (W_rec φ(v_t) + W_in ũ_t + b) + √(2α) σ_rec ξ_t
 *   ũ_t = u_t + σ_in ξ^in_t,   z_{t+1} = W_out φ(v_{t+1}) + b_out,   ξ ~ N(0, I)
 *
 * for t = 0 … T − 1 from v_0 (Song, Yang & Wang 2016, eqs. 1-4; Seay 2019). The recurrent noise
 * keeps a stationary variance σ_rec² · 2 / (2 − α) for a unit without recurrence. Noise is drawn on
 * the host from `seed` (the same numbers on every backend). Differentiable in every parameter
 * (τ included), so `tf.grad` through it is full BPTT. On a backend with the fused recurrence
 * (`CT_RNN_KERNEL` of `@dale-nn/core`, e.g. `@dale-nn/openblas`) the T steps and their BPTT run
 * as one kernel call each; W_in ũ_t + b, α, W_rec's parametrisation and the readout stay tfjs ops.
 *
 * @param params - effective W_in, W_rec, b, W_out, b_out, τ and v_0
 * @param inputs - u, [B, T, nIn]
 * @param options - dt, φ, noise levels and seed, `fused`
 * @returns states v_1 … v_T [B, T, n] and outputs z_1 … z_T [B, T, nOut] (the caller owns both)
 * @throws RangeError on dt ≤ 0, dt > τ or τ ≤ 0 (naming the unit), T = 0, mismatched shapes, a
 *   negative noise level, or noise without a seed
 * @example
 * const { outputs } = ctRnnForward({ wIn, wRec, bias, wOut, biasOut, tau }, u, { dt: 20, noise: false });
 */
export function ctRnnForward(params: CtRnnParams, inputs: Tensor3D, options: CtRnnForwardOptions): CtRnnForwardResult {
  const name = options.name ?? "ctRnnForward";
  const dt = options.dt;
  if (typeof dt !== "number" || !(dt > 0) || !Number.isFinite(dt)) throw new RangeError(`${name}: dt must be a finite number > 0 (ms); got ${formatValue(dt)}`);
  if (inputs.rank !== 3) throw shapeError(name, "inputs", "rank 3 [B, T, nIn]", inputs.shape);
  const [B, T, nIn] = inputs.shape;
  if (T === 0) throw new RangeError(`${name}: sequence length T must be >= 1; got 0`);
  const [n, dIn] = params.wIn.shape;
  if (dIn !== nIn) throw new RangeError(`${name}: input width must be ${dIn} (columns of W_in); got ${nIn}`);
  if (params.wRec.shape[0] !== n || params.wRec.shape[1] !== n) throw shapeError(name, "W_rec", `[${n}, ${n}]`, params.wRec.shape);
  if (params.bias.shape.length !== 1 || params.bias.shape[0] !== n) throw shapeError(name, "b", `[${n}]`, params.bias.shape);
  if (params.tau.shape.length !== 1 || params.tau.shape[0] !== n) throw shapeError(name, "tau", `[${n}]`, params.tau.shape);
  const nOut = params.wOut.shape[0];
  if (params.wOut.shape[1] !== n) throw shapeError(name, "W_out", `[nOut, ${n}]`, params.wOut.shape);
  if (params.biasOut.shape.length !== 1 || params.biasOut.shape[0] !== nOut) throw shapeError(name, "b_out", `[${nOut}]`, params.biasOut.shape);
  if (params.v0 && !(params.v0.shape[params.v0.rank - 1] === n && (params.v0.rank === 1 || (params.v0.rank === 2 && params.v0.shape[0] === B)))) {
    throw shapeError(name, "v0", `[${n}] or [${B}, ${n}]`, params.v0.shape);
  }
  if (options.checkTau ?? true) {
    const tau = params.tau.dataSync();
    for (let i = 0; i < tau.length; i++) {
      if (!(tau[i]! > 0)) throw new RangeError(`${name}: tau must be > 0 for every unit; tau[${i}] = ${tau[i]}`);
      if (dt > tau[i]! * (1 + 1e-6)) throw new RangeError(`${name}: dt = ${dt} ms must be <= tau of every unit (α = dt/τ ≤ 1); tau[${i}] = ${tau[i]} ms`);
    }
  }
  const activation = options.activation ?? "relu";
  const sigmaRec = options.recurrentNoise ?? 0;
  const sigmaIn = options.inputNoise ?? 0;
  for (const [k, s] of [["recurrentNoise", sigmaRec], ["inputNoise", sigmaIn]] as const) {
    if (typeof s !== "number" || !(s >= 0) || !Number.isFinite(s)) throw new RangeError(`${name}: ${k} must be a finite number >= 0; got ${formatValue(s)}`);
  }
  const noisy = (options.noise ?? true) && (sigmaRec > 0 || sigmaIn > 0);
  if (noisy && (typeof options.seed !== "number" || !Number.isInteger(options.seed) || options.seed < 0)) {
    throw new RangeError(`${name}: noise needs a seed (an integer >= 0; randomness is explicit in dale-nn); got ${formatValue(options.seed)}`);
  }
  return tidy(() => {
    const alpha = div(dt, params.tau) as Tensor1D;
    let u: Tensor = inputs;
    if (noisy && sigmaIn > 0) u = add(u, mul(transpose(normals(deriveSeed(options.seed!, "input-noise"), T, B, nIn), [1, 0, 2]), sigmaIn));
    // W_in ũ_t + b for every step in one product, time-major [T, B, n].
    const driveTimeMajor = transpose(reshape(add(linear(reshape(u, [B * T, nIn]) as Tensor2D, params.wIn), params.bias), [B, T, n]), [1, 0, 2]) as Tensor3D;
    const xi = noisy && sigmaRec > 0 ? normals(deriveSeed(options.seed!, "recurrent-noise"), T, B, n) : null;
    const v0: Tensor2D = (params.v0 ? add(zeros([B, n]), params.v0) : zeros([B, n])) as Tensor2D;
    let s: Tensor3D;
    if (options.fused !== false && isCtRnnAvailable() && inputs.dtype === "float32") {
      // The noise √(2α) σ ξ_t added after a step is √(2/α) σ ξ_t inside α ⊙ (…): part of the drive.
      const drive = xi ? (add(driveTimeMajor, mul(xi, mul(sqrt(div(2, alpha)), sigmaRec))) as Tensor3D) : driveTimeMajor;
      s = transpose(runCtRnnKernel({ drive, w: params.wRec, alpha, v0 }, { activation }).states, [1, 0, 2]) as Tensor3D;
    } else {
      const keep = sub(1, alpha);
      const drive = perStep(driveTimeMajor);
      const recNoise = xi ? perStep(mul(xi, mul(sqrt(mul(alpha, 2)), sigmaRec))) : null;
      let v: Tensor = v0;
      const states: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const inner = add(drive[t]!, linear(ctActivation(v, activation) as Tensor2D, params.wRec));
        v = add(mul(keep, v), mul(alpha, inner));
        if (recNoise) v = add(v, recNoise[t]!);
        states.push(v);
      }
      // Stacked time-major, then transposed: the gradient of a stack along axis 1 is an unstack
      // along axis 1, which tfjs's CPU kernels do element by element (measured: 85% of a training
      // step of 100 units over 50 steps); along axis 0 each slice is one contiguous copy.
      s = transpose(stack(states, 0), [1, 0, 2]) as Tensor3D;
    }
    const rates = reshape(ctActivation(s, activation), [B * T, n]) as Tensor2D;
    const outputs = reshape(add(linear(rates, params.wOut), params.biasOut), [B, T, nOut]) as Tensor3D;
    return { states: s, outputs };
  });
}

