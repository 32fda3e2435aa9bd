import { serialization } from "@tensorflow/tfjs-core";
import { columnEiInit } from "@dale-nn/ei-init";
import { PostPreDense, type PostPreDenseArgs, type PostPreDenseInit } from "./internal/post-pre-dense.js";
import { requireInteger } from "@dale-nn/core";

/** Arguments of the {@link ColEiDense} layer. */
export interface ColEiDenseArgs extends PostPreDenseArgs {
  /**
   * Number of inhibitory inputs n_i: the last n_i columns of W are ≤ 0, the others ≥ 0.
   * Ignored (and may be 0) for a first layer.
   */
  inhibitoryInputs: number;
  /**
   * First layer on raw non-negative input: all weights ≥ 0 and the bias centres the
   * pre-activations for inputs with mean `inputMean` (App. B.1).
   */
  firstLayer?: { inputMean: number } | null;
}

/**
 * A column-constrained ("ColumnEi") dense layer, the obvious Dale's-law baseline of
 * Cornford et al. (2021), App. B.1: h = f(W x + b) where each presynaptic column of W has one
 * sign: the first d − n_i columns ≥ 0 (excitatory inputs), the last n_i columns ≤ 0.
 *
 * @example
 * const layer = new ColEiDense({ units: 550, inhibitoryInputs: 50, seed: 0 });
 */
export class ColEiDense extends PostPreDense {
  static className = "ColEiDense";
  readonly inhibitoryInputs: number;
  readonly firstLayer: { inputMean: number } | null;

  constructor(args: ColEiDenseArgs) {
    super(args);
    this.firstLayer = args.firstLayer ?? null;
    this.inhibitoryInputs = this.firstLayer ? 0 : requireInteger(this.context, "inhibitoryInputs", args.inhibitoryInputs, 1);
  }

  protected initialise(d: number): PostPreDenseInit {
    const init = columnEiInit({
      inputs: d,
      outputs: this.units,
      inhibitoryInputs: this.inhibitoryInputs,
      seed: this.seed,
      ...(this.firstLayer ? { firstLayer: this.firstLayer } : {}),
    });
    return {
      w: init.w,
      bias: init.bias,
      constraint: this.firstLayer ? { kind: "nonneg" } : { kind: "column-sign", nonnegColumns: init.excitatoryInputs },
      sizes: { d, ne: this.units, ni: this.inhibitoryInputs },
    };
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), inhibitoryInputs: this.inhibitoryInputs, firstLayer: this.firstLayer };
  }
}
serialization.registerClass(ColEiDense);
