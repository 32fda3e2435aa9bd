import { add, mul, relu, sigmoid, sub, type Tensor1D, type Tensor4D } from "@tensorflow/tfjs-core";
import type { SeparableKernel } from "./separable-conv.js";
import { convBatchNorm, type ConvBatchNormParams, type ConvBatchNormSteps } from "./conv-batch-norm.js";
import { CONV_CELL_ABLATIONS, resolveConvCellOptions, type ConvCellOptions, type ResolvedConvCellOptions } from "./conv-cell-options.js";
import { checkBatchNormSteps, checkImage, checkKernel, checkVector, conv, signedAdd, stepInputs, zeroState } from "./internal/cell-support.js";

/**
 * The parameters of a Standard cell (paper 002, Sec. 1): ten separable 3 × 3 convs (each with its
 * own depthwise and pointwise kernel) and six bias vectors. X is the input (C_in channels), PN the
 * principal neurons (P channels), IG / OG the input- and output-gating interneurons (G_i, G_o).
 * Biases sit on the PN→ convs (b_f, b_IG, b_OG, b_c) and on the gate convs (b_i, b_o), as in the
 * reference code; the X→ convs have none.
 */
export interface StandardCellParams {
  readonly xToF: SeparableKernel;
  readonly xToIg: SeparableKernel;
  readonly xToOg: SeparableKernel;
  readonly xToPn: SeparableKernel;
  readonly pnToF: SeparableKernel;
  readonly pnToIg: SeparableKernel;
  readonly pnToOg: SeparableKernel;
  readonly pnToPn: SeparableKernel;
  readonly igToPn: SeparableKernel;
  readonly ogToPn: SeparableKernel;
  /** [P] */
  readonly bF: Tensor1D;
  /** [G_i] */
  readonly bIg: Tensor1D;
  /** [P] */
  readonly bI: Tensor1D;
  /** [G_o] */
  readonly bOg: Tensor1D;
  /** [P] */
  readonly bO: Tensor1D;
  /** [P] */
  readonly bC: Tensor1D;
}

/** The state a Standard cell carries: PN_{t−1} and the (BatchNorm-normalised) cell state C_{t−1}, both [B, H, W, P]. */
export interface StandardCellState {
  readonly pn: Tensor4D;
  readonly c: Tensor4D;
}

/** Options of {@link standardCellStep}. */
export interface StandardCellStepOptions extends ConvCellOptions {
  /** This step's BatchNorm on C_t, or null / absent for none. */
  readonly batchNorm?: { readonly params: ConvBatchNormParams; readonly training: boolean; readonly epsilon?: number } | null;
}

/** What one step of a Standard cell returns. */
export interface StandardCellStepResult {
  /** PN_t [B, H, W, P], the output to the next area. */
  readonly output: Tensor4D;
  /** The new state (PN_t, C_t). */
  readonly state: StandardCellState;
  /** IG_t [B, H, W, G_i] (after ReLU and the ablation). */
  readonly ig: Tensor4D;
  /** OG_t [B, H, W, G_o] (after ReLU and the ablation). */
  readonly og: Tensor4D;
  /** BatchNorm batch statistics of C_t (training mode), else null. */
  readonly batchStatistics: { readonly mean: Tensor1D; readonly variance: Tensor1D } | null;
}

/** Sizes of a Standard cell, read from its parameters. */
function sizesOf(p: StandardCellParams): { p: number; gi: number; go: number } {
  return { p: p.bC.shape[0], gi: p.bIg.shape[0], go: p.bOg.shape[0] };
}

function checkParams(context: string, params: StandardCellParams, cin: number): void {
  const { p, gi, go } = sizesOf(params);
  checkKernel(context, "xToF", params.xToF, cin, p);
  checkKernel(context, "xToIg", params.xToIg, cin, gi);
  checkKernel(context, "xToOg", params.xToOg, cin, go);
  checkKernel(context, "xToPn", params.xToPn, cin, p);
  checkKernel(context, "pnToF", params.pnToF, p, p);
  checkKernel(context, "pnToIg", params.pnToIg, p, gi);
  checkKernel(context, "pnToOg", params.pnToOg, p, go);
  checkKernel(context, "pnToPn", params.pnToPn, p, p);
  checkKernel(context, "igToPn", params.igToPn, gi, p);
  checkKernel(context, "ogToPn", params.ogToPn, go, p);
  checkVector(context, "bF", params.bF, p);
  checkVector(context, "bI", params.bI, p);
  checkVector(context, "bO", params.bO, p);
}

