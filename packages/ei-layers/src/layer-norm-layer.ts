import { add, mean, mul, rsqrt, serialization, square, sub, tidy, type Tensor } from "@tensorflow/tfjs-core";
import type { layers } from "@tensorflow/tfjs-layers";
import { filledArray } from "@dale-nn/ei-init";
import { EiLayer } from "./internal/ei-layer.js";
import { checkInputWidth, singleInputShape, type LayerArgs, type LayerVariableLike } from "./internal/layer-support.js";

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
export class LayerNorm extends EiLayer {
  static className = "DaleLayerNorm";
  readonly epsilon: number;
  private gamma: LayerVariableLike | null = null;
  private beta: LayerVariableLike | null = null;

  /** Errors say `LayerNorm(name)`, the exported name, not the registered class name. */
  protected override get context(): string {
    return `LayerNorm(${this.name})`;
  }

  constructor(args: LayerNormArgs = {}) {
    super(args, { minNDim: 1 });
    this.epsilon = args.epsilon ?? 1e-5;
    if (!(this.epsilon > 0) || !Number.isFinite(this.epsilon)) throw new RangeError(`${this.context}: epsilon must be a finite number > 0; got ${this.epsilon}`);
  }

  protected buildWeights(n: number): void {
    const sizes = { d: n, ne: n, ni: 0 };
    this.gamma = this.addTaggedWeight("gamma", filledArray([n], 1), { role: "free", constraint: { kind: "free" }, sizes });
    this.beta = this.addTaggedWeight("beta", filledArray([n], 0), { role: "bias", constraint: { kind: "free" }, sizes });
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    return singleInputShape(inputShape);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = this.singleInput(inputs);
      const gamma = this.readWeight(this.gamma);
      const beta = this.readWeight(this.beta);
      checkInputWidth(this.context, x, this.inputDim);
      // Normalises along the last axis at any rank: no flattening needed.
      const centred = sub(x, mean(x, -1, true));
      const variance = mean(square(centred), -1, true);
      return add(mul(mul(centred, rsqrt(add(variance, this.epsilon))), gamma), beta);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
serialization.registerClass(LayerNorm);
