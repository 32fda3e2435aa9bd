import { abs, add, div, mul, norm, scalar, square, sub, tidy, type Scalar, type Tensor, type Tensor1D, type Tensor2D } from "@tensorflow/tfjs-core";
import { formatValue } from "@dale-nn/core";

/** The recurrent-weight forms of a continuous-time RNN. */
export type CtRecurrentKind = "dale" | "free" | "mixture";
/** Every {@link CtRecurrentKind}, for validation. */
export const CT_RECURRENT_KINDS: readonly CtRecurrentKind[] = ["dale", "free", "mixture"];

/**
 * How a Dale matrix is stored:
 * - "abs" (default; PsychRNN, pycog): W_dale = |W̃| ⊙ C · diag(s); W̃ is unconstrained, so any
 *   optimiser works and the effective matrix obeys Dale's law by construction.
 * - "projected": W_dale = W ⊙ C with W column-sign constrained (first n_e columns ≥ 0, the rest
 *   ≤ 0), tagged `column-sign` so `projectToConstraints` / `ProjectedSGD` clamp it after each step.
 */
export type DaleParametrisation = "abs" | "projected";
/** Every {@link DaleParametrisation}, for validation. */
export const DALE_PARAMETRISATIONS: readonly DaleParametrisation[] = ["abs", "projected"];

/**
 * How the mixture keeps a meaningful (both matrices trainable could otherwise absorb a):
 * - "frobenius" (default): W_dale and W_free are each rescaled to a fixed Frobenius norm at every
 *   forward pass, W_x ← c_x W_x / ‖W_x‖_F, so only their directions train and a alone sets the mix.
 * - "fixed": W_dale and W_free are frozen at their initial values (fixed norms, no normalisation);
 *   only a (and the other parameters) train.
 * - "penalty": no normalisation; λ (‖W_dale‖_F − ‖W_free‖_F)² is added to the loss.
 * - "none": no control (a can be absorbed; for comparison only).
 */
export type MixtureNormalisation = "frobenius" | "fixed" | "penalty" | "none";
/** Every {@link MixtureNormalisation}, for validation. */
export const MIXTURE_NORMALISATIONS: readonly MixtureNormalisation[] = ["frobenius", "fixed", "penalty", "none"];

/** The stored parts of W_rec. */
export interface CtRecurrentParts {
  /** Dale matrix as stored ([n, n]): magnitudes W̃ ("abs") or the column-signed matrix ("projected"). */
  wDale?: Tensor2D;
  /** Free matrix, [n, n]. */
  wFree?: Tensor2D;
  /** Column signs s, [n] (+1 E, −1 I); "abs" only. */
  signs?: Tensor1D;
  /** Connectivity mask C, [n, n] of 0 / 1 (diagonal 0 without autapses); default none. */
  mask?: Tensor2D;
  /** The mixing weight a ∈ [0, 1]: a scalar or one per presynaptic unit (column), [n]. */
  a?: Tensor;
}

/** Options of {@link ctRecurrentWeight}. */
export interface CtRecurrentWeightOptions {
  kind: CtRecurrentKind;
  /** Default "abs". */
  daleParametrisation?: DaleParametrisation;
  /** Mixture only; default "frobenius". */
  normalisation?: MixtureNormalisation;
  /** Target Frobenius norms c_dale, c_free ("frobenius"): numbers or scalar tensors. */
  daleNorm?: number | Scalar;
  freeNorm?: number | Scalar;
  name?: string;
}

/**
 * The effective Dale matrix: |W̃| ⊙ C · diag(s) ("abs", PsychRNN / pycog) or W ⊙ C ("projected").
 *
 * @throws TypeError without wDale, or without the signs under "abs"
 * @example
 * const wd = daleMatrix({ wDale, signs, mask }); // E columns >= 0, I columns <= 0
 */
