/** The names {@link DATASET_PIXEL_MEANS} and the Node loader `loadDataset` accept. */
export type DatasetName = "mnist" | "fashion" | "kmnist";

/** Every {@link DatasetName}, in a fixed order (for option parsing and error messages). */
export const DATASET_NAMES: readonly DatasetName[] = Object.freeze(["mnist", "fashion", "kmnist"] as const);

/**
 * The mean pixel value of each dataset's training images after scaling to [0, 1]: the constant
 * ColumnEi networks subtract to centre their (otherwise all-positive) inputs (Cornford et al.
 * 2021, Sec. 5.1 and its reference code; Li et al. 2023 use the same constants).
 *
 * Values: MNIST 0.1307, K-MNIST 0.1918, Fashion-MNIST 0.2860 (the MNIST and Fashion-MNIST values
 * are checked against the real files in this package's tests).
 *
 * @example
 * const centred = pixel - DATASET_PIXEL_MEANS.fashion;
 */
export const DATASET_PIXEL_MEANS: Readonly<Record<DatasetName, number>> = Object.freeze({
  mnist: 0.1307,
  kmnist: 0.1918,
  fashion: 0.286,
});

/**
 * Whether `name` is one of {@link DATASET_NAMES}.
 *
 * @param name - any value (for example a command-line argument)
 * @returns true when `name` is "mnist", "fashion" or "kmnist"
 * @example
 * if (!isDatasetName(arg)) throw new Error(`unknown dataset ${arg}`);
 */
export function isDatasetName(name: unknown): name is DatasetName {
  return typeof name === "string" && (DATASET_NAMES as readonly string[]).includes(name);
}
