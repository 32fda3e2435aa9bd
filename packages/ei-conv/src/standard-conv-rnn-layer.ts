import { serialization, type Tensor1D, type Tensor4D } from "@tensorflow/tfjs-core";
import { requireInteger, type ParamRole } from "@dale-nn/core";
import { CONV_CELL_ABLATIONS } from "./conv-cell-options.js";
import { standardCellUnroll, type StandardCellParams } from "./standard-cell.js";
import type { ConvBatchNormSteps } from "./conv-batch-norm.js";
import type { SeparableKernel } from "./separable-conv.js";
import { ConvRnnLayer, type CellUnrollOutput, type ConnectionSpec } from "./internal/conv-rnn-layer.js";
import type { ConvRnnArgs } from "./conv-rnn-args.js";

/** Arguments of {@link StandardConvRnn}. */
export interface StandardConvRnnArgs extends ConvRnnArgs {
  /** PN channels P (64 in area 3 of the CIFAR-10 network, 128 in area 4). */
  principalChannels: number;
  /** IG channels (16, then 32). */
  inputGateChannels: number;
  /** OG channels (16, then 32). */
  outputGateChannels: number;
}

/**
 * The Standard convolutional recurrent layer of paper 002 (Sec. 1, Fig. 1): principal neurons
 * with input-gating and output-gating interneurons, unrolled for `timeSteps` steps from a zero
 * state by {@link standardCellUnroll} (see {@link standardCellStep} for the equations). A rank-4
 * input [B, H, W, C] is fed at every step; a rank-5 input [B, T, H, W, C] is a sequence. The
 * output is PN_T [B, H, W, P], or every PN_t [B, T, H, W, P] with `returnSequences`.
 *
 * Weights: ten separable connections (`xToF`, `xToIg`, `xToOg`, `xToPn`, `pnToF`, `pnToIg`,
 * `pnToOg`, `pnToPn`, `igToPn`, `ogToPn`), each a `<name>_depthwise` [3, 3, C_src, 1] and
 * `<name>_pointwise` [1, 1, C_src, C_dst] kernel (role `weight`; `free` for "abs" and "none",
 * `nonneg` for "projected"), Glorot-uniform; biases `bF`, `bIg`, `bI`, `bOg`, `bO`, `bC` (role
 * `bias`, 0); with BatchNorm, `bn_gamma_t<t>` and `bn_beta_t<t>` per step (role `free`) and the
 * non-trainable `bn_moving_mean_t<t>` / `bn_moving_variance_t<t>`, updated when called with
 * `training: true`.
 *
 * @example
 * const area3 = new StandardConvRnn({ principalChannels: 64, inputGateChannels: 16, outputGateChannels: 16, timeSteps: 4, seed: 0 });
 */
export class StandardConvRnn extends ConvRnnLayer {
  static className = "StandardConvRnn";
  readonly principalChannels: number;
  readonly inputGateChannels: number;
  readonly outputGateChannels: number;

  constructor(args: StandardConvRnnArgs) {
    super(args, CONV_CELL_ABLATIONS);
    const context = this.context;
    this.principalChannels = requireInteger(context, "principalChannels", args.principalChannels, 1);
    this.inputGateChannels = requireInteger(context, "inputGateChannels", args.inputGateChannels, 1);
    this.outputGateChannels = requireInteger(context, "outputGateChannels", args.outputGateChannels, 1);
  }

  get outputChannels(): number {
    return this.principalChannels;
  }

  protected get interneuronChannels(): number {
    return this.inputGateChannels + this.outputGateChannels;
  }

  protected connectionSpecs(cin: number): readonly ConnectionSpec[] {
    const P = this.principalChannels;
    const gi = this.inputGateChannels;
    const go = this.outputGateChannels;
    const s: 1 | -1 = this.cellOptions.principal === "excitatory" ? 1 : -1;
    const si: 1 | -1 = s > 0 ? -1 : 1;
    return [
      { name: "xToF", source: "X", target: "f", cin, cout: P, sign: 1 },
      { name: "xToIg", source: "X", target: "IG", cin, cout: gi, sign: 1 },
      { name: "xToOg", source: "X", target: "OG", cin, cout: go, sign: 1 },
      { name: "xToPn", source: "X", target: "PN", cin, cout: P, sign: 1 },
      { name: "pnToF", source: "PN", target: "f", cin: P, cout: P, sign: s },
      { name: "pnToIg", source: "PN", target: "IG", cin: P, cout: gi, sign: s },
      { name: "pnToOg", source: "PN", target: "OG", cin: P, cout: go, sign: s },
      { name: "pnToPn", source: "PN", target: "PN", cin: P, cout: P, sign: s },
      { name: "igToPn", source: "IG", target: "PN", cin: gi, cout: P, sign: si },
      { name: "ogToPn", source: "OG", target: "PN", cin: go, cout: P, sign: si },
    ];
  }

  protected vectorSpecs(): ReadonlyArray<{ name: string; size: number; role: ParamRole; init: "zeros" | "glorot" }> {
    const P = this.principalChannels;
    return [
      { name: "bF", size: P, role: "bias", init: "zeros" },
      { name: "bIg", size: this.inputGateChannels, role: "bias", init: "zeros" },
      { name: "bI", size: P, role: "bias", init: "zeros" },
      { name: "bOg", size: this.outputGateChannels, role: "bias", init: "zeros" },
      { name: "bO", size: P, role: "bias", init: "zeros" },
      { name: "bC", size: P, role: "bias", init: "zeros" },
    ];
  }

  /**
   * The parameters of the pure cell function, read from this layer's variables (no copies).
   *
   * @returns {@link StandardCellParams}
   * @throws Error before build
   * @example
   * const out = standardCellUnroll(x, layer.cellParams(), { timeSteps: 4 });
   */
  cellParams(): StandardCellParams {
    const k = (n: string): SeparableKernel => this.kernel(n);
    const v = (n: string): Tensor1D => this.read<Tensor1D>(n);
    return {
      xToF: k("xToF"), xToIg: k("xToIg"), xToOg: k("xToOg"), xToPn: k("xToPn"),
      pnToF: k("pnToF"), pnToIg: k("pnToIg"), pnToOg: k("pnToOg"), pnToPn: k("pnToPn"),
      igToPn: k("igToPn"), ogToPn: k("ogToPn"),
      bF: v("bF"), bIg: v("bIg"), bI: v("bI"), bOg: v("bOg"), bO: v("bO"), bC: v("bC"),
    };
  }

  protected unroll(input: Tensor4D | Tensor4D[], bn: ConvBatchNormSteps | null): CellUnrollOutput {
    const r = standardCellUnroll(input, this.cellParams(), { ...this.cellOptions, timeSteps: this.timeSteps, batchNorm: bn });
    return { outputs: r.outputs, batchStatistics: r.batchStatistics };
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      ...this.baseConfig(),
      principalChannels: this.principalChannels,
      inputGateChannels: this.inputGateChannels,
      outputGateChannels: this.outputGateChannels,
    };
  }
}
serialization.registerClass(StandardConvRnn);
