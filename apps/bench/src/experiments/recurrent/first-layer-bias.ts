import { UserError } from "../../user-error.js";

/**
 * The initial bias of a ColEI first recurrent layer on raw pixels (Li et al. 2023, App. 6.6).
 *
 * - `centred`: b = −√d E[x], which centres the pre-activations U x + b of the all-positive
 *   U ~ Exp(scale 1/√d) (the paper's text; our default);
 * - `zero`: b = 0, what the reference code trains: its U policies (ColumnEi_FirstCell_U_InitPolicy,
 *   U_RNNInit_ColEI_Spectrum_Init) set −√d E[x], but `BaseRNNCell.init_weights` (lib/base_rnn.py)
 *   runs the cell's `bias_init_policy` after them, `Bias_ZerosInit` in every cell (RNNCell,
 *   ColumnEiCell, EiRNNCell) and no script passes another, so the centring is overwritten.
 */
export type FirstLayerBias = "centred" | "zero";
export const FIRST_LAYER_BIASES: readonly FirstLayerBias[] = ["centred", "zero"];

/** `--first-bias centred|zero`, shared by the sequential-MNIST experiments with ColEI first layers. */
export const FIRST_LAYER_BIAS_FLAG = {
  type: "string",
  value: FIRST_LAYER_BIASES.join("|"),
  default: "centred",
  description: "ColEI's first-layer bias at init: -sqrt(d) E[x] (the paper's App. 6.6) or 0 (what the reference code trains: its Bias_ZerosInit runs after the input policy); zero is recorded in the run ids",
} as const;

/** `--first-bias` as options (`{}` for the default, so that older experiment.json files plan as before). @throws UserError naming the value and the choices */
export function parseFirstLayerBias(value: unknown): { firstLayerBias?: "zero" } {
  if (value === undefined || value === "centred") return {};
  if (value === "zero") return { firstLayerBias: "zero" };
  throw new UserError(`--first-bias must be one of ${FIRST_LAYER_BIASES.join(", ")}; got ${JSON.stringify(value)}`);
}

/** The input mean the ColEI first layer centres on: the dataset's, or 0 for a zero bias (b = −√d · 0). */
export function firstLayerInputMean(bias: FirstLayerBias | undefined, datasetMean: number): number {
  return bias === "zero" ? 0 : datasetMean;
}

/** The run-id segment of a bias choice: "" for the default, "/bias=0" for zero. */
export function firstLayerBiasSegment(bias: FirstLayerBias | undefined): string {
  return bias === "zero" ? "/bias=0" : "";
}

/**
 * The bias choice a run takes: the option when its first recurrent layer is ColEI's (whose centring
 * is the only non-zero initial bias), none otherwise (the RNN and DANN start at b = 0 either way).
 */
export function firstLayerBiasOf(coleiFirstLayer: boolean, bias: FirstLayerBias | undefined): FirstLayerBias | undefined {
  return coleiFirstLayer ? bias : undefined;
}

/** The choice as a settings or record field: `{}` for the default, so that older runs keep their shape. */
export function firstLayerBiasField(bias: FirstLayerBias | undefined): { firstLayerBias?: FirstLayerBias } {
  return bias === undefined ? {} : { firstLayerBias: bias };
}
