import { serialization, tidy, type Tensor, type Tensor1D, type Tensor2D } from "@tensorflow/tfjs-core";
import type { layers } from "@tensorflow/tfjs-layers";
import { dannDenseInit, type DannInitVariant } from "@dale-nn/ei-init";
import { requireInteger, type LayerSizes } from "@dale-nn/core";
import { DANN_EPS, dannDense } from "./dann-dense.js";
import { EiLayer } from "./internal/ei-layer.js";
import { applyActivation, checkActivation, checkSeed, lastAxisOutputShape, type EiActivation, type LayerArgs, type LayerVariableLike } from "./internal/layer-support.js";

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

type DannWeightName = "wEE" | "wIE" | "wEI" | "alpha" | "g" | "beta";

/**
 * A DANN dense layer (Cornford et al. 2021, eq. 1): excitatory units with subtractive and divisive
 * feedforward inhibition from n_i linear inhibitory units,
 * h = f(g ⊙ (W_EE x − W_EI W_IE x) / (W_EI (e^α ⊙ W_IE x) + eps) + β).
 *
 * Weights are stored "post x pre" (W_EE is [n_e, d]) and tagged with their roles (EE, IE, EI,
 * alpha, gain, bias) and sign constraints (W_EE, W_IE, W_EI, g ≥ 0) for the projected optimiser.
 * Initialised by Alg. 1 (`dannDenseInit`). Inputs of any rank >= 2: leading axes are flattened
 * to a batch and restored.
 *
 * @example
 * const layer = new DannDense({ units: 500, inhibitoryUnits: 50, seed: 0, inputShape: [784] });
 */
export class DannDense extends EiLayer {
  static className = "DannDense";
  readonly units: number;
  readonly inhibitoryUnits: number;
  readonly activation: EiActivation;
  readonly seed: number;
  readonly initVariant: DannInitVariant;
  readonly eps: number;
  readonly requireNonNegativeInput: boolean;
  private weightsByName: Record<DannWeightName, LayerVariableLike> | null = null;

  constructor(args: DannDenseArgs) {
    super(args);
    const context = this.context;
    this.units = requireInteger(context, "units", args.units, 1);
    this.inhibitoryUnits = requireInteger(context, "inhibitoryUnits (n_i)", args.inhibitoryUnits, 1);
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

  protected buildWeights(d: number): void {
    const ne = this.units;
    const ni = this.inhibitoryUnits;
    const init = dannDenseInit({ d, ne, ni, seed: this.seed, variant: this.initVariant });
    const sizes = { d, ne, ni };
    const nonneg = { kind: "nonneg" } as const;
    const free = { kind: "free" } as const;
    this.weightsByName = {
      wEE: this.addTaggedWeight("wEE", init.wEE, { role: "EE", constraint: nonneg, sizes }),
      wIE: this.addTaggedWeight("wIE", init.wIE, { role: "IE", constraint: nonneg, sizes }),
      wEI: this.addTaggedWeight("wEI", init.wEI, { role: "EI", constraint: nonneg, sizes }),
      alpha: this.addTaggedWeight("alpha", init.alpha, { role: "alpha", constraint: free, sizes }),
      g: this.addTaggedWeight("g", init.g, { role: "gain", constraint: nonneg, sizes }),
      beta: this.addTaggedWeight("beta", init.beta, { role: "bias", constraint: free, sizes }),
    };
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    return lastAxisOutputShape(inputShape, this.units);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const w = this.weightsByName;
      const read = <T extends Tensor>(k: DannWeightName): T => this.readWeight<T>(w?.[k]);
      const params = {
        wEE: read<Tensor2D>("wEE"),
        wIE: read<Tensor2D>("wIE"),
        wEI: read<Tensor2D>("wEI"),
        alpha: read<Tensor1D>("alpha"),
        g: read<Tensor1D>("g"),
        beta: read<Tensor1D>("beta"),
      };
      const options = { eps: this.eps, requireNonNegativeInput: this.requireNonNegativeInput, name: this.context };
      const activation = this.activation;
      // ReLU (hidden layers) and linear run inside the fused kernel where the backend has it; softmax etc. after it.
      const inside = activation === "relu" || activation === "linear";
      return this.onLastAxis(this.singleInput(inputs), this.units, (x2) =>
        inside ? dannDense(x2, params, { ...options, activation }) : applyActivation(dannDense(x2, params, options), activation),
      );
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
