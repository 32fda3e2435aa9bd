import type { Tensor, Variable } from "@tensorflow/tfjs-core";

/**
 * What a parameter is for. Optimisers and gradient transforms read roles; they never guess from
 * variable names.
 *
 * - `EE`, `IE`, `EI`: the three non-negative weight matrices of a DANN layer (Cornford et al. 2021, eq. 1)
 * - `alpha`: the log divisive-inhibition strength of a DANN layer
 * - `gain`: the gain g of a DANN layer
 * - `bias`: any bias (β in a DANN layer)
 * - `weight`: the weight matrix of a ColumnEi or standard dense layer
 * - `free`: any other trainable parameter (e.g. LayerNorm / BatchNorm scale and offset)
 */
export type ParamRole = "EE" | "IE" | "EI" | "alpha" | "gain" | "bias" | "weight" | "free";

/** Every {@link ParamRole}, for validation and iteration. */
export const PARAM_ROLES: readonly ParamRole[] = ["EE", "IE", "EI", "alpha", "gain", "bias", "weight", "free"];

/**
 * The sign constraint a projected optimiser keeps after every step.
 *
 * - `nonneg`: θ ← max(θ, 0) (Alg. 2)
 * - `nonpos`: θ ← min(θ, 0)
 * - `free`: unconstrained
 * - `column-sign`: a "post x pre" matrix whose first `nonnegColumns` columns are ≥ 0 and the rest
 *   ≤ 0 (ColumnEi, App. B.1)
 * - `frozen-sign`: each element keeps the sign it had when first seen by the optimiser; elements
 *   that would cross zero are set to a tiny magnitude of their sign (sign-frozen baselines)
 */
export type SignConstraint =
  | { readonly kind: "nonneg" }
  | { readonly kind: "nonpos" }
  | { readonly kind: "free" }
  | { readonly kind: "column-sign"; readonly nonnegColumns: number }
  | { readonly kind: "frozen-sign" };

/** Every constraint kind, for validation. */
export const SIGN_CONSTRAINT_KINDS: readonly SignConstraint["kind"][] = ["nonneg", "nonpos", "free", "column-sign", "frozen-sign"];

/** The sizes of the layer a parameter belongs to, which update corrections need. */
export interface LayerSizes {
  /** Input dimension d of the layer. */
  readonly d: number;
  /** Excitatory (or, for a standard layer, all) output units n_e. */
  readonly ne: number;
  /** Inhibitory units n_i (0 for layers without an inhibitory population). */
  readonly ni: number;
}

/** Everything an optimiser or gradient transform may know about a parameter. */
export interface ParamMeta {
  /** What the parameter is for. */
  readonly role: ParamRole;
  /** Which sign it must keep. */
  readonly constraint: SignConstraint;
  /** Name of the layer the parameter belongs to; groups parameters per layer (Alg. 5, Fig. 2). */
  readonly layer: string;
  /** Sizes of that layer. */
  readonly sizes: LayerSizes;
}

/** A trainable variable together with its {@link ParamMeta}. */
export interface TaggedParameter {
  readonly variable: Variable;
  readonly meta: ParamMeta;
}

/**
 * Gradients keyed by variable name, as `tf.Optimizer.applyGradients` receives them.
 */
export type NamedGradients = Record<string, Tensor>;

/**
 * A gradient transform: maps raw loss gradients to the update direction Δθ before the optimiser's
 * step (e.g. the DANN correction of Alg. 3, or a Fisher preconditioner, Alg. 4).
 * It must not dispose its input tensors; the caller owns them. It runs inside the optimiser's tidy
 * scope, so intermediates are cleaned up automatically.
 */
export interface GradientTransform {
  /** A short name, used in configs and error messages. */
  readonly name: string;
  /** Transforms the gradients; `metaOf` gives the meta of each variable name. */
  apply(gradients: NamedGradients, metaOf: (variableName: string) => ParamMeta | undefined): NamedGradients;
  /** Serialisable description, for `getConfig` of optimisers. */
  getConfig?(): Record<string, unknown>;
  /** Frees any tensors the transform keeps (e.g. a Fisher moving average); optimisers forward their own `dispose()`. */
  dispose?(): void;
}
