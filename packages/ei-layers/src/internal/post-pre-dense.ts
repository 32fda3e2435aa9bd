import { add, reshape, tidy, type Tensor, type Tensor2D, serialization } from "@tensorflow/tfjs-core";
import { initializers, layers } from "@tensorflow/tfjs-layers";
import type { InitArray } from "@dale-nn/ei-init";
import { linear } from "./linear.js";
import { tagParameter } from "../parameter-registry.js";
import type { LayerSizes, SignConstraint } from "../parameter-meta.js";
import {
  applyActivation,
  checkActivation,
  checkInputWidth,
  checkInteger,
  checkSeed,
  inputWidth,
  lastAxisOutputShape,
  writeInitial,
  type EiActivation,
  type LayerArgs,
  type LayerVariableLike,
} from "./layer-support.js";

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
 * with role "weight" and the subclass's sign constraint; b tagged "bias" (free).
 * @internal
 */
export abstract class PostPreDense extends layers.Layer {
  readonly units: number;
  readonly activation: EiActivation;
  readonly seed: number;
  protected inputDim = 0;
  private w: LayerVariableLike | null = null;
  private b: LayerVariableLike | null = null;

  constructor(args: PostPreDenseArgs) {
    super(args);
    const context = `${this.getClassName()}(${this.name})`;
    this.units = checkInteger(context, "units", args.units, 1);
    this.activation = checkActivation(context, args.activation ?? "relu");
    this.seed = checkSeed(context, args.seed);
  }

  /** Initial values and constraint for input width d. */
  protected abstract initialise(d: number): PostPreDenseInit;

  override build(inputShape: Parameters<layers.Layer["build"]>[0]): void {
    const d = inputWidth(`${this.getClassName()}(${this.name})`, inputShape);
    this.inputDim = d;
    const init = this.initialise(d);
    const zeros = initializers.zeros();
    this.w = this.addWeight("w", [this.units, d], "float32", zeros);
    this.b = this.addWeight("bias", [this.units], "float32", zeros);
    tagParameter(writeInitial(this.w, init.w), { role: "weight", constraint: init.constraint, layer: this.name, sizes: init.sizes });
    tagParameter(writeInitial(this.b, init.bias), { role: "bias", constraint: { kind: "free" }, layer: this.name, sizes: init.sizes });
    this.built = true;
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    return lastAxisOutputShape(inputShape, this.units);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
      if (!this.w || !this.b) throw new Error(`${this.getClassName()}(${this.name}): call() before build()`);
      checkInputWidth(`${this.getClassName()}(${this.name})`, x, this.inputDim);
      const x2 = (x.rank === 2 ? x : reshape(x, [-1, this.inputDim])) as Tensor2D;
      const h = applyActivation(add(linear(x2, this.w.read() as Tensor2D), this.b.read()), this.activation);
      return x.rank === 2 ? h : reshape(h, [...x.shape.slice(0, -1), this.units]);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, activation: this.activation, seed: this.seed };
  }
}
