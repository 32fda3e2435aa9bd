import { formatValue, requireInteger, requireOneOf, requirePositive } from "@dale-nn/core";
import { CONV_CELL_ABLATIONS, resolveConvCellOptions, type ConvCellOptions } from "./conv-cell-options.js";
import { STANDARD_EI_ABLATIONS } from "./standard-ei-cell.js";
import { STEP_READOUT_MODES, type StepReadoutMode } from "./step-readout-layer.js";

/** The two recurrent cells: "standard" (PN + IG + OG) and "standard-ei" (E + I). */
export type ConvCellKind = "standard" | "standard-ei";
/** Every {@link ConvCellKind}. */
export const CONV_CELL_KINDS: readonly ConvCellKind[] = ["standard", "standard-ei"];

/** A feedforward area: regular 3 × 3 conv (no bias) → BatchNorm → ReLU → 3 × 3 max-pool (SAME). */
export interface FeedforwardAreaConfig {
  readonly channels: number;
  readonly poolStride: number;
}

/**
 * A recurrent area. `principal` is the PN (Standard) or E (StandardEI) channel count;
 * `interneurons` is the channel count of each interneuron type: IG and OG each (Standard), or I
 * (StandardEI). Followed by a 3 × 3 max-pool with `poolStride`.
 */
export interface RecurrentAreaConfig {
  readonly principal: number;
  readonly interneurons: number;
  readonly poolStride: number;
}

/** A convolutional recurrent E/I network of paper 002 as plain data. */
export interface ConvEiNetworkConfig {
  readonly name: string;
  /** [H, W, C] of the input images. */
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
  readonly feedforward: readonly FeedforwardAreaConfig[];
  readonly recurrent: readonly RecurrentAreaConfig[];
  readonly cell: ConvCellKind;
  /** Constraint, principal sign, ablation and offsets of every recurrent area. */
  readonly cellOptions: ConvCellOptions;
  /** BatchNorm in the recurrent areas (per step); the feedforward areas always have it. */
  readonly batchNorm: boolean;
  readonly timeSteps: number;
  readonly readout: StepReadoutMode;
  readonly seed: number;
}

/** The named model variants of paper 002 (Sec. 1 and 3, App. H and L). */
export type ConvNetworkVariant =
  | "Standard"
  | "StandardEI"
  | "InhPN"
  | "InhPN-EI"
  | "NoConstraint"
  | "NoConstraint-EI"
  | "Standard-NoIG"
  | "Standard-NoOG"
  | "Standard-NoI"
  | "StandardEI-NoI";

/** Every variant with its cell and cell options. */
export const CONV_NETWORK_VARIANTS: Readonly<Record<ConvNetworkVariant, { readonly cell: ConvCellKind; readonly cellOptions: ConvCellOptions }>> = Object.freeze({
  Standard: { cell: "standard", cellOptions: {} },
  StandardEI: { cell: "standard-ei", cellOptions: {} },
  InhPN: { cell: "standard", cellOptions: { principal: "inhibitory" } },
  "InhPN-EI": { cell: "standard-ei", cellOptions: { principal: "inhibitory" } },
  NoConstraint: { cell: "standard", cellOptions: { constraint: "none" } },
  "NoConstraint-EI": { cell: "standard-ei", cellOptions: { constraint: "none" } },
  "Standard-NoIG": { cell: "standard", cellOptions: { ablation: "no-ig" } },
  "Standard-NoOG": { cell: "standard", cellOptions: { ablation: "no-og" } },
  "Standard-NoI": { cell: "standard", cellOptions: { ablation: "no-i" } },
  "StandardEI-NoI": { cell: "standard-ei", cellOptions: { ablation: "no-i" } },
});

/** Options of {@link cifar10NetworkConfig} and {@link imagenetNetworkConfig}. */
export interface ConvNetworkConfigOptions {
  /** A named variant; default "Standard". `cell` and `cellOptions` override it. */
  readonly variant?: ConvNetworkVariant;
  readonly cell?: ConvCellKind;
  /** Merged over the variant's options (e.g. `{ constraint: "projected" }`, `{ forgetOffset: 0 }`). */
  readonly cellOptions?: ConvCellOptions;
  /** BatchNorm in the recurrent areas; default true. */
  readonly batchNorm?: boolean;
  /** Readout; default "last" (LastT). */
  readonly readout?: StepReadoutMode;
  /** Default 4 (CIFAR-10) / 5 (ImageNet). */
  readonly timeSteps?: number;
  /** Default 0. */
  readonly seed?: number;
  /**
   * Channel sweep (Sec. 3, Fig. 6; App. G): principal (E) channels of the first recurrent area
   * (default 64 for CIFAR-10, 256 for ImageNet); later areas keep the paper's ratios (CIFAR-10:
   * area 4 doubles).
   */
  readonly principal?: number;
  /** Interneuron channels of each type in the first recurrent area (default 16 / 64); wins over `eiRatio`. */
  readonly interneurons?: number;
  /** E:I ratio: interneurons = max(1, round(principal / eiRatio)) (the paper's default is 4). */
  readonly eiRatio?: number;
  /** Multiplies the default recurrent channel counts (rounded, at least 1) before `principal` / `interneurons` apply. */
  readonly scale?: number;
}

