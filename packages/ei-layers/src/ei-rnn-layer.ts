import { add, serialization, tidy, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D } from "@tensorflow/tfjs-core";
import type { layers } from "@tensorflow/tfjs-layers";
import { colEiRnnInit, dannAlphaInit, dannRnnInit, filledArray, standardRnnInit, type InitArray } from "@dale-nn/ei-init";
import { spectralRadius } from "@dale-nn/spectra";
import { requireInteger, type ParamMeta } from "@dale-nn/core";
import { composeDann, divisiveDannRnnForward, rnnForward } from "./recurrent.js";
import { EiLayer } from "./internal/ei-layer.js";
import { checkSeed, singleInputShape, type LayerArgs, type LayerVariableLike } from "./internal/layer-support.js";

/** The recurrent architectures of Li et al. (2023). */
export type EiRnnKind = "standard" | "colei" | "dann";
export const EI_RNN_KINDS: readonly EiRnnKind[] = ["standard", "colei", "dann"];

/** Arguments of the {@link EiRnn} layer. */
export interface EiRnnArgs extends LayerArgs {
  /** "standard", "colei" or "dann". */
  kind: EiRnnKind;
  /** Hidden units n (for "dann": the excitatory units n_e, which carry the state). */
  units: number;
  /** Inhibitory units n_i: for "colei" the last n_i of the n hidden units; for "dann" the interneurons. Ignored for "standard". */
  inhibitoryUnits?: number;
  /** "colei" above the first layer: inhibitory units among the inputs (the last ones). */
  inputInhibitory?: number;
  /** "colei" first layer on raw non-negative input: positive U and a centring bias. */
  firstLayer?: { inputMean: number } | null;
  /**
   * Target spectral radius of W: "colei" default 1.5 (eq. 7); "standard" and "dann" default none
   * (the natural scale of Sec. 2.2, ρ ≈ 1/√3), exact when given (W ← (ρ/ρ₀) W; for "dann" W_EE and
   * W_IE scaled by ρ/ρ₀), as in the radius sweep of App. Fig. 9.
   */
  rho?: number | null;
  /** "colei": zero diagonal of W (default true). */
  zeroDiagonal?: boolean;
  /**
   * "dann": add divisive inhibition (eq. 1 of Cornford et al. 2021 at every step, with gain g and
   * per-interneuron α for the input and recurrent sides); default false, as in Li et al. (2023).
   */
  divisive?: boolean;
  /** "dann": multiplies the std of W_EE (radius sweeps); default 1. */
  stdScale?: number;
  /**
   * "standard": keep weights at their initial signs (sign-frozen RNN, Li et al. 2023, Sec. 3.3):
   * true tags U and W frozen-sign; "recurrent" tags W only and leaves U free, as the reference
   * code's `SGD_Clip_UpdatePolicy` does (its `WClampMixin` clamps `layer.W`, the recurrent matrix
   * of an `RNNCell`, and not `layer.U`). Default false.
   */
  signFrozen?: SignFrozenScope;
  /** Return the hidden state of every step ([batch, T, n]) or only the last ([batch, n], default). */
  returnSequences?: boolean;
  /** Seed (required). */
  seed: number;
}

/** Which weights a standard RNN layer keeps at their initial signs: none (false), U and W (true), or W only ("recurrent"). */
export type SignFrozenScope = boolean | "recurrent";

type WeightName = "u" | "w" | "bias" | "uEE" | "uIE" | "uEI" | "wEE" | "wIE" | "wEI" | "alphaU" | "alphaW" | "g";

/**
 * A recurrent layer of ReLU units, h_t = ReLU(U x_t + W h_{t−1} + b), trained with full BPTT, in
 * the three forms of Li et al. (2023), Sec. 2:
 * - "standard": U, W free, Uniform(−1/√n, 1/√n) init
 * - "colei": U and W with sign-constrained columns (first layer: U ≥ 0), W rescaled to radius ρ
 * - "dann": U = U_EE − U_EI U_IE and W = W_EE − W_EI W_IE with non-negative factors (subtractive
 *   inhibition, as in the reference code)
 * Every weight is tagged with its role, sign constraint and sizes (U factors with d = input width,
 * W factors with d = n_e, so the DANN correction gives the recurrent scaling of App. 6.3).
 *
 * @example
 * const rnn = new EiRnn({ kind: "dann", units: 100, inhibitoryUnits: 10, seed: 0, inputShape: [28, 28] });
 */
export class EiRnn extends EiLayer {
  static className = "EiRnn";
  readonly kind: EiRnnKind;
  readonly units: number;
  readonly inhibitoryUnits: number;
  readonly inputInhibitory: number;
  readonly firstLayer: { inputMean: number } | null;
  readonly rho: number | null;
  readonly zeroDiagonal: boolean;
  readonly stdScale: number;
  readonly divisive: boolean;
  readonly signFrozen: SignFrozenScope;
  readonly returnSequences: boolean;
  readonly seed: number;
  private vars: Partial<Record<WeightName, LayerVariableLike>> = {};

