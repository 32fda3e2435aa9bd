import { add, serialization, tidy, type Tensor, type Tensor2D } from "@tensorflow/tfjs-core";
import { initializers, layers } from "@tensorflow/tfjs-layers";
import { dannRecurrentFactors, createRandomSource, filledArray } from "@dale-nn/ei-init";
import { linear } from "./internal/linear.js";
import { composeDann } from "./recurrent.js";
import { tagParameter } from "./parameter-registry.js";
import { applyActivation, checkActivation, checkInputWidth, checkInteger, checkSeed, inputWidth, lastAxisOutputShape, writeInitial, type EiActivation, type LayerArgs, type LayerVariableLike } from "./internal/layer-support.js";

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

/**
 * A DANN layer with subtractive inhibition only: h = f((W_EE − W_EI W_IE) x + b), non-negative
 * factors initialised as in Li et al. (2023), Sec. 2.2 (W exactly column-centred). The readout of
 * DANN RNNs.
 *
 * @example
 * const readout = new DannLinear({ units: 10, inhibitoryUnits: 1, seed: 0 });
 */
export class DannLinear extends layers.Layer {
  static className = "DannLinear";
  readonly units: number;
  readonly inhibitoryUnits: number;
  readonly activation: EiActivation;
  readonly seed: number;
  private inputDim = 0;
  private vars: Record<string, LayerVariableLike> = {};

  constructor(args: DannLinearArgs) {
    super(args);
    const context = `DannLinear(${this.name})`;
    this.units = checkInteger(context, "units", args.units, 1);
    this.inhibitoryUnits = checkInteger(context, "inhibitoryUnits (n_i)", args.inhibitoryUnits, 1);
    this.activation = checkActivation(context, args.activation ?? "linear");
    this.seed = checkSeed(context, args.seed);
  }

  override build(inputShape: Parameters<layers.Layer["build"]>[0]): void {
    const d = inputWidth(`DannLinear(${this.name})`, inputShape);
    this.inputDim = d;
    const ne = this.units;
    const ni = this.inhibitoryUnits;
    // The recurrent DANN scale needs n_e >= 2; a 1-unit readout uses the same formula with n_e = 2.
    const std = Math.sqrt(1 / (3 * Math.max(1, ne - 1)));
    const f = dannRecurrentFactors(createRandomSource(this.seed), ne, ni, d, std);
    const zeros = initializers.zeros();
    const sizes = { d, ne, ni };
    const nonneg = { kind: "nonneg" } as const;
    for (const [name, init, role] of [["wEE", f.ee, "EE"], ["wIE", f.ie, "IE"], ["wEI", f.ei, "EI"]] as const) {
      const lv = this.addWeight(name, [...init.shape], "float32", zeros);
      tagParameter(writeInitial(lv, init), { role, constraint: nonneg, layer: this.name, sizes });
      this.vars[name] = lv;
    }
    const b = this.addWeight("bias", [ne], "float32", zeros);
    tagParameter(writeInitial(b, filledArray([ne], 0)), { role: "bias", constraint: { kind: "free" }, layer: this.name, sizes });
    this.vars.bias = b;
    this.built = true;
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    return lastAxisOutputShape(inputShape, this.units);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
      checkInputWidth(`DannLinear(${this.name})`, x, this.inputDim);
      const v = this.vars as Record<"wEE" | "wIE" | "wEI" | "bias", LayerVariableLike>;
      const w = composeDann({ ee: v.wEE.read() as Tensor2D, ie: v.wIE.read() as Tensor2D, ei: v.wEI.read() as Tensor2D });
      return applyActivation(add(linear(x as Tensor2D, w), v.bias.read()), this.activation);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, inhibitoryUnits: this.inhibitoryUnits, activation: this.activation, seed: this.seed };
  }
}
serialization.registerClass(DannLinear);
