import { add, mul, relu, sigmoid, sub, type Tensor1D, type Tensor4D } from "@tensorflow/tfjs-core";
import type { SeparableKernel } from "./separable-conv.js";
import { convBatchNorm, type ConvBatchNormParams, type ConvBatchNormSteps } from "./conv-batch-norm.js";
import { resolveConvCellOptions, type ConvCellAblation, type ConvCellOptions, type ResolvedConvCellOptions } from "./conv-cell-options.js";
import { checkBatchNormSteps, checkImage, checkKernel, checkVector, conv, signedAdd, stepInputs, zeroState } from "./internal/cell-support.js";

/** The ablations a StandardEI cell accepts. */
export const STANDARD_EI_ABLATIONS: readonly ConvCellAblation[] = ["none", "no-i"];

/**
 * The parameters of a StandardEI cell (paper 002, eq. 1): six separable 3 × 3 convs, biases b_E
 * [E], b_I [I], and the trainable forget-gate vectors f̃_E [E], f̃_I [I].
 */
export interface StandardEiCellParams {
  readonly xToE: SeparableKernel;
  readonly xToI: SeparableKernel;
  readonly eToE: SeparableKernel;
  readonly eToI: SeparableKernel;
  readonly iToE: SeparableKernel;
  readonly iToI: SeparableKernel;
  readonly bE: Tensor1D;
  readonly bI: Tensor1D;
  readonly fE: Tensor1D;
  readonly fI: Tensor1D;
}

/** The state of a StandardEI cell: E_{t−1} [B, H, W, E] and I_{t−1} [B, H, W, I]. */
export interface StandardEiCellState {
  readonly e: Tensor4D;
  readonly i: Tensor4D;
}

/** Options of {@link standardEiCellStep}. */
export interface StandardEiCellStepOptions extends ConvCellOptions {
  /** This step's BatchNorm on Curr_E, or null / absent for none. */
  readonly batchNorm?: { readonly params: ConvBatchNormParams; readonly training: boolean; readonly epsilon?: number } | null;
}

/** What one step of a StandardEI cell returns. */
export interface StandardEiCellStepResult {
  /** E_t [B, H, W, E], the output to the next area. */
  readonly output: Tensor4D;
  readonly state: StandardEiCellState;
  /** BatchNorm batch statistics of Curr_E (training mode), else null. */
  readonly batchStatistics: { readonly mean: Tensor1D; readonly variance: Tensor1D } | null;
}

function checkParams(context: string, p: StandardEiCellParams, cin: number): void {
  const e = p.bE.shape[0];
  const i = p.bI.shape[0];
  checkKernel(context, "xToE", p.xToE, cin, e);
  checkKernel(context, "xToI", p.xToI, cin, i);
  checkKernel(context, "eToE", p.eToE, e, e);
  checkKernel(context, "eToI", p.eToI, e, i);
  checkKernel(context, "iToE", p.iToE, i, e);
  checkKernel(context, "iToI", p.iToI, i, i);
  checkVector(context, "fE", p.fE, e);
  checkVector(context, "fI", p.fI, i);
}

interface InputDrive {
  readonly e: Tensor4D;
  readonly i: Tensor4D;
}

function inputDrive(x: Tensor4D, p: StandardEiCellParams, o: ResolvedConvCellOptions): InputDrive {
  return { e: conv(x, p.xToE, o.constraint), i: conv(x, p.xToI, o.constraint) };
}

function stepFromDrive(
  drive: InputDrive,
  state: StandardEiCellState,
  p: StandardEiCellParams,
  o: ResolvedConvCellOptions,
  bn: StandardEiCellStepOptions["batchNorm"],
): StandardEiCellStepResult {
  const k = o.constraint;
  const sE: 1 | -1 = o.principal === "excitatory" ? 1 : -1; // sign of E's local outgoing kernels
  const sI: 1 | -1 = sE > 0 ? -1 : 1; // sign of I's
  const currE = add(signedAdd(signedAdd(drive.e, conv(state.e, p.eToE, k), sE), conv(state.i, p.iToE, k), sI), p.bE) as Tensor4D;
  const currI = add(signedAdd(signedAdd(drive.i, conv(state.e, p.eToI, k), sE), conv(state.i, p.iToI, k), sI), p.bI) as Tensor4D;
  const fE = sigmoid(add(p.fE, o.forgetOffset));
  const fI = sigmoid(add(p.fI, o.forgetOffset));
  let normE = currE;
  let batchStatistics: StandardEiCellStepResult["batchStatistics"] = null;
  if (bn) {
    const r = convBatchNorm(currE, bn.params, bn.training, bn.epsilon);
    normE = r.y;
    batchStatistics = r.batchStatistics;
  }
  const e = add(mul(fE, state.e), mul(sub(1, fE), relu(normE))) as Tensor4D;
  const iActive = add(mul(fI, state.i), mul(sub(1, fI), relu(currI))) as Tensor4D;
  const i = o.ablation === "no-i" ? (mul(iActive, 0) as Tensor4D) : iActive;
  return { output: e, state: { e, i }, batchStatistics };
}

