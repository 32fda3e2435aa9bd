import { add, mean, mul, reshape, rsqrt, serialization, square, sub, tidy, type Tensor } from "@tensorflow/tfjs-core";
import { initializers, layers } from "@tensorflow/tfjs-layers";
import { filledArray } from "@dale-nn/ei-init";
import { tagParameter } from "./parameter-registry.js";
import { checkInputWidth, inputWidth, singleInputShape, writeInitial, type LayerArgs, type LayerVariableLike } from "./internal/layer-support.js";

/** Arguments of the {@link LayerNorm} layer. */
export interface LayerNormArgs extends LayerArgs {
  /** Added to the variance; default 1e-5 (PyTorch's default, used by the reference code). */
  epsilon?: number;
}

/**
 * Layer normalisation over the last axis (Ba et al. 2016), the LayerNorm baseline of Cornford et al.
 * (2021), Sec. 5.2: y = γ ⊙ (x − μ) / sqrt(σ² + ε) + β with μ, σ² the mean and (biased) variance of
 * each row. Written with elementary ops: on tfjs-backend-wasm 4.22 it runs about 20x faster than
 * `tf.layers.layerNormalization` (measured: 30 ms against 570 ms for a [1000, 500] input).
 * γ is tagged role "free", β role "bias".
 *
 * @example
 * model.add(new LayerNorm({}));
 */
export class LayerNorm extends layers.Layer {
  static className = "DaleLayerNorm";
  readonly epsilon: number;
  private width = 0;
  private gamma: LayerVariableLike | null = null;
  private beta: LayerVariableLike | null = null;

  constructor(args: LayerNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
    if (!(this.epsilon > 0) || !Number.isFinite(this.epsilon)) throw new RangeError(`LayerNorm(${this.name}): epsilon must be a finite number > 0; got ${this.epsilon}`);
  }

  override build(inputShape: Parameters<layers.Layer["build"]>[0]): void {
    const n = inputWidth(`LayerNorm(${this.name})`, inputShape);
    this.width = n;
    const sizes = { d: n, ne: n, ni: 0 };
    this.gamma = this.addWeight("gamma", [n], "float32", initializers.zeros());
    this.beta = this.addWeight("beta", [n], "float32", initializers.zeros());
    tagParameter(writeInitial(this.gamma, filledArray([n], 1)), { role: "free", constraint: { kind: "free" }, layer: this.name, sizes });
    tagParameter(writeInitial(this.beta, filledArray([n], 0)), { role: "bias", constraint: { kind: "free" }, layer: this.name, sizes });
    this.built = true;
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    return singleInputShape(inputShape);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
      if (!this.gamma || !this.beta) throw new Error(`LayerNorm(${this.name}): call() before build()`);
      checkInputWidth(`LayerNorm(${this.name})`, x, this.width);
      const centred = sub(x, mean(x, -1, true));
      const variance = mean(square(centred), -1, true);
      const y = add(mul(mul(centred, rsqrt(add(variance, this.epsilon))), this.gamma.read()), this.beta.read());
      return x.rank === y.rank ? y : reshape(y, x.shape);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
serialization.registerClass(LayerNorm);
