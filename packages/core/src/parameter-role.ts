/**
 * What a parameter is for. Optimisers and gradient transforms read roles; they never guess from
 * variable names (Cornford et al. 2021, Sec. 2.1 and Alg. 3 for the DANN roles).
 *
 * - `EE`, `IE`, `EI`: the three non-negative weight matrices of a DANN layer (eq. 1)
 * - `alpha`: the log divisive-inhibition strength of a DANN layer
 * - `gain`: the gain g of a DANN layer
 * - `bias`: any bias (β in a DANN layer)
 * - `weight`: the weight matrix of a ColumnEi or standard dense layer
 * - `free`: any other trainable parameter (e.g. LayerNorm / BatchNorm scale and offset)
 */
export type ParamRole = "EE" | "IE" | "EI" | "alpha" | "gain" | "bias" | "weight" | "free";

/**
 * Every {@link ParamRole}, for validation and iteration.
 *
 * @example
 * PARAM_ROLES.includes("EE"); // true
 */
export const PARAM_ROLES: readonly ParamRole[] = ["EE", "IE", "EI", "alpha", "gain", "bias", "weight", "free"];
