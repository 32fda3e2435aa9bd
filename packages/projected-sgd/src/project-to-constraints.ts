import { tidy, type Tensor, type Variable } from "@tensorflow/tfjs-core";
import { parameterMeta, requireNonNegative, type ParamMeta, type SignConstraint } from "@dale-nn/core";
import { checkConstraintShape, columnSignMask, projectWith, signsOf } from "./internal/projection.js";
import { resolveVariables, sameShape } from "./internal/variables.js";
import type { VariableCollection } from "./variable-collection.js";

/**
 * Default m: the magnitude a frozen-sign element is clamped to when a step would take it across
 * zero (sign-frozen RNNs, Li et al. 2023, Sec. 3.3: "a tiny magnitude of the same sign").
 *
 * @example
 * new ProjectedSGD({ learningRate: 0.01, frozenSignMagnitude: DEFAULT_FROZEN_SIGN_MAGNITUDE });
 */
export const DEFAULT_FROZEN_SIGN_MAGNITUDE = 1e-6;

/**
 * Where the signs of `frozen-sign` variables come from. {@link ProjectedSGD} is one: it records
 * each element's sign the first time it sees the variable.
 */
export interface FrozenSignSource {
  /** ±1 tensor of the variable's shape (0 recorded as +), or `undefined` if none was recorded. Owned by the source. */
  frozenSignOf(variableName: string): Tensor | undefined;
  /** The magnitude that elements about to cross zero are clamped to, if the source has one. */
  readonly frozenSignMagnitude?: number;
}

/** Options of {@link projectTensor}. */
export interface ProjectTensorOptions {
  /** Smallest magnitude m kept by a frozen-sign element; default 1e-6. */
  frozenSignMagnitude?: number;
  /** The frozen signs s (±1, the value's shape); default: the value's own signs, 0 counted as +. */
  signs?: Tensor;
}

/** Options of {@link projectVariable} and {@link projectToConstraints}. */
export interface ProjectVariablesOptions {
  /**
   * Frozen signs, e.g. the optimiser that trained the variables. Without one (or for a variable
   * the source has not seen), a frozen-sign variable's current signs are used (0 counted as +), so
   * the projection only lifts zeros and tiny magnitudes to m.
   */
  frozenSigns?: FrozenSignSource;
  /** m; default: the source's `frozenSignMagnitude`, else 1e-6. */
  frozenSignMagnitude?: number;
}

/**
 * Projects a tensor onto the set its sign constraint allows (the clamp step of Alg. 2,
 * Cornford et al. 2021, App. E.2, generalised to every {@link SignConstraint}):
 *
 * - `nonneg`: θ ← max(θ, 0)
 * - `nonpos`: θ ← min(θ, 0)
 * - `column-sign` (ColumnEi, App. B.1): max(θ, 0) in the first `nonnegColumns` columns, min(θ, 0) in the rest
 * - `frozen-sign` (sign-frozen RNNs, Li et al. 2023): θ ← s ⊙ max(s ⊙ θ, m), s = recorded signs
 * - `free`: θ unchanged
 *
 * Pure: the caller owns the result (a new tensor, also for `free`).
 *
 * @param value - the parameter values
 * @param constraint - the sign constraint
 * @param options - frozen-sign magnitude m (default 1e-6) and signs s (default: the value's own)
 * @returns the projected values, same shape
 * @throws RangeError when a column-sign value is not a matrix with enough columns, a negative m, or signs of another shape
 * @example
 * projectTensor(tf.tensor2d([[1, -2], [-3, 4]]), { kind: "column-sign", nonnegColumns: 1 }); // [[1, -2], [0, 0]]
 */
