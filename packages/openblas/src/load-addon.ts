import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The functions of the compiled addon (native/dale_openblas.c). Matrices are row-major. */
export interface OpenBlasAddon {
  /** C_i = op(A_i) op(B_i) for i < batch; op(A) is m x k; strides of 0 broadcast. */
  sgemmBatched(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    aBatchStride: number,
    bBatchStride: number,
  ): void;
  /** LAPACK dgeev, values only; overwrites `a`; returns LAPACK's info (0 = success). */
  eigenvalues(a: Float64Array, n: number, wr: Float64Array, wi: Float64Array): number;
  /** LAPACK dgesdd, values only; overwrites `a`; returns LAPACK's info (0 = success). */
  singularValues(a: Float64Array, rows: number, cols: number, s: Float64Array): number;
  /** out = a (op) b; mode 0 same shape, 1 b scalar, 2 a scalar, 3 b repeats every `block`, 4 a repeats. */
  binary(op: number, mode: number, a: Float32Array, b: Float32Array, out: Float32Array, block: number): void;
  /** out = f(x) for opcode f; alpha is Step's value at x <= 0. */
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  /** H_t = relu(U_t + H_{t-1} Wᵀ) for time-major u, h: [T, B, n]; w: [n, n]; h0: [B, n]. */
  reluRnnForward(u: Float32Array, w: Float32Array, h0: Float32Array, h: Float32Array, steps: number, batch: number, n: number): void;
  /** BPTT of reluRnnForward given dL/dH (all states) and/or dL/dH_{T−1} (either may be empty): writes dL/dU, dL/dW and dL/dh0. */
  reluRnnBackward(
    dh: Float32Array,
    dhLast: Float32Array,
    h: Float32Array,
    w: Float32Array,
    h0: Float32Array,
    du: Float32Array,
    dw: Float32Array,
    dh0: Float32Array,
    steps: number,
    batch: number,
    n: number,
  ): void;
  /**
   * A whole ReLU RNN layer: H_t = relu(X_t Uᵀ + b + H_{t−1} Wᵀ) for batch-major x [B, T, d],
   * u [n, d], bias [n], w [n, n], h0 [B, n]; writes h, batch-major [B, T, n] (timeMajor 0) or
   * time-major [T, B, n] (1), and, unless last is empty, last = H_{T−1} [B, n].
   */
  reluRnnV2Forward(
    x: Float32Array, u: Float32Array, bias: Float32Array, w: Float32Array, h0: Float32Array, h: Float32Array, last: Float32Array,
    batch: number, steps: number, d: number, n: number, timeMajor: number,
  ): void;
  /**
   * BPTT of reluRnnV2Forward given dL/dH (every state, batch-major; only with batch-major h)
   * and/or dL/dH_{T−1} (either may be empty): writes dL/dU, dL/db, dL/dW, dL/dh0 and, unless dx
   * is empty, dL/dx [B, T, d]; scratch [B·T·n] is overwritten.
   */
  reluRnnV2Backward(
    dh: Float32Array, dhLast: Float32Array, x: Float32Array, h: Float32Array, u: Float32Array, w: Float32Array, h0: Float32Array,
    dx: Float32Array, du: Float32Array, db: Float32Array, dw: Float32Array, dh0: Float32Array, scratch: Float32Array,
    batch: number, steps: number, d: number, n: number, timeMajor: number,
  ): void;
  /**
   * Continuous-time Euler recurrence v_{t+1} = (1 − α) v_t + α (φ(v_t) Wᵀ + d_t) for time-major
   * drive, states: [T, B, n]; w: [n, n]; alpha: [n]; v0: [B, n]; activation 0 relu, 1 softplus, 2 tanh.
   */
  ctRnnForward(drive: Float32Array, w: Float32Array, alpha: Float32Array, v0: Float32Array, states: Float32Array, steps: number, batch: number, n: number, activation: number): void;
  /** BPTT of ctRnnForward given dL/dstates: writes dL/ddrive, dL/dW, dL/dα and dL/dv0. */
  ctRnnBackward(
    dy: Float32Array, states: Float32Array, drive: Float32Array, w: Float32Array, alpha: Float32Array, v0: Float32Array,
    dDrive: Float32Array, dw: Float32Array, dAlpha: Float32Array, dv0: Float32Array,
    steps: number, batch: number, n: number, activation: number,
  ): void;
  /** out = P(w − lr·g) in float32; projection 0 none, 1 onto ≥ 0, 2 onto ≤ 0. */
  sgdStep(w: Float32Array, g: Float32Array, out: Float32Array, lr: number, projection: number): void;
  /**
   * One optimiser step of n variables (method 0 sgd, 1 momentum, 2 adam): writes outs[i] (may be
   * ws[i] itself) and stateOuts; perVariable is [lr, gradScale, projection] per variable, hyper
   * [momentum, nesterov, beta1, beta2, epsilon, biasCorrection1, biasCorrection2].
   */
  multiStep(
    method: number, ws: Float32Array[], gs: Float32Array[], outs: Float32Array[], states: Float32Array[], stateOuts: Float32Array[],
    perVariable: Float64Array, hyper: Float64Array,
  ): void;
  /** DANN dense forward (eq. 1): writes z, c = z_E − W_EI z_I, γ and z_I. */
  dannDenseForward(
    x: Float32Array, wEE: Float32Array, wIE: Float32Array, wEI: Float32Array, alpha: Float32Array, g: Float32Array, beta: Float32Array,
    z: Float32Array, c: Float32Array, gamma: Float32Array, zI: Float32Array,
    batch: number, d: number, ne: number, ni: number, eps: number,
  ): void;
  /** DANN dense backward: writes the weight gradients, q = dL/dc and dL/dz_I (dL/dx = q W_EE + dzI W_IE). */
  dannDenseBackward(
    dz: Float32Array, x: Float32Array, wEI: Float32Array, alpha: Float32Array, g: Float32Array, c: Float32Array, gamma: Float32Array, zI: Float32Array,
    dwEE: Float32Array, dwIE: Float32Array, dwEI: Float32Array, dalpha: Float32Array, dg: Float32Array, dbeta: Float32Array, q: Float32Array, dzI: Float32Array,
    batch: number, d: number, ne: number, ni: number,
  ): void;
  /**
   * DaleDannDense_v2 forward: y = f(z) and the packed saved tensor (rows [c | γ | z_I], then g and
   * e^α, when divisive; rows z_I otherwise); alpha and g empty when not divisive; activation 0
   * linear, 1 ReLU.
   */
  dannDenseV2Forward(
    x: Float32Array, wEE: Float32Array, wIE: Float32Array, wEI: Float32Array, b: Float32Array, alpha: Float32Array, g: Float32Array,
    y: Float32Array, saved: Float32Array,
    batch: number, d: number, ne: number, ni: number, divisive: number, activation: number, eps: number,
  ): void;
  /**
   * DaleDannDense_v2 backward: writes dW_EE, dW_IE, dW_EI, db, (dα, dg when divisive) and dx when
   * inputGradient is 1; the arrays of absent outputs are empty.
   */
  dannDenseV2Backward(
    dy: Float32Array, x: Float32Array, wEE: Float32Array, wIE: Float32Array, wEI: Float32Array, y: Float32Array, saved: Float32Array,
    dwEE: Float32Array, dwIE: Float32Array, dwEI: Float32Array, db: Float32Array, dalpha: Float32Array, dg: Float32Array, dx: Float32Array,
    batch: number, d: number, ne: number, ni: number, divisive: number, activation: number, inputGradient: number,
  ): void;
  /** Dense forward: y = f(x Wᵀ + b) for x [batch, d], W [units, d]; activation 0 linear, 1 ReLU. */
  denseForward(x: Float32Array, w: Float32Array, b: Float32Array, y: Float32Array, batch: number, d: number, units: number, activation: number): void;
  /** Dense backward: dz = dy ⊙ f′ (relu′ read from y), dW = dzᵀ x, db = Σ_batch dz (dL/dx = dz W). */
  denseBackward(
    dy: Float32Array, x: Float32Array, y: Float32Array, dz: Float32Array, dw: Float32Array, db: Float32Array,
    batch: number, d: number, units: number, activation: number,
  ): void;
  /** Mean softmax cross-entropy of logits [batch, classes] against labels into loss[0]; dlogits = (softmax − labels) / batch. */
  softmaxCrossEntropy(logits: Float32Array, labels: Float32Array, loss: Float32Array, dlogits: Float32Array, batch: number, classes: number): void;
  /** out[j] = Σ_r x[r·inner + j] for r < outer, in float64 per column, rounded once. */
  sumLeadingAxes(x: Float32Array, out: Float32Array, outer: number, inner: number): void;
  /** out[j][i][:] = x[i][j][:] for x [p, q, c]. */
  swapLeadingAxes(x: Float32Array, out: Float32Array, p: number, q: number, c: number): void;
  /**
   * The convolution and pooling loops take the window geometry as an Int32Array [n, h, w, cin, oh,
   * ow, cout, kh, kw, sh, sw, pt, pl] (NHWC input [n, h, w, cin], output [n, oh, ow, cout], window
   * kh × kw, strides, top / left padding; see conv-geometry.ts). Every output element is written.
   */
  /** Depthwise conv, channel multiplier 1: y[b, oy, ox, c] = Σ x[b, oy·sh − pt + ky, ox·sw − pl + kx, c] · w[ky, kx, c]. */
  depthwiseConv2dForward(x: Float32Array, w: Float32Array, y: Float32Array, geometry: Int32Array): void;
  /** Its input gradient dx from dy and w. */
  depthwiseConv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  /** Its filter gradient dw [kh, kw, c] from x and dy (each image in float32, the images summed in float64). */
  depthwiseConv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: Int32Array): void;
  /** Regular conv y [M, cout] = X̂ [M, K] · W [K, cout] (im2col + sgemm; one sgemm for 1 × 1, stride 1). */
  conv2dForward(x: Float32Array, w: Float32Array, y: Float32Array, geometry: Int32Array): void;
  /** Its input gradient dx = col2im(dy Wᵀ). */
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  /** Its filter gradient dW = X̂ᵀ dy. */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: Int32Array): void;
  /** Max-pooling (cout = cin): y = the window's maximum, tfjs's first-strict-maximum scan from −∞. */
  maxPool(x: Float32Array, y: Float32Array, geometry: Int32Array): void;
  /** Its gradient: dx[first maximum of each window] += dy, windows in increasing output order. */
  maxPoolGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  /** FusedBatchNorm: y = offset + (x − mean) · scale / √(variance + ε) per channel (arrays of `channels` values), float64, rounded once. */
  batchNorm(x: Float32Array, mean: Float32Array, variance: Float32Array, scale: Float32Array, offset: Float32Array, y: Float32Array, channels: number, epsilon: number): void;
  /** Training-mode BatchNorm over the positions of x [P, C]: writes y, the batch mean and the biased batch variance. */
  batchNormTrainForward(x: Float32Array, gamma: Float32Array, beta: Float32Array, y: Float32Array, mean: Float32Array, variance: Float32Array, channels: number, epsilon: number): void;
  /** Its gradient given dL/dy, dL/dmean and dL/dvariance: writes dx, dγ, dβ. */
  batchNormTrainBackward(
    dy: Float32Array, dmean: Float32Array, dvariance: Float32Array, x: Float32Array, gamma: Float32Array, mean: Float32Array, variance: Float32Array,
    dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, channels: number, epsilon: number,
  ): void;
  setThreads(threads: number): void;
  getThreads(): number;
  /** OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 … Cooperlake MAX_THREADS=64". */
  config(): string;
}

