import { broadcastTo, expandDims, type Tensor } from "@tensorflow/tfjs-core";

export function shapeOf(t: Tensor): string {
  return `[${t.shape.join(", ")}]`;
}

/** The mask broadcast to `shape` ([..., n] or [...] for a per-step mask). */
export function broadcastMask(context: string, mask: Tensor, shape: readonly number[]): Tensor {
  const same = mask.shape.length === shape.length && mask.shape.every((d, i) => d === shape[i]);
  if (same) return mask;
  const perStep = mask.shape.length === shape.length - 1 && mask.shape.every((d, i) => d === shape[i]);
  if (!perStep) throw new RangeError(`${context}: mask has shape ${shapeOf(mask)}; expected [${shape.join(", ")}] or [${shape.slice(0, -1).join(", ")}]`);
  return broadcastTo(expandDims(mask, -1), [...shape]);
}

