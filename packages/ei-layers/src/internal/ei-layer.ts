import { reshape, type Tensor, type Tensor2D } from "@tensorflow/tfjs-core";
import { initializers, layers } from "@tensorflow/tfjs-layers";
import type { InitArray } from "@dale-nn/ei-init";
import { tagParameter, type ParamMeta } from "@dale-nn/core";
import { checkInputWidth, inputWidth, writeInitial, type LayerArgs, type LayerVariableLike } from "./layer-support.js";

/** The rank a layer accepts, as tfjs's InputSpec states it. */
export type RankSpec = { readonly minNDim: number } | { readonly ndim: number };

/**
 * The shared shape of every dale-nn layer, modelled on tfjs-layers' `Dense`:
 * - `inputSpec` states the accepted rank from the constructor on, and the input width once built
 *   (so tfjs checks symbolic and concrete inputs before `call`);
 * - `build` is guarded (a second call does nothing) and reads the input width with a clear error;
 * - weights are added through {@link EiLayer.addTaggedWeight}: created, written with their
 *   initial values, and tagged with role, sign constraint, layer name and sizes in one place;
 * - {@link EiLayer.onLastAxis} flattens leading axes to a batch, applies the layer, and restores
 *   them, so a layer applied to [batch, T, d] (a sequence readout) is the same layer at every step.
 * @internal
 */
export abstract class EiLayer extends layers.Layer {
  /** The input width d, known once built. */
  protected inputDim = 0;

  constructor(args: LayerArgs, rank: RankSpec = { minNDim: 2 }) {
    super(args);
    this.inputSpec = [{ ...rank }];
  }

  /** `ClassName(layerName)`, the context of every error this layer throws. */
  protected get context(): string {
    return `${this.getClassName()}(${this.name})`;
  }

  /** Creates the layer's weights for input width d (called once, from {@link EiLayer.build}). */
  protected abstract buildWeights(d: number): void;

  override build(inputShape: Parameters<layers.Layer["build"]>[0]): void {
    if (this.built) return;
    const d = inputWidth(this.context, inputShape);
    this.inputDim = d;
    this.buildWeights(d);
    this.inputSpec = [{ ...this.inputSpec[0], axes: { [-1]: d } }];
    this.built = true;
  }

  /**
   * Adds a trainable float32 weight with the shape of `init`, writes `init` into it, and tags its
   * variable with `meta` and this layer's name.
   */
  protected addTaggedWeight(name: string, init: InitArray, meta: Omit<ParamMeta, "layer">): LayerVariableLike {
    const lv = this.addWeight(name, [...init.shape], "float32", initializers.zeros());
    tagParameter(writeInitial(lv, init), { ...meta, layer: this.name });
    return lv;
  }

  /** Reads a weight, with a clear error when the layer is called before it is built. */
  protected readWeight<T extends Tensor = Tensor2D>(lv: LayerVariableLike | null | undefined): T {
    if (!lv) throw new Error(`${this.context}: call() before build()`);
    return lv.read() as T;
  }

  /** The single input of `call` (tfjs passes a tensor or a list of one). */
  protected singleInput(inputs: Tensor | Tensor[]): Tensor {
    return Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
  }

  /**
   * Applies `f` to the input flattened to [N, d] (N the product of the leading axes) and restores
   * the leading axes on its [N, units] result: [..., d] → [..., units].
   */
  protected onLastAxis(x: Tensor, units: number, f: (x2: Tensor2D) => Tensor): Tensor {
    checkInputWidth(this.context, x, this.inputDim);
    if (x.rank === 2) return f(x as Tensor2D);
    return reshape(f(reshape(x, [-1, this.inputDim]) as Tensor2D), [...x.shape.slice(0, -1), units]);
  }
}
