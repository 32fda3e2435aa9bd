import {
  add,
  cast,
  greaterEqual,
  less,
  maximum,
  minimum,
  mul,
  range,
  relu,
  scalar,
  sub,
  tidy,
  where,
  zeros,
  type Tensor,
} from "@tensorflow/tfjs-core";
import type { SignConstraint } from "@dale-nn/core";

/** What a projection needs besides the value: a column mask or the frozen signs, precomputed. */
export interface ProjectionAux {
  /** Boolean, the value's shape: true where the element must be >= 0 (column-sign). */
  mask?: Tensor;
  /** ±1, the value's shape (frozen-sign). */
  signs?: Tensor;
  /** Smallest magnitude a frozen-sign element keeps. */
  magnitude: number;
}

/**
 * Checks that a constraint fits a variable's shape (column-sign needs a rank-2 matrix with at least
 * `nonnegColumns` columns).
 */
export function checkConstraintShape(context: string, name: string, shape: readonly number[], constraint: SignConstraint): void {
  if (constraint.kind !== "column-sign") return;
  if (shape.length !== 2) {
    throw new RangeError(
      `${context}: column-sign variable ${JSON.stringify(name)} must be a rank-2 "post x pre" matrix [outputs, inputs]; got shape [${shape.join(", ")}]`,
    );
  }
  const cols = shape[1] as number;
  const k = constraint.nonnegColumns;
  if (!Number.isInteger(k) || k < 0 || k > cols) {
    throw new RangeError(
      `${context}: column-sign variable ${JSON.stringify(name)} has ${cols} columns, so nonnegColumns must be an integer in [0, ${cols}]; got ${k}`,
    );
  }
}

/**
 * Boolean mask of `shape` = [rows, cols]: true in the first `nonnegColumns` columns. Caller owns it.
 * Built with a broadcasting add rather than broadcastTo/tile, which some backends run on the host.
 */
export function columnSignMask(shape: readonly number[], nonnegColumns: number): Tensor {
  const rows = shape[0] as number;
  const cols = shape[1] as number;
  return tidy(() => less(add(zeros([rows, cols], "int32"), range(0, cols, 1, "int32")), scalar(nonnegColumns, "int32")));
}

/** The sign of each element as ±1 (0 counts as +). Caller owns it. */
export function signsOf(value: Tensor): Tensor {
  return tidy(() => sub(mul(cast(greaterEqual(value, 0), "float32"), 2), 1));
}

/**
 * Euclidean projection of `value` onto the set a constraint allows (for frozen-sign, onto
 * { θ : s ⊙ θ >= m }). Returns `value` itself for `free`; otherwise a new tensor (call inside a tidy).
 */
export function projectWith(value: Tensor, constraint: SignConstraint, aux: ProjectionAux): Tensor {
  switch (constraint.kind) {
    case "free":
      return value;
    case "nonneg":
      return relu(value);
    case "nonpos":
      return minimum(value, 0);
    case "column-sign": {
      const mask = aux.mask;
      if (mask === undefined) throw new Error("projectWith: column-sign needs a mask");
      return where(mask, relu(value), minimum(value, 0));
    }
    case "frozen-sign": {
      const s = aux.signs;
      if (s === undefined) throw new Error("projectWith: frozen-sign needs signs");
      return mul(s, maximum(mul(s, value), aux.magnitude));
    }
  }
}
