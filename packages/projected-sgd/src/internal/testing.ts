/**
 * Test helpers (never re-exported): unique variable names and tagged variables.
 * @internal
 */
import {
  abs,
  add,
  matMul,
  mean,
  mul,
  neg,
  randomNormal,
  randomUniform,
  relu,
  square,
  sub,
  tensor,
  tensor1d,
  tidy,
  variable,
  dispose,
  type Optimizer,
  type Scalar,
  type Tensor,
  type Variable,
} from "@tensorflow/tfjs-core";
import { tagParameter, untagParameter, type ParamMeta, type ParamRole, type SignConstraint } from "@dale-nn/core";

let counter = 0;

/** A variable name no other test uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A meta with sizes that fit a matrix of `shape` (d = columns). */
export function metaFor(constraint: SignConstraint, shape: readonly number[], layer = "layer", role: ParamRole = "free"): ParamMeta {
  const d = shape.length === 2 ? (shape[1] as number) : (shape[0] ?? 1);
  const ne = shape[0] ?? 1;
  return { role, constraint, layer, sizes: { d, ne, ni: 0 } };
}

/** Creates a variable from nested arrays and tags it (unless `constraint` is null). */
export function taggedVariable(
  values: number[] | number[][],
  constraint: SignConstraint | null,
  options: { layer?: string; role?: ParamRole; name?: string } = {},
): Variable {
  const t: Tensor = tensor(values);
  const v = variable(t, true, options.name ?? uniqueName(constraint?.kind ?? "untagged"));
  t.dispose();
  if (constraint !== null) tagParameter(v, metaFor(constraint, v.shape, options.layer, options.role));
  return v;
}

/** Untags and disposes variables. */
export function disposeVariables(...vars: Variable[]): void {
  for (const v of vars) {
    untagParameter(v);
    v.dispose();
  }
}

/** Float32 rounding of each number, for exact comparisons with tensor data. */
export function f32(values: number[]): number[] {
  return Array.from(Float32Array.from(values));
}

/** A small network for optimiser tests: its variables (in a fixed order), an MSE loss and a dispose. */
export interface SmallNetwork {
  /** w1 column-sign [5, 4] (3 nonneg columns), b1 free, w2 nonneg [3, 5], b2 free, wFrozen frozen-sign [3, 3], inhib nonpos [3], loose untagged [3]. */
  readonly vars: Variable[];
  /** MSE of relu(x w1ᵀ + b1) w2ᵀ + b2, mixed by wFrozen, plus inhib + loose, against a fixed random target. */
  loss(): Scalar;
  /** Disposes the data and untags and disposes the variables. */
  dispose(): void;
}

/** The constraint of each {@link SmallNetwork} variable, in order (null: untagged). */
export const SMALL_NETWORK_CONSTRAINTS: readonly (SignConstraint | null)[] = [
  { kind: "column-sign", nonnegColumns: 3 },
  { kind: "free" },
  { kind: "nonneg" },
  { kind: "free" },
  { kind: "frozen-sign" },
  { kind: "nonpos" },
  null,
];

/**
 * Builds a {@link SmallNetwork} with values drawn from `seed` (each constrained variable starts
 * feasible). With `tagged: false` nothing is tagged (an unconstrained copy with the same values).
 */
