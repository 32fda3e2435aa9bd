import { mul, tidy, type Tensor } from "@tensorflow/tfjs-core";
import { PARAM_ROLES, formatValue, type GradientTransform, type LayerSizes, type NamedGradients, type ParamMeta, type ParamRole } from "@dale-nn/core";

/**
 * Which DANN architecture the correction terms were derived for.
 *
 * - `"feedforward"`: the dense DANN layer of Cornford et al. (2021), Sec. 4 and Alg. 3.
 *
 * A recurrent variant (Li et al. 2023) is planned; it is one more row of the scale table. (Its
 * reference scaling, ∇U_IE, ∇W_IE / √n_e, ∇U_EI / d_in and ∇W_EI / n_e, is the feedforward rule
 * with d taken as each weight group's own input dimension, and it has no α.)
 */
export type DannCorrectionVariant = "feedforward";

/** Every {@link DannCorrectionVariant}, for validation. */
export const DANN_CORRECTION_VARIANTS: readonly DannCorrectionVariant[] = ["feedforward"];

/** The scale of one role's gradient as a function of the layer's sizes. */
type ScaleRule = (sizes: LayerSizes) => number;

/**
 * Scale factors per variant and role. A role that a row does not list is left unscaled (factor 1).
 * Each rule names the sizes it needs in {@link REQUIRED_SIZES} so bad metadata fails loudly.
 */
const SCALE_TABLE: Record<DannCorrectionVariant, Partial<Record<ParamRole, ScaleRule>>> = {
  feedforward: {
    // Sec. 4 / Alg. 3: an update to one w_ij^IE moves all n_e outputs (eq. 12) ...
    IE: ({ ne }) => 1 / Math.sqrt(ne),
    // ... one w_ij^EI moves z_i through z_j^I, a sum over d inputs (eq. 13) ...
    EI: ({ d }) => 1 / d,
    // ... and one α_i does both (eq. 14).
    alpha: ({ d, ne }) => 1 / (d * Math.sqrt(ne)),
  },
};

/** Which sizes each scaled role divides by (and so must be >= 1). */
const REQUIRED_SIZES: Partial<Record<ParamRole, readonly (keyof LayerSizes)[]>> = {
  IE: ["ne"],
  EI: ["d"],
  alpha: ["d", "ne"],
};

function checkVariant(context: string, variant: unknown): DannCorrectionVariant {
  if (!DANN_CORRECTION_VARIANTS.includes(variant as DannCorrectionVariant)) {
    throw new RangeError(
      `${context}: unknown variant ${formatValue(variant)}; expected one of ${DANN_CORRECTION_VARIANTS.map((v) => JSON.stringify(v)).join(", ")}`,
    );
  }
  return variant as DannCorrectionVariant;
}

/**
 * The factor by which the DANN heuristic correction multiplies the gradient of a parameter
 * (Cornford et al. 2021, Sec. 4 and App. E.3 Alg. 3):
 *
 *   ΔW_EE = ∇W_EE,  ΔW_IE = ∇W_IE / √n_e,  ΔW_EI = ∇W_EI / d,  Δα = ∇α / (d √n_e),
 *   Δg = ∇g,  Δβ = ∇β
 *
 * The factors balance each parameter type's effect on the KL divergence of the layer's output
 * distribution (eqs. 11-14, App. D.3): an update to one element of W_IE changes all n_e outputs,
 * one of W_EI changes its output through a sum over the d inputs, and α does both. Roles
 * `weight` and `free` (non-DANN parameters) get factor 1.
 *
 * @param meta - the parameter's role and its layer's sizes (d, n_e, n_i)
 * @param variant - which derivation to use; default `"feedforward"`
 * @returns the scale factor (1 for roles the correction leaves alone)
 * @throws TypeError on an unknown role; RangeError on an unknown variant, or when a size the role
 *   divides by is not a positive integer (e.g. `IE` with `ne = 0`)
 * @example
 * dannCorrectionScale({ role: "IE", constraint: { kind: "nonneg" }, layer: "h1", sizes: { d: 784, ne: 500, ni: 50 } });
 * // 1 / sqrt(500) ≈ 0.0447
 */
export function dannCorrectionScale(meta: ParamMeta, variant: DannCorrectionVariant = "feedforward"): number {
  const context = "dannCorrectionScale";
  const v = checkVariant(context, variant);
  if (!PARAM_ROLES.includes(meta.role)) {
    throw new TypeError(`${context}: unknown parameter role ${formatValue(meta.role)}; expected one of ${PARAM_ROLES.join(", ")}`);
  }
  const rule = SCALE_TABLE[v][meta.role];
  if (rule === undefined) return 1;
  for (const key of REQUIRED_SIZES[meta.role] ?? []) {
    const size = meta.sizes?.[key];
    if (typeof size !== "number" || !Number.isInteger(size) || size < 1) {
      throw new RangeError(
        `${context}: role ${meta.role} of layer ${formatValue(meta.layer)} needs sizes.${key} to be an integer >= 1; got ${formatValue(size)}`,
      );
    }
  }
  return rule(meta.sizes);
}

/** Options of {@link dannUpdateCorrection}. */
export interface DannUpdateCorrectionOptions {
  /** Which derivation of the correction terms; default `"feedforward"` (Sec. 4, Alg. 3). */
  variant?: DannCorrectionVariant;
}

/**
 * The DANN heuristic update correction as a {@link GradientTransform} named `"dann-heuristic"`
 * (Cornford et al. 2021, Sec. 4 and App. E.3 Alg. 3): each gradient is multiplied by
 * {@link dannCorrectionScale} of its parameter's role and layer sizes,
 *
 *   ∇W_IE / √n_e,  ∇W_EI / d,  ∇α / (d √n_e),  and W_EE, g, β, weight, free unchanged.
 *
 * It reads only roles and sizes from `metaOf`, never variable names. Gradients of variables
 * without meta, and of roles with factor 1, are returned as the very same tensor (not a copy).
 * Input tensors are never disposed; the scaled tensors are new and belong to the caller.
 *
 * @param options - the variant (default `"feedforward"`)
 * @returns the transform
 * @throws RangeError on an unknown variant (at construction); `apply` throws as
 *   {@link dannCorrectionScale} does on bad meta
 * @example
 * const correction = dannUpdateCorrection();
 * const delta = correction.apply(grads, parameterMeta);
 * optimizer.applyGradients(delta);
 */
export function dannUpdateCorrection(options: DannUpdateCorrectionOptions = {}): GradientTransform {
  const variant = checkVariant("dannUpdateCorrection", options.variant ?? "feedforward");
  return {
    name: "dann-heuristic",
    apply(gradients: NamedGradients, metaOf: (variableName: string) => ParamMeta | undefined): NamedGradients {
      // Compute every factor first so that bad meta throws before any tensor is made.
      const factors = new Map<string, number>();
      for (const name of Object.keys(gradients)) {
        const meta = metaOf(name);
        factors.set(name, meta === undefined ? 1 : dannCorrectionScale(meta, variant));
      }
      return tidy(() => {
        const out: Record<string, Tensor> = {};
        for (const [name, grad] of Object.entries(gradients)) {
          const factor = factors.get(name) as number;
          out[name] = factor === 1 ? grad : mul(grad, factor);
        }
        return out;
      });
    },
    constantScale(variableName: string, metaOf: (variableName: string) => ParamMeta | undefined): number {
      const meta = metaOf(variableName);
      return meta === undefined ? 1 : dannCorrectionScale(meta, variant);
    },
    getConfig() {
      return { name: "dann-heuristic", variant };
    },
  };
}
