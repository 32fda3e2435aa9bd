import { formatValue } from "@dale-nn/core/validation";

/** A tokenised corpus: the vocabulary and the corpus as word ids. */
export interface TokenCorpus {
  /** Word i of the vocabulary (ids index into it). */
  readonly vocabulary: string[];
  /** The corpus as ids into `vocabulary`, in reading order, `eos` after each line. */
  readonly ids: Int32Array;
}

/** Options for {@link tokenCorpusFromText} and `loadTokenCorpus`. */
export interface TokenCorpusOptions {
  /** The end-of-sentence token appended after every line (default "<eos>"); null appends nothing. */
  readonly eos?: string | null;
  /**
   * How a new vocabulary is ordered: "first-occurrence" (default; id 0 is the first word read, as
   * in PyTorch's word_language_model example) or "frequency" (most frequent first, ties by first
   * occurrence). Ignored when `vocabulary` is given.
   */
  readonly order?: "first-occurrence" | "frequency";
  /**
   * A fixed vocabulary (e.g. the training corpus's, to read ptb.valid.txt and ptb.test.txt with the
   * same ids); words outside it map to `unknownToken`, or throw when none is given.
   */
  readonly vocabulary?: readonly string[];
  /** With `vocabulary`: the token (itself in `vocabulary`, e.g. "<unk>") that unknown words map to. */
  readonly unknownToken?: string;
}

const INITIAL_CAPACITY = 1 << 16;

/**
 * Tokenises a whitespace-separated corpus in the Penn Treebank language-modelling format
 * (Mikolov's ptb.train.txt / ptb.valid.txt / ptb.test.txt: one sentence per line, words separated by
 * spaces, rare words already replaced by `<unk>`, numbers by `N`), appending `eos` ("<eos>") at the
 * end of every line as the standard language-modelling setup does, and numbers the words.
 * Tokens are split on any whitespace; an empty line contributes only `eos`; a final newline does not
 * start another line. On the standard PTB files this gives 10,000 words and 929,589 / 73,760 /
 * 82,430 train / validation / test tokens. Li et al. (2023), App. 6.2.3, report 929,536 / 73,746 /
 * 82,416 words used ("spare words are discarded"); 929,536 = 64 x 14,524 is what
 * `languageModelBatches` keeps of the training ids at batch size 64.
 *
 * @param text - the corpus text, or its lines (e.g. from a streaming reader)
 * @param options - `eos` (default "<eos>"), `order` (default "first-occurrence"), `vocabulary`, `unknownToken`
 * @param source - a name for error messages (e.g. the file path)
 * @returns `{ vocabulary, ids }`
 * @throws Error naming `source`, the line number and the word when a word is outside a given
 *   `vocabulary` and no `unknownToken` is set
 * @throws RangeError when a given vocabulary repeats a word, `unknownToken` is not in it, or `order` is unknown
 * @example
 * const train = tokenCorpusFromText("the cat sat\nthe dog\n");
 * train.vocabulary; // ["the", "cat", "sat", "<eos>", "dog"]
 * train.ids;        // [0, 1, 2, 3, 0, 4, 3]
 * const valid = tokenCorpusFromText(validText, { vocabulary: train.vocabulary, unknownToken: "<unk>" });
 */
export function tokenCorpusFromText(text: string | Iterable<string>, options: TokenCorpusOptions = {}, source = "text"): TokenCorpus {
  const { eos = "<eos>", order = "first-occurrence", vocabulary: fixed, unknownToken } = options;
  if (order !== "first-occurrence" && order !== "frequency") {
    throw new RangeError(`tokenCorpusFromText: order must be "first-occurrence" or "frequency"; got ${formatValue(order)}`);
  }
  if (typeof text !== "string" && (text == null || typeof (text as Iterable<string>)[Symbol.iterator] !== "function")) {
    throw new TypeError(`${source}: expected the corpus as a string or an iterable of lines; got ${formatValue(text)}`);
  }
  const index = new Map<string, number>();
  const vocabulary: string[] = [];
  let unknownId = -1;
  if (fixed !== undefined) {
    fixed.forEach((word, i) => {
      if (index.has(word)) throw new RangeError(`tokenCorpusFromText: the given vocabulary repeats ${formatValue(word)} (at ${index.get(word)} and ${i}); expected distinct words`);
      index.set(word, i);
      vocabulary.push(word);
    });
    if (unknownToken !== undefined) {
      unknownId = index.get(unknownToken) ?? -1;
      if (unknownId < 0) throw new RangeError(`tokenCorpusFromText: unknownToken ${formatValue(unknownToken)} is not in the given vocabulary of ${fixed.length} words`);
    }
  } else if (unknownToken !== undefined) {
    throw new RangeError(`tokenCorpusFromText: unknownToken ${formatValue(unknownToken)} needs a fixed vocabulary; pass options.vocabulary`);
  }

  let ids = new Int32Array(INITIAL_CAPACITY);
  let length = 0;
  const push = (word: string, line: number) => {
    let id = index.get(word);
    if (id === undefined) {
      if (fixed !== undefined) {
        if (unknownId < 0) {
          throw new Error(
            `${source}: line ${line}: word ${formatValue(word)} is not in the vocabulary (${vocabulary.length} words); pass unknownToken (e.g. "<unk>") to map unknown words`,
          );
        }
        id = unknownId;
      } else {
        id = vocabulary.length;
        index.set(word, id);
        vocabulary.push(word);
      }
    }
    if (length === ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    ids[length++] = id;
  };

  let lineNumber = 0;
  for (const line of lines(text)) {
    lineNumber++;
    for (const word of line.split(/\s+/)) if (word !== "") push(word, lineNumber);
    if (eos !== null) push(eos, lineNumber);
  }
  const out = ids.slice(0, length);
  if (fixed !== undefined || order === "first-occurrence") return { vocabulary, ids: out };

  const counts = new Float64Array(vocabulary.length);
  for (let i = 0; i < out.length; i++) {
    const id = out[i] as number;
    counts[id] = (counts[id] as number) + 1;
  }
  const byFrequency = vocabulary.map((_, i) => i).sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  const remap = new Int32Array(vocabulary.length);
  byFrequency.forEach((old, rank) => (remap[old] = rank));
  for (let i = 0; i < out.length; i++) out[i] = remap[out[i] as number] as number;
  return { vocabulary: byFrequency.map((i) => vocabulary[i] as string), ids: out };
}

function* lines(text: string | Iterable<string>): Iterable<string> {
  if (typeof text !== "string") {
    yield* text;
    return;
  }
  const parts = text.split(/\r?\n/);
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  yield* parts;
}
