import * as tf from "@tensorflow/tfjs";
import { StandardConvRnn, StandardEiConvRnn, standardCellUnroll, standardEiCellUnroll, type ConvEiNetworkConfig } from "@dale-nn/ei-conv";

/** The per-step activity maps of one recurrent area's cell types (tensors the caller disposes). */
export interface AreaActivity {
  /** "area3", "area4", ... */
  area: string;
  /** Cell type → one [N, H, W, C] map per time step: PN (before pooling), IG and OG (after ReLU) for Standard cells; E and I for StandardEI. */
  maps: Record<string, tf.Tensor4D[]>;
}

type Cell = StandardConvRnn | StandardEiConvRnn;

/** The recurrent cell layers of a network built by `buildConvEiNetwork`, in area order. */
export function recurrentCells(model: tf.Sequential): Cell[] {
  return model.layers.filter((l): l is Cell => l instanceof StandardConvRnn || l instanceof StandardEiConvRnn);
}

/**
 * Runs a network of `buildConvEiNetwork` in inference mode and returns every cell type's activity
 * at every step of every recurrent area. The layers output only the principal population, so the
 * cells are re-run here with ei-conv's pure functions (`standardCellUnroll`,
 * `standardEiCellUnroll`) on each layer's own parameters (`cellParams()`, `batchNormParams()` with
 * the moving statistics); the feedforward areas are the model's own layers. Area k + 1 reads area
 * k's pooled output of the same step, as in the network.
 *
 * @param model - the built network
 * @param config - its configuration (pool strides)
 * @param x - standardised images [N, H, W, C]
 * @returns one entry per recurrent area
 */
export function areaActivity(model: tf.Sequential, config: ConvEiNetworkConfig, x: tf.Tensor4D): AreaActivity[] {
  const firstCell = model.layers.findIndex((l) => l instanceof StandardConvRnn || l instanceof StandardEiConvRnn);
  if (firstCell < 0) throw new Error(`areaActivity: ${model.name} has no recurrent cell layer`);
  const cells = recurrentCells(model);
  return tf.tidy((): tf.TensorContainer => {
    let h: tf.Tensor = x;
    for (const layer of model.layers.slice(0, firstCell)) h = layer.apply(h, { training: false }) as tf.Tensor;
    let input: tf.Tensor4D | tf.Tensor4D[] = h as tf.Tensor4D;
    const result: AreaActivity[] = [];
    cells.forEach((cell, k) => {
      const bn = cell.useBatchNorm ? { steps: cell.batchNormParams(), training: false, epsilon: cell.batchNormEpsilon } : null;
      const area = `area${config.feedforward.length + k + 1}`;
      let principal: tf.Tensor4D[];
      if (cell instanceof StandardConvRnn) {
        const r = standardCellUnroll(input, cell.cellParams(), { ...cell.cellOptions, timeSteps: cell.timeSteps, batchNorm: bn });
        principal = r.outputs;
        result.push({ area, maps: { PN: r.outputs, IG: r.ig, OG: r.og } });
      } else {
        const r = standardEiCellUnroll(input, (cell as StandardEiConvRnn).cellParams(), { ...cell.cellOptions, timeSteps: cell.timeSteps, batchNorm: bn });
        principal = r.outputs;
        result.push({ area, maps: { E: r.outputs, I: r.inhibitory } });
      }
      const stride = config.recurrent[k]!.poolStride;
      input = principal.map((p) => tf.maxPool(p, 3, stride, "same") as tf.Tensor4D);
    });
    return result as unknown as tf.TensorContainer;
  }) as unknown as AreaActivity[];
}
