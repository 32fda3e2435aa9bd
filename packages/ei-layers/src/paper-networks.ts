import { deriveSeed } from "@dale-nn/ei-init";
import { layers as tfl, sequential, type Sequential } from "@tensorflow/tfjs-layers";
import { DannDense } from "./dann-dense-layer.js";
import { ColEiDense } from "./column-ei-dense-layer.js";
import { StandardDense } from "./standard-dense-layer.js";
import { LayerNorm } from "./layer-norm-layer.js";
import { tagUntaggedAsFree } from "@dale-nn/core";
import type { DannInitVariant } from "@dale-nn/ei-init";

/** The feedforward models of Cornford et al. (2021), Sec. 5 and App. B. */
export type PaperModelKind = "mlp" | "layernorm-mlp" | "batchnorm-mlp" | "dann" | "dann-1i" | "columnei";

/** Every {@link PaperModelKind}. */
export const PAPER_MODEL_KINDS: readonly PaperModelKind[] = ["mlp", "layernorm-mlp", "batchnorm-mlp", "dann", "dann-1i", "columnei"];

/** Options of {@link buildPaperNetwork}. */
export interface PaperNetworkOptions {
  /** Which model. */
  kind: PaperModelKind;
  /** Seed; each layer gets `deriveSeed(seed, "layer", i)`. */
  seed: number;
  /** Input width d; default 784 (28 x 28 pixels). */
  inputs?: number;
  /** Excitatory (or, for baselines, all) units per hidden layer; default [500, 500, 500]. */
  hidden?: number[];
  /** Inhibitory units per hidden layer for "dann" and "columnei"; default 50 ("dann-1i": 1). */
  inhibitory?: number;
  /** Output classes; default 10. The DANN output layer has one inhibitory unit. */
  outputs?: number;
  /** "linear" (logits, default; use a softmax cross-entropy loss) or "softmax". */
  outputActivation?: "linear" | "softmax";
  /** Mean input value for the ColumnEi first-layer bias; default 0.1307 (MNIST). */
  inputMean?: number;
  /** DANN first-layer excitatory scale; default "paper" (Alg. 1). */
  dannFirstLayerInit?: DannInitVariant;
  /**
   * The MLP kinds' first layer: "paper" (default) He-normal, std √(2/d), as every layer; or
   * "reference-first-layer", std √(1/d), the reference code's gain 1 on the first layer
   * (linclab/ltlwdp, `build_densenet`: `if i == 0: gain = 1`).
   */
  mlpFirstLayerInit?: "paper" | "reference-first-layer";
  /**
   * For the MLP kinds: tag every weight matrix `frozen-sign`, so a projected optimiser keeps the
   * sign each weight had at initialisation (sign-frozen baseline). Default false.
   */
  signFrozen?: boolean;
  /**
   * For "layernorm-mlp" and "batchnorm-mlp": normalise the output logits too, with the same
   * normalisation as the hidden layers (its own gain and bias), as the reference code's
   * `build_densenet` does (linclab/ltlwdp, `ariamis/base_models.py`: every layer, the linear
   * output one included, is a LayerNormLayer / BatchNormLayer). Default false: the paper's
   * description, a plain linear output layer.
   */
  normaliseOutput?: boolean;
}

/**
 * Builds one of the paper's networks (Cornford et al. 2021, Sec. 5.1): by default
 * 784 − 3 × 500 − 10.
 *
 * - "mlp": StandardDense + ReLU, He-normal init
 * - "layernorm-mlp" / "batchnorm-mlp": StandardDense → LayerNorm / BatchNormalization → ReLU (ε = 1e-5;
 *   BatchNorm evaluates with running averages, momentum 0.1 in PyTorch's convention). The reference
 *   code (linclab/ltlwdp, `ariamis/base_models.py`) differs in details: it divides by the unbiased
 *   std with no ε, keeps no running averages (its BatchNorm evaluates the whole 10,000-image test
 *   set as one batch, with that batch's statistics), its LayerNorm adds the bias b twice, and it
 *   normalises the output logits too (`normaliseOutput: true` does that part)
 * - "dann": DannDense hidden layers with (500 E, 50 I), softmax output layer with 1 I unit
 * - "dann-1i": as "dann" with 1 inhibitory unit per hidden layer
 * - "columnei": ColEiDense with 550 units per hidden layer (500 positive and 50 negative columns
 *   downstream), all-positive first layer with a centring bias
 *
 * Every trainable variable is tagged with a role and sign constraint.
 *
 * @param options - see {@link PaperNetworkOptions}
 * @returns a built `tf.Sequential` producing logits (or probabilities)
 * @throws TypeError on an unknown kind; RangeError on invalid sizes
 * @example
 * const model = buildPaperNetwork({ kind: "dann", seed: 0 });
 */