  constructor(args: EiRnnArgs) {
    super(args, { ndim: 3 });
    const context = this.context;
    if (!EI_RNN_KINDS.includes(args.kind)) throw new TypeError(`${context}: unknown kind ${JSON.stringify(args.kind)}; expected one of ${EI_RNN_KINDS.join(", ")}`);
    this.kind = args.kind;
    this.units = requireInteger(context, "units", args.units, this.kind === "standard" ? 1 : 2);
    this.inhibitoryUnits = this.kind === "standard" ? 0 : requireInteger(context, "inhibitoryUnits (n_i)", args.inhibitoryUnits, 1);
    if (this.kind === "colei" && this.inhibitoryUnits >= this.units) {
      throw new RangeError(`${context}: inhibitoryUnits must be < units (${this.units}) for colei; got ${this.inhibitoryUnits}`);
    }
    this.firstLayer = args.firstLayer ?? null;
    this.inputInhibitory = this.kind === "colei" && !this.firstLayer ? requireInteger(context, "inputInhibitory", args.inputInhibitory, 1) : 0;
    this.rho = args.rho === undefined ? (this.kind === "colei" ? 1.5 : null) : args.rho;
    if (this.rho !== null && !(this.rho > 0 && Number.isFinite(this.rho))) throw new RangeError(`${context}: rho must be a finite number > 0; got ${this.rho}`);
    this.zeroDiagonal = args.zeroDiagonal ?? true;
    this.stdScale = args.stdScale ?? 1;
    this.divisive = args.divisive ?? false;
    if (this.divisive && this.kind !== "dann") throw new TypeError(`${context}: divisive inhibition applies to kind "dann" only; got kind ${JSON.stringify(this.kind)}`);
    this.signFrozen = args.signFrozen ?? false;
    if (this.signFrozen !== false && this.signFrozen !== true && this.signFrozen !== "recurrent") {
      throw new TypeError(`${context}: signFrozen must be true, false or "recurrent"; got ${JSON.stringify(this.signFrozen)}`);
    }
    if (this.signFrozen !== false && this.kind !== "standard") throw new TypeError(`${context}: signFrozen applies to kind "standard" only; got kind ${JSON.stringify(this.kind)}`);
    this.returnSequences = args.returnSequences ?? false;
    this.seed = checkSeed(context, args.seed);
  }

  protected buildWeights(d: number): void {
    const n = this.units;
    const add = (name: WeightName, init: InitArray, meta: Omit<ParamMeta, "layer">): void => {
      this.vars[name] = this.addTaggedWeight(name, init, meta);
    };
    if (this.kind === "standard") {
      const p = standardRnnInit({
        inputs: d,
        hidden: n,
        seed: this.seed,
        ...(this.rho !== null ? { rho: this.rho, spectralRadius: (data: Float64Array, size: number) => spectralRadius({ data, rows: size, cols: size }) } : {}),
      });
      const frozen = { kind: "frozen-sign" } as const;
      const free = { kind: "free" } as const;
      add("u", p.u, { role: "weight", constraint: this.signFrozen === true ? frozen : free, sizes: { d, ne: n, ni: 0 } });
      add("w", p.w, { role: "weight", constraint: this.signFrozen !== false ? frozen : free, sizes: { d: n, ne: n, ni: 0 } });
      add("bias", p.bias, { role: "bias", constraint: { kind: "free" }, sizes: { d: n, ne: n, ni: 0 } });
    } else if (this.kind === "colei") {
      const p = colEiRnnInit({
        inputs: d,
        hidden: n,
        ni: this.inhibitoryUnits,
        ...(this.firstLayer ? { firstLayer: this.firstLayer } : { inputNi: this.inputInhibitory }),
        rho: this.rho ?? 1.5,
        zeroDiagonal: this.zeroDiagonal,
        seed: this.seed,
        spectralRadius: (data, size) => spectralRadius({ data, rows: size, cols: size }),
      });
      const sizes = { d, ne: p.ne, ni: this.inhibitoryUnits };
      add("u", p.u, {
        role: "weight",
        constraint: this.firstLayer ? { kind: "nonneg" } : { kind: "column-sign", nonnegColumns: p.nonnegInputColumns },
        sizes: { d, ne: n, ni: this.inputInhibitory },
      });
      add("w", p.w, { role: "weight", constraint: { kind: "column-sign", nonnegColumns: p.ne }, sizes: { ...sizes, d: n } });
      add("bias", p.bias, { role: "bias", constraint: { kind: "free" }, sizes });
    } else {
      const ni = this.inhibitoryUnits;
      const p = dannRnnInit({
        inputs: d,
        ne: n,
        ni,
        seed: this.seed,
        stdScale: this.stdScale,
        ...(this.rho !== null ? { rho: this.rho, spectralRadius: (data: Float64Array, size: number) => spectralRadius({ data, rows: size, cols: size }) } : {}),
      });
      const nonneg = { kind: "nonneg" } as const;
      const uSizes = { d, ne: n, ni };
      const wSizes = { d: n, ne: n, ni };
      add("uEE", p.u.ee, { role: "EE", constraint: nonneg, sizes: uSizes });
      add("uIE", p.u.ie, { role: "IE", constraint: nonneg, sizes: uSizes });
      add("uEI", p.u.ei, { role: "EI", constraint: nonneg, sizes: uSizes });
      add("wEE", p.w.ee, { role: "EE", constraint: nonneg, sizes: wSizes });
      add("wIE", p.w.ie, { role: "IE", constraint: nonneg, sizes: wSizes });
      add("wEI", p.w.ei, { role: "EI", constraint: nonneg, sizes: wSizes });
      add("bias", p.bias, { role: "bias", constraint: { kind: "free" }, sizes: wSizes });
      if (this.divisive) {
        // α = log(sqrt(2π − 1) / sqrt(d)) with d the width of [x_t; h_{t−1}] (Alg. 1), g = 1.
        const alpha0 = dannAlphaInit(d + n);
        add("alphaU", filledArray([ni], alpha0), { role: "alpha", constraint: { kind: "free" }, sizes: uSizes });
        add("alphaW", filledArray([ni], alpha0), { role: "alpha", constraint: { kind: "free" }, sizes: wSizes });
        add("g", filledArray([n], 1), { role: "gain", constraint: nonneg, sizes: wSizes });
      }
    }
  }

