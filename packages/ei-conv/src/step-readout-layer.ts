import { gather, reshape, serialization, sum, tidy, type Tensor } from "@tensorflow/tfjs-core";
import { layers } from "@tensorflow/tfjs-layers";
import { formatShape, requireOneOf } from "@dale-nn/core";
import type { LayerArgs } from "./internal/conv-rnn-layer.js";

/**
 * The readouts of paper 002, App. D.1: `"last"` ("LastT", the default of the reference code and
 * the Standard model) reads the last step, `"sum"` ("SumT") sums the steps.
 */
export type StepReadoutMode = "last" | "sum";
/** Every {@link StepReadoutMode}. */
export const STEP_READOUT_MODES: readonly StepReadoutMode[] = ["last", "sum"];

/** Arguments of {@link StepReadout}. */
export interface StepReadoutArgs extends LayerArgs {
  /** "last" (default) or "sum". */
  mode?: StepReadoutMode;
}

/**
 * Collapses the time axis of a sequence of feature maps: [B, T, H, W, C] → [B, H, W, C], by
 * taking the last step (LastT) or the sum over steps (SumT, paper 002, App. D.1).
 *
 * @example
 * const readout = new StepReadout({ mode: "sum" });
 */
export class StepReadout extends layers.Layer {
  static className = "StepReadout";
  readonly mode: StepReadoutMode;

  constructor(args: StepReadoutArgs = {}) {
    super(args);
    this.mode = requireOneOf(`${this.getClassName()}(${this.name})`, "mode", args.mode ?? "last", STEP_READOUT_MODES);
    this.inputSpec = [{ ndim: 5 }];
  }

  override computeOutputShape(inputShape: Parameters<layers.Layer["computeOutputShape"]>[0]): ReturnType<layers.Layer["computeOutputShape"]> {
    const shape = (Array.isArray(inputShape) && Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Array<number | null>;
    return [shape[0] ?? null, ...shape.slice(2)];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      if (x.rank !== 5) throw new RangeError(`${this.getClassName()}(${this.name}): input must be [B, T, H, W, C]; got shape ${formatShape(x.shape)}`);
      if (this.mode === "sum") return sum(x, 1);
      const t = x.shape[1]!;
      return reshape(gather(x, [t - 1], 1), [x.shape[0]!, ...x.shape.slice(2)]);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}
serialization.registerClass(StepReadout);
