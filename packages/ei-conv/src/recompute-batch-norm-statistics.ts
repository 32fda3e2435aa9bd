import { tidy, type Tensor } from "@tensorflow/tfjs-core";
import type { LayersModel, layers } from "@tensorflow/tfjs-layers";
import { formatShape, formatValue } from "@dale-nn/core";
import { ConvRnnLayer } from "./internal/conv-rnn-layer.js";

/** A BatchNorm whose moving-average decay can be set for the next training-mode calls. */
interface MomentumHandle {
  readonly name: string;
  get(): number;
  set(momentum: number): void;
}

/** tfjs-layers' BatchNormalization keeps its decay in a private `momentum` field (tfjs 4.x). */
function tfBatchNormHandle(layer: layers.Layer): MomentumHandle {
  const fields = layer as unknown as { momentum?: unknown };
  if (typeof fields.momentum !== "number") {
    throw new Error(`recomputeBatchNormStatistics: ${layer.name} (BatchNormalization) has no numeric momentum field; this tfjs-layers version is not supported`);
  }
  return {
    name: layer.name,
    get: () => fields.momentum as number,
    set: (m) => {
      fields.momentum = m;
    },
  };
}

function batchNormHandles(model: LayersModel): MomentumHandle[] {
  const handles: MomentumHandle[] = [];
  for (const layer of model.layers) {
    if (layer instanceof ConvRnnLayer) {
      if (layer.useBatchNorm) handles.push({ name: layer.name, get: () => layer.batchNormMomentum, set: (m) => layer.setBatchNormMomentum(m) });
    } else if (layer.getClassName() === "BatchNormalization") {
      handles.push(tfBatchNormHandle(layer));
    }
  }
  return handles;
}

/**
 * Precise BatchNorm statistics: replaces every BatchNorm's moving mean and variance in the model
 * (the feedforward areas' `tf.layers.batchNormalization` and each recurrent area's per-step
 * statistics) with the average over `batches` of the batch mean and biased batch variance,
 * computed in training mode with the current weights:
 *
 *   μ̂ = (1/n) Σᵢ μ_Bᵢ,  σ̂² = (1/n) Σᵢ σ²_Bᵢ,
 *
 * by running batch i with moving-average decay (i − 1)/i, then restoring each layer's decay.
 *
 * Why: paper 002 (App. A) trains with TF's BatchNorm decay 0.997, whose moving statistics need
 * thousands of updates to forget their initial values (0 and 1) and to follow the weights; in a
 * run of a few hundred updates, inference-mode outputs (test accuracy, the grating responses of
 * the selectivity analyses) are then computed with statistics of networks that no longer exist.
 * Measured here: NoConstraint on Fashion-MNIST 32 × 32 after 3 epochs, 8.0% test accuracy with
 * the moving statistics against 75.0% with batch statistics. Recomputing them from training
 * batches (the "precise BN" of Wu & Johnson 2021, "Rethinking 'Batch' in BatchNorm") makes inference-mode
 * outputs those of the current network. The optimiser's state and the trainable weights are not
 * touched; only moving statistics change.
 *
 * With a single batch, inference mode afterwards reproduces training mode on that batch exactly.
 *
 * @param model - a network from `buildConvEiNetwork` (or any model whose BatchNorms are tfjs
 *   BatchNormalization layers or dale-nn conv RNN layers)
 * @param batches - input batches [B, H, W, C] (e.g. standardised training images, no augmentation);
 *   the caller owns them (they are not disposed)
 * @returns the number of batches and of BatchNorms updated
 * @throws RangeError when `batches` is empty or a batch is not rank 4
 * @example
 * recomputeBatchNormStatistics(model, trainingBatches.slice(0, 20));
 */
export function recomputeBatchNormStatistics(model: LayersModel, batches: Iterable<Tensor>): { batches: number; batchNorms: number } {
  const handles = batchNormHandles(model);
  const saved = handles.map((h) => h.get());
  let n = 0;
  try {
    for (const x of batches) {
      if (x.rank !== 4) throw new RangeError(`recomputeBatchNormStatistics: batch ${n + 1} must be [batch, H, W, C]; got shape ${formatShape(x.shape)}`);
      n++;
      for (const h of handles) h.set((n - 1) / n);
      tidy(() => {
        model.apply(x, { training: true });
      });
    }
  } finally {
    handles.forEach((h, k) => h.set(saved[k]!));
  }
  if (n === 0) throw new RangeError(`recomputeBatchNormStatistics: batches must hold at least one batch; got ${formatValue(n)}`);
  return { batches: n, batchNorms: handles.length };
}
