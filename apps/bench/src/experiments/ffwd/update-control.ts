import { sqrt, square, stack, sum, tidy, type Tensor } from "@tensorflow/tfjs";
import type { GradientTransform, NamedGradients, ParamMeta } from "@dale-nn/core";
import type { LrBackoffOptions, ProjectedSGD, ProjectedSGDOptions } from "@dale-nn/projected-sgd";

/**
 * What a DANN variant of Supp. Fig. 5 (Cornford et al. 2021, App. E.4) adds to the projected SGD
 * step:
 * - `gradient-normalisation` (Alg. 5): per layer, Δθ^ℓ ← M ∇θ^ℓ / ||∇θ^ℓ||₂ when ||∇θ^ℓ||₂ > M
 *   (after the DANN correction, over all of the layer's parameters, as the reference code's
 *   `ClipGradNorm_Mixin`)
 * - `lr-scaling` (Alg. 6): per layer, the largest η · factor whose update keeps
 *   cos(proj(θ − ηΔθ) − θ, −ηΔθ) >= minCosine (the "angle between the gradient and actual
 *   updates" of the text; `ProjectedSGD`'s `lrBackoff`)
 *
 * Neither the paper nor the public reference code gives M, the cosine bound or the rate list, so
 * the values below are ours, chosen from a measured first epoch (seed 0, Fashion-MNIST, DANN at
 * lr 0.01973): per-layer gradient norms had medians 1.4-3.1 (10th percentiles 1.0-2.0), so M = 2
 * clips a large share of the early steps without turning SGD into normalised SGD; the update
 * cosines had 1st percentiles 0.997-0.998 and medians 0.9994-0.9996, so a bound of 0.999 backs the
 * rate off on about a tenth of the layer steps. Alg. 6's literal cosine, between the parameter
 * vectors proj(θ − ηΔθ) and θ − ηΔθ (the reference code's `ScaleLR_Mixin`), was 1.000000 to six
 * digits at every sampled step of the same run, so no bound short of 1 would ever engage it; we
 * use the update cosine of the text instead.
 */
export type UpdateControl =
  | { kind: "gradient-normalisation"; maxNorm: number }
  | { kind: "lr-scaling"; minCosine: number; factors: number[]; measure: NonNullable<LrBackoffOptions["measure"]> };

/** Supp. Fig. 5's gradient normalisation (Alg. 5), M = 2 per layer. */
export const SUPP5_GRADIENT_NORMALISATION: UpdateControl = { kind: "gradient-normalisation", maxNorm: 2 };
/** Supp. Fig. 5's learning-rate scaling (Alg. 6): cosine >= 0.999, rates η · 2^−k for k = 0..4. */
export const SUPP5_LR_SCALING: UpdateControl = { kind: "lr-scaling", minCosine: 0.999, factors: [1, 0.5, 0.25, 0.125, 0.0625], measure: "update" };

/** How often the control changed a layer's step, sampled every `every` updates (a run's record field `updateControl`). */
export interface UpdateControlRecord {
  control: UpdateControl;
  /** Updates sampled (in the process that finished the run: counts restart on a resume). */
  sampledUpdates: number;
  /** Of the sampled (layer, update) pairs, the fraction the control changed: norm > M, or a factor < 1. */
  engagedFraction: number;
}

/** The `ProjectedSGD` options of a control. */
export function updateControlOptions(control: UpdateControl): Pick<ProjectedSGDOptions, "clipNorm" | "lrBackoff"> {
  return control.kind === "gradient-normalisation"
    ? { clipNorm: { maxNorm: control.maxNorm, scope: "per-layer" } }
    : { lrBackoff: { minCosine: control.minCosine, factors: [...control.factors], measure: control.measure } };
}

/**
 * Counts how often a control engages, every `every` updates, as a gradient transform placed after
 * the DANN correction (so it sees what Alg. 5 clips): for gradient normalisation the per-layer
 * norms of that update (one read-back of a few numbers), for learning-rate scaling the factors the
 * optimiser chose in its previous step (`lastBackoff`, already on the host). Leaves the gradients
 * unchanged.
 *
 * @example
 * const monitor = new UpdateControlMonitor(SUPP5_GRADIENT_NORMALISATION, 50);
 * const opt = new ProjectedSGD({ learningRate: 0.02, transforms: [dannUpdateCorrection(), monitor.transform], ...updateControlOptions(monitor.control) });
 * monitor.watch(opt);
 */
export class UpdateControlMonitor {
  readonly transform: GradientTransform;
  private calls = 0;
  private sampled = 0;
  private pairs = 0;
  private engaged = 0;
  private optimizer: ProjectedSGD | null = null;

  constructor(
    readonly control: UpdateControl,
    readonly every: number,
  ) {
    if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`UpdateControlMonitor: every must be an integer >= 1; got ${every}`);
    // Learning-rate scaling reads the previous step's choice, so it samples one update later (update 1, every + 1, ...).
    const phase = control.kind === "lr-scaling" ? 1 % every : 0;
    this.transform = {
      name: "update-control-monitor",
      apply: (grads, metaOf) => {
        if (this.calls++ % this.every === phase) this.sample(grads, metaOf);
        return grads;
      },
    };
  }

  /** The optimiser whose `lastBackoff` learning-rate scaling reads. */
  watch(optimizer: ProjectedSGD): void {
    this.optimizer = optimizer;
  }

  /** What was counted so far. */
  record(): UpdateControlRecord {
    return { control: this.control, sampledUpdates: this.sampled, engagedFraction: this.pairs === 0 ? 0 : this.engaged / this.pairs };
  }

  private sample(grads: NamedGradients, metaOf: (name: string) => ParamMeta | undefined): void {
    if (this.control.kind === "gradient-normalisation") {
      const layers = new Map<string, Tensor[]>();
      for (const [name, g] of Object.entries(grads)) {
        const layer = metaOf(name)?.layer ?? name;
        layers.set(layer, [...(layers.get(layer) ?? []), g]);
      }
      if (layers.size === 0) return;
      const norms = tidy(() => stack([...layers.values()].map((gs) => sqrt(gs.map((g) => sum(square(g))).reduce((a, b) => a.add(b))))).dataSync());
      this.sampled++;
      this.pairs += norms.length;
      for (const n of norms) if (n > this.control.maxNorm) this.engaged++;
      return;
    }
    const last = Object.values(this.optimizer?.lastBackoff ?? {});
    if (last.length === 0) return; // the first step has no previous choice
    this.sampled++;
    this.pairs += last.length;
    for (const c of last) if (c.factor < 1) this.engaged++;
  }
}
