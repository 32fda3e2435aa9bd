import { serialization, stack, tensor, tidy, type Tensor, type Tensor1D, type Tensor4D, type Variable } from "@tensorflow/tfjs-core";
import { initializers, layers } from "@tensorflow/tfjs-layers";
import type { InitArray } from "@dale-nn/ei-init";
import { deriveSeed } from "@dale-nn/ei-init";
import { formatShape, formatValue, requireInRange, requireInteger, requirePositive, tagParameter, unstackSteps, type ParamMeta, type ParamRole, type SignConstraint } from "@dale-nn/core";
import { kernelSignConstraint } from "../kernel-constraint.js";
import { glorotUniformKernel } from "../conv-init.js";
import { CONV_BATCH_NORM_EPSILON, CONV_BATCH_NORM_MOMENTUM, movingAverage, type ConvBatchNormParams, type ConvBatchNormSteps } from "../conv-batch-norm.js";
import { resolveConvCellOptions, type ConvCellAblation, type ResolvedConvCellOptions } from "../conv-cell-options.js";
import type { SeparableKernel } from "../separable-conv.js";
import type { ConvConnection, ConvRnnArgs } from "../conv-rnn-args.js";

/** The constructor argument type of `tf.layers.Layer` (tfjs-layers does not export `LayerArgs`). @internal */
export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Minimal view of a LayerVariable. @internal */
export interface LayerVariableLike {
  read(): Tensor;
  write(value: Tensor): unknown;
}

/** What a layer's unroll hands back to {@link ConvRnnLayer.call}. @internal */
export interface CellUnrollOutput {
  readonly outputs: readonly Tensor4D[];
  readonly batchStatistics: ReadonlyArray<{ readonly mean: Tensor1D; readonly variance: Tensor1D } | null>;
}

/** The shape of a separable connection: from `source` to `target` channels. @internal */
export interface ConnectionSpec {
  readonly name: string;
  readonly source: string;
  readonly target: string;
  readonly cin: number;
  readonly cout: number;
  readonly sign: 1 | -1;
}

/**
 * The shared body of {@link StandardConvRnn} and {@link StandardEiConvRnn}: inputSpec (rank 4 =
 * a static input fed at every step, rank 5 = a sequence [B, T, H, W, C]), guarded build, tagged
 * weights, per-step BatchNorm weights with moving statistics updated in training mode, and a
 * complete getConfig. @internal
 */
export abstract class ConvRnnLayer extends layers.Layer {
  readonly timeSteps: number;
  readonly cellOptions: ResolvedConvCellOptions;
  readonly useBatchNorm: boolean;
  /** The moving-average decay of the per-step BatchNorm statistics (see {@link setBatchNormMomentum}). */
  batchNormMomentum: number;
  readonly batchNormEpsilon: number;
  readonly returnSequences: boolean;
  readonly seed: number;
  protected inputChannels = 0;
  protected imageSize: [number | null, number | null] = [null, null];
  protected vars: Record<string, LayerVariableLike> = {};
  protected bnVars: Array<{ gamma: LayerVariableLike; beta: LayerVariableLike; movingMean: LayerVariableLike; movingVariance: LayerVariableLike }> = [];

