import { add, mul, serialization, tensor, tidy, type Tensor, type Tensor1D, type Tensor4D, type Variable } from "@tensorflow/tfjs-core";
import { initializers, layers } from "@tensorflow/tfjs-layers";
import { deriveSeed } from "@dale-nn/ei-init";
import { formatShape, formatValue, requireInteger, requireOneOf, tagParameter } from "@dale-nn/core";
import { checkKernelConstraint, kernelSignConstraint, type KernelConstraint } from "./kernel-constraint.js";
import { separableConv3x3 } from "./separable-conv.js";
import { glorotUniformKernel } from "./conv-init.js";
import type { LayerArgs, LayerVariableLike } from "./internal/conv-rnn-layer.js";

/** Arguments of {@link SignedSeparableConv2d}. */
export interface SignedSeparableConv2dArgs extends LayerArgs {
  /** Output channels C_out. */
  filters: number;
  /** "abs" (default, W = |W̃|), "projected" (W tagged nonneg) or "none" (unconstrained). */
  constraint?: KernelConstraint;
  /** The sign of the connection: "excitatory" (+, default) or "inhibitory" (−): y = ± conv(x) + b. */
  sign?: "excitatory" | "inhibitory";
  /** Add a per-channel bias b; default false. */
  useBias?: boolean;
  /** Seed (required). */
  seed: number;
}

/**
 * A sign-constrained 3 × 3 depthwise-separable convolution layer (channel multiplier 1, SAME
 * padding, stride 1; paper 002, Sec. 1 and App. A): y = ± {@link separableConv3x3}(x, D, P) + b,
 * with D = |D̃| and P = |P̃| for "abs", so every effective kernel entry is ≥ 0 and the sign of the
 * connection is the `sign` option. Weights `depthwise` [3, 3, C_in, 1] and `pointwise`
 * [1, 1, C_in, C_out] (role `weight`; `free` for "abs" / "none", `nonneg` for "projected";
 * Glorot-uniform, |·| of it for "projected") and optional `bias` [C_out] (role `bias`, 0).
 *
 * @example
 * const conv = new SignedSeparableConv2d({ filters: 16, seed: 0, inputShape: [32, 32, 8] });
 */
export class SignedSeparableConv2d extends layers.Layer {
  static className = "SignedSeparableConv2d";
  readonly filters: number;
  readonly constraint: KernelConstraint;
  readonly sign: "excitatory" | "inhibitory";
  readonly useBias: boolean;
  readonly seed: number;
  private inputChannels = 0;
  private depthwise: LayerVariableLike | null = null;
  private pointwise: LayerVariableLike | null = null;
  private bias: LayerVariableLike | null = null;

  constructor(args: SignedSeparableConv2dArgs) {
    super(args);
    const context = this.context;
    this.filters = requireInteger(context, "filters", args.filters, 1);
    this.constraint = checkKernelConstraint(context, args.constraint ?? "abs");
    this.sign = requireOneOf(context, "sign", args.sign ?? "excitatory", ["excitatory", "inhibitory"] as const);
    this.useBias = args.useBias ?? false;
    const seed = args.seed as unknown;
    if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0) {
      throw new RangeError(`${context}: seed must be an integer >= 0 (randomness is explicit in dale-nn); got ${formatValue(seed)}`);
    }
    this.seed = seed;
    this.inputSpec = [{ ndim: 4 }];
  }

  private get context(): string {
    return `${this.getClassName()}(${this.name})`;
  }

  override build(inputShape: Parameters<layers.Layer["build"]>[0]): void {
    if (this.built) return;
    const shape = (Array.isArray(inputShape) && Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Array<number | null>;
    const cin = shape[3];
    if (shape.length !== 4 || typeof cin !== "number" || !Number.isInteger(cin) || cin < 1) {
      throw new RangeError(`${this.context}: input must be [batch, H, W, C] with a known channel count; got input shape ${JSON.stringify(shape)}`);
    }
    this.inputChannels = cin;
    const sizes = { d: cin, ne: this.filters, ni: 0 };
    const add = (name: string, values: Float32Array, shape: number[], role: "weight" | "bias"): LayerVariableLike => {
      const lv = this.addWeight(name, shape, "float32", initializers.zeros());
      const t = tensor(values, shape, "float32");
      lv.write(t);
      t.dispose();
      const constraint = role === "weight" ? kernelSignConstraint(this.constraint) : ({ kind: "free" } as const);
      tagParameter(lv.read() as Variable, { role, constraint, layer: this.name, sizes });
      return lv;
    };
    const nonneg = this.constraint === "projected";
    this.depthwise = add("depthwise", glorotUniformKernel(deriveSeed(this.seed, "depthwise"), [3, 3, cin, 1], nonneg).values, [3, 3, cin, 1], "weight");
    this.pointwise = add("pointwise", glorotUniformKernel(deriveSeed(this.seed, "pointwise"), [1, 1, cin, this.filters], nonneg).values, [1, 1, cin, this.filters], "weight");
    if (this.useBias) this.bias = add("bias", new Float32Array(this.filters), [this.filters], "bias");
    this.inputSpec = [{ ndim: 4, axes: { [-1]: cin } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    const shape = (Array.isArray(inputShape) && Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Array<number | null>;
    return [shape[0] ?? null, shape[1] ?? null, shape[2] ?? null, this.filters];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      if (!this.depthwise || !this.pointwise) throw new Error(`${this.context}: call() before build()`);
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor4D;
      if (x.rank !== 4 || x.shape[3] !== this.inputChannels) {
        throw new RangeError(`${this.context}: input must be [batch, H, W, ${this.inputChannels}] (the layer was built for ${this.inputChannels} channels); got shape ${formatShape(x.shape)}`);
      }
      let y: Tensor = separableConv3x3(x, { depthwise: this.depthwise.read() as Tensor4D, pointwise: this.pointwise.read() as Tensor4D }, this.constraint);
      if (this.sign === "inhibitory") y = mul(y, -1);
      if (this.bias) y = add(y, this.bias.read() as Tensor1D);
      return y;
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, constraint: this.constraint, sign: this.sign, useBias: this.useBias, seed: this.seed };
  }
}
serialization.registerClass(SignedSeparableConv2d);