interface InputDrive {
  readonly f: Tensor4D;
  readonly ig: Tensor4D;
  readonly og: Tensor4D;
  readonly pn: Tensor4D;
}

/** The X→ convs, computed once for a static input. */
function inputDrive(x: Tensor4D, p: StandardCellParams, o: ResolvedConvCellOptions): InputDrive {
  return { f: conv(x, p.xToF, o.constraint), ig: conv(x, p.xToIg, o.constraint), og: conv(x, p.xToOg, o.constraint), pn: conv(x, p.xToPn, o.constraint) };
}

function stepFromDrive(
  drive: InputDrive,
  state: StandardCellState,
  p: StandardCellParams,
  o: ResolvedConvCellOptions,
  bn: StandardCellStepOptions["batchNorm"],
): StandardCellStepResult {
  const k = o.constraint;
  const excitatory = o.principal === "excitatory";
  const s = excitatory ? 1 : -1; // sign of the PN's local outgoing kernels (InhPN flips it)
  const recurrent = (a: Tensor4D, kernel: SeparableKernel): Tensor4D => signedAdd(a, conv(state.pn, kernel, k), s);
  const f = sigmoid(add(add(recurrent(drive.f, p.pnToF), p.bF), o.forgetOffset)) as Tensor4D;
  const igActive = relu(add(recurrent(drive.ig, p.pnToIg), p.bIg)) as Tensor4D;
  const ogActive = relu(add(recurrent(drive.og, p.pnToOg), p.bOg)) as Tensor4D;
  const ig = o.ablation === "no-ig" || o.ablation === "no-i" ? (mul(igActive, 0) as Tensor4D) : igActive;
  const og = o.ablation === "no-og" || o.ablation === "no-i" ? (mul(ogActive, 0) as Tensor4D) : ogActive;
  const i = sigmoid(add(conv(ig, p.igToPn, k), p.bI)) as Tensor4D;
  const oGate = relu(add(conv(og, p.ogToPn, k), p.bO)) as Tensor4D;
  const candidate = relu(add(recurrent(drive.pn, p.pnToPn), p.bC)) as Tensor4D;
  const inputGate = excitatory ? sub(1, i) : i;
  const pre = add(mul(f, state.c), mul(inputGate, candidate)) as Tensor4D;
  let c = pre;
  let batchStatistics: StandardCellStepResult["batchStatistics"] = null;
  if (bn) {
    const r = convBatchNorm(pre, bn.params, bn.training, bn.epsilon);
    c = r.y;
    batchStatistics = r.batchStatistics;
  }
  const pn = (excitatory ? relu(sub(c, oGate)) : relu(sub(add(c, oGate), o.inhibitoryPrincipalOffset))) as Tensor4D;
  return { output: pn, state: { pn, c }, ig, og, batchStatistics };
}

/**
 * One step of the Standard cell (paper 002, Sec. 1; reference code PVSSTCell), every * a 3 × 3
 * depthwise-separable conv with W = |W̃| (constraint "abs"):
 *
 * ```
 * f_t  = σ(W_X→f * X_t + s·W_PN→f * PN_{t−1} + b_f + forgetOffset)
 * IG_t = ReLU(W_X→IG * X_t + s·W_PN→IG * PN_{t−1} + b_IG)          (× 0 for "no-ig" / "no-i")
 * OG_t = ReLU(W_X→OG * X_t + s·W_PN→OG * PN_{t−1} + b_OG)          (× 0 for "no-og" / "no-i")
 * i_t  = σ(W_IG→PN * IG_t + b_i)          o_t = ReLU(W_OG→PN * OG_t + b_o)
 * u_t  = ReLU(W_X→PN * X_t + s·W_PN→PN * PN_{t−1} + b_c)
 * C_t  = BN_t[f_t ∘ C_{t−1} + (1 − i_t) ∘ u_t]          PN_t = ReLU(C_t − o_t)
 * ```
 *
 * with s = +1. InhPN (`principal: "inhibitory"`, code `flip_sign`): s = −1, the input gate is
 * i_t instead of 1 − i_t, and PN_t = ReLU(C_t + o_t − inhibitoryPrincipalOffset). NoConstraint
 * (`constraint: "none"`) uses W = W̃ with the same signs. forgetOffset and
 * inhibitoryPrincipalOffset default to the code's 1.0 (the paper writes 0).
 *
 * @param x - X_t [B, H, W, C_in]
 * @param state - (PN_{t−1}, C_{t−1}), each [B, H, W, P]
 * @param params - kernels and biases ({@link StandardCellParams})
 * @param options - constraint, principal, ablation, offsets, this step's BatchNorm
 * @returns PN_t, the new state, IG_t, OG_t and the BatchNorm batch statistics
 * @throws RangeError / TypeError naming a wrong shape or option value
 * @example
 * const { output, state: next } = standardCellStep(x, state, params, { batchNorm: null });
 */
