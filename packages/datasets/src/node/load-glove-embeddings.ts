import { existsSync } from "node:fs";
import { parseGloveEmbeddings, type GloveEmbeddings, type GloveOptions } from "../parse-glove-embeddings.js";
import { readLinesSync } from "./internal/read-lines-sync.js";

/**
 * Reads the vectors of `vocabulary` from a GloVe text file ("word v1 ... vD" per line, e.g.
 * glove.6B.300d.txt), streaming it line by line (the files are larger than a JavaScript string can
 * be). Words missing from the file get seeded N(0, missingStd^2) rows and are reported. GloVe cannot
 * be downloaded here: pass the path of your copy. See `parseGloveEmbeddings` for the rules.
 *
 * @param path - the GloVe text file (UTF-8)
 * @param vocabulary - the words to embed (e.g. `loadTokenCorpus(...).vocabulary`)
 * @param options - `dimension` (e.g. 300), `seed` (required), `missingStd` (default 0.1), `allowSpacesInWords`
 * @returns `{ embeddings: Float32Array [vocabulary.length, dimension], dimension, missing, missingWords }`
 * @throws Error naming `path` when the file is missing, or naming the line with the wrong number of values or a bad value
 * @example
 * const glove = loadGloveEmbeddings("/data/glove/glove.6B.300d.txt", train.vocabulary, { dimension: 300, seed: 0 });
 * console.log(`${glove.missing} words without a GloVe vector: ${glove.missingWords.slice(0, 5).join(", ")}`);
 */
export function loadGloveEmbeddings(path: string, vocabulary: readonly string[], options: GloveOptions): GloveEmbeddings {
  if (typeof path !== "string" || path === "") throw new Error(`loadGloveEmbeddings: expected the path of a GloVe text file; got ${path === "" ? '""' : String(path)}`);
  if (!existsSync(path)) {
    throw new Error(`${path}: file not found; expected a GloVe text file ("word v1 ... vD" per line, e.g. glove.6B.300d.txt; GloVe cannot be downloaded here)`);
  }
  return parseGloveEmbeddings(readLinesSync(path), vocabulary, options, path);
}
