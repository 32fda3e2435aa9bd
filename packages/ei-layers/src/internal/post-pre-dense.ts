import { tidy, type Tensor, type Tensor1D, serialization } from "@tensorflow/tfjs-core";
import type { layers } from "@tensorflow/tfjs-layers";
import type { InitArray } from "@dale-nn/ei-init";
import { requireInteger, type LayerSizes, type SignConstraint } from "@dale-nn/core";
import { denseForward } from "../dense-forward.js";
import { EiLayer } from "./ei-layer.js";
import { checkActivation, checkSeed, lastAxisOutputShape, type EiActivation, type LayerArgs, type LayerVariableLike } from "./layer-support.js";

/** Arguments shared by the dense layers with one weight matrix W [units, d] and a bias. */
export interface PostPreDenseArgs extends LayerArgs {
  /** Output units. */
  units: number;
  /** Activation; default "relu". */
  activation?: EiActivation;
  /** Seed for the initialisation (required). */
  seed: number;
}

/** What a subclass supplies once the input width is known. */
export interface PostPreDenseInit {
  w: InitArray;
  bias: InitArray;
  constraint: SignConstraint;
  sizes: LayerSizes;
}

/**
 * Base of ColEiDense and StandardDense: h = f(x Wᵀ + b) with W stored "post x pre" and tagged
 * with role "weight" and the subclass's sign constraint; b tagged "bias" (free). The forward is
 * {@link denseForward}: one fused kernel on a backend that has it (linear and ReLU layers).
 * @internal
 */
export abstract class PostPreDense extends EiLayer {
  readonly units: number;
  readonly activation: EiActivation;
  readonly seed: number;
  private w: LayerVariableLike | null = null;
  private b: LayerVariableLike | null = null;

  constructor(args: PostPreDenseArgs) {
    super(args);
    this.units = requireInteger(this.context, "units", args.units, 1);
    this.activation = checkActivation(this.context, args.activation ?? "relu");
    this.seed = checkSeed(this.context, args.seed);
  }

  /** Initial values and constraint for input width d. */
  protected abstract initialise(d: number): PostPreDenseInit;

  protected buildWeights(d: number): void {
    const init = this.initialise(d);
    this.w = this.addTaggedWeight("w", init.w, { role: "weight", constraint: init.constraint, sizes: init.sizes });
    this.b = this.addTaggedWeight("bias", init.bias, { role: "bias", constraint: { kind: "free" }, sizes: init.sizes });
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    return lastAxisOutputShape(inputShape, this.units);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const w = this.readWeight(this.w);
      const b = this.readWeight<Tensor1D>(this.b);
      const options = { activation: this.activation, name: this.context };
      return this.onLastAxis(this.singleInput(inputs), this.units, (x2) => denseForward(x2, { w, b }, options));
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, activation: this.activation, seed: this.seed };
  }
}
