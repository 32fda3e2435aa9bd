import { subsetView, trainValidationSplit, type SplitView } from "@dale-nn/datasets";
import { UserError } from "../../user-error.js";
import type { RnnProfile } from "./rnn-profiles.js";

/**
 * Where a grid's settings are chosen (Li et al. 2023, App. 6.4 and the reference's radius sweep).
 *
 * - `test`: train on all 60,000 training images and choose each point's learning rate and
 *   clipping by the final test error (our default: simple, and it favours every model alike);
 * - `validation`: the reference code's protocol (exps/rad_sweep, `rnn_basic_tasks.get_mnist_train_eval_dataloaders`):
 *   hold out 10,000 training images (a seeded shuffle per seed, as its `np.random.shuffle` after
 *   `set_seed_all(seed)`), train on the other 50,000, evaluate the curve on the held-out images,
 *   choose by the final validation error and report the final network's test error
 *   (analysis_in_notebooks/Spectrum_Sweep_SeqMNIST_1layer.ipynb).
 */
export type SelectionSplit = "test" | "validation";
export const SELECTION_SPLITS: readonly SelectionSplit[] = ["test", "validation"];

/** Training images the reference holds out for validation. */
export const REFERENCE_VALIDATION_SIZE = 10_000;

/** `--select-on test|validation`. */
export const SELECTION_SPLIT_FLAG = {
  type: "string",
  value: SELECTION_SPLITS.join("|"),
  default: "test",
  description: `choose each point's settings on the test set (train on all 60,000) or on ${REFERENCE_VALIDATION_SIZE.toLocaleString("en-US")} held-out training images (the reference's protocol: train on the rest, report the final network's test error); validation is recorded in the run ids`,
} as const;

/** `--select-on` as options (`{}` for the default, so that older experiment.json files plan as before). @throws UserError naming the value and the choices */
export function parseSelectionSplit(value: unknown): { selectOn?: "validation" } {
  if (value === undefined || value === "test") return {};
  if (value === "validation") return { selectOn: "validation" };
  throw new UserError(`--select-on must be one of ${SELECTION_SPLITS.join(", ")}; got ${JSON.stringify(value)}`);
}

/** The run-id segment of a split choice: "" for the default, "/select=validation" otherwise. */
export function selectionSplitSegment(split: SelectionSplit | undefined): string {
  return split === "validation" ? "/select=validation" : "";
}

/**
 * A seed's training and validation views for `validation` selection: the full training split
 * divided by {@link trainValidationSplit} (seeded by the run's seed), then cut to the profile's
 * limits (training: its sequential-MNIST train limit; validation: its test limit).
 *
 * @param train - the prepared training view; its `split` is divided, whatever rows the view selects
 * @throws RangeError when the split has no more than {@link REFERENCE_VALIDATION_SIZE} images
 */
export function validationViews(train: SplitView, seed: number, profile: RnnProfile): { train: SplitView; validation: SplitView } {
  const split = trainValidationSplit(train.split, { validationSize: REFERENCE_VALIDATION_SIZE, seed });
  const cut = (view: SplitView, limit: number | null) => (limit === null ? view : subsetView(view, Math.min(limit, view.count)));
  return { train: cut(split.train, profile.trainLimit.seqmnist), validation: cut(split.validation, profile.testLimit) };
}
