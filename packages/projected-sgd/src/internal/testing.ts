/**
 * Test helpers (never re-exported): unique variable names and tagged variables.
 * @internal
 */
import { tensor, variable, type Tensor, type Variable } from "@tensorflow/tfjs-core";
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
