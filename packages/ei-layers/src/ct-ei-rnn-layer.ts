import { abs, add, clipByValue, mul, scalar, serialization, slice, sub, tidy, type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D } from "@tensorflow/tfjs-core";
import { initializers, type layers } from "@tensorflow/tfjs-layers";
import {
  createRandomSource, deriveSeed, filledArray, psychRnnRecurrentInit, pycogRecurrentInit, sampleNormal, splitByExcitatoryFraction,
  typeConnectivityMask, type CtRecurrentInit, type InitArray, type TypeDensities,
} from "@dale-nn/ei-init";
import { spectralRadius } from "@dale-nn/spectra";
import { formatValue, requireInteger, type ParamMeta, type SignConstraint } from "@dale-nn/core";
import { EiLayer } from "./internal/ei-layer.js";
import { checkSeed, singleInputShape, writeInitial, type LayerArgs, type LayerVariableLike } from "./internal/layer-support.js";
import { CT_ACTIVATIONS, ctRnnForward, type CtActivation, type CtRnnParams } from "./ct-rnn-forward.js";
import {
  CT_RECURRENT_KINDS, DALE_PARAMETRISATIONS, MIXTURE_NORMALISATIONS, ctRecurrentWeight, daleMatrix, mixtureNormPenalty,
  type CtRecurrentKind, type CtRecurrentParts, type DaleParametrisation, type MixtureNormalisation,
} from "./ct-recurrent-weight.js";
import { MIXING_PARAMETRISATIONS, mixingLogit, mixingWeight, type MixingParametrisation } from "./ct-mixing.js";
import { boundedTau, tauLogit } from "./ct-time-constants.js";

/** Initial time constants: one for all, one per cell type, or one per unit (ms). */
export type CtTauSpec = number | { readonly excitatory: number; readonly inhibitory: number } | readonly number[];

/** Options of the Dale / free mixture (kind "mixture"). */
export interface CtMixingArgs {
  /** Initial a₀ ∈ [0, 1] (in (0, 1) with "sigmoid"); default 0.5. */
  a0?: number;
  /** One a per presynaptic unit (column) instead of a scalar; default false. */
  perUnit?: boolean;
  /** How a stays in [0, 1]: "sigmoid" (default) or "clip". */
  parametrisation?: MixingParametrisation;
  /** How a is kept meaningful: "frobenius" (default), "fixed", "penalty" or "none". */
  normalisation?: MixtureNormalisation;
  /** λ of the "penalty" normalisation; default 1e-2. */
  penalty?: number;
  /**
   * k in a = σ(k ã): a's logit moves about k times faster under Adam-like optimisers, whose step
   * size does not follow the gradient's; default 1 (see {@link mixingWeight}).
   */
  logitScale?: number;
}

/** Arguments of the {@link CtEiRnn} layer. */
export interface CtEiRnnArgs extends LayerArgs {
  /** Recurrent units n (the first n_e excitatory, the rest inhibitory). */
  units: number;
  /** Readout width nOut. */
  outputs: number;
  /** "dale" (default), "free" or "mixture". */
  kind?: CtRecurrentKind;
  /** Excitatory fraction; default 0.8 (also labels cell types, for τ, under "free"). */
  excitatoryFraction?: number;
  /** Time step in ms; default 20. */
  dt?: number;
  /** Initial τ in ms; default 100. */
  tau?: CtTauSpec;
  /** Train τ within `tauBounds` (sigmoid-mapped); default false. */
  trainTau?: boolean;
  /** Trainable τ: one per cell type ("type", default for a number or E/I pair) or per unit ("unit", default for an array). */
  tauSharing?: "type" | "unit";
  /** [τ_min, τ_max] of a trainable τ; default [dt, 10 · max τ₀]; τ_min must be ≥ dt. */
  tauBounds?: readonly [number, number];
  /** φ: "relu" (default), "softplus" or "tanh". */
  activation?: CtActivation;
  /** σ_rec; default 0.05. */
  recurrentNoise?: number;
  /** σ_in; default 0. */
  inputNoise?: number;
  /** Noise on (training) or off (evaluation); default true. `apply(x, { noise: false })` overrides per call. */
  noise?: boolean;
  /** Train v_0 (else v_0 = 0); default false. */
  trainInitialState?: boolean;
  /** Read out from E units only; default true for "dale" and "mixture", false for "free". */
  readoutFromExcitatory?: boolean;
  /** Allow self-connections; default false. */
  autapses?: boolean;
  /** Connectivity mask C, n × n of 0 / 1 (rows = postsynaptic), flat or nested. */
  recurrentMask?: readonly number[] | readonly (readonly number[])[] | null;
  /** Type-specific densities (e.g. `{ fromItoI: 0, fromEtoI: 0.5 }`), drawn from the layer seed; combined with `recurrentMask`. */
  connectivity?: TypeDensities | null;
  /** "abs" (default, W = |W̃| · diag(s)) or "projected" (column-sign constrained W). */
  daleParametrisation?: DaleParametrisation;
  /** Dale-matrix initialisation: "pycog" (default; gamma, balanced, ρ = 1.5) or "psychrnn" (ρ = 1.1 before abs). */
  init?: "pycog" | "psychrnn";
  /** Spectral radius target; default 1.5 (pycog, and the free matrix), 1.1 for "psychrnn". */
  rho?: number;
  /** pycog gamma shape k; default 2. */
  gammaShape?: number;
  /** Mixture options. */
  mixing?: CtMixingArgs;
  /** Also return the states: `[outputs [B, T, nOut], states [B, T, n]]`; default false. */
  returnStates?: boolean;
  /** Seed (required): weights, masks and the per-call noise seeds derive from it. */
  seed: number;
}

