/**
 * The sign constraint a projected optimiser keeps after every step (Cornford et al. 2021, Alg. 2
 * and App. B.1; Li et al. 2023, Sec. 3.3 for frozen signs).
 *
 * - `nonneg`: θ ← max(θ, 0)
 * - `nonpos`: θ ← min(θ, 0)
 * - `free`: unconstrained
 * - `column-sign`: a "post x pre" matrix whose first `nonnegColumns` columns are ≥ 0 and the rest
 *   ≤ 0 (ColumnEi)
 * - `frozen-sign`: each element keeps the sign it had when first seen by the optimiser; elements
 *   that would cross zero are set to a tiny magnitude of their sign (sign-frozen baselines)
 */
export type SignConstraint =
  | { readonly kind: "nonneg" }
  | { readonly kind: "nonpos" }
  | { readonly kind: "free" }
  | { readonly kind: "column-sign"; readonly nonnegColumns: number }
  | { readonly kind: "frozen-sign" };

/**
 * Every {@link SignConstraint} kind, for validation.
 *
 * @example
 * SIGN_CONSTRAINT_KINDS.includes("column-sign"); // true
 */
export const SIGN_CONSTRAINT_KINDS: readonly SignConstraint["kind"][] = ["nonneg", "nonpos", "free", "column-sign", "frozen-sign"];
