import { serialization, tidy, type Tensor, type Tensor1D, type Tensor2D } from "@tensorflow/tfjs-core";
import type { layers } from "@tensorflow/tfjs-layers";
import { dannRecurrentFactors, createRandomSource, filledArray } from "@dale-nn/ei-init";
import { requireInteger } from "@dale-nn/core";
import { dannLinearForward } from "./dann-linear-forward.js";
import { EiLayer } from "./internal/ei-layer.js";
import { checkActivation, checkSeed, lastAxisOutputShape, type EiActivation, type LayerArgs, type LayerVariableLike } from "./internal/layer-support.js";

/** Arguments of the {@link DannLinear} layer. */
export interface DannLinearArgs extends LayerArgs {
  /** Output units n_e. */
  units: number;
  /** Inhibitory interneurons n_i. */
  inhibitoryUnits: number;
  /** Activation; default "linear" (a readout). */
  activation?: EiActivation;
  seed: number;
}

type DannLinearWeightName = "wEE" | "wIE" | "wEI" | "bias";

/**
 * A DANN layer with subtractive inhibition only: h = f((W_EE − W_EI W_IE) x + b), non-negative
 * factors initialised as in Li et al. (2023), Sec. 2.2 (W exactly column-centred). The readout of
 * DANN RNNs; on a sequence [batch, T, d] it reads out every step ([batch, T, units]). Runs
 * {@link dannLinearForward}: one fused kernel each way where the backend has the DANN kernel.
 *
 * @example
 * const readout = new DannLinear({ units: 10, inhibitoryUnits: 1, seed: 0 });
 */
export class DannLinear extends EiLayer {
  static className = "DannLinear";
  readonly units: number;
  readonly inhibitoryUnits: number;
  readonly activation: EiActivation;
  readonly seed: number;
  private vars: Partial<Record<DannLinearWeightName, LayerVariableLike>> = {};

  constructor(args: DannLinearArgs) {
    super(args);
    this.units = requireInteger(this.context, "units", args.units, 1);
    this.inhibitoryUnits = requireInteger(this.context, "inhibitoryUnits (n_i)", args.inhibitoryUnits, 1);
    this.activation = checkActivation(this.context, args.activation ?? "linear");
    this.seed = checkSeed(this.context, args.seed);
  }

  protected buildWeights(d: number): void {
    const ne = this.units;
    const ni = this.inhibitoryUnits;
    // The recurrent DANN scale needs n_e >= 2; a 1-unit readout uses the same formula with n_e = 2.
    const std = Math.sqrt(1 / (3 * Math.max(1, ne - 1)));
    const f = dannRecurrentFactors(createRandomSource(this.seed), ne, ni, d, std);
    const sizes = { d, ne, ni };
    const nonneg = { kind: "nonneg" } as const;
    this.vars = {
      wEE: this.addTaggedWeight("wEE", f.ee, { role: "EE", constraint: nonneg, sizes }),
      wIE: this.addTaggedWeight("wIE", f.ie, { role: "IE", constraint: nonneg, sizes }),
      wEI: this.addTaggedWeight("wEI", f.ei, { role: "EI", constraint: nonneg, sizes }),
      bias: this.addTaggedWeight("bias", filledArray([ne], 0), { role: "bias", constraint: { kind: "free" }, sizes }),
    };
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    return lastAxisOutputShape(inputShape, this.units);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const v = this.vars;
      const params = { wEE: this.readWeight<Tensor2D>(v.wEE), wIE: this.readWeight<Tensor2D>(v.wIE), wEI: this.readWeight<Tensor2D>(v.wEI), bias: this.readWeight<Tensor1D>(v.bias) };
      // The fused DANN kernel (subtractive) where the backend has it, else W = W_EE − W_EI W_IE in a dense layer.
      const options = { activation: this.activation, name: this.context };
      return this.onLastAxis(this.singleInput(inputs), this.units, (x2) => dannLinearForward(x2, params, options));
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, inhibitoryUnits: this.inhibitoryUnits, activation: this.activation, seed: this.seed };
  }
}
serialization.registerClass(DannLinear);