type WeightName = "wIn" | "wDale" | "wFree" | "mixing" | "tau" | "bias" | "wOut" | "biasOut" | "v0" | "mask" | "signs" | "readoutMask" | "daleNorm" | "freeNorm" | "tauType" | "tauTheta";

/** Call options of {@link CtEiRnn}. */
export interface CtEiRnnCallArgs {
  /** Override the layer's `noise` for this call. */
  noise?: boolean;
  /** The noise seed of this call (default: derived from the layer seed and a call counter). */
  noiseSeed?: number;
}

function positive(context: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) throw new RangeError(`${context}: ${name} must be a finite number > 0; got ${formatValue(v)}`);
  return v;
}

/**
 * A continuous-time E/I rate RNN layer (Song, Yang & Wang 2016; PsychRNN; Seay 2019):
 * τ ⊙ dv/dt = −v + W_rec φ(v) + W_in u + b, z = W_out φ(v) + b_out, Euler-integrated with
 * α = dt / τ per unit (see {@link ctRnnForward}). Maps u [B, T, nIn] to z [B, T, nOut] (and the
 * states v [B, T, n] with `returnStates`).
 *
 * W_rec is "dale" (|W̃| ⊙ C · diag(s), or projected column signs), "free", or the trainable
 * "mixture" a · W_dale + (1 − a) · W_free with a ∈ [0, 1] (σ-mapped by default) and both matrices
 * held at fixed Frobenius norms so that a alone sets the mix. τ is fixed or trainable within
 * [τ_min, τ_max] (σ-mapped). Every trainable weight is tagged with a role and sign constraint.
 *
 * @example
 * const rnn = new CtEiRnn({ units: 50, outputs: 3, dt: 20, tau: 100, seed: 0, inputShape: [null, 3] });
 * const rnn2 = new CtEiRnn({ units: 50, outputs: 3, kind: "mixture", mixing: { a0: 0.5 }, seed: 1 });
 */
export class CtEiRnn extends EiLayer {
  static className = "CtEiRnn";
  readonly units: number;
  readonly outputs: number;
  readonly kind: CtRecurrentKind;
  readonly excitatoryFraction: number;
  readonly ne: number;
  readonly ni: number;
  readonly dt: number;
  readonly tau: CtTauSpec;
  readonly trainTau: boolean;
  readonly tauSharing: "type" | "unit";
  readonly tauBounds: readonly [number, number];
  readonly activation: CtActivation;
  readonly recurrentNoise: number;
  readonly inputNoise: number;
  noise: boolean;
  readonly trainInitialState: boolean;
  readonly readoutFromExcitatory: boolean;
  readonly autapses: boolean;
  readonly recurrentMask: readonly number[] | null;
  readonly connectivity: TypeDensities | null;
  readonly daleParametrisation: DaleParametrisation;
  readonly init: "pycog" | "psychrnn";
  readonly rho: number;
  readonly gammaShape: number;
  readonly mixing: Required<CtMixingArgs>;
  readonly returnStates: boolean;
  readonly seed: number;
  private readonly tau0: Float64Array;
  private vars: Partial<Record<WeightName, LayerVariableLike>> = {};
  private calls = 0;

