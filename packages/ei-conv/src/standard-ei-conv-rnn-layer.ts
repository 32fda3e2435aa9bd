import { serialization, type Tensor1D, type Tensor4D } from "@tensorflow/tfjs-core";
import { requireInteger, type ParamRole } from "@dale-nn/core";
import { standardEiCellUnroll, STANDARD_EI_ABLATIONS, type StandardEiCellParams } from "./standard-ei-cell.js";
import type { ConvBatchNormSteps } from "./conv-batch-norm.js";
import type { SeparableKernel } from "./separable-conv.js";
import { ConvRnnLayer, type CellUnrollOutput, type ConnectionSpec } from "./internal/conv-rnn-layer.js";
import type { ConvRnnArgs } from "./conv-rnn-args.js";

/** Arguments of {@link StandardEiConvRnn}. */
export interface StandardEiConvRnnArgs extends ConvRnnArgs {
  /** E channels (the principal population; 64 in area 3, 128 in area 4). */
  principalChannels: number;
  /** I channels (the interneurons; 16, then 32: E:I = 4:1). */
  interneuronChannels: number;
}

/**
 * The StandardEI convolutional recurrent layer of paper 002 (eq. 1): leaky E and I populations
 * with subtractive inhibition and learned per-channel forget gates f = σ(f̃ + 1.0), unrolled for
 * `timeSteps` steps from a zero state by {@link standardEiCellUnroll} (equations at
 * {@link standardEiCellStep}). Rank-4 input: fed at every step; rank 5: a sequence. Output E_T,
 * or every E_t with `returnSequences`.
 *
 * Weights: six separable connections (`xToE`, `xToI`, `eToE`, `eToI`, `iToE`, `iToI`) as
 * `<name>_depthwise` / `<name>_pointwise` (role `weight`), biases `bE`, `bI` (role `bias`, 0),
 * forget vectors `fE`, `fI` (role `free`, Glorot 1-D), and per-step BatchNorm on Curr_E.
 *
 * @example
 * const area3 = new StandardEiConvRnn({ principalChannels: 64, interneuronChannels: 16, timeSteps: 4, seed: 0 });
 */
export class StandardEiConvRnn extends ConvRnnLayer {
  static className = "StandardEiConvRnn";
  readonly principalChannels: number;
  readonly interneuronChannelCount: number;

  constructor(args: StandardEiConvRnnArgs) {
    super(args, STANDARD_EI_ABLATIONS);
    const context = this.context;
    this.principalChannels = requireInteger(context, "principalChannels", args.principalChannels, 1);
    this.interneuronChannelCount = requireInteger(context, "interneuronChannels", args.interneuronChannels, 1);
  }

  get outputChannels(): number {
    return this.principalChannels;
  }

  protected get interneuronChannels(): number {
    return this.interneuronChannelCount;
  }

  protected connectionSpecs(cin: number): readonly ConnectionSpec[] {
    const E = this.principalChannels;
    const I = this.interneuronChannelCount;
    const sE: 1 | -1 = this.cellOptions.principal === "excitatory" ? 1 : -1;
    const sI: 1 | -1 = sE > 0 ? -1 : 1;
    return [
      { name: "xToE", source: "X", target: "E", cin, cout: E, sign: 1 },
      { name: "xToI", source: "X", target: "I", cin, cout: I, sign: 1 },
      { name: "eToE", source: "E", target: "E", cin: E, cout: E, sign: sE },
      { name: "eToI", source: "E", target: "I", cin: E, cout: I, sign: sE },
      { name: "iToE", source: "I", target: "E", cin: I, cout: E, sign: sI },
      { name: "iToI", source: "I", target: "I", cin: I, cout: I, sign: sI },
    ];
  }

  protected vectorSpecs(): ReadonlyArray<{ name: string; size: number; role: ParamRole; init: "zeros" | "glorot" }> {
    return [
      { name: "bE", size: this.principalChannels, role: "bias", init: "zeros" },
      { name: "bI", size: this.interneuronChannelCount, role: "bias", init: "zeros" },
      { name: "fE", size: this.principalChannels, role: "free", init: "glorot" },
      { name: "fI", size: this.interneuronChannelCount, role: "free", init: "glorot" },
    ];
  }

  /**
   * The parameters of the pure cell function, read from this layer's variables.
   *
   * @returns {@link StandardEiCellParams}
   * @throws Error before build
   * @example
   * const out = standardEiCellUnroll(x, layer.cellParams(), { timeSteps: 4 });
   */
  cellParams(): StandardEiCellParams {
    const k = (n: string): SeparableKernel => this.kernel(n);
    const v = (n: string): Tensor1D => this.read<Tensor1D>(n);
    return {
      xToE: k("xToE"), xToI: k("xToI"), eToE: k("eToE"), eToI: k("eToI"), iToE: k("iToE"), iToI: k("iToI"),
      bE: v("bE"), bI: v("bI"), fE: v("fE"), fI: v("fI"),
    };
  }

  protected unroll(input: Tensor4D | Tensor4D[], bn: ConvBatchNormSteps | null): CellUnrollOutput {
    const r = standardEiCellUnroll(input, this.cellParams(), { ...this.cellOptions, timeSteps: this.timeSteps, batchNorm: bn });
    return { outputs: r.outputs, batchStatistics: r.batchStatistics };
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      ...this.baseConfig(),
      principalChannels: this.principalChannels,
      interneuronChannels: this.interneuronChannelCount,
    };
  }
}
serialization.registerClass(StandardEiConvRnn);
