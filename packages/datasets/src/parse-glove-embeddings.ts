import { createRandomSource, deriveSeed } from "@dale-nn/ei-init";
import { formatValue, requireInteger } from "@dale-nn/core/validation";

/** Options for {@link parseGloveEmbeddings} and `loadGloveEmbeddings`. */
export interface GloveOptions {
  /** Values per vector, e.g. 300 for glove.6B.300d.txt / glove.840B.300d.txt (Li et al. 2023). */
  readonly dimension: number;
  /** A non-negative integer seeding the vectors of words missing from the file (required: randomness is explicit in dale-nn). */
  readonly seed: number;
  /** Standard deviation of the N(0, std^2) vectors given to missing words (default 0.1; 0 gives zero rows). */
  readonly missingStd?: number;
  /**
   * Read a line with more than dimension + 1 fields as a word containing spaces followed by
   * `dimension` values (default false: such a line is an error). Some GloVe releases (e.g. the
   * Common Crawl 840B vectors) contain a few such tokens.
   */
  readonly allowSpacesInWords?: boolean;
}

/** An embedding matrix for a vocabulary. */
export interface GloveEmbeddings {
  /** Row i is the vector of vocabulary[i]: [vocabulary.length, dimension] row-major. */
  readonly embeddings: Float32Array;
  /** Values per vector. */
  readonly dimension: number;
  /** How many vocabulary words had no vector in the file (their rows are seeded random draws). */
  readonly missing: number;
  /** Those words, in vocabulary order. */
  readonly missingWords: string[];
}

/**
 * Builds the [vocabulary, dimension] embedding matrix for `vocabulary` from GloVe's text format
 * (Pennington et al. 2014: one word per line, "word v1 v2 ... vD", values separated by single
 * spaces), as Li et al. (2023), App. 6.2.3, embed Penn Treebank words as 300-d GloVe vectors.
 *
 * Only the vocabulary's words are parsed into numbers (a word's first line wins when a file repeats
 * it), but every line's field count is checked. A word that the file lacks (in PTB: `<unk>`,
 * `<eos>`) gets a row of N(0, missingStd^2) draws from
 * `createRandomSource(deriveSeed(seed, "glove-missing", i))` for vocabulary index i, so the same
 * seed gives the same vector for word i whatever else the file holds. Words are matched exactly
 * (GloVe 6B is lower-case, as is PTB).
 *
 * @param text - the GloVe file's text, or its lines (the Node loader streams them)
 * @param vocabulary - the words to embed, distinct (e.g. `loadTokenCorpus(...).vocabulary`)
 * @param options - `dimension`, `seed` (required), `missingStd` (default 0.1), `allowSpacesInWords` (default false)
 * @param source - a name for error messages (e.g. the file path)
 * @returns `{ embeddings, dimension, missing, missingWords }`
 * @throws Error naming `source` and the line number when a line has the wrong number of values
 *   (saying how many it has and how many were expected) or a value that is not a finite number
 * @throws RangeError on a missing or invalid seed, dimension or missingStd, or a repeated vocabulary word
 * @example
 * const { embeddings, missing } = parseGloveEmbeddings("the 0.1 0.2\ncat 0.3 0.4\n", ["the", "cat", "<eos>"], { dimension: 2, seed: 0 });
 * // embeddings: [3, 2]; rows 0 and 1 from the text, row 2 random; missing 1
 */
export function parseGloveEmbeddings(
  text: string | Iterable<string>,
  vocabulary: readonly string[],
  options: GloveOptions,
  source = "GloVe text",
): GloveEmbeddings {
  const { dimension, seed, missingStd = 0.1, allowSpacesInWords = false } = options ?? ({} as GloveOptions);
  requireInteger("parseGloveEmbeddings", "dimension", dimension, 1);
  if (seed === undefined) {
    throw new RangeError(`parseGloveEmbeddings: a seed is required for the vectors of missing words (randomness is explicit in dale-nn); got undefined`);
  }
  requireInteger("parseGloveEmbeddings", "seed", seed, 0);
  if (typeof missingStd !== "number" || !(missingStd >= 0) || !Number.isFinite(missingStd)) {
    throw new RangeError(`parseGloveEmbeddings: missingStd must be a finite number >= 0; got ${formatValue(missingStd)}`);
  }
  if (vocabulary == null || typeof vocabulary !== "object" || typeof vocabulary.length !== "number") {
    throw new TypeError(`parseGloveEmbeddings: vocabulary must be an array of words; got ${formatValue(vocabulary)}`);
  }
  const rows = new Map<string, number>();
  vocabulary.forEach((word, i) => {
    if (rows.has(word)) throw new RangeError(`parseGloveEmbeddings: vocabulary repeats ${formatValue(word)} (at ${rows.get(word)} and ${i}); expected distinct words`);
    rows.set(word, i);
  });

  const embeddings = new Float32Array(vocabulary.length * dimension);
  const found = new Uint8Array(vocabulary.length);
  let lineNumber = 0;
  for (const raw of lines(text)) {
    lineNumber++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    // Count the space-separated fields without splitting lines of words we do not need.
    let spaces = 0;
    for (let p = line.indexOf(" "); p !== -1; p = line.indexOf(" ", p + 1)) spaces++;
    const fields = spaces + 1;
    let wordEnd: number;
    if (fields === dimension + 1) {
      wordEnd = line.indexOf(" ");
    } else if (fields > dimension + 1 && allowSpacesInWords) {
      wordEnd = -1;
      for (let k = 0; k < fields - dimension; k++) wordEnd = line.indexOf(" ", wordEnd + 1);
    } else {
      const hint = fields > dimension + 1 ? " (if the word itself contains spaces, pass allowSpacesInWords: true)" : "";
      const firstSpace = line.indexOf(" ");
      const shown = (firstSpace < 0 ? line : line.slice(0, firstSpace)).slice(0, 40);
      throw new Error(`${source}: line ${lineNumber} has ${fields - 1} values after the word ${formatValue(shown)}; expected ${dimension} (dimension)${hint}`);
    }
    const word = line.slice(0, wordEnd);
    const row = rows.get(word);
    if (row === undefined || found[row]) continue;
    const parts = line.slice(wordEnd + 1).split(" ");
    for (let k = 0; k < dimension; k++) {
      const part = parts[k] as string;
      const v = Number(part);
      if (part === "" || !Number.isFinite(v)) {
        throw new Error(`${source}: line ${lineNumber} (word ${formatValue(word)}): value ${k + 1} is ${formatValue(part)}; expected a finite number`);
      }
      embeddings[row * dimension + k] = v;
    }
    found[row] = 1;
  }

  const missingWords: string[] = [];
  for (let i = 0; i < vocabulary.length; i++) {
    if (found[i]) continue;
    missingWords.push(vocabulary[i] as string);
    if (missingStd === 0) continue; // zero rows (and no -0 from 0 * negative draws)
    const rng = createRandomSource(deriveSeed(seed, "glove-missing", i));
    for (let k = 0; k < dimension; k++) embeddings[i * dimension + k] = rng.normal() * missingStd;
  }
  return { embeddings, dimension, missing: missingWords.length, missingWords };
}

function* lines(text: string | Iterable<string>): Iterable<string> {
  if (typeof text === "string") yield* text.split("\n");
  else yield* text;
}
