import type { GradientTransform, NamedGradients, ParamMeta } from "@dale-nn/core";
import { dannUpdateCorrection, fisherAlignment, type DiagonalFisherPreconditioner, type LayerAlignment } from "@dale-nn/fisher-correction";

/** Options of {@link fisherStepWithAlignment}. */
export interface FisherStepWithAlignmentOptions {
  /** The preconditioner whose F_t the step uses (its `observe` must have seen the batch). */
  fisher: DiagonalFisherPreconditioner;
  /** Whether to measure the alignment of the update being prepared (called once per update). */
  shouldRecord: () => boolean;
  /** Receives a recorded update's alignment, one entry per layer in the order of the gradients. */
  onAlignment: (alignments: LayerAlignment[]) => void;
}

/**
 * The gradient transform of the Fisher run of Cornford et al. (2021), Fig. 2: the step uses the
 * Fisher-corrected gradient Δθ = F*∇θ of `DiagonalFisherPreconditioner` (App. E.3, Alg. 4), and on
 * recorded updates it also measures, per layer, cos ∠(∇θ, F*∇θ) and cos ∠(Alg. 3's corrected ∇θ,
 * F*∇θ) with `fisherAlignment` (one read-back). Used as the only transform of `ProjectedSGD`, it
 * sees the raw loss gradients of every update, so the training loop needs no second gradient pass.
 *
 * @param o - the preconditioner, when to record, where the alignments go
 * @returns the transform (named "diagonal-fisher+alignment"); it does not own the preconditioner
 * @example
 * const step = fisherStepWithAlignment({ fisher, shouldRecord: () => true, onAlignment: (a) => series.push(a) });
 * const optimizer = new ProjectedSGD({ learningRate: 300, transforms: [step] });
 */
export function fisherStepWithAlignment(o: FisherStepWithAlignmentOptions): GradientTransform {
  const preconditioned = o.fisher.asTransform();
  const heuristic = dannUpdateCorrection();
  return {
    name: "diagonal-fisher+alignment",
    apply(gradients: NamedGradients, metaOf: (variableName: string) => ParamMeta | undefined): NamedGradients {
      const natural = preconditioned.apply(gradients, metaOf);
      if (o.shouldRecord()) {
        const corrected = heuristic.apply(gradients, metaOf);
        try {
          o.onAlignment(fisherAlignment({ raw: gradients, corrected, fisherPreconditioned: natural, metaOf }));
        } finally {
          for (const [name, t] of Object.entries(corrected)) if (t !== gradients[name]) t.dispose();
        }
      }
      return natural;
    },
    getConfig: () => ({ ...preconditioned.getConfig?.(), name: "diagonal-fisher+alignment" }),
  };
}
