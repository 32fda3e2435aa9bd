import { keep, maxPool, tidy, type Tensor, type Tensor4D } from "@tensorflow/tfjs-core";
import type { Sequential } from "@tensorflow/tfjs-layers";
import type { ConvEiNetworkConfig } from "./network-config.js";
import { StandardConvRnn } from "./standard-conv-rnn-layer.js";
import { standardCellUnroll } from "./standard-cell.js";
import { StandardEiConvRnn } from "./standard-ei-conv-rnn-layer.js";
import { standardEiCellUnroll } from "./standard-ei-cell.js";

/** The per-step activity maps of one recurrent area's cell types (tensors the caller disposes). */
export interface AreaActivity {
  /** "area3", "area4", ... (numbered after the feedforward areas, as in `buildConvEiNetwork`). */
  readonly area: string;
  /**
   * Cell type → one [N, H, W, C] map per time step: PN (before pooling), IG and OG (after their
   * ReLU) for Standard cells; E and I for StandardEI cells.
   */
  readonly maps: Record<string, Tensor4D[]>;
}

/** A recurrent cell layer of a network built by `buildConvEiNetwork`. */
export type RecurrentCellLayer = StandardConvRnn | StandardEiConvRnn;

/**
 * The recurrent cell layers of a network built by {@link buildConvEiNetwork}, in area order.
 *
 * @param model - the built network
 * @returns its {@link StandardConvRnn} / {@link StandardEiConvRnn} layers (none for a network without)
 * @example
 * recurrentCells(buildConvEiNetwork(cifar10NetworkConfig())).map((c) => c.name); // ["area3_cell", "area4_cell"]
 */
export function recurrentCells(model: Sequential): RecurrentCellLayer[] {
  return model.layers.filter((l): l is RecurrentCellLayer => l instanceof StandardConvRnn || l instanceof StandardEiConvRnn);
}

/**
 * Every cell type's activity at every step of every recurrent area, in inference mode, for the
 * selectivity analyses of paper 002 (Sec. 2, App. C: gOSI, eq. 3, and skewness, eq. 4, of PN / E
 * and of each interneuron type). A layer outputs only its principal population, so the cells are
 * re-run here with the pure functions ({@link standardCellUnroll}, {@link standardEiCellUnroll})
 * on each layer's own parameters (`cellParams()`, and `batchNormParams()` with the moving
 * statistics: recompute them first with {@link recomputeBatchNormStatistics} after a short run);
 * the feedforward areas are the model's own layers. As in the network, area k + 1 reads area k's
 * pooled output (3 × 3 SAME max-pool with area k's stride) of the same step:
 *
 *   X⁽³⁾_t = FF(x),  X⁽ᵏ⁺¹⁾_t = maxpool(PN⁽ᵏ⁾_t or E⁽ᵏ⁾_t).
 *
 * Its principal maps equal the layers' own outputs (every step of an area with
 * `returnSequences`, the last step of the LastT area).
 *
 * @param model - a network from {@link buildConvEiNetwork}
 * @param config - its configuration (pool strides, feedforward area count)
 * @param x - input images [N, H, W, C] (standardised as in training); not disposed
 * @returns one entry per recurrent area; the caller disposes every map
 * @throws Error when the model has no recurrent cell layer
 * @example
 * const act = areaActivity(model, config, gratings);
 * const [area3] = act; // area3.maps.E[t], area3.maps.I[t]: [N, H, W, C]
 * act.forEach((a) => Object.values(a.maps).forEach((ms) => tf.dispose(ms)));
 */
export function areaActivity(model: Sequential, config: ConvEiNetworkConfig, x: Tensor4D): AreaActivity[] {
  const firstCell = model.layers.findIndex((l) => l instanceof StandardConvRnn || l instanceof StandardEiConvRnn);
  if (firstCell < 0) throw new Error(`areaActivity: ${model.name} has no recurrent cell layer (StandardConvRnn or StandardEiConvRnn)`);
  const cells = recurrentCells(model);
  const result: AreaActivity[] = [];
  tidy(() => {
    let h: Tensor = x;
    for (const layer of model.layers.slice(0, firstCell)) h = layer.apply(h, { training: false }) as Tensor;
    let input: Tensor4D | Tensor4D[] = h as Tensor4D;
    cells.forEach((cell, k) => {
      const bn = cell.useBatchNorm ? { steps: cell.batchNormParams(), training: false, epsilon: cell.batchNormEpsilon } : null;
      const area = `area${config.feedforward.length + k + 1}`;
      let principal: Tensor4D[];
      if (cell instanceof StandardConvRnn) {
        const r = standardCellUnroll(input, cell.cellParams(), { ...cell.cellOptions, timeSteps: cell.timeSteps, batchNorm: bn });
        principal = r.outputs as Tensor4D[];
        result.push({ area, maps: { PN: keepAll(r.outputs), IG: keepAll(r.ig), OG: keepAll(r.og) } });
      } else {
        const r = standardEiCellUnroll(input, cell.cellParams(), { ...cell.cellOptions, timeSteps: cell.timeSteps, batchNorm: bn });
        principal = r.outputs as Tensor4D[];
        result.push({ area, maps: { E: keepAll(r.outputs), I: keepAll(r.inhibitory) } });
      }
      const stride = config.recurrent[k]!.poolStride;
      input = principal.map((p) => maxPool(p, 3, stride, "same"));
    });
  });
  return result;
}

/** Keeps the maps past the enclosing tidy (the caller owns them). */
function keepAll(maps: readonly Tensor4D[]): Tensor4D[] {
  return maps.map((m) => keep(m));
}
