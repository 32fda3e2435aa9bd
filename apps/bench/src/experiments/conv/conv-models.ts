import { cifar10NetworkConfig, type ConvEiNetworkConfig, type ConvNetworkVariant, type KernelConstraint } from "@dale-nn/ei-conv";

/** The datasets of `dale-bench conv`. */
export const CONV_DATASETS = ["cats-dogs", "cifar10", "fashion32"] as const;
export type ConvDataset = (typeof CONV_DATASETS)[number];

/**
 * The models of `dale-bench conv`: the named variants of `@dale-nn/ei-conv` (paper 002, Sec. 1
 * and 3, App. H and L), each also without BatchNorm in the recurrent areas (`-nobn`, App. L).
 */
export const CONV_MODEL_VARIANTS = {
  standard: "Standard",
  "standard-ei": "StandardEI",
  "inh-pn": "InhPN",
  "inh-pn-ei": "InhPN-EI",
  "no-constraint": "NoConstraint",
  "no-constraint-ei": "NoConstraint-EI",
  "no-ig": "Standard-NoIG",
  "no-og": "Standard-NoOG",
  "no-i": "Standard-NoI",
  "ei-no-i": "StandardEI-NoI",
} as const satisfies Record<string, ConvNetworkVariant>;

export type ConvBaseModel = keyof typeof CONV_MODEL_VARIANTS;
export type ConvModel = ConvBaseModel | `${ConvBaseModel}-nobn`;

const BASE_MODELS = Object.keys(CONV_MODEL_VARIANTS) as ConvBaseModel[];
/** Every model name (the variants, then each without BatchNorm). */
export const CONV_MODELS: readonly ConvModel[] = [...BASE_MODELS, ...BASE_MODELS.map((m) => `${m}-nobn` as const)];

/** The paper's CIFAR-10 test accuracies (App. L, Fig. 17; REFERENCE-NOTES), by model; absent = not reported as a number. */
export const PAPER_CIFAR10_ACCURACY: Partial<Record<ConvModel, number>> = {
  standard: 0.855,
  "standard-ei": 0.842,
  "no-i": 0.817,
  "ei-no-i": 0.728,
  "standard-nobn": 0.837,
  "standard-ei-nobn": 0.711,
  "no-i-nobn": 0.107,
  "ei-no-i-nobn": 0.122,
};

/** A network scaled down for tests (`tiny`): fewer channels, fewer steps. */
export interface ConvNetworkScale {
  feedforward: [number, number];
  principal: number;
  interneurons: number;
  timeSteps: number;
}

/** The model's variant name and whether the recurrent areas have BatchNorm. */
export function modelVariant(model: ConvModel): { variant: ConvNetworkVariant; batchNorm: boolean } {
  const noBn = model.endsWith("-nobn");
  const base = (noBn ? model.slice(0, -"-nobn".length) : model) as ConvBaseModel;
  return { variant: CONV_MODEL_VARIANTS[base], batchNorm: !noBn };
}

/**
 * The network configuration of a run: the paper's CIFAR-10 network (`cifar10NetworkConfig`) for
 * the model, with the dataset's input shape and classes, optionally scaled down.
 *
 * @param constraint - "abs" (the paper's W = |W̃|) or "projected" (W ≥ 0 kept by the optimiser's projection); NoConstraint models keep "none"
 */
export function convNetworkConfig(o: { model: ConvModel; seed: number; inputShape: readonly [number, number, number]; classes: number; constraint: "abs" | "projected"; scale: ConvNetworkScale | null }): ConvEiNetworkConfig {
  const { variant, batchNorm } = modelVariant(o.model);
  const unconstrained = variant.startsWith("NoConstraint");
  const cellOptions: { constraint?: KernelConstraint } = !unconstrained && o.constraint === "projected" ? { constraint: "projected" } : {};
  const s = o.scale;
  const base = cifar10NetworkConfig({
    variant,
    seed: o.seed,
    batchNorm,
    cellOptions,
    ...(s ? { principal: s.principal, interneurons: s.interneurons, timeSteps: s.timeSteps } : {}),
  });
  return {
    ...base,
    inputShape: [...o.inputShape] as [number, number, number],
    classes: o.classes,
    ...(s ? { feedforward: [{ channels: s.feedforward[0], poolStride: 1 }, { channels: s.feedforward[1], poolStride: 2 }] } : {}),
  };
}
