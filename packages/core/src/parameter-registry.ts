import type { Variable } from "@tensorflow/tfjs-core";
import { PARAM_ROLES, type ParamRole } from "./parameter-role.js";
import { SIGN_CONSTRAINT_KINDS, type SignConstraint } from "./sign-constraint.js";
import type { ParamMeta } from "./param-meta.js";

// One registry per process, shared by the ESM and CJS builds (and by duplicate installs), so a
// variable tagged through one copy of this package is found through another. The key keeps the
// name it had when the registry lived in @dale-nn/ei-layers, so an older ei-layers in the same
// process shares it too.
const REGISTRY_KEY = Symbol.for("@dale-nn/ei-layers/parameter-registry");
const registry: Map<string, ParamMeta> = ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as Map<string, ParamMeta> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] = new Map<string, ParamMeta>()) as Map<string, ParamMeta>;

/**
 * Checks that `meta` names a known role and constraint with valid sizes.
 *
 * @param meta - the meta to check
 * @param context - names the caller in errors; default "ParamMeta"
 * @returns `meta`
 * @throws TypeError on an unknown role or constraint kind, or RangeError on bad sizes
 * @example
 * validateParamMeta({ role: "EE", constraint: { kind: "nonneg" }, layer: "dann_1", sizes: { d: 784, ne: 500, ni: 50 } });
 */
export function validateParamMeta(meta: ParamMeta, context = "ParamMeta"): ParamMeta {
  if (!PARAM_ROLES.includes(meta.role as ParamRole)) {
    throw new TypeError(`${context}: unknown parameter role ${JSON.stringify(meta.role)}; expected one of ${PARAM_ROLES.join(", ")}`);
  }
  const kind = (meta.constraint as SignConstraint | undefined)?.kind;
  if (!SIGN_CONSTRAINT_KINDS.includes(kind as SignConstraint["kind"])) {
    throw new TypeError(
      `${context}: unknown sign constraint ${JSON.stringify(kind)} for role ${meta.role}; expected one of ${SIGN_CONSTRAINT_KINDS.join(", ")}`,
    );
  }
  if (meta.constraint.kind === "column-sign") {
    const k = meta.constraint.nonnegColumns;
    if (!Number.isInteger(k) || k < 0 || k > meta.sizes.d) {
      throw new RangeError(`${context}: column-sign nonnegColumns must be an integer in [0, d=${meta.sizes.d}]; got ${k}`);
    }
  }
  for (const key of ["d", "ne", "ni"] as const) {
    const v = meta.sizes?.[key];
    if (!Number.isInteger(v) || (v as number) < 0) {
      throw new RangeError(`${context}: sizes.${key} must be a non-negative integer; got ${String(v)}`);
    }
  }
  return meta;
}

/**
 * Tags a variable with its role and sign constraint so that optimisers and gradient transforms
 * can find them by variable name. Layers in this package tag their own variables when built.
 *
 * @param variable - the tfjs variable (for a `LayerVariable`, pass `layerVariable.read()`)
 * @param meta - role, constraint, layer name and sizes
 * @returns the variable
 * @throws TypeError on an unknown role or constraint kind
 * @example
 * tagParameter(v, { role: "EE", constraint: { kind: "nonneg" }, layer: "dann_1", sizes: { d: 784, ne: 500, ni: 50 } });
 */
export function tagParameter(variable: Variable, meta: ParamMeta): Variable {
  registry.set(variable.name, validateParamMeta(meta, `tagParameter(${variable.name})`));
  return variable;
}

/**
 * The meta of a tagged variable, by variable or variable name, or `undefined` when untagged.
 *
 * @param variableOrName - the variable or its name
 * @returns its meta, or undefined
 * @example
 * parameterMeta(model.trainableWeights[0].read())?.role;
 */
export function parameterMeta(variableOrName: Variable | string): ParamMeta | undefined {
  return registry.get(typeof variableOrName === "string" ? variableOrName : variableOrName.name);
}

/**
 * Removes a variable's tag (call when disposing a variable whose name may be reused).
 *
 * @param variableOrName - the variable or its name
 * @example
 * untagParameter(v);
 */
export function untagParameter(variableOrName: Variable | string): void {
  registry.delete(typeof variableOrName === "string" ? variableOrName : variableOrName.name);
}