function resolve(context: string, options: ConvNetworkConfigOptions, defaults: { principal: number; interneurons: number; timeSteps: number }) {
  const variantName = options.variant ?? "Standard";
  const variant = CONV_NETWORK_VARIANTS[variantName as ConvNetworkVariant];
  if (!variant) throw new TypeError(`${context}: unknown variant ${formatValue(variantName)}; expected one of ${Object.keys(CONV_NETWORK_VARIANTS).join(", ")}`);
  const cell = requireOneOf(context, "cell", options.cell ?? variant.cell, CONV_CELL_KINDS);
  const cellOptions = { ...variant.cellOptions, ...(options.cellOptions ?? {}) };
  resolveConvCellOptions(context, cellOptions, cell === "standard" ? CONV_CELL_ABLATIONS : STANDARD_EI_ABLATIONS);
  const scale = options.scale === undefined ? 1 : requirePositive(context, "scale", options.scale);
  const principal = options.principal === undefined ? Math.max(1, Math.round(defaults.principal * scale)) : requireInteger(context, "principal", options.principal, 1);
  let interneurons: number;
  if (options.interneurons !== undefined) interneurons = requireInteger(context, "interneurons", options.interneurons, 1);
  else if (options.eiRatio !== undefined) interneurons = Math.max(1, Math.round(principal / requirePositive(context, "eiRatio", options.eiRatio)));
  else interneurons = Math.max(1, Math.round(defaults.interneurons * scale));
  if (options.batchNorm !== undefined && typeof options.batchNorm !== "boolean") throw new TypeError(`${context}: batchNorm must be a boolean; got ${formatValue(options.batchNorm)}`);
  return {
    cell,
    cellOptions,
    principal,
    interneurons,
    batchNorm: options.batchNorm ?? true,
    readout: requireOneOf(context, "readout", options.readout ?? "last", STEP_READOUT_MODES),
    timeSteps: requireInteger(context, "timeSteps", options.timeSteps ?? defaults.timeSteps, 1),
    seed: requireInteger(context, "seed", options.seed ?? 0, 0),
    variantName,
  };
}

/**
 * The CIFAR-10 network of paper 002 (Sec. 2, App. A): 32 × 32 × 3 input; areas 1-2 feedforward
 * (16 and 32 channels; pool stride 1, then 2); areas 3-4 recurrent (64 PN + 16 IG + 16 OG, then
 * 128 + 32 + 32; or 64 E + 16 I, then 128 + 32), each pooled with stride 2 (32 → 32 → 16 → 8 → 4);
 * 4 steps; LastT readout → global average pool → dense(10). The Standard variant has 107,098
 * trainable parameters ("~107K", App. K; see {@link describeNetwork}).
 *
 * @param options - variant, cell options, BatchNorm, readout, channel sweep, seed
 * @returns the configuration
 * @throws TypeError / RangeError naming a bad option value
 * @example
 * const config = cifar10NetworkConfig({ variant: "StandardEI", principal: 32, eiRatio: 2 });
 */
export function cifar10NetworkConfig(options: ConvNetworkConfigOptions = {}): ConvEiNetworkConfig {
  const r = resolve("cifar10NetworkConfig", options, { principal: 64, interneurons: 16, timeSteps: 4 });
  return {
    name: `cifar10-${r.variantName}`,
    inputShape: [32, 32, 3],
    classes: 10,
    feedforward: [
      { channels: 16, poolStride: 1 },
      { channels: 32, poolStride: 2 },
    ],
    recurrent: [
      { principal: r.principal, interneurons: r.interneurons, poolStride: 2 },
      { principal: 2 * r.principal, interneurons: 2 * r.interneurons, poolStride: 2 },
    ],
    ...cellSettings(r),
  };
}

/** The cell, BatchNorm, steps, readout and seed of a resolved configuration: what every network shares. */
function cellSettings(r: ReturnType<typeof resolve>): Pick<ConvEiNetworkConfig, "cell" | "cellOptions" | "batchNorm" | "timeSteps" | "readout" | "seed"> {
  return { cell: r.cell, cellOptions: r.cellOptions, batchNorm: r.batchNorm, timeSteps: r.timeSteps, readout: r.readout, seed: r.seed };
}

