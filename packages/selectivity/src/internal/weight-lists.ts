import { formatValue } from "@dale-nn/core/validation";
import type { WeightsInput } from "../connection-density.js";

/** Normalises one or several weight inputs into named flat lists (shared with weightHistogram). */
export function weightLists(weights: WeightsInput | readonly WeightsInput[], context: string): Array<[string, ArrayLike<number>]> {
  const one = (w: unknown, name: string): [string, ArrayLike<number>] => {
    if (w != null && typeof w === "object" && "data" in w && !ArrayBuffer.isView(w)) return [`${name}.data`, (w as { data: ArrayLike<number> }).data];
    if (w != null && typeof w === "object" && typeof (w as ArrayLike<number>).length === "number") return [name, w as ArrayLike<number>];
    throw new TypeError(`${context}: ${name} must be an array, a typed array or { data }; got ${formatValue(w)}`);
  };
  if (Array.isArray(weights) && weights.length > 0 && typeof weights[0] === "object" && weights[0] !== null) {
    return (weights as readonly WeightsInput[]).map((w, i) => one(w, `weights[${i}]`));
  }
  return [one(weights, "weights")];
}