  constructor(args: ConvRnnArgs, ablations: readonly ConvCellAblation[]) {
    super(args);
    const context = this.context;
    this.timeSteps = requireInteger(context, "timeSteps", args.timeSteps, 1);
    this.cellOptions = resolveConvCellOptions(context, args, ablations);
    if (args.batchNorm !== undefined && typeof args.batchNorm !== "boolean") throw new TypeError(`${context}: batchNorm must be a boolean; got ${formatValue(args.batchNorm)}`);
    this.useBatchNorm = args.batchNorm ?? true;
    this.batchNormMomentum = requireInRange(context, "batchNormMomentum", args.batchNormMomentum ?? CONV_BATCH_NORM_MOMENTUM, 0, 1);
    this.batchNormEpsilon = requirePositive(context, "batchNormEpsilon", args.batchNormEpsilon ?? CONV_BATCH_NORM_EPSILON);
    this.returnSequences = args.returnSequences ?? false;
    const seed = args.seed as unknown;
    if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0) {
      throw new RangeError(`${context}: seed must be an integer >= 0 (randomness is explicit in dale-nn); got ${formatValue(seed)}`);
    }
    this.seed = seed;
    this.inputSpec = [{ minNDim: 4, maxNDim: 5 }];
  }

  /**
   * Sets the decay of the moving BatchNorm statistics, m ← momentum · m + (1 − momentum) · batch,
   * for the next training-mode calls (used by `recomputeBatchNormStatistics`, which averages the
   * statistics of many batches with momentum (i − 1) / i for batch i).
   *
   * @param momentum - in [0, 1]
   * @throws RangeError when it is not
   */
  setBatchNormMomentum(momentum: number): void {
    this.batchNormMomentum = requireInRange(this.context, "batchNormMomentum", momentum, 0, 1);
  }

  /** `ClassName(layerName)`, the context of every error this layer throws. */
  protected get context(): string {
    return `${this.getClassName()}(${this.name})`;
  }

  /** Output channels (PN / E). */
  abstract get outputChannels(): number;
  /** Interneuron channels in total (IG + OG, or I), for the parameters' sizes. */
  protected abstract get interneuronChannels(): number;
  /** The cell's separable connections for input width `cin`, in weight order. */
  protected abstract connectionSpecs(cin: number): readonly ConnectionSpec[];
  /** The cell's vectors (biases, f̃): name, length, role and initial value. */
  protected abstract vectorSpecs(): ReadonlyArray<{ name: string; size: number; role: ParamRole; init: "zeros" | "glorot" }>;
  /** Runs the pure unroll on the layer's parameters; returns per-step outputs and BatchNorm statistics. */
  protected abstract unroll(input: Tensor4D | Tensor4D[], bn: ConvBatchNormSteps | null): CellUnrollOutput;

  override build(inputShape: Parameters<layers.Layer["build"]>[0]): void {
    if (this.built) return;
    const context = this.context;
    const shape = (Array.isArray(inputShape) && Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Array<number | null>;
    if (shape.length !== 4 && shape.length !== 5) {
      throw new RangeError(`${context}: input must be [batch, H, W, C] (fed at every step) or [batch, T, H, W, C]; got input shape ${JSON.stringify(shape)}`);
    }
    if (shape.length === 5 && shape[1] != null && shape[1] !== this.timeSteps) {
      throw new RangeError(`${context}: the input sequence must have timeSteps = ${this.timeSteps} steps; got ${shape[1]} (input shape ${JSON.stringify(shape)})`);
    }
    const cin = shape[shape.length - 1];
    if (typeof cin !== "number" || !Number.isInteger(cin) || cin < 1) {
      throw new RangeError(`${context}: the channel dimension must be a known positive integer; got input shape ${JSON.stringify(shape)}`);
    }
    this.inputChannels = cin;
    this.imageSize = [shape[shape.length - 3] ?? null, shape[shape.length - 2] ?? null];
    for (const spec of this.connectionSpecs(cin)) {
      this.addKernel(`${spec.name}_depthwise`, [3, 3, spec.cin, 1]);
      this.addKernel(`${spec.name}_pointwise`, [1, 1, spec.cin, spec.cout]);
    }
    for (const v of this.vectorSpecs()) {
      const init: InitArray = v.init === "glorot" ? glorotUniformKernel(deriveSeed(this.seed, v.name), [v.size]) : { values: new Float32Array(v.size), shape: [v.size] };
      this.vars[v.name] = this.addTagged(v.name, init, v.role, { kind: "free" });
    }
    if (this.useBatchNorm) {
      const c = this.outputChannels;
      for (let t = 0; t < this.timeSteps; t++) {
        const gamma = this.addTagged(`bn_gamma_t${t}`, { values: new Float32Array(c).fill(1), shape: [c] }, "free", { kind: "free" });
        const beta = this.addTagged(`bn_beta_t${t}`, { values: new Float32Array(c), shape: [c] }, "free", { kind: "free" });
        const movingMean = this.addWeight(`bn_moving_mean_t${t}`, [c], "float32", initializers.zeros(), undefined, false);
        const movingVariance = this.addWeight(`bn_moving_variance_t${t}`, [c], "float32", initializers.ones(), undefined, false);
        this.bnVars.push({ gamma, beta, movingMean, movingVariance });
      }
    }
    this.inputSpec = [{ minNDim: 4, maxNDim: 5, axes: { [-1]: cin } }];
    this.built = true;
  }

  private addTagged(name: string, init: InitArray, role: ParamRole, constraint: SignConstraint): LayerVariableLike {
    const lv = this.addWeight(name, [...init.shape], "float32", initializers.zeros());
    const t = tensor(init.values, [...init.shape], "float32");
    lv.write(t);
    t.dispose();
    const meta: ParamMeta = { role, constraint, layer: this.name, sizes: { d: this.inputChannels, ne: this.outputChannels, ni: this.interneuronChannels } };
    tagParameter(lv.read() as Variable, meta);
    return lv;
  }

  private addKernel(name: string, shape: number[]): void {
    const init = glorotUniformKernel(deriveSeed(this.seed, name), shape, this.cellOptions.constraint === "projected");
    this.vars[name] = this.addTagged(name, init, "weight", kernelSignConstraint(this.cellOptions.constraint));
  }

  /** Reads a weight, with a clear error before build. */
  protected read<T extends Tensor>(name: string): T {
    const lv = this.vars[name];
    if (!lv) throw new Error(`${this.context}: call() before build() (no weight ${name})`);
    return lv.read() as T;
  }

  /** The kernels of connection `name`. */
  protected kernel(name: string): SeparableKernel {
    return { depthwise: this.read<Tensor4D>(`${name}_depthwise`), pointwise: this.read<Tensor4D>(`${name}_pointwise`) };
  }

  /**
   * The cell's connections with their kernel variables and signs (for connection-density and
   * weight analyses).
   *
   * @returns one entry per separable conv, in weight order
   * @throws Error before build
   */
  connections(): ConvConnection[] {
    if (!this.built) throw new Error(`${this.context}: connections() before build()`);
    return this.connectionSpecs(this.inputChannels).map((s) => ({
      name: s.name,
      source: s.source,
      target: s.target,
      sign: s.sign,
      depthwise: this.read<Variable>(`${s.name}_depthwise`),
      pointwise: this.read<Variable>(`${s.name}_pointwise`),
    }));
  }

  /** The per-step BatchNorm parameters (γ, β, moving statistics), or an empty list without BatchNorm. */
  batchNormParams(): ConvBatchNormParams[] {
    return this.bnVars.map((b) => ({
      gamma: b.gamma.read() as Tensor1D,
      beta: b.beta.read() as Tensor1D,
      movingMean: b.movingMean.read() as Tensor1D,
      movingVariance: b.movingVariance.read() as Tensor1D,
    }));
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    const shape = (Array.isArray(inputShape) && Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Array<number | null>;
    const [b, h, w] = shape.length === 5 ? [shape[0], shape[2], shape[3]] : [shape[0], shape[1], shape[2]];
    const c = this.outputChannels;
    return this.returnSequences ? [b ?? null, this.timeSteps, h ?? null, w ?? null, c] : [b ?? null, h ?? null, w ?? null, c];
  }

  override call(inputs: Tensor | Tensor[], kwargs: Parameters<layers.Layer["call"]>[1]): Tensor {
    return tidy(() => {
      const context = this.context;
      if (!this.built) throw new Error(`${context}: call() before build()`);
      const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
      if (x.rank !== 4 && x.rank !== 5) throw new RangeError(`${context}: input must be [batch, H, W, C] or [batch, T, H, W, C]; got shape ${formatShape(x.shape)}`);
      const c = x.shape[x.rank - 1];
      if (c !== this.inputChannels) {
        throw new RangeError(`${context}: input must have ${this.inputChannels} channels (the layer was built for ${this.inputChannels}); got ${c} (shape ${formatShape(x.shape)})`);
      }
      const [h, w] = [x.shape[x.rank - 3]!, x.shape[x.rank - 2]!];
      const [bh, bw] = this.imageSize;
      if ((bh !== null && h !== bh) || (bw !== null && w !== bw)) {
        throw new RangeError(`${context}: input images must be ${bh ?? "any"} × ${bw ?? "any"} (the layer was built for them); got ${h} × ${w} (shape ${formatShape(x.shape)})`);
      }
      if (x.rank === 5 && x.shape[1] !== this.timeSteps) {
        throw new RangeError(`${context}: the input sequence must have timeSteps = ${this.timeSteps} steps; got ${x.shape[1]} (shape ${formatShape(x.shape)})`);
      }
      const training = kwargs?.["training"] === true;
      const bn: ConvBatchNormSteps | null = this.useBatchNorm ? { steps: this.batchNormParams(), training, epsilon: this.batchNormEpsilon } : null;
      const input = x.rank === 5 ? unstackSteps<Tensor4D>(x, 1) : (x as Tensor4D);
      const { outputs, batchStatistics } = this.unroll(input, bn);
      if (training && bn) {
        batchStatistics.forEach((s, t) => {
          if (!s) return;
          const v = this.bnVars[t]!;
          v.movingMean.write(movingAverage(v.movingMean.read() as Tensor1D, s.mean, this.batchNormMomentum));
          v.movingVariance.write(movingAverage(v.movingVariance.read() as Tensor1D, s.variance, this.batchNormMomentum));
        });
      }
      return this.returnSequences ? stack(outputs as Tensor4D[], 1) : outputs[outputs.length - 1]!;
    });
  }

  /** The cell options and layer settings, for getConfig. */
  protected baseConfig(): serialization.ConfigDict {
    return {
      timeSteps: this.timeSteps,
      constraint: this.cellOptions.constraint,
      principal: this.cellOptions.principal,
      ablation: this.cellOptions.ablation,
      forgetOffset: this.cellOptions.forgetOffset,
      inhibitoryPrincipalOffset: this.cellOptions.inhibitoryPrincipalOffset,
      batchNorm: this.useBatchNorm,
      batchNormMomentum: this.batchNormMomentum,
      batchNormEpsilon: this.batchNormEpsilon,
      returnSequences: this.returnSequences,
      seed: this.seed,
    };
  }
}