export function daleMatrix(parts: CtRecurrentParts, parametrisation: DaleParametrisation = "abs", name = "daleMatrix"): Tensor2D {
  if (!parts.wDale) throw new TypeError(`${name}: a Dale recurrent weight needs wDale`);
  return tidy(() => {
    if (parametrisation === "projected") return (parts.mask ? mul(parts.wDale!, parts.mask) : parts.wDale!.clone()) as Tensor2D;
    if (!parts.signs) throw new TypeError(`${name}: daleParametrisation "abs" needs the column signs s`);
    const m = parts.mask ? mul(abs(parts.wDale!), parts.mask) : abs(parts.wDale!);
    return mul(m, parts.signs!) as Tensor2D;
  });
}

function freeMatrix(parts: CtRecurrentParts, name: string): Tensor2D {
  if (!parts.wFree) throw new TypeError(`${name}: a free recurrent weight needs wFree`);
  return (parts.mask ? mul(parts.wFree, parts.mask) : parts.wFree.clone()) as Tensor2D;
}

/**
 * The effective recurrent weight W_rec of a continuous-time E/I RNN ("post x pre"):
 * - "dale": W_dale = |W̃| ⊙ C · diag(s) (or the projected W ⊙ C)
 * - "free": W_free ⊙ C
 * - "mixture": W_rec = W_dale' · diag(a) + W_free' · diag(1 − a) (a scalar or per presynaptic
 *   unit), with W' = c W / ‖W‖_F under "frobenius" and W' = W otherwise (Seay 2019's
 *   W_rec = α W_dale + (1 − α) W_free with α trainable).
 *
 * @param parts - the stored matrices, signs, mask and a
 * @param options - kind, Dale parametrisation, mixture normalisation and its target norms
 * @returns W_rec, [n, n] (the caller owns it)
 * @throws TypeError when a part the kind needs is missing; RangeError on a bad target norm
 * @example
 * const w = ctRecurrentWeight({ wDale, wFree, signs, mask, a }, { kind: "mixture", daleNorm: 10, freeNorm: 10 });
 */
export function ctRecurrentWeight(parts: CtRecurrentParts, options: CtRecurrentWeightOptions): Tensor2D {
  const name = options.name ?? "ctRecurrentWeight";
  const param = options.daleParametrisation ?? "abs";
  return tidy(() => {
    if (options.kind === "dale") return daleMatrix(parts, param, name);
    if (options.kind === "free") return freeMatrix(parts, name);
    if (!parts.a) throw new TypeError(`${name}: a mixture needs the mixing weight a`);
    let wd: Tensor = daleMatrix(parts, param, name);
    let wf: Tensor = freeMatrix(parts, name);
    if ((options.normalisation ?? "frobenius") === "frobenius") {
      const target = (k: string, c: number | Scalar | undefined): Scalar => {
        if (typeof c === "number" && c > 0 && Number.isFinite(c)) return scalar(c);
        if (c !== undefined && typeof c !== "number" && c.rank === 0) return c;
        throw new RangeError(`${name}: "frobenius" normalisation needs ${k}, a number > 0 or a scalar tensor; got ${formatValue(c)}`);
      };
      wd = mul(wd, div(target("daleNorm", options.daleNorm), norm(wd)));
      wf = mul(wf, div(target("freeNorm", options.freeNorm), norm(wf)));
    }
    return add(mul(wd, parts.a!), mul(wf, sub(1, parts.a!))) as Tensor2D;
  });
}

/**
 * The mixture's norm penalty λ (‖W_dale‖_F − ‖W_free‖_F)², on the effective matrices: keeps the
 * two on one scale so a, not a norm ratio, sets the mix (the "penalty" normalisation).
 *
 * @example
 * const p = mixtureNormPenalty(daleMatrix(parts), wFree, 1e-2);
 */
export function mixtureNormPenalty(wDale: Tensor2D, wFree: Tensor2D, lambda: number): Scalar {
  return tidy(() => mul(square(sub(norm(wDale), norm(wFree))), lambda) as Scalar);
}