/**
 * One step of the StandardEI cell (paper 002, eq. 1; reference code EICell), every * a 3 × 3
 * depthwise-separable conv with W = |W̃| (constraint "abs"):
 *
 * ```
 * Curr_E = W_X→E * X_t + s·W_E→E * E_{t−1} − s·W_I→E * I_{t−1} + b_E
 * Curr_I = W_X→I * X_t + s·W_E→I * E_{t−1} − s·W_I→I * I_{t−1} + b_I
 * E_t = f_E ∘ E_{t−1} + (1 − f_E) ∘ ReLU(BN_t(Curr_E))
 * I_t = f_I ∘ I_{t−1} + (1 − f_I) ∘ ReLU(Curr_I)                      (× 0 for "no-i")
 * f = σ(f̃ + forgetOffset)   (per channel; the paper writes σ(f̃), the code adds 1.0, the default)
 * ```
 *
 * with s = +1; InhPN (`principal: "inhibitory"`) flips every local kernel, s = −1 (E is then the
 * inhibitory principal population, I the excitatory interneurons). NoConstraint
 * (`constraint: "none"`) uses W = W̃ with the same signs.
 *
 * @param x - X_t [B, H, W, C_in]
 * @param state - (E_{t−1}, I_{t−1})
 * @param params - kernels, biases and f̃ ({@link StandardEiCellParams})
 * @param options - constraint, principal, ablation ("none" or "no-i"), forgetOffset, this step's BatchNorm
 * @returns E_t, the new state and the BatchNorm batch statistics
 * @throws RangeError / TypeError naming a wrong shape or option value
 * @example
 * const { output, state: next } = standardEiCellStep(x, state, params);
 */
export function standardEiCellStep(x: Tensor4D, state: StandardEiCellState, params: StandardEiCellParams, options: StandardEiCellStepOptions = {}): StandardEiCellStepResult {
  const context = "standardEiCellStep";
  const o = resolveConvCellOptions(context, options, STANDARD_EI_ABLATIONS);
  checkImage(context, "x", x, x.shape[3] ?? 0);
  checkParams(context, params, x.shape[3]);
  checkImage(context, "state.e", state.e, params.bE.shape[0], x);
  checkImage(context, "state.i", state.i, params.bI.shape[0], x);
  if (options.batchNorm) checkBatchNormSteps(context, { steps: [options.batchNorm.params], training: options.batchNorm.training }, 1, params.bE.shape[0]);
  return stepFromDrive(inputDrive(x, params, o), state, params, o, options.batchNorm ?? null);
}

/** Options of {@link standardEiCellUnroll}. */
export interface StandardEiCellUnrollOptions extends ConvCellOptions {
  /** T for a static input (fed at every step); must match the sequence length otherwise. */
  readonly timeSteps?: number;
  /** (E_0, I_0); default zeros. */
  readonly initialState?: StandardEiCellState;
  /** BatchNorm on Curr_E with separate parameters per step, or null / absent for none. */
  readonly batchNorm?: ConvBatchNormSteps | null;
}

/** What {@link standardEiCellUnroll} returns (one entry per step in each list). */
export interface StandardEiCellUnrollResult {
  /** E_t per step. */
  readonly outputs: Tensor4D[];
  /** I_t per step (after the ablation). */
  readonly inhibitory: Tensor4D[];
  readonly state: StandardEiCellState;
  readonly batchStatistics: ReadonlyArray<StandardEiCellStepResult["batchStatistics"]>;
}

/**
 * Unrolls the StandardEI cell ({@link standardEiCellStep}) over T steps: a single input is fed at
 * every step (its X→ convs computed once), an array is a sequence; BatchNorm step t uses
 * `batchNorm.steps[t]`.
 *
 * @param input - a static [B, H, W, C_in] input or one per step
 * @param params - kernels, biases and f̃
 * @param options - cell options, timeSteps, initial state, per-step BatchNorm
 * @returns E and I of every step, BatchNorm statistics, and the final state
 * @throws RangeError / TypeError naming a wrong shape, step count or option value
 * @example
 * const { outputs } = standardEiCellUnroll(x, params, { timeSteps: 4 });
 */
export function standardEiCellUnroll(input: Tensor4D | readonly Tensor4D[], params: StandardEiCellParams, options: StandardEiCellUnrollOptions = {}): StandardEiCellUnrollResult {
  const context = "standardEiCellUnroll";
  const o = resolveConvCellOptions(context, options, STANDARD_EI_ABLATIONS);
  const { inputs, isStatic } = stepInputs(context, input, options.timeSteps);
  const first = inputs[0]!;
  checkImage(context, "input", first, first.shape[3] ?? 0);
  inputs.forEach((x, t) => checkImage(context, `input[${t}]`, x, first.shape[3], first));
  checkParams(context, params, first.shape[3]);
  const E = params.bE.shape[0];
  const I = params.bI.shape[0];
  checkBatchNormSteps(context, options.batchNorm, inputs.length, E);
  let state: StandardEiCellState = options.initialState ?? { e: zeroState(first, E), i: zeroState(first, I) };
  checkImage(context, "initialState.e", state.e, E, first);
  checkImage(context, "initialState.i", state.i, I, first);
  const staticDrive = isStatic ? inputDrive(first, params, o) : null;
  const outputs: Tensor4D[] = [];
  const inhibitory: Tensor4D[] = [];
  const batchStatistics: Array<StandardEiCellStepResult["batchStatistics"]> = [];
  inputs.forEach((x, t) => {
    const bn = options.batchNorm ? { params: options.batchNorm.steps[t]!, training: options.batchNorm.training, epsilon: options.batchNorm.epsilon } : null;
    const r = stepFromDrive(staticDrive ?? inputDrive(x, params, o), state, params, o, bn);
    state = r.state;
    outputs.push(r.output);
    inhibitory.push(r.state.i);
    batchStatistics.push(r.batchStatistics);
  });
  return { outputs, inhibitory, state, batchStatistics };
}