export function projectTensor(value: Tensor, constraint: SignConstraint, options: ProjectTensorOptions = {}): Tensor {
  const context = "projectTensor";
  const magnitude = requireNonNegative(context, "frozenSignMagnitude", options.frozenSignMagnitude ?? DEFAULT_FROZEN_SIGN_MAGNITUDE);
  checkConstraintShape(context, "value", value.shape, constraint);
  if (options.signs !== undefined && !sameShape(options.signs, value)) {
    throw new RangeError(`${context}: signs must have the value's shape [${value.shape.join(", ")}]; got [${options.signs.shape.join(", ")}]`);
  }
  return tidy(() => {
    if (constraint.kind === "free") return value.clone();
    const mask = constraint.kind === "column-sign" ? columnSignMask(value.shape, constraint.nonnegColumns) : undefined;
    const signs = constraint.kind === "frozen-sign" ? (options.signs ?? signsOf(value)) : undefined;
    return projectWith(value, constraint, { mask, signs, magnitude });
  });
}

function magnitudeOf(context: string, options: ProjectVariablesOptions): number {
  return requireNonNegative(
    context,
    "frozenSignMagnitude",
    options.frozenSignMagnitude ?? options.frozenSigns?.frozenSignMagnitude ?? DEFAULT_FROZEN_SIGN_MAGNITUDE,
  );
}

function projectOne(context: string, variable: Variable, meta: ParamMeta, magnitude: number, source: FrozenSignSource | undefined): void {
  const constraint = meta.constraint;
  if (constraint.kind === "free") return;
  checkConstraintShape(context, variable.name, variable.shape, constraint);
  const recorded = constraint.kind === "frozen-sign" ? source?.frozenSignOf(variable.name) : undefined;
  if (recorded !== undefined && !sameShape(recorded, variable)) {
    throw new RangeError(
      `${context}: frozen signs of ${JSON.stringify(variable.name)} have shape [${recorded.shape.join(", ")}]; the variable has [${variable.shape.join(", ")}]`,
    );
  }
  tidy(() => {
    const mask = constraint.kind === "column-sign" ? columnSignMask(variable.shape, constraint.nonnegColumns) : undefined;
    const signs = constraint.kind === "frozen-sign" ? (recorded ?? signsOf(variable)) : undefined;
    variable.assign(projectWith(variable, constraint, { mask, signs, magnitude }));
  });
}

/**
 * Projects a variable in place onto its sign constraint (see {@link projectTensor}), e.g. after
 * loading or editing weights, without an optimiser step.
 *
 * @param variable - the variable to clamp
 * @param meta - its meta (only `meta.constraint` is used)
 * @param options - frozen signs and magnitude, see {@link ProjectVariablesOptions}
 * @returns the same variable
 * @throws RangeError on a column-sign meta that does not fit the shape, or frozen signs of another shape
 * @example
 * projectVariable(w, { role: "EE", constraint: { kind: "nonneg" }, layer: "l1", sizes: { d: 4, ne: 3, ni: 1 } });
 */
export function projectVariable(variable: Variable, meta: ParamMeta, options: ProjectVariablesOptions = {}): Variable {
  const context = "projectVariable";
  projectOne(context, variable, meta, magnitudeOf(context, options), options.frozenSigns);
  return variable;
}

/**
 * Projects every tagged variable of a collection in place onto its sign constraint (see
 * {@link projectTensor}); untagged and `free` variables are left alone. Use it after
 * `model.loadWeights`, after a spectrum transplant, or to start training from a feasible point.
 *
 * @param variables - variables, LayerVariables, a model (anything with `weights`) or a name → variable map
 * @param options - frozen signs and magnitude, see {@link ProjectVariablesOptions}
 * @returns the names of the variables that were projected (tagged, not free)
 * @throws RangeError on a column-sign meta that does not fit its variable
 * @example
 * await model.loadWeights(handler);
 * projectToConstraints(model);
 */
export function projectToConstraints(variables: VariableCollection, options: ProjectVariablesOptions = {}): string[] {
  const context = "projectToConstraints";
  const magnitude = magnitudeOf(context, options);
  const projected: string[] = [];
  for (const v of resolveVariables(context, variables)) {
    const meta = parameterMeta(v.name);
    if (meta === undefined || meta.constraint.kind === "free") continue;
    projectOne(context, v, meta, magnitude, options.frozenSigns);
    projected.push(v.name);
  }
  return projected;
}
