import { requireFinite, requireOneOf } from "@dale-nn/core";
import { checkKernelConstraint, type KernelConstraint } from "./kernel-constraint.js";

/**
 * Which population projects to the next area (paper 002, Sec. 3 "Asymmetry in projection"):
 * `"excitatory"` (the Standard and StandardEI models) or `"inhibitory"` (InhPN, the reference
 * code's `flip_sign`: every local recurrent kernel changes sign; the projection to the next area
 * stays excitatory).
 */
export type PrincipalSign = "excitatory" | "inhibitory";
/** Every {@link PrincipalSign}. */
export const PRINCIPAL_SIGNS: readonly PrincipalSign[] = ["excitatory", "inhibitory"];

/**
 * The ablations of App. L: the activity of the input-gating (`"no-ig"`), output-gating
 * (`"no-og"`) or all inhibitory channels (`"no-i"`: IG and OG in Standard, I in StandardEI)
 * multiplied by 0, gate biases still active. StandardEI accepts `"none"` and `"no-i"`.
 */
export type ConvCellAblation = "none" | "no-ig" | "no-og" | "no-i";
/** Every {@link ConvCellAblation}. */
export const CONV_CELL_ABLATIONS: readonly ConvCellAblation[] = ["none", "no-ig", "no-og", "no-i"];

/**
 * The offsets the reference code adds and the paper's equations omit. `CODE_DEFAULT_OFFSETS`
 * (the default everywhere) is what the authors' code runs; `PAPER_OFFSETS` is the paper's text.
 */
export interface ConvCellOffsets {
  /** Added inside the forget gate: Standard f_t = σ(… + b_f + forgetOffset); StandardEI f = σ(f̃ + forgetOffset). */
  readonly forgetOffset: number;
  /** InhPN (Standard cell) only: PN_t = ReLU(C_t + o_t − inhibitoryPrincipalOffset). */
  readonly inhibitoryPrincipalOffset: number;
}

/** The reference code's offsets: +1.0 in the forget gate and in f, InhPN's −1.0 (the default). */
export const CODE_DEFAULT_OFFSETS: ConvCellOffsets = Object.freeze({ forgetOffset: 1.0, inhibitoryPrincipalOffset: 1.0 });
/** The paper's equations: f = σ(f̃), f_t = σ(… + b_f), and no InhPN offset (the paper states none). */
export const PAPER_OFFSETS: ConvCellOffsets = Object.freeze({ forgetOffset: 0, inhibitoryPrincipalOffset: 0 });

/** Options shared by the Standard and StandardEI cells (every field has a default). */
export interface ConvCellOptions {
  /** Kernel sign parametrisation; default "abs" (W = |W̃|). "none" is NoConstraint. */
  readonly constraint?: KernelConstraint;
  /** Principal population; default "excitatory"; "inhibitory" is InhPN. */
  readonly principal?: PrincipalSign;
  /** App. L ablation; default "none". */
  readonly ablation?: ConvCellAblation;
  /** Default {@link CODE_DEFAULT_OFFSETS}.forgetOffset (1.0). */
  readonly forgetOffset?: number;
  /** Default {@link CODE_DEFAULT_OFFSETS}.inhibitoryPrincipalOffset (1.0). */
  readonly inhibitoryPrincipalOffset?: number;
}

/** {@link ConvCellOptions} with every default filled in. */
export type ResolvedConvCellOptions = Required<ConvCellOptions>;

/**
 * Fills in and checks {@link ConvCellOptions}.
 *
 * @param context - the caller, named in errors
 * @param options - what was passed
 * @param ablations - the ablations this cell accepts
 * @returns the options with defaults
 * @throws TypeError / RangeError naming the offending option and its value
 * @example
 * resolveConvCellOptions("standardCellStep", { principal: "inhibitory" }, CONV_CELL_ABLATIONS);
 */
export function resolveConvCellOptions(context: string, options: ConvCellOptions | undefined, ablations: readonly ConvCellAblation[]): ResolvedConvCellOptions {
  const o = options ?? {};
  return {
    constraint: checkKernelConstraint(context, o.constraint ?? "abs"),
    principal: requireOneOf(context, "principal", o.principal ?? "excitatory", PRINCIPAL_SIGNS),
    ablation: requireOneOf(context, "ablation", o.ablation ?? "none", ablations),
    forgetOffset: requireFinite(context, "forgetOffset", o.forgetOffset ?? CODE_DEFAULT_OFFSETS.forgetOffset),
    inhibitoryPrincipalOffset: requireFinite(context, "inhibitoryPrincipalOffset", o.inhibitoryPrincipalOffset ?? CODE_DEFAULT_OFFSETS.inhibitoryPrincipalOffset),
  };
}