export function smallNetwork(seed: number, options: { tagged?: boolean; prefix?: string } = {}): SmallNetwork {
  const tagged = options.tagged ?? true;
  const prefix = options.prefix ?? "net";
  const shapes: [string, number[], string][] = [
    ["w1", [5, 4], "l1"],
    ["b1", [5], "l1"],
    ["w2", [3, 5], "l2"],
    ["b2", [3], "l2"],
    ["wFrozen", [3, 3], "l3"],
    ["inhib", [3], "l3"],
    ["loose", [3], "l3"],
  ];
  const vars = shapes.map(([name, shape, layer], i) => {
    const constraint = SMALL_NETWORK_CONSTRAINTS[i] ?? null;
    const init = tidy(() => {
      const r = mul(randomNormal(shape, 0, 1, "float32", seed * 101 + i), 0.5);
      if (constraint?.kind === "nonneg") return abs(r);
      if (constraint?.kind === "nonpos") return neg(abs(r));
      if (constraint?.kind === "column-sign") {
        const cols = shape[1] as number;
        const signs = tensor1d(Array.from({ length: cols }, (_, c) => (c < constraint.nonnegColumns ? 1 : -1)));
        return mul(abs(r), signs);
      }
      return r;
    });
    const v = variable(init, true, uniqueName(`${prefix}_${name}`));
    init.dispose();
    if (tagged && constraint !== null) tagParameter(v, metaFor(constraint, v.shape, layer));
    return v;
  });
  const x = randomUniform([16, 4], 0, 1, "float32", seed * 7 + 1);
  const target = randomNormal([16, 3], 0, 1, "float32", seed * 7 + 2);
  const [w1, b1, w2, b2, wFrozen, inhib, loose] = vars as [Variable, Variable, Variable, Variable, Variable, Variable, Variable];
  return {
    vars,
    loss: () =>
      tidy(() => {
        const h = relu(add(matMul(x, w1, false, true), b1));
        const y = add(matMul(h, w2, false, true), b2);
        const out = add(add(matMul(y, wFrozen, false, true), inhib), loose);
        return mean(square(sub(out, target))) as Scalar;
      }),
    dispose: () => {
      x.dispose();
      target.dispose();
      disposeVariables(...vars);
    },
  };
}

/** What {@link stepSideBySide} saw: sign violations of `opt`'s network after each step, and both networks' final values. */
export interface SideBySide {
  violationsPerStep: number[];
  values: number[][];
  referenceValues: number[][];
}

/**
 * Trains two copies of {@link smallNetwork}(seed) side by side for `steps` updates, one with `opt`
 * and one with `reference`, and returns what the tests compare (a convenience constructor must step
 * exactly like the wrapper it stands for and keep every sign). Disposes both networks and optimisers.
 */
export function stepSideBySide(
  seed: number,
  opt: { minimize(f: () => Scalar, returnCost: boolean, vars: Variable[]): unknown; dispose(): void },
  reference: { minimize(f: () => Scalar, returnCost: boolean, vars: Variable[]): unknown; dispose(): void },
  violations: (vars: Variable[]) => number,
  steps = 10,
): SideBySide {
  const a = smallNetwork(seed);
  const b = smallNetwork(seed, { prefix: "b" });
  const violationsPerStep: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.minimize(() => a.loss(), false, a.vars);
    reference.minimize(() => b.loss(), false, b.vars);
    violationsPerStep.push(violations(a.vars));
  }
  const result = { violationsPerStep, values: a.vars.map((v) => Array.from(v.dataSync())), referenceValues: b.vars.map((v) => Array.from(v.dataSync())) };
  opt.dispose();
  reference.dispose();
  a.dispose();
  b.dispose();
  return result;
}

/**
 * `steps` optimiser steps on a nonneg, a nonpos and a free variable ([0.5, −0.25, 0.1, 2] each,
 * gradient [1, −1, 0.5, 3]); the new values. For the fused-kernel fallback tests.
 */
export function constrainedStepValues(makeOptimizer: () => Optimizer, steps = 1): number[][] {
  const constraints: SignConstraint[] = [{ kind: "nonneg" }, { kind: "nonpos" }, { kind: "free" }];
  const vars = constraints.map((c) => taggedVariable([0.5, -0.25, 0.1, 2], c));
  const optimizer = makeOptimizer();
  const grads = Object.fromEntries(vars.map((v) => [v.name, tensor1d([1, -1, 0.5, 3])]));
  try {
    for (let i = 0; i < steps; i++) optimizer.applyGradients(grads);
    return vars.map((v) => Array.from(v.dataSync()));
  } finally {
    dispose(Object.values(grads));
    optimizer.dispose();
    disposeVariables(...vars);
  }
}