export function standardCellStep(x: Tensor4D, state: StandardCellState, params: StandardCellParams, options: StandardCellStepOptions = {}): StandardCellStepResult {
  const context = "standardCellStep";
  const o = resolveConvCellOptions(context, options, CONV_CELL_ABLATIONS);
  checkImage(context, "x", x, x.shape[3] ?? 0);
  checkParams(context, params, x.shape[3]);
  const P = params.bC.shape[0];
  checkImage(context, "state.pn", state.pn, P, x);
  checkImage(context, "state.c", state.c, P, x);
  if (options.batchNorm) checkBatchNormSteps(context, { steps: [options.batchNorm.params], training: options.batchNorm.training }, 1, P);
  return stepFromDrive(inputDrive(x, params, o), state, params, o, options.batchNorm ?? null);
}

/** Options of {@link standardCellUnroll}. */
export interface StandardCellUnrollOptions extends ConvCellOptions {
  /** T for a static input (fed at every step); must match the sequence length otherwise. */
  readonly timeSteps?: number;
  /** (PN_0, C_0); default zeros (the paper's networks start at 0). */
  readonly initialState?: StandardCellState;
  /** BatchNorm on C_t with separate parameters per step, or null / absent for none. */
  readonly batchNorm?: ConvBatchNormSteps | null;
}

/** What {@link standardCellUnroll} returns (one entry per step in each list). */
export interface StandardCellUnrollResult {
  readonly outputs: Tensor4D[];
  readonly state: StandardCellState;
  readonly ig: Tensor4D[];
  readonly og: Tensor4D[];
  readonly batchStatistics: ReadonlyArray<StandardCellStepResult["batchStatistics"]>;
}

/**
 * Unrolls the Standard cell ({@link standardCellStep}) over T steps. A single [B, H, W, C_in]
 * input is a static input fed at every step (the feedforward output of areas 1-2, computed once,
 * and its X→ convs computed once); an array is a sequence X_1 … X_T (area 4 reads area 3's
 * pooled output of the same step). BatchNorm step t uses `batchNorm.steps[t]`.
 *
 * @param input - a static [B, H, W, C_in] input or one per step
 * @param params - kernels and biases
 * @param options - cell options, timeSteps, initial state, per-step BatchNorm
 * @returns the PN output, IG and OG activity and BatchNorm statistics of every step, and the final state
 * @throws RangeError / TypeError naming a wrong shape, step count or option value
 * @example
 * const { outputs } = standardCellUnroll(x, params, { timeSteps: 4, batchNorm: { steps: bn, training: true } });
 */
export function standardCellUnroll(input: Tensor4D | readonly Tensor4D[], params: StandardCellParams, options: StandardCellUnrollOptions = {}): StandardCellUnrollResult {
  const context = "standardCellUnroll";
  const o = resolveConvCellOptions(context, options, CONV_CELL_ABLATIONS);
  const { inputs, isStatic } = stepInputs(context, input, options.timeSteps);
  const first = inputs[0]!;
  checkImage(context, "input", first, first.shape[3] ?? 0);
  inputs.forEach((x, t) => checkImage(context, `input[${t}]`, x, first.shape[3], first));
  checkParams(context, params, first.shape[3]);
  const P = params.bC.shape[0];
  checkBatchNormSteps(context, options.batchNorm, inputs.length, P);
  let state: StandardCellState = options.initialState ?? { pn: zeroState(first, P), c: zeroState(first, P) };
  checkImage(context, "initialState.pn", state.pn, P, first);
  checkImage(context, "initialState.c", state.c, P, first);
  const staticDrive = isStatic ? inputDrive(first, params, o) : null;
  const outputs: Tensor4D[] = [];
  const ig: Tensor4D[] = [];
  const og: Tensor4D[] = [];
  const batchStatistics: Array<StandardCellStepResult["batchStatistics"]> = [];
  inputs.forEach((x, t) => {
    const bn = options.batchNorm ? { params: options.batchNorm.steps[t]!, training: options.batchNorm.training, epsilon: options.batchNorm.epsilon } : null;
    const r = stepFromDrive(staticDrive ?? inputDrive(x, params, o), state, params, o, bn);
    state = r.state;
    outputs.push(r.output);
    ig.push(r.ig);
    og.push(r.og);
    batchStatistics.push(r.batchStatistics);
  });
  return { outputs, state, ig, og, batchStatistics };
}
