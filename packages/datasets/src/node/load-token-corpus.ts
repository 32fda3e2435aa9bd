import { existsSync } from "node:fs";
import { tokenCorpusFromText, type TokenCorpus, type TokenCorpusOptions } from "../token-corpus-from-text.js";
import { readLinesSync } from "./internal/read-lines-sync.js";

/**
 * Reads a whitespace-tokenised corpus in the Penn Treebank language-modelling format
 * (ptb.train.txt: one sentence per line), appends "<eos>" to every line and numbers the words
 * (vocabulary in order of first occurrence by default). Penn Treebank cannot be downloaded here:
 * pass the path of your copy. See `tokenCorpusFromText` for the rules and the options.
 *
 * @param path - the text file (UTF-8)
 * @param options - `eos`, `order`, and `vocabulary` + `unknownToken` to read the validation and test files with the training ids
 * @returns `{ vocabulary, ids }`
 * @throws Error naming `path` when the file is missing, or the line and word outside a given vocabulary
 * @example
 * const train = loadTokenCorpus("/data/ptb/ptb.train.txt");
 * const valid = loadTokenCorpus("/data/ptb/ptb.valid.txt", { vocabulary: train.vocabulary });
 */
export function loadTokenCorpus(path: string, options: TokenCorpusOptions = {}): TokenCorpus {
  if (typeof path !== "string" || path === "") throw new Error(`loadTokenCorpus: expected the path of a text corpus such as ptb.train.txt; got ${path === "" ? '""' : String(path)}`);
  if (!existsSync(path)) {
    throw new Error(`${path}: file not found; expected a whitespace-tokenised text file with one sentence per line (e.g. ptb.train.txt; Penn Treebank cannot be downloaded here)`);
  }
  return tokenCorpusFromText(readLinesSync(path), options, path);
}
