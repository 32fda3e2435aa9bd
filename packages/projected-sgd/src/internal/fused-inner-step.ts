import { AdamOptimizer, MomentumOptimizer, mul, Optimizer, SGDOptimizer, tidy, zerosLike, type Tensor, type Variable } from "@tensorflow/tfjs-core";
import type { MultiTensorStepAttrs } from "@dale-nn/core";
import { canRunMultiTensorStep, runMultiTensorStep, type MultiStepVariable } from "./multi-tensor-step.js";
import type { StepEntry } from "./sign-projection.js";

/** A slot of tfjs's optimisers: a state variable and the name it is saved under. */
interface OptimizerSlot {
  originalName: string;
  variable: Variable;
}

/** The fields of tfjs 4's SGD, Momentum and Adam optimisers that their `applyGradients` reads. */
interface InnerState {
  learningRate: number;
  momentum?: number;
  useNesterov?: boolean;
  accumulations?: (OptimizerSlot | undefined)[];
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  accBeta1?: Variable;
  accBeta2?: Variable;
  accumulatedFirstMoment?: (OptimizerSlot | undefined)[];
  accumulatedSecondMoment?: (OptimizerSlot | undefined)[];
  incrementIterations(): void;
}

type SlotField = "accumulations" | "accumulatedFirstMoment" | "accumulatedSecondMoment";

/** The optimisers this runs: tfjs's own `applyGradients` of each, and its state slots as tfjs names them. */
const RULES: ReadonlyArray<{ className: "SGD" | "Momentum" | "Adam"; applyGradients: unknown; slots: ReadonlyArray<{ field: SlotField; suffix: string }> }> = [
  { className: "SGD", applyGradients: SGDOptimizer.prototype.applyGradients, slots: [] },
  { className: "Momentum", applyGradients: MomentumOptimizer.prototype.applyGradients, slots: [{ field: "accumulations", suffix: "momentum" }] },
  {
    className: "Adam",
    applyGradients: AdamOptimizer.prototype.applyGradients,
    slots: [
      { field: "accumulatedFirstMoment", suffix: "m" },
      { field: "accumulatedSecondMoment", suffix: "v" },
    ],
  },
];

/** The slot at a gradient-list position, created as tfjs creates it (zeros, not trainable, `${name}/${suffix}`). */
function slot(list: (OptimizerSlot | undefined)[], index: number, name: string, suffix: string, like: Variable): Variable {
  let s = list[index];
  if (s == null) {
    s = { originalName: `${name}/${suffix}`, variable: tidy(() => zerosLike(like).variable(false)) };
    list[index] = s;
  }
  return s.variable;
}

/**
 * Runs tfjs's own `SGDOptimizer`, `MomentumOptimizer` or `AdamOptimizer` step, followed by the
 * projection, as one multi-tensor kernel call (see `runMultiTensorStep`), on tfjs's own state
 * variables (so `getWeights` / `setWeights` and checkpoints are unchanged), with each
 * gradient's constant scale (`scales`, from the transforms) applied in the same pass. The
 * results are those of `inner.applyGradients` followed by the projection, to the bit.
 *
 * @param inner - the wrapped optimiser
 * @param order - every variable name in the order given to `applyGradients` (tfjs keys its
 *   slots by that position)
 * @param entries - the variables to update, with their (untransformed when `scales` is given) gradients
 * @param scales - per-variable gradient scale; absent: 1
 * @returns false (and nothing done) when the inner optimiser is of another class, or the kernel
 *   or a constraint does not allow it: the caller then runs `inner.applyGradients` and projects
 */
export function fusedInnerStep(inner: Optimizer, order: readonly string[], entries: readonly StepEntry[], scales?: ReadonlyMap<string, number>): boolean {
  // Only tfjs's own update rules (a subclass that overrides applyGradients is left to itself).
  const known = RULES.find((r) => inner.applyGradients === r.applyGradients);
  if (known === undefined || !canRunMultiTensorStep(entries)) return false;
  const { className, slots } = known;
  const state = inner as unknown as InnerState;
  if (typeof state.learningRate !== "number") return false;
  const position = new Map(order.map((name, i) => [name, i]));
  for (const { field } of slots) state[field] ??= [];
  const variables: MultiStepVariable[] = entries.map((e) => ({
    variable: e.variable,
    grad: e.grad as Tensor,
    constraint: e.constraint,
    state: slots.map(({ field, suffix }) => slot(state[field]!, position.get(e.name)!, e.name, suffix, e.variable)),
  }));
  const common = { learningRates: entries.map(() => state.learningRate), gradScales: entries.map((e) => scales?.get(e.name) ?? 1) };
  let rule: Omit<MultiTensorStepAttrs, "projections" | "inPlace">;
  if (className === "SGD") {
    rule = { method: "sgd", ...common };
  } else if (className === "Momentum") {
    rule = { method: "momentum", ...common, momentum: state.momentum!, nesterov: state.useNesterov === true };
  } else {
    // tfjs's Adam: c_k = 1 − β_k^t from its accBeta variables (float32), which advance by β_k after the step.
    const c1 = Math.fround(1 - state.accBeta1!.dataSync()[0]!);
    const c2 = Math.fround(1 - state.accBeta2!.dataSync()[0]!);
    rule = { method: "adam", ...common, beta1: state.beta1!, beta2: state.beta2!, epsilon: state.epsilon!, biasCorrection1: c1, biasCorrection2: c2 };
  }
  tidy(() => runMultiTensorStep(variables, rule));
  if (className === "Adam") {
    tidy(() => {
      state.accBeta1!.assign(mul(state.accBeta1!, state.beta1!));
      state.accBeta2!.assign(mul(state.accBeta2!, state.beta2!));
    });
  }
  state.incrementIterations();
  return true;
}
