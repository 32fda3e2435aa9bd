import { abs, cast, greater, greaterEqual, lessEqual, mul, stack, sub, sum, tidy, type Tensor, type Variable } from "@tensorflow/tfjs-core";
import { parameterMeta, type SignConstraint } from "@dale-nn/core";
import { checkConstraintShape, columnSignMask } from "./internal/projection.js";
import { resolveVariables, sameShape } from "./internal/variables.js";
import type { FrozenSignSource } from "./project-to-constraints.js";
import type { VariableCollection } from "./variable-collection.js";

/** Options of {@link signViolations}. */
export interface SignViolationsOptions {
  /** Recorded signs of frozen-sign variables, e.g. the {@link ProjectedSGD} that trains them. */
  frozenSigns?: FrozenSignSource;
}

/**
 * Boolean tensor: true where an element satisfies its constraint (NaN never does, as every
 * comparison with NaN is false). Written without logicalNot (aborts on tfjs-backend-wasm 4.22) and
 * without `where` on boolean operands (corrupts the wasm heap there): a column-sign matrix is
 * checked as c ⊙ θ >= 0 with c = ±1 per column.
 */
function satisfying(value: Tensor, constraint: Exclude<SignConstraint, { kind: "free" }>, signs: Tensor | undefined): Tensor {
  switch (constraint.kind) {
    case "nonneg":
      return greaterEqual(value, 0);
    case "nonpos":
      return lessEqual(value, 0);
    case "column-sign":
      return greaterEqual(mul(sub(mul(cast(columnSignMask(value.shape, constraint.nonnegColumns), "float32"), 2), 1), value), 0);
    case "frozen-sign":
      return signs === undefined ? greater(abs(value), 0) : greater(mul(signs, value), 0);
  }
}

/**
 * Counts, per variable, the elements that break the variable's sign constraint: for `nonneg`
 * θ < 0, for `nonpos` θ > 0, for `column-sign` the wrong sign in its column, for `frozen-sign`
 * s θ <= 0 with s the recorded signs (without recorded signs: θ = 0, since a frozen sign is
 * strict). NaN counts as a violation of every constraint but `free`. Untagged and `free` variables
 * count 0. A diagnostic for tests and training loops: it reads one small tensor back to the host
 * (one synchronisation for the whole collection).
 *
 * @param variables - variables, LayerVariables, a model (anything with `weights`) or a name → variable map
 * @param options - where frozen signs come from (e.g. the optimiser)
 * @returns variable name → number of violating elements, for every variable in the collection
 * @throws RangeError when a column-sign meta does not fit its variable
 * @example
 * const v = signViolations(model, { frozenSigns: optimizer });
 * const total = Object.values(v).reduce((a, b) => a + b, 0);
 */
export function signViolations(variables: VariableCollection, options: SignViolationsOptions = {}): Record<string, number> {
  const context = "signViolations";
  const vars = resolveVariables(context, variables);
  const result: Record<string, number> = {};
  const checked: { v: Variable; constraint: Exclude<SignConstraint, { kind: "free" }> }[] = [];
  for (const v of vars) {
    result[v.name] = 0;
    const constraint = parameterMeta(v.name)?.constraint;
    if (constraint === undefined || constraint.kind === "free") continue;
    checkConstraintShape(context, v.name, v.shape, constraint);
    checked.push({ v, constraint });
  }
  if (checked.length === 0) return result;
  const counts = tidy(() => {
    const perVariable = checked.map(({ v, constraint }) => {
        let signs: Tensor | undefined;
        if (constraint.kind === "frozen-sign") {
          signs = options.frozenSigns?.frozenSignOf(v.name);
          if (signs !== undefined && !sameShape(signs, v)) {
            throw new RangeError(
              `${context}: frozen signs of ${JSON.stringify(v.name)} have shape [${signs.shape.join(", ")}]; the variable has [${v.shape.join(", ")}]`,
            );
          }
        }
        return sum(cast(satisfying(v, constraint, signs), "int32"));
      });
    return stack(perVariable);
  });
  const values = counts.dataSync();
  counts.dispose();
  checked.forEach(({ v }, i) => {
    result[v.name] = v.size - (values[i] as number);
  });
  return result;
}

/**
 * Sum of a {@link signViolations} result.
 *
 * @param counts - per-variable counts
 * @returns the total number of violating elements
 * @example
 * expect(totalViolations(signViolations(model))).toBe(0);
 */
export function totalViolations(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