/**
 * The ImageNet network of paper 002 (App. A), as a configuration (not trained here): 128 × 128 × 3
 * input, 1000 classes; feedforward 64 and 128 channels; three recurrent areas, 256 PN + 64 IG +
 * 64 OG, the same again, then doubled (512 + 128 + 128); pool stride 1 after area 1 and 2 after
 * every other area; 5 steps; BatchNorm on C_t; LastT readout.
 *
 * @param options - as {@link cifar10NetworkConfig} (principal / interneurons refer to area 3)
 * @returns the configuration
 * @throws TypeError / RangeError naming a bad option value
 * @example
 * describeNetwork(imagenetNetworkConfig()).totalParameters;
 */
export function imagenetNetworkConfig(options: ConvNetworkConfigOptions = {}): ConvEiNetworkConfig {
  const r = resolve("imagenetNetworkConfig", options, { principal: 256, interneurons: 64, timeSteps: 5 });
  return {
    name: `imagenet-${r.variantName}`,
    inputShape: [128, 128, 3],
    classes: 1000,
    feedforward: [
      { channels: 64, poolStride: 1 },
      { channels: 128, poolStride: 2 },
    ],
    recurrent: [
      { principal: r.principal, interneurons: r.interneurons, poolStride: 2 },
      { principal: r.principal, interneurons: r.interneurons, poolStride: 2 },
      { principal: 2 * r.principal, interneurons: 2 * r.interneurons, poolStride: 2 },
    ],
    ...cellSettings(r),
  };
}

/**
 * The grid of CIFAR-10 configurations of the channel sweep (Sec. 3 "Asymmetry in numbers",
 * Fig. 6, App. G): every (E, I) pair for area 3, area 4 doubled. The paper ranges E and I over 2
 * to 256 in area 3; pass the values to sweep.
 *
 * @param principal - E (PN) channel counts of area 3
 * @param interneurons - I channel counts (each interneuron type) of area 3
 * @param options - the other options, shared by every configuration
 * @returns one configuration per pair, E varying slowest
 * @throws RangeError naming a bad channel count
 * @example
 * const grid = channelSweepConfigs([2, 16, 64], [2, 16], { variant: "Standard" });
 */
export function channelSweepConfigs(principal: readonly number[], interneurons: readonly number[], options: Omit<ConvNetworkConfigOptions, "principal" | "interneurons" | "eiRatio" | "scale"> = {}): ConvEiNetworkConfig[] {
  const out: ConvEiNetworkConfig[] = [];
  for (const e of principal) for (const i of interneurons) out.push(cifar10NetworkConfig({ ...options, principal: e, interneurons: i }));
  return out;
}

/**
 * Checks a configuration (also one written by hand).
 *
 * @param config - the configuration
 * @param context - the caller, named in errors
 * @returns the configuration
 * @throws TypeError / RangeError naming the offending field and value
 * @example
 * validateNetworkConfig(cifar10NetworkConfig());
 */
export function validateNetworkConfig(config: ConvEiNetworkConfig, context = "validateNetworkConfig"): ConvEiNetworkConfig {
  const [h, w, c] = config.inputShape ?? [];
  requireInteger(context, "inputShape[0] (height)", h, 1);
  requireInteger(context, "inputShape[1] (width)", w, 1);
  requireInteger(context, "inputShape[2] (channels)", c, 1);
  requireInteger(context, "classes", config.classes, 1);
  const cell = requireOneOf(context, "cell", config.cell, CONV_CELL_KINDS);
  resolveConvCellOptions(context, config.cellOptions, cell === "standard" ? CONV_CELL_ABLATIONS : STANDARD_EI_ABLATIONS);
  if (!Array.isArray(config.feedforward)) throw new TypeError(`${context}: feedforward must be an array of areas; got ${formatValue(config.feedforward)}`);
  if (!Array.isArray(config.recurrent) || config.recurrent.length < 1) throw new RangeError(`${context}: recurrent must list at least one area; got ${formatValue(config.recurrent)}`);
  config.feedforward.forEach((a, i) => {
    requireInteger(context, `feedforward[${i}].channels`, a.channels, 1);
    requireInteger(context, `feedforward[${i}].poolStride`, a.poolStride, 1);
  });
  config.recurrent.forEach((a, i) => {
    requireInteger(context, `recurrent[${i}].principal`, a.principal, 1);
    requireInteger(context, `recurrent[${i}].interneurons`, a.interneurons, 1);
    requireInteger(context, `recurrent[${i}].poolStride`, a.poolStride, 1);
  });
  if (typeof config.batchNorm !== "boolean") throw new TypeError(`${context}: batchNorm must be a boolean; got ${formatValue(config.batchNorm)}`);
  requireInteger(context, "timeSteps", config.timeSteps, 1);
  requireOneOf(context, "readout", config.readout, STEP_READOUT_MODES);
  requireInteger(context, "seed", config.seed, 0);
  return config;
}