/** Whether the addon loaded, and why not when it did not. */
export type AddonStatus = { available: true; addon: OpenBlasAddon } | { available: false; reason: string };

let cached: AddonStatus | undefined;

function packageRoot(): string {
  // dist/index.js, dist/index.cjs and src/*.ts all sit one level below the package root.
  const here = typeof __dirname === "string" ? __dirname : dirname(fileURLToPath(import.meta.url));
  return join(here, "..");
}

/**
 * Loads build/Release/dale_openblas.node once.
 *
 * @returns `{ available: true, addon }`, or `{ available: false, reason }` with a one-line reason
 */
export function loadOpenBlasAddon(): AddonStatus {
  cached ??= loadAddonFile(join(packageRoot(), "build", "Release", "dale_openblas.node"), process.env.DALE_OPENBLAS_DISABLE === "1");
  return cached;
}

/** @internal Loads an addon file (not cached); `disabled` short-circuits with a reason. */
export function loadAddonFile(file: string, disabled = false): AddonStatus {
  if (disabled) return { available: false, reason: "disabled by DALE_OPENBLAS_DISABLE=1" };
  if (!existsSync(file)) {
    return { available: false, reason: `addon not built (${file} missing: apt-get install libopenblas-dev, then npm rebuild @dale-nn/openblas)` };
  }
  try {
    const addon = createRequire(join(packageRoot(), "package.json"))(file) as OpenBlasAddon;
    return { available: true, addon };
  } catch (error) {
    return { available: false, reason: `addon failed to load: ${(error as Error).message.split("\n")[0]}` };
  }
}