export function buildPaperNetwork(options: PaperNetworkOptions): Sequential {
  const kind = options.kind;
  if (!PAPER_MODEL_KINDS.includes(kind)) {
    throw new TypeError(`buildPaperNetwork: unknown model kind ${JSON.stringify(kind)}; expected one of ${PAPER_MODEL_KINDS.join(", ")}`);
  }
  const inputs = options.inputs ?? 784;
  const hidden = options.hidden ?? [500, 500, 500];
  const outputs = options.outputs ?? 10;
  const outputActivation = options.outputActivation ?? "linear";
  const ni = kind === "dann-1i" ? 1 : (options.inhibitory ?? 50);
  const seedOf = (i: number): number => deriveSeed(options.seed, "layer", i);
  const model = sequential({ name: `${kind}` });
  const signFrozen = options.signFrozen ?? false;
  if (signFrozen && !["mlp", "layernorm-mlp", "batchnorm-mlp"].includes(kind)) {
    throw new TypeError(`buildPaperNetwork: signFrozen applies to the MLP kinds only; got kind ${JSON.stringify(kind)}`);
  }
  const normaliseOutput = options.normaliseOutput ?? false;
  const mlpFirstLayerInit = options.mlpFirstLayerInit ?? "paper";
  if (mlpFirstLayerInit !== "paper" && mlpFirstLayerInit !== "reference-first-layer") {
    throw new TypeError(`buildPaperNetwork: mlpFirstLayerInit must be "paper" or "reference-first-layer"; got ${JSON.stringify(mlpFirstLayerInit)}`);
  }
  if (mlpFirstLayerInit !== "paper" && !["mlp", "layernorm-mlp", "batchnorm-mlp"].includes(kind)) {
    throw new TypeError(`buildPaperNetwork: mlpFirstLayerInit applies to the MLP kinds only; got kind ${JSON.stringify(kind)}`);
  }
  const gainOf = (i: number): number => (i === 0 && mlpFirstLayerInit === "reference-first-layer" ? 1 : 2);
  if (normaliseOutput && kind !== "layernorm-mlp" && kind !== "batchnorm-mlp") {
    throw new TypeError(`buildPaperNetwork: normaliseOutput applies to layernorm-mlp and batchnorm-mlp only; got kind ${JSON.stringify(kind)}`);
  }
  const first = (i: number): { inputShape: number[] } | Record<string, never> => (i === 0 ? { inputShape: [inputs] } : {});
  const normalisation = (): tfl.Layer => (kind === "layernorm-mlp" ? new LayerNorm({}) : tfl.batchNormalization({ axis: -1, epsilon: 1e-5, momentum: 0.9 }));

  hidden.forEach((units, i) => {
    switch (kind) {
      case "mlp":
        model.add(new StandardDense({ units, seed: seedOf(i), activation: "relu", signFrozen, initGain: gainOf(i), ...first(i) }));
        break;
      case "layernorm-mlp":
      case "batchnorm-mlp":
        model.add(new StandardDense({ units, seed: seedOf(i), activation: "linear", signFrozen, initGain: gainOf(i), ...first(i) }));
        model.add(normalisation());
        model.add(tfl.activation({ activation: "relu" }));
        break;
      case "dann":
      case "dann-1i":
        model.add(
          new DannDense({
            units,
            inhibitoryUnits: ni,
            seed: seedOf(i),
            activation: "relu",
            initVariant: i === 0 ? (options.dannFirstLayerInit ?? "paper") : "paper",
            ...first(i),
          }),
        );
        break;
      case "columnei":
        model.add(
          new ColEiDense({
            units: units + ni,
            inhibitoryInputs: ni,
            seed: seedOf(i),
            activation: "relu",
            firstLayer: i === 0 ? { inputMean: options.inputMean ?? 0.1307 } : null,
            ...first(i),
          }),
        );
        break;
    }
  });
  const o = hidden.length;
  const last = o === 0 ? { inputShape: [inputs] } : {};
  if (kind === "dann" || kind === "dann-1i") {
    model.add(new DannDense({ units: outputs, inhibitoryUnits: 1, seed: seedOf(o), activation: outputActivation, ...last }));
  } else if (kind === "columnei") {
    model.add(
      new ColEiDense({
        units: outputs,
        inhibitoryInputs: ni,
        seed: seedOf(o),
        activation: outputActivation,
        firstLayer: o === 0 ? { inputMean: options.inputMean ?? 0.1307 } : null,
        ...last,
      }),
    );
  } else if (normaliseOutput) {
    model.add(new StandardDense({ units: outputs, seed: seedOf(o), activation: "linear", signFrozen, ...last }));
    model.add(normalisation());
    if (outputActivation === "softmax") model.add(tfl.activation({ activation: "softmax" }));
  } else {
    model.add(new StandardDense({ units: outputs, seed: seedOf(o), activation: outputActivation, signFrozen, ...last }));
  }
  tagUntaggedAsFree(model);
  return model;
}
