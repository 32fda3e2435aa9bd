import { maxPool, reshape, serialization, tidy, type Tensor, type Tensor4D } from "@tensorflow/tfjs-core";
import { layers } from "@tensorflow/tfjs-layers";
import { formatShape, requireInteger } from "@dale-nn/core";
import type { LayerArgs } from "./internal/conv-rnn-layer.js";

/** Arguments of {@link StepMaxPool}. */
export interface StepMaxPoolArgs extends LayerArgs {
  /** Pool size; default 3. */
  poolSize?: number;
  /** Stride; default 2. */
  strides?: number;
}

/**
 * Max-pooling (SAME padding) applied to each step of a sequence of feature maps, [B, T, H, W, C]
 * → [B, T, ⌈H/s⌉, ⌈W/s⌉, C], or to a single map [B, H, W, C]: the pooling after each recurrent
 * area of paper 002 (App. A: 3 × 3, stride 2), so that area 4 at step t reads area 3's pooled
 * output of step t.
 *
 * @example
 * const pool = new StepMaxPool({ poolSize: 3, strides: 2 });
 */
export class StepMaxPool extends layers.Layer {
  static className = "StepMaxPool";
  readonly poolSize: number;
  readonly strides: number;

  constructor(args: StepMaxPoolArgs = {}) {
    super(args);
    const context = `${this.getClassName()}(${this.name})`;
    this.poolSize = requireInteger(context, "poolSize", args.poolSize ?? 3, 1);
    this.strides = requireInteger(context, "strides", args.strides ?? 2, 1);
    this.inputSpec = [{ minNDim: 4, maxNDim: 5 }];
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    const shape = [...((Array.isArray(inputShape) && Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Array<number | null>)];
    const n = shape.length;
    for (const axis of [n - 3, n - 2]) shape[axis] = shape[axis] == null ? null : Math.ceil(shape[axis]! / this.strides);
    return shape;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      if (x.rank === 4) return maxPool(x as Tensor4D, this.poolSize, this.strides, "same");
      if (x.rank !== 5) throw new RangeError(`${this.getClassName()}(${this.name}): input must be [B, H, W, C] or [B, T, H, W, C]; got shape ${formatShape(x.shape)}`);
      const [b, t, h, w, c] = x.shape as [number, number, number, number, number];
      const pooled = maxPool(reshape(x, [b * t, h, w, c]) as Tensor4D, this.poolSize, this.strides, "same");
      return reshape(pooled, [b, t, ...pooled.shape.slice(1)]);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides };
  }
}
serialization.registerClass(StepMaxPool);