  constructor(args: CtEiRnnArgs) {
    super(args, { ndim: 3 });
    const context = this.context;
    this.kind = args.kind ?? "dale";
    if (!CT_RECURRENT_KINDS.includes(this.kind)) throw new TypeError(`${context}: unknown kind ${formatValue(args.kind)}; expected one of ${CT_RECURRENT_KINDS.join(", ")}`);
    this.units = requireInteger(context, "units", args.units, 2);
    this.outputs = requireInteger(context, "outputs", args.outputs, 1);
    this.excitatoryFraction = args.excitatoryFraction ?? 0.8;
    ({ ne: this.ne, ni: this.ni } = splitByExcitatoryFraction(context, this.units, this.excitatoryFraction));
    this.dt = positive(context, "dt", args.dt ?? 20);
    this.tau = args.tau ?? 100;
    this.tau0 = this.resolveTau(context, this.tau);
    this.trainTau = args.trainTau ?? false;
    this.tauSharing = args.tauSharing ?? (Array.isArray(this.tau) ? "unit" : "type");
    if (this.tauSharing !== "type" && this.tauSharing !== "unit") throw new TypeError(`${context}: tauSharing must be "type" or "unit"; got ${formatValue(args.tauSharing)}`);
    const maxTau = Math.max(...this.tau0);
    this.tauBounds = args.tauBounds ? [args.tauBounds[0], args.tauBounds[1]] : [this.dt, 10 * maxTau];
    if (this.trainTau) {
      const [lo, hi] = this.tauBounds;
      positive(context, "tauBounds[0] (tau_min)", lo);
      if (!(hi > lo) || !Number.isFinite(hi)) throw new RangeError(`${context}: tauBounds must be [tau_min, tau_max] with tau_max > tau_min; got ${formatValue(args.tauBounds)}`);
      if (lo < this.dt) throw new RangeError(`${context}: tauBounds[0] (tau_min) = ${lo} ms must be >= dt = ${this.dt} ms, so that α = dt/τ stays <= 1 while τ trains`);
      this.tau0.forEach((t) => tauLogit(t, lo, hi, context));
      if (this.tauSharing === "type" && Array.isArray(this.tau)) throw new TypeError(`${context}: tauSharing "type" needs tau as a number or { excitatory, inhibitory }; got an array of ${this.tau.length}`);
    }
    this.activation = args.activation ?? "relu";
    if (!CT_ACTIVATIONS.includes(this.activation)) throw new TypeError(`${context}: unknown activation ${formatValue(args.activation)}; expected one of ${CT_ACTIVATIONS.join(", ")}`);
    this.recurrentNoise = args.recurrentNoise ?? 0.05;
    this.inputNoise = args.inputNoise ?? 0;
    for (const [k, v] of [["recurrentNoise", this.recurrentNoise], ["inputNoise", this.inputNoise]] as const) {
      if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${context}: ${k} must be a finite number >= 0; got ${formatValue(v)}`);
    }
    this.noise = args.noise ?? true;
    this.trainInitialState = args.trainInitialState ?? false;
    this.readoutFromExcitatory = args.readoutFromExcitatory ?? this.kind !== "free";
    this.autapses = args.autapses ?? false;
    this.recurrentMask = args.recurrentMask ? this.flattenMask(context, args.recurrentMask) : null;
    this.connectivity = args.connectivity ?? null;
    this.daleParametrisation = args.daleParametrisation ?? "abs";
    if (!DALE_PARAMETRISATIONS.includes(this.daleParametrisation)) throw new TypeError(`${context}: unknown daleParametrisation ${formatValue(args.daleParametrisation)}; expected one of ${DALE_PARAMETRISATIONS.join(", ")}`);
    this.init = args.init ?? "pycog";
    if (this.init !== "pycog" && this.init !== "psychrnn") throw new TypeError(`${context}: unknown init ${formatValue(args.init)}; expected "pycog" or "psychrnn"`);
    this.rho = positive(context, "rho", args.rho ?? (this.init === "psychrnn" ? 1.1 : 1.5));
    this.gammaShape = positive(context, "gammaShape", args.gammaShape ?? 2);
    const m = args.mixing ?? {};
    this.mixing = {
      a0: m.a0 ?? 0.5,
      perUnit: m.perUnit ?? false,
      parametrisation: m.parametrisation ?? "sigmoid",
      normalisation: m.normalisation ?? "frobenius",
      penalty: m.penalty ?? 1e-2,
      logitScale: m.logitScale ?? 1,
    };
    if (!MIXING_PARAMETRISATIONS.includes(this.mixing.parametrisation)) throw new TypeError(`${context}: unknown mixing.parametrisation ${formatValue(m.parametrisation)}; expected one of ${MIXING_PARAMETRISATIONS.join(", ")}`);
    if (!MIXTURE_NORMALISATIONS.includes(this.mixing.normalisation)) throw new TypeError(`${context}: unknown mixing.normalisation ${formatValue(m.normalisation)}; expected one of ${MIXTURE_NORMALISATIONS.join(", ")}`);
    if (this.kind === "mixture") mixingLogit(this.mixing.a0, this.mixing.parametrisation, context, this.mixing.logitScale);
    if (!(this.mixing.penalty >= 0)) throw new RangeError(`${context}: mixing.penalty must be >= 0; got ${formatValue(this.mixing.penalty)}`);
    this.returnStates = args.returnStates ?? false;
    this.seed = checkSeed(context, args.seed);
  }

  private resolveTau(context: string, tau: CtTauSpec): Float64Array {
    const n = this.units;
    let out: Float64Array;
    if (typeof tau === "number") out = new Float64Array(n).fill(tau);
    else if (Array.isArray(tau)) {
      if (tau.length !== n) throw new RangeError(`${context}: tau per unit must have ${n} values (one per unit); got ${tau.length}`);
      out = Float64Array.from(tau as number[]);
    } else if (tau && typeof tau === "object" && "excitatory" in tau) {
      out = new Float64Array(n).map((_, i) => (i < this.ne ? (tau as { excitatory: number }).excitatory : (tau as { inhibitory: number }).inhibitory));
    } else throw new TypeError(`${context}: tau must be a number, { excitatory, inhibitory } or one value per unit; got ${formatValue(tau)}`);
    out.forEach((t, i) => {
      if (typeof t !== "number" || !(t > 0) || !Number.isFinite(t)) throw new RangeError(`${context}: tau must be a finite number > 0 (ms); tau of unit ${i} was ${formatValue(t)}`);
      if (this.dt > t) throw new RangeError(`${context}: dt = ${this.dt} ms must be <= tau (α = dt/τ ≤ 1 for a stable Euler step); tau of unit ${i} was ${t} ms`);
    });
    return out;
  }

  private flattenMask(context: string, mask: readonly number[] | readonly (readonly number[])[]): number[] {
    const n = this.units;
    const nested = Array.isArray(mask[0]);
    if (nested) {
      const rows = mask as readonly (readonly number[])[];
      const bad = rows.findIndex((r) => r.length !== n);
      if (rows.length !== n || bad >= 0) {
        throw new RangeError(`${context}: recurrentMask must be ${n} x ${n} (units x units, post x pre); got ${rows.length} rows${bad >= 0 ? `, row ${bad} of length ${rows[bad]!.length}` : ""}`);
      }
    }
    const flat = nested ? (mask as readonly (readonly number[])[]).flat() : [...(mask as readonly number[])];
    if (flat.length !== n * n) throw new RangeError(`${context}: recurrentMask must be ${n} x ${n} = ${n * n} values (post x pre); got ${flat.length}`);
    const bad = flat.findIndex((v) => v !== 0 && v !== 1);
    if (bad >= 0) throw new RangeError(`${context}: recurrentMask entries must be 0 or 1; entry (${Math.floor(bad / n)}, ${bad % n}) was ${formatValue(flat[bad])}`);
    return flat;
  }

  /** The connectivity mask C (mask ⊙ type densities, diagonal 0 without autapses). */
  private maskInit(): InitArray {
    const n = this.units;
    const values = new Float32Array(n * n).fill(1);
    if (this.recurrentMask) values.set(this.recurrentMask);
    if (this.connectivity) {
      const t = typeConnectivityMask({ ne: this.ne, ni: this.ni, density: this.connectivity, autapses: true, seed: deriveSeed(this.seed, "connectivity") });
      for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * (t.values[i] as number);
    }
    if (!this.autapses) for (let i = 0; i < n; i++) values[i * n + i] = 0;
    return { values, shape: [n, n] };
  }

  private addConstant(name: WeightName, init: InitArray): void {
    const lv = this.addWeight(name, [...init.shape], "float32", initializers.zeros(), undefined, false);
    writeInitial(lv, init);
    this.vars[name] = lv;
  }

  private addTrainable(name: WeightName, init: InitArray, meta: Omit<ParamMeta, "layer">): void {
    this.vars[name] = this.addTaggedWeight(name, init, meta);
  }

  protected buildWeights(d: number): void {
    const n = this.units;
    const { ne, ni } = this;
    const sizesRec = { d: n, ne, ni };
    const radius = (data: Float64Array, size: number): number => spectralRadius({ data, rows: size, cols: size });
    const mask = this.maskInit();
    const free: SignConstraint = { kind: "free" };
    const dale = this.kind !== "free";
    const projected = this.daleParametrisation === "projected";
    this.addConstant("mask", mask);
    // Input weights: non-negative under Dale (|W̃_in|, or projected at >= 0), free otherwise.
    const wIn = sampleNormal(createRandomSource(deriveSeed(this.seed, "wIn")), [n, d], 1 / Math.sqrt(d));
    if (dale) wIn.values.forEach((v, i) => (wIn.values[i] = Math.abs(v)));
    this.addTrainable("wIn", wIn, { role: "weight", constraint: dale && projected ? { kind: "nonneg" } : free, sizes: { d, ne, ni } });
    let daleInit: CtRecurrentInit | null = null;
    let freeInit: CtRecurrentInit | null = null;
    if (dale) {
      const seed = deriveSeed(this.seed, "wDale");
      daleInit =
        this.init === "pycog"
          ? pycogRecurrentInit({ units: n, excitatoryFraction: this.excitatoryFraction, gammaShape: this.gammaShape, rho: this.rho, mask, autapses: this.autapses, spectralRadius: radius, seed })
          : psychRnnRecurrentInit({ units: n, excitatoryFraction: this.excitatoryFraction, rho: this.rho, mask, autapses: this.autapses, spectralRadius: radius, seed });
      this.addConstant("signs", { values: daleInit.signs, shape: [n] });
    }
    if (this.kind !== "dale") {
      freeInit = psychRnnRecurrentInit({ units: n, excitatoryFraction: null, rho: this.kind === "mixture" ? this.rho : this.rho, mask, autapses: this.autapses, spectralRadius: radius, seed: deriveSeed(this.seed, "wFree") });
    }
    const fixed = this.kind === "mixture" && this.mixing.normalisation === "fixed";
    if (daleInit) {
      const init = projected ? daleInit.signed : daleInit.magnitudes;
      const constraint: SignConstraint = projected ? { kind: "column-sign", nonnegColumns: ne } : free;
      if (fixed) this.addConstant("wDale", init);
      else this.addTrainable("wDale", init, { role: "weight", constraint, sizes: sizesRec });
    }
    if (freeInit) {
      if (fixed) this.addConstant("wFree", freeInit.signed);
      else this.addTrainable("wFree", freeInit.signed, { role: "weight", constraint: free, sizes: sizesRec });
    }
    if (this.kind === "mixture") {
      const frob = (a: Float32Array): number => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
      this.addConstant("daleNorm", filledArray([], frob(daleInit!.signed.values)));
      this.addConstant("freeNorm", filledArray([], frob(freeInit!.signed.values)));
      const raw = mixingLogit(this.mixing.a0, this.mixing.parametrisation, this.context, this.mixing.logitScale);
      this.addTrainable("mixing", filledArray(this.mixing.perUnit ? [n] : [], raw), { role: "free", constraint: free, sizes: sizesRec });
    }
    const typeIndex = new Float32Array(n).map((_, i) => (i < ne ? 0 : 1));
    if (this.trainTau) {
      const [lo, hi] = this.tauBounds;
      if (this.tauSharing === "type") {
        this.addConstant("tauType", { values: typeIndex, shape: [n] });
        const pair = [this.tau0[0]!, this.tau0[n - 1]!];
        this.addTrainable("tauTheta", { values: Float32Array.from(pair, (t) => tauLogit(t, lo, hi, this.context)), shape: [2] }, { role: "free", constraint: free, sizes: sizesRec });
      } else {
        this.addTrainable("tauTheta", { values: Float32Array.from(this.tau0, (t) => tauLogit(t, lo, hi, this.context)), shape: [n] }, { role: "free", constraint: free, sizes: sizesRec });
      }
    } else {
      this.addConstant("tau", { values: Float32Array.from(this.tau0), shape: [n] });
    }
    this.addTrainable("bias", filledArray([n], 0), { role: "bias", constraint: free, sizes: sizesRec });
    const readout = new Float32Array(n).map((_, j) => (this.readoutFromExcitatory && j >= ne ? 0 : 1));
    this.addConstant("readoutMask", { values: readout, shape: [n] });
    const readUnits = this.readoutFromExcitatory ? ne : n;
    const wOut = sampleNormal(createRandomSource(deriveSeed(this.seed, "wOut")), [this.outputs, n], 1 / Math.sqrt(readUnits));
    wOut.values.forEach((v, i) => (wOut.values[i] = v * (readout[i % n] as number)));
    this.addTrainable("wOut", wOut, { role: "weight", constraint: free, sizes: { d: n, ne: this.outputs, ni: 0 } });
    this.addTrainable("biasOut", filledArray([this.outputs], 0), { role: "bias", constraint: free, sizes: { d: n, ne: this.outputs, ni: 0 } });
    if (this.trainInitialState) this.addTrainable("v0", filledArray([n], 0), { role: "free", constraint: free, sizes: sizesRec });
    if (this.kind === "mixture" && this.mixing.normalisation === "penalty" && this.mixing.penalty > 0) this.addLoss(() => this.mixturePenalty());
  }

  private readVar<T extends Tensor = Tensor2D>(k: WeightName): T {
    return this.readWeight<T>(this.vars[k]);
  }

  private parts(): CtRecurrentParts {
    const p: CtRecurrentParts = { mask: this.readVar<Tensor2D>("mask") };
    if (this.vars.wDale) p.wDale = this.readVar<Tensor2D>("wDale");
    if (this.vars.wFree) p.wFree = this.readVar<Tensor2D>("wFree");
    if (this.vars.signs) p.signs = this.readVar<Tensor1D>("signs");
    if (this.vars.mixing) p.a = mixingWeight(this.readVar("mixing"), this.mixing.parametrisation, this.mixing.logitScale);
    return p;
  }

  /** The effective recurrent weight W_rec, [n, n] (the caller disposes it). */
  effectiveRecurrentWeight(): Tensor2D {
    return tidy(() =>
      ctRecurrentWeight(this.parts(), {
        kind: this.kind,
        daleParametrisation: this.daleParametrisation,
        normalisation: this.mixing.normalisation,
        ...(this.vars.daleNorm ? { daleNorm: this.readVar<Scalar>("daleNorm"), freeNorm: this.readVar<Scalar>("freeNorm") } : {}),
        name: this.context,
      }),
    );
  }

  /** τ per unit, [n] (ms; the caller disposes it). */
  timeConstantTensor(): Tensor1D {
    return tidy(() => {
      if (!this.trainTau) return this.readVar<Tensor1D>("tau").clone();
      const [lo, hi] = this.tauBounds;
      const tau = boundedTau(this.readVar("tauTheta"), lo, hi);
      if (this.tauSharing === "unit") return tau as Tensor1D;
      const t = this.readVar<Tensor1D>("tauType");
      // τ_unit = τ_E (1 − type) + τ_I type, differentiable in both.
      return add(mul(slice(tau, [0], [1]), sub(1, t)), mul(slice(tau, [1], [1]), t)) as Tensor1D;
    });
  }

  /** τ per unit in ms (host copy). */
  get timeConstants(): Float32Array {
    const t = this.timeConstantTensor();
    const v = t.dataSync() as Float32Array;
    t.dispose();
    return Float32Array.from(v);
  }

  /** The mixing weight a ∈ [0, 1] (a number, or one per presynaptic unit); null unless kind "mixture". For logging a over training. */
  get mixingWeight(): number | Float32Array | null {
    if (!this.vars.mixing) return null;
    const a = tidy(() => mixingWeight(this.readVar("mixing"), this.mixing.parametrisation, this.mixing.logitScale));
    const v = Float32Array.from(a.dataSync());
    a.dispose();
    return this.mixing.perUnit ? v : v[0]!;
  }

  /** Projects ã back into [0, 1] (for mixing.parametrisation "clip"; a no-op for "sigmoid"). */
  clampMixing(): void {
    if (!this.vars.mixing || this.mixing.parametrisation !== "clip") return;
    const v = this.readVar("mixing") as unknown as { assign(t: Tensor): void };
    tidy(() => v.assign(clipByValue(this.readVar("mixing"), 0, 1 / this.mixing.logitScale)));
  }

  /** λ (‖W_dale‖_F − ‖W_free‖_F)² on the effective matrices ("penalty" normalisation; 0 otherwise). */
  mixturePenalty(): Scalar {
    return tidy(() => {
      if (this.kind !== "mixture" || this.mixing.normalisation !== "penalty") return scalar(0);
      const p = this.parts();
      const wf = p.mask ? mul(p.wFree!, p.mask) : p.wFree!;
      return mixtureNormPenalty(daleMatrix(p, this.daleParametrisation, this.context), wf as Tensor2D, this.mixing.penalty);
    });
  }

  /** The effective parameters {@link ctRnnForward} takes (the caller disposes them). */
  effectiveParams(): CtRnnParams {
    return tidy(() => {
      const p: CtRnnParams = {
        wIn: (this.kind !== "free" && this.daleParametrisation === "abs" ? abs(this.readVar("wIn")) : this.readVar("wIn").clone()) as Tensor2D,
        wRec: this.effectiveRecurrentWeight(),
        bias: this.readVar<Tensor1D>("bias").clone(),
        wOut: mul(this.readVar("wOut"), this.readVar("readoutMask")) as Tensor2D,
        biasOut: this.readVar<Tensor1D>("biasOut").clone(),
        tau: this.timeConstantTensor(),
      };
      if (this.vars.v0) p.v0 = this.readVar<Tensor1D>("v0").clone();
      return p as unknown as Record<string, Tensor>;
    }) as unknown as CtRnnParams;
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    const shape = singleInputShape(inputShape);
    const out = [shape[0] ?? null, shape[1] ?? null, this.outputs];
    return this.returnStates ? [out, [shape[0] ?? null, shape[1] ?? null, this.units]] : out;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown> = {}): Tensor | Tensor[] {
    const x = this.singleInput(inputs);
    const context = this.context;
    if (x.rank !== 3) throw new RangeError(`${context}: input must be rank 3 [batch, T, nIn]; got shape [${x.shape.join(", ")}]`);
    if (x.shape[2] !== this.inputDim) throw new RangeError(`${context}: input width must be ${this.inputDim}; got ${x.shape[2]}`);
    const { noise = this.noise, noiseSeed } = kwargs as CtEiRnnCallArgs;
    const seed = noiseSeed ?? deriveSeed(this.seed, "noise", this.calls++);
    return tidy(() => {
      const { states, outputs } = ctRnnForward(this.effectiveParams(), x as Tensor3D, {
        dt: this.dt,
        activation: this.activation,
        recurrentNoise: this.recurrentNoise,
        inputNoise: this.inputNoise,
        noise,
        seed,
        checkTau: false,
        name: context,
      });
      return this.returnStates ? [outputs, states] : outputs;
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      outputs: this.outputs,
      kind: this.kind,
      excitatoryFraction: this.excitatoryFraction,
      dt: this.dt,
      tau: (typeof this.tau === "number" ? this.tau : Array.isArray(this.tau) ? [...this.tau] : { ...this.tau }) as serialization.ConfigDictValue,
      trainTau: this.trainTau,
      tauSharing: this.tauSharing,
      tauBounds: [...this.tauBounds],
      activation: this.activation,
      recurrentNoise: this.recurrentNoise,
      inputNoise: this.inputNoise,
      noise: this.noise,
      trainInitialState: this.trainInitialState,
      readoutFromExcitatory: this.readoutFromExcitatory,
      autapses: this.autapses,
      recurrentMask: this.recurrentMask ? [...this.recurrentMask] : null,
      connectivity: this.connectivity ? { ...this.connectivity } : null,
      daleParametrisation: this.daleParametrisation,
      init: this.init,
      rho: this.rho,
      gammaShape: this.gammaShape,
      mixing: { ...this.mixing },
      returnStates: this.returnStates,
      seed: this.seed,
    };
  }
}
serialization.registerClass(CtEiRnn);
