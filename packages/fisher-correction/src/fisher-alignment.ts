import { add, mul, stack, sum, tidy, type Scalar, type Tensor } from "@tensorflow/tfjs-core";
import { formatShape, formatValue, parameterMeta, sameShape, type NamedGradients, type ParamMeta } from "@dale-nn/core";

/** Options of {@link fisherAlignment}. */
export interface FisherAlignmentOptions {
  /** The raw loss gradients ∇θ, keyed by variable name. */
  raw: NamedGradients;
  /** The heuristically corrected gradients (e.g. from `dannUpdateCorrection`), same keys. */
  corrected: NamedGradients;
  /** The Fisher-preconditioned gradients (e.g. from `DiagonalFisherPreconditioner`), same keys. */
  fisherPreconditioned: NamedGradients;
  /** Meta per variable name, which groups variables into layers; default `parameterMeta`. */
  metaOf?: (variableName: string) => ParamMeta | undefined;
}

/** The alignment of one layer's update directions with its Fisher-preconditioned gradient. */
export interface LayerAlignment {
  /** Layer name, from {@link ParamMeta.layer}. */
  layer: string;
  /** cos ∠(raw gradient, Fisher-preconditioned gradient); NaN when either is all zeros. */
  rawCosine: number;
  /** cos ∠(corrected gradient, Fisher-preconditioned gradient); NaN when either is all zeros. */
  correctedCosine: number;
}

/**
 * The Fisher-alignment diagnostic of Fig. 2 (Cornford et al. 2021, Sec. 4, App. E.3): per layer,
 * the cosine between the diagonal-Fisher-preconditioned gradient f and (a) the raw gradient r,
 * (b) the heuristically corrected gradient c,
 *
 *   cos(r, f) = r·f / (‖r‖ ‖f‖),  cos(c, f) = c·f / (‖c‖ ‖f‖),
 *
 * each over the concatenation of all of that layer's parameter gradients. If the heuristic
 * correction captures the Fisher geometry, cos(c, f) > cos(r, f).
 *
 * Variables without meta are ignored; layers appear in the order of their first variable in `raw`.
 * All sums run on the device and come back in a single read-back.
 *
 * @param options - the three gradient maps and `metaOf` (default `parameterMeta`)
 * @returns one {@link LayerAlignment} per layer
 * @throws RangeError when a tagged variable of `raw` is missing from `corrected` or
 *   `fisherPreconditioned`, or their shapes differ
 * @example
 * const raw = grads;
 * const corrected = dannUpdateCorrection().apply(raw, parameterMeta);
 * const fisher = preconditioner.asTransform().apply(raw, parameterMeta);
 * fisherAlignment({ raw, corrected, fisherPreconditioned: fisher });
 * // [{ layer: "h1", rawCosine: 0.41, correctedCosine: 0.83 }, ...]
 */
export function fisherAlignment(options: FisherAlignmentOptions): LayerAlignment[] {
  const context = "fisherAlignment";
  const { raw, corrected, fisherPreconditioned } = options;
  const metaOf = options.metaOf ?? parameterMeta;
  const layers = new Map<string, string[]>();
  for (const [name, r] of Object.entries(raw)) {
    const meta = metaOf(name);
    if (meta === undefined) continue;
    for (const [label, map] of [
      ["corrected", corrected],
      ["fisherPreconditioned", fisherPreconditioned],
    ] as const) {
      const other = map[name];
      if (other === undefined) throw new RangeError(`${context}: ${label} has no gradient for ${formatValue(name)} (layer ${formatValue(meta.layer)})`);
      if (!sameShape(other.shape, r.shape)) {
        throw new RangeError(
          `${context}: ${label} gradient of ${formatValue(name)} has shape ${formatShape(other.shape)}; raw has ${formatShape(r.shape)}`,
        );
      }
    }
    const list = layers.get(meta.layer) ?? [];
    list.push(name);
    layers.set(meta.layer, list);
  }
  if (layers.size === 0) return [];

  // Per layer: r·f, ‖r‖², c·f, ‖c‖², ‖f‖².
  const sums = tidy(() => {
    const rows: Tensor[] = [];
    for (const names of layers.values()) {
      const acc: Scalar[] = [];
      names.forEach((name, i) => {
        const r = raw[name] as Tensor;
        const c = corrected[name] as Tensor;
        const f = fisherPreconditioned[name] as Tensor;
        const terms = [sum(mul(r, f)), sum(mul(r, r)), sum(mul(c, f)), sum(mul(c, c)), sum(mul(f, f))] as Scalar[];
        terms.forEach((t, k) => {
          acc[k] = i === 0 ? t : (add(acc[k] as Scalar, t) as Scalar);
        });
      });
      rows.push(stack(acc));
    }
    return stack(rows);
  });
  const values = sums.dataSync();
  sums.dispose();
  const result: LayerAlignment[] = [];
  let row = 0;
  for (const layer of layers.keys()) {
    const [rf, rr, cf, cc, ff] = Array.from(values.subarray(row * 5, row * 5 + 5));
    result.push({
      layer,
      rawCosine: cosine(rf as number, rr as number, ff as number),
      correctedCosine: cosine(cf as number, cc as number, ff as number),
    });
    row++;
  }
  return result;
}

/** a·b / (‖a‖ ‖b‖) from the dot product and the squared norms, clamped to [−1, 1]; NaN for a zero vector. */
function cosine(dot: number, aa: number, bb: number): number {
  if (!(aa > 0) || !(bb > 0)) return Number.NaN;
  const c = dot / Math.sqrt(aa * bb);
  return Math.max(-1, Math.min(1, c));
}
