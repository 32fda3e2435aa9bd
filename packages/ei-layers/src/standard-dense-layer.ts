import { serialization } from "@tensorflow/tfjs-core";
import { heNormalInit } from "@dale-nn/ei-init";
import { PostPreDense, type PostPreDenseArgs, type PostPreDenseInit } from "./internal/post-pre-dense.js";

/** Arguments of the {@link StandardDense} layer. */
export interface StandardDenseArgs extends PostPreDenseArgs {
  /**
   * Tag W with the `frozen-sign` constraint: a projected optimiser records each weight's sign
   * when it first sees it and keeps it (sign-frozen baseline). Default false (free).
   */
  signFrozen?: boolean;
  /** He-normal gain g, W ~ N(0, g / d); default 2. */
  initGain?: number;
}

/**
 * An ordinary dense layer h = f(W x + b) with He-normal initialisation, W stored "post x pre"
 * and tagged (role "weight", free or frozen-sign), for the MLP baselines of Cornford et al. (2021).
 *
 * @example
 * const layer = new StandardDense({ units: 500, seed: 0, inputShape: [784] });
 */
export class StandardDense extends PostPreDense {
  static className = "StandardDense";
  readonly signFrozen: boolean;
  readonly initGain: number;

  constructor(args: StandardDenseArgs) {
    super(args);
    this.signFrozen = args.signFrozen ?? false;
    this.initGain = args.initGain ?? 2;
    if (!(this.initGain > 0 && Number.isFinite(this.initGain))) throw new RangeError(`${this.context}: initGain must be a finite number > 0; got ${this.initGain}`);
  }

  protected initialise(d: number): PostPreDenseInit {
    const init = heNormalInit({ inputs: d, outputs: this.units, seed: this.seed, gain: this.initGain });
    return {
      w: init.w,
      bias: init.bias,
      constraint: this.signFrozen ? { kind: "frozen-sign" } : { kind: "free" },
      sizes: { d, ne: this.units, ni: 0 },
    };
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), signFrozen: this.signFrozen, initGain: this.initGain };
  }
}
serialization.registerClass(StandardDense);
