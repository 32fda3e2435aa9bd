import { div, maximum, mul, scalar, tidy, type Scalar } from "@tensorflow/tfjs-core";
import { requireOneOf, requirePositive, type NamedGradients, type ParamMeta } from "@dale-nn/core";
import { globalNorm } from "./global-norm.js";

/**
 * Which tensors share one norm in {@link clipGradientsByNorm}:
 * - `global`: all gradients together (the RNN experiments, Li et al. 2023, App. 6.3)
 * - `per-layer`: the parameters of one layer, grouped by `meta.layer` (Alg. 5, "for each layer ℓ");
 *   an untagged variable forms its own group
 * - `per-tensor`: each variable alone (ColEI RNNs in the reference code)
 */
export type ClipScope = "global" | "per-layer" | "per-tensor";

/** Every {@link ClipScope}. */
export const CLIP_SCOPES: readonly ClipScope[] = ["global", "per-layer", "per-tensor"];

/** Options of {@link clipGradientsByNorm}. */
export interface ClipNormOptions {
  /** M, the largest norm a group keeps (> 0). */
  maxNorm: number;
  /** How gradients are grouped, see {@link ClipScope}. */
  scope: ClipScope;
}

/**
 * Checks clip options; `context` names the caller in errors.
 * @internal used by ProjectedSGD; not re-exported from the package
 */
export function validateClipNormOptions(options: ClipNormOptions, context: string, prefix = ""): ClipNormOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${context}: ${prefix || "options"} must be an object { maxNorm, scope }; got ${String(options)}`);
  }
  requirePositive(context, `${prefix}maxNorm`, options.maxNorm);
  requireOneOf(context, `${prefix}scope`, options.scope, CLIP_SCOPES);
  return { maxNorm: options.maxNorm, scope: options.scope };
}

/**
 * Gradient normalisation, Alg. 5 of Cornford et al. (2021), App. E.4: for each group ℓ,
 *
 *   Δθ^ℓ = M ∇θ^ℓ / ||∇θ^ℓ||₂  if ||∇θ^ℓ||₂ > M,  else ∇θ^ℓ,
 *
 * computed as ∇θ^ℓ · M / max(||∇θ^ℓ||₂, M) without reading anything back to the host.
 *
 * @param grads - gradients keyed by variable name (not disposed)
 * @param metaOf - meta of each variable name (e.g. `parameterMeta`); only `per-layer` reads it
 * @param options - M and the grouping scope
 * @returns new gradients, same keys; the caller owns them
 * @throws RangeError when maxNorm is not a finite number > 0; TypeError on an unknown scope
 * @example
 * const clipped = clipGradientsByNorm(grads, parameterMeta, { maxNorm: 1, scope: "per-layer" });
 */
export function clipGradientsByNorm(
  grads: Readonly<NamedGradients>,
  metaOf: (variableName: string) => ParamMeta | undefined,
  options: ClipNormOptions,
): NamedGradients {
  const { maxNorm, scope } = validateClipNormOptions(options, "clipGradientsByNorm");
  const names = Object.keys(grads);
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const key = scope === "global" ? "" : scope === "per-tensor" ? `\u0000${name}` : (metaOf(name)?.layer ?? `\u0000${name}`);
    const group = groups.get(key);
    if (group) group.push(name);
    else groups.set(key, [name]);
  }
  return tidy(() => {
    const m = scalar(maxNorm);
    const out: NamedGradients = {};
    for (const group of groups.values()) {
      const norm = globalNorm(group.map((n) => grads[n] as NonNullable<(typeof grads)[string]>));
      const scale = div(m, maximum(norm, m)) as Scalar;
      for (const n of group) out[n] = mul(grads[n] as NonNullable<(typeof grads)[string]>, scale);
    }
    return out;
  });
}
