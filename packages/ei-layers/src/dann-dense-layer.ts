import { serialization, tidy, reshape, type Tensor, type Tensor1D, type Tensor2D } from "@tensorflow/tfjs-core";
import { initializers, layers } from "@tensorflow/tfjs-layers";
import { dannDenseInit, type DannInitVariant } from "@dale-nn/ei-init";
import { DANN_EPS, dannDense } from "./dann-dense.js";
import { tagParameter } from "./parameter-registry.js";
import type { LayerSizes } from "./parameter-meta.js";
import {
  applyActivation,
  checkActivation,
  checkInputWidth,
  checkInteger,
  checkSeed,
  inputWidth,
  lastAxisOutputShape,
  writeInitial,
  type EiActivation,
  type LayerArgs,
  type LayerVariableLike,
} from "./internal/layer-support.js";

/** Arguments of the {@link DannDense} layer. */
export interface DannDenseArgs extends LayerArgs {
  /** Excitatory output units n_e. */
  units: number;
  /** Inhibitory units n_i (>= 1); 10% of n_e in the paper, 1 at the softmax output. */
  inhibitoryUnits: number;
  /** Activation f applied to z: "relu" (hidden, default), "softmax" (output) or "linear" (logits). */
  activation?: EiActivation;
  /** Seed for the initialisation (required). */
  seed: number;
  /** Excitatory weight scale at init: "paper" (default) or "reference-first-layer". */
  initVariant?: DannInitVariant;
  /** eps added to γ; default 1e-8. */
  eps?: number;
  /** Check every call that inputs are ≥ 0 (costs a host read-back); default false. */
  requireNonNegativeInput?: boolean;
}

/**
 * A DANN dense layer (Cornford et al. 2021, eq. 1): excitatory units with subtractive and divisive
 * feedforward inhibition from n_i linear inhibitory units,
 * h = f(g ⊙ (W_EE x − W_EI W_IE x) / (W_EI (e^α ⊙ W_IE x) + eps) + β).
 *
 * Weights are stored "post x pre" (W_EE is [n_e, d]) and tagged with their roles (EE, IE, EI,
 * alpha, gain, bias) and sign constraints (W_EE, W_IE, W_EI, g ≥ 0) for the projected optimiser.
 * Initialised by Alg. 1 (`dannDenseInit`).
 *
 * @example
 * const layer = new DannDense({ units: 500, inhibitoryUnits: 50, seed: 0, inputShape: [784] });
 */
export class DannDense extends layers.Layer {
  static className = "DannDense";
  readonly units: number;
  readonly inhibitoryUnits: number;
  readonly activation: EiActivation;
  readonly seed: number;
  readonly initVariant: DannInitVariant;
  readonly eps: number;
  readonly requireNonNegativeInput: boolean;
  private inputDim = 0;
  private weightsByName: Record<"wEE" | "wIE" | "wEI" | "alpha" | "g" | "beta", LayerVariableLike> | null = null;

  constructor(args: DannDenseArgs) {
    super(args);
    const context = `DannDense(${this.name})`;
    this.units = checkInteger(context, "units", args.units, 1);
    this.inhibitoryUnits = checkInteger(context, "inhibitoryUnits (n_i)", args.inhibitoryUnits, 1);
    this.activation = checkActivation(context, args.activation ?? "relu");
    this.seed = checkSeed(context, args.seed);
    this.initVariant = args.initVariant ?? "paper";
    if (this.initVariant !== "paper" && this.initVariant !== "reference-first-layer") {
      throw new TypeError(`${context}: unknown initVariant ${JSON.stringify(this.initVariant)}; expected "paper" or "reference-first-layer"`);
    }
    this.eps = args.eps ?? DANN_EPS;
    if (!(this.eps >= 0) || !Number.isFinite(this.eps)) throw new RangeError(`${context}: eps must be a finite number >= 0; got ${this.eps}`);
    this.requireNonNegativeInput = args.requireNonNegativeInput ?? false;
  }

  /** The layer sizes { d, ne, ni } (d known once built). */
  get sizes(): LayerSizes {
    return { d: this.inputDim, ne: this.units, ni: this.inhibitoryUnits };
  }

  override build(inputShape: Parameters<layers.Layer["build"]>[0]): void {
    const d = inputWidth(`DannDense(${this.name})`, inputShape);
    this.inputDim = d;
    const ne = this.units;
    const ni = this.inhibitoryUnits;
    const init = dannDenseInit({ d, ne, ni, seed: this.seed, variant: this.initVariant });
    const sizes = { d, ne, ni };
    const zeros = initializers.zeros();
    const make = (name: keyof typeof init, shape: number[]): LayerVariableLike => this.addWeight(name, shape, "float32", zeros);
    const w = {
      wEE: make("wEE", [ne, d]),
      wIE: make("wIE", [ni, d]),
      wEI: make("wEI", [ne, ni]),
      alpha: make("alpha", [ni]),
      g: make("g", [ne]),
      beta: make("beta", [ne]),
    };
    const layer = this.name;
    tagParameter(writeInitial(w.wEE, init.wEE), { role: "EE", constraint: { kind: "nonneg" }, layer, sizes });
    tagParameter(writeInitial(w.wIE, init.wIE), { role: "IE", constraint: { kind: "nonneg" }, layer, sizes });
    tagParameter(writeInitial(w.wEI, init.wEI), { role: "EI", constraint: { kind: "nonneg" }, layer, sizes });
    tagParameter(writeInitial(w.alpha, init.alpha), { role: "alpha", constraint: { kind: "free" }, layer, sizes });
    tagParameter(writeInitial(w.g, init.g), { role: "gain", constraint: { kind: "nonneg" }, layer, sizes });
    tagParameter(writeInitial(w.beta, init.beta), { role: "bias", constraint: { kind: "free" }, layer, sizes });
    this.weightsByName = w;
    this.built = true;
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    return lastAxisOutputShape(inputShape, this.units);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
      const w = this.weightsByName;
      if (!w) throw new Error(`DannDense(${this.name}): call() before build()`);
      const context = `DannDense(${this.name})`;
      checkInputWidth(context, x, this.inputDim);
      const lead = x.shape.slice(0, -1);
      const x2 = (x.rank === 2 ? x : reshape(x, [-1, this.inputDim])) as Tensor2D;
      const z = dannDense(
        x2,
        {
          wEE: w.wEE.read() as Tensor2D,
          wIE: w.wIE.read() as Tensor2D,
          wEI: w.wEI.read() as Tensor2D,
          alpha: w.alpha.read() as Tensor1D,
          g: w.g.read() as Tensor1D,
          beta: w.beta.read() as Tensor1D,
        },
        { eps: this.eps, requireNonNegativeInput: this.requireNonNegativeInput, name: context },
      );
      const h = applyActivation(z, this.activation);
      return x.rank === 2 ? h : reshape(h, [...lead, this.units]);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      inhibitoryUnits: this.inhibitoryUnits,
      activation: this.activation,
      seed: this.seed,
      initVariant: this.initVariant,
      eps: this.eps,
      requireNonNegativeInput: this.requireNonNegativeInput,
    };
  }
}
serialization.registerClass(DannDense);
