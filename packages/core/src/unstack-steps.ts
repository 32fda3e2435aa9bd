import { reshape, unstack, type Tensor } from "@tensorflow/tfjs-core";

/**
 * The slices of `x` along `axis` (e.g. the time steps of a sequence), like `tf.unstack`, but
 * differentiable for a single slice too: tfjs 4.22's gradient of an unstack into one tensor fails
 * ("Argument tensors passed to stack must be a `Tensor[]`"), so one slice is taken with a reshape.
 *
 * @param x - a tensor of rank >= 1
 * @param axis - the axis to slice along (default 0; negative counts from the end)
 * @returns `x.shape[axis]` tensors of rank `x.rank − 1`
 * @example
 * const steps = unstackSteps(sequence, 1); // [B, T, ...] → T tensors [B, ...], also for T = 1
 */
export function unstackSteps<T extends Tensor>(x: Tensor, axis = 0): T[] {
  const a = axis < 0 ? x.rank + axis : axis;
  if (x.shape[a] === 1) return [reshape(x, [...x.shape.slice(0, a), ...x.shape.slice(a + 1)]) as T];
  return unstack(x, a) as T[];
}
