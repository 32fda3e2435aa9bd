import { serialization, tidy, type Tensor, type Tensor1D } from "@tensorflow/tfjs-core";
import type { layers } from "@tensorflow/tfjs-layers";
import { dannRecurrentFactors, createRandomSource, filledArray } from "@dale-nn/ei-init";
import { requireInteger } from "@dale-nn/core";
import { denseForward } from "./dense-forward.js";
import { composeDann } from "./recurrent.js";
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
 * DANN RNNs; on a sequence [batch, T, d] it reads out every step ([batch, T, units]).
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
      const w = composeDann({ ee: this.readWeight(v.wEE), ie: this.readWeight(v.wIE), ei: this.readWeight(v.wEI) });
      const bias = this.readWeight<Tensor1D>(v.bias);
      // The composed W = W_EE − W_EI W_IE in a dense layer: the fused dense kernel where the backend has it.
      const options = { activation: this.activation, name: this.context };
      return this.onLastAxis(this.singleInput(inputs), this.units, (x2) => denseForward(x2, { w, b: bias }, options));
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, inhibitoryUnits: this.inhibitoryUnits, activation: this.activation, seed: this.seed };
  }
}
serialization.registerClass(DannLinear);