  /** The effective U, W and b (composed for "dann"); the caller disposes them. */
  effectiveWeights(): { u: Tensor2D; w: Tensor2D; bias: Tensor1D } {
    return tidy(() => {
      const { u, w, bias } = this.weightsInCall();
      // Copies of the variables themselves, so that the caller may dispose all three.
      const copy = <T extends Tensor>(t: T): T => add(t, 0) as T;
      return this.kind === "dann" ? { u, w, bias: copy(bias) } : { u: copy(u), w: copy(w), bias: copy(bias) };
    });
  }

  /**
   * The effective U, W and b for `call`, inside its tidy: the variables themselves where a weight
   * is one (no copies: each would be a kernel forward and one backward every step), composed
   * for "dann".
   */
  private weightsInCall(): { u: Tensor2D; w: Tensor2D; bias: Tensor1D } {
    const read = (k: WeightName): Tensor2D => this.readWeight(this.vars[k]);
    const bias = this.readWeight<Tensor1D>(this.vars.bias);
    if (this.kind === "dann") {
      return { u: composeDann({ ee: read("uEE"), ie: read("uIE"), ei: read("uEI") }), w: composeDann({ ee: read("wEE"), ie: read("wIE"), ei: read("wEI") }), bias };
    }
    return { u: read("u"), w: read("w"), bias };
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    const shape = singleInputShape(inputShape);
    return this.returnSequences ? [shape[0] ?? null, shape[1] ?? null, this.units] : [shape[0] ?? null, this.units];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = this.singleInput(inputs);
      const context = this.context;
      if (x.rank !== 3) throw new RangeError(`${context}: input must be rank 3 [batch, T, d]; got shape [${x.shape.join(", ")}]`);
      if (x.shape[2] !== this.inputDim) throw new RangeError(`${context}: input width must be ${this.inputDim}; got ${x.shape[2]}`);
      if (this.divisive) {
        const r = <T extends Tensor = Tensor2D>(k: WeightName): T => this.readWeight<T>(this.vars[k]);
        return divisiveDannRnnForward(
          x as Tensor3D,
          {
            u: { ee: r("uEE"), ie: r("uIE"), ei: r("uEI") },
            w: { ee: r("wEE"), ie: r("wIE"), ei: r("wEI") },
            alphaU: r<Tensor1D>("alphaU"),
            alphaW: r<Tensor1D>("alphaW"),
            g: r<Tensor1D>("g"),
            bias: r<Tensor1D>("bias"),
          },
          { returnSequences: this.returnSequences, name: context },
        );
      }
      const weights = this.weightsInCall();
      return rnnForward(x as Tensor3D, weights, { returnSequences: this.returnSequences, name: context });
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      kind: this.kind,
      units: this.units,
      inhibitoryUnits: this.inhibitoryUnits,
      inputInhibitory: this.inputInhibitory,
      firstLayer: this.firstLayer,
      rho: this.rho,
      zeroDiagonal: this.zeroDiagonal,
      stdScale: this.stdScale,
      divisive: this.divisive,
      signFrozen: this.signFrozen,
      returnSequences: this.returnSequences,
      seed: this.seed,
    };
  }
}
serialization.registerClass(EiRnn);
