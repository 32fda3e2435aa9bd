import { validateNetworkConfig, type ConvEiNetworkConfig } from "./network-config.js";

/** The parameters of one area, by kind (trainable unless said otherwise). */
export interface AreaParameterCount {
  /** Conv kernels: regular 3 × 3 (feedforward), or depthwise + pointwise of every separable connection. */
  readonly kernels: number;
  /** Biases (recurrent: b_f, b_IG, b_i, b_OG, b_o, b_c or b_E, b_I; readout: the dense bias). */
  readonly biases: number;
  /** StandardEI's f̃_E and f̃_I. */
  readonly forget: number;
  /** BatchNorm γ and β (recurrent: per step, T × 2 × channels). */
  readonly batchNorm: number;
  /** Dense weights (readout). */
  readonly dense: number;
  /** The sum of the above. */
  readonly total: number;
  /** BatchNorm moving mean and variance (not trainable, not in `total`). */
  readonly nonTrainable: number;
}

/** One area of a described network. */
export interface AreaDescription {
  readonly name: string;
  readonly kind: "feedforward" | "recurrent" | "readout";
  /** [H, W, C] in. */
  readonly inputShape: readonly [number, number, number];
  /** [H, W, C] out (after pooling; the readout: [1, 1, classes]). */
  readonly outputShape: readonly [number, number, number];
  /** A one-line description of the area's structure. */
  readonly structure: string;
  readonly parameters: AreaParameterCount;
}

/** What {@link describeNetwork} returns. */
export interface NetworkDescription {
  readonly name: string;
  readonly areas: readonly AreaDescription[];
  /** Trainable parameters of the whole network. */
  readonly totalParameters: number;
  /** Non-trainable parameters (BatchNorm moving statistics). */
  readonly nonTrainableParameters: number;
  /** A printable table. */
  readonly summary: string;
}

const separable = (cin: number, cout: number): number => 9 * cin + cin * cout;

/**
 * The architecture and parameter count per area of a paper-002 network, computed from the
 * configuration alone (no tfjs; {@link buildConvEiNetwork} builds exactly these weights):
 *
 * - feedforward area: 9·C_in·C_out conv weights (no bias), BatchNorm γ, β (2·C_out; moving statistics non-trainable)
 * - recurrent area, each separable connection 9·C_src + C_src·C_dst; Standard: X→{f, IG, OG, PN},
 *   PN→{f, IG, OG, PN}, IG→PN, OG→PN, 3P + 2G + P biases (b_f, b_i, b_o, b_c: P; b_IG, b_OG: G);
 *   StandardEI: X→{E, I}, E→{E, I}, I→{E, I}, biases and f̃ for E and I; BatchNorm 2·P·T (per step)
 * - readout: C·classes + classes
 *
 * The Standard CIFAR-10 network has 107,098 trainable parameters, App. K's "~107K": 5,136 in the
 * feedforward areas, 21,952 in area 3 (of which 512 per-step BatchNorm), 78,720 in area 4 (1,024)
 * and 1,290 in the readout. Counting BatchNorm once instead of per step gives 105,946.
 *
 * @param config - a network configuration
 * @returns per-area shapes and counts, totals and a printable summary
 * @throws TypeError / RangeError naming a bad configuration field
 * @example
 * describeNetwork(cifar10NetworkConfig()).totalParameters; // 107098
 */
export function describeNetwork(config: ConvEiNetworkConfig): NetworkDescription {
  validateNetworkConfig(config, "describeNetwork");
  const areas: AreaDescription[] = [];
  let [h, w, c] = config.inputShape;
  const pooled = (n: number, s: number): number => Math.ceil(n / s);
  const T = config.timeSteps;
  let index = 1;
  for (const a of config.feedforward) {
    const kernels = 9 * c * a.channels;
    const batchNorm = 2 * a.channels;
    const out: [number, number, number] = [pooled(h, a.poolStride), pooled(w, a.poolStride), a.channels];
    areas.push({
      name: `area${index++}`,
      kind: "feedforward",
      inputShape: [h, w, c],
      outputShape: out,
      structure: `conv 3×3 ${c}→${a.channels} (no bias) → BatchNorm → ReLU → max-pool 3×3 stride ${a.poolStride}`,
      parameters: { kernels, biases: 0, forget: 0, batchNorm, dense: 0, total: kernels + batchNorm, nonTrainable: 2 * a.channels },
    });
    [h, w, c] = out;
  }
  for (const a of config.recurrent) {
    const P = a.principal;
    const G = a.interneurons;
    let kernels: number;
    let biases: number;
    let forget = 0;
    let structure: string;
    if (config.cell === "standard") {
      kernels = 2 * separable(c, P) + 2 * separable(c, G) + 2 * separable(P, P) + 2 * separable(P, G) + 2 * separable(G, P);
      biases = 4 * P + 2 * G;
      structure = `Standard cell: ${P} PN + ${G} IG + ${G} OG, input ${c}, ${T} steps${config.batchNorm ? ", BatchNorm on C_t per step" : ""} → max-pool 3×3 stride ${a.poolStride}`;
    } else {
      kernels = separable(c, P) + separable(c, G) + separable(P, P) + separable(P, G) + separable(G, P) + separable(G, G);
      biases = P + G;
      forget = P + G;
      structure = `StandardEI cell: ${P} E + ${G} I, input ${c}, ${T} steps${config.batchNorm ? ", BatchNorm on Curr_E per step" : ""} → max-pool 3×3 stride ${a.poolStride}`;
    }
    const batchNorm = config.batchNorm ? 2 * P * T : 0;
    const out: [number, number, number] = [pooled(h, a.poolStride), pooled(w, a.poolStride), P];
    areas.push({
      name: `area${index++}`,
      kind: "recurrent",
      inputShape: [h, w, c],
      outputShape: out,
      structure,
      parameters: { kernels, biases, forget, batchNorm, dense: 0, total: kernels + biases + forget + batchNorm, nonTrainable: config.batchNorm ? 2 * P * T : 0 },
    });
    [h, w, c] = out;
  }
  const dense = c * config.classes;
  areas.push({
    name: "readout",
    kind: "readout",
    inputShape: [h, w, c],
    outputShape: [1, 1, config.classes],
    structure: `${config.readout === "last" ? "LastT" : "SumT"} → global average pool → dense ${c}→${config.classes}`,
    parameters: { kernels: 0, biases: config.classes, forget: 0, batchNorm: 0, dense, total: dense + config.classes, nonTrainable: 0 },
  });
  const totalParameters = areas.reduce((s, a) => s + a.parameters.total, 0);
  const nonTrainableParameters = areas.reduce((s, a) => s + a.parameters.nonTrainable, 0);
  const fmt = (s: readonly number[]): string => s.join("×");
  const summary = [
    `${config.name}: ${config.cell} cell, ${T} steps, readout ${config.readout}`,
    ...areas.map((a) => `${a.name.padEnd(8)} ${fmt(a.inputShape).padStart(11)} → ${fmt(a.outputShape).padEnd(11)} ${String(a.parameters.total).padStart(9)}  ${a.structure}`),
    `total trainable ${totalParameters} (non-trainable BatchNorm statistics ${nonTrainableParameters})`,
  ].join("\n");
  return { name: config.name, areas, totalParameters, nonTrainableParameters, summary };
}
