import { formatValue, requireInteger } from "@dale-nn/core/validation";

/** Options for {@link languageModelBatches}. */
export interface LanguageModelBatchOptions {
  /** Parallel streams (rows of every window), an integer >= 1 (Li et al. 2023 use 64). */
  readonly batchSize: number;
  /** Time steps per window (truncated-BPTT length), an integer >= 1 (Li et al. 2023 use 50). */
  readonly bptt: number;
}

/** One window of a language-model epoch (fresh arrays for every window). */
export interface LanguageModelBatch {
  /** Word ids, [batchSize, bptt] row-major: row s is stream s's next `bptt` tokens. */
  readonly inputs: Int32Array;
  /** The ids one step later, [batchSize, bptt]: targets[s, t] = the token after inputs[s, t]. */
  readonly targets: Int32Array;
  /** The window's position in the epoch, from 0. */
  readonly batch: number;
}

/**
 * The number of windows {@link languageModelBatches} yields for a corpus of `length` ids:
 * floor((floor(length / batchSize) - 1) / bptt).
 *
 * @param length - the number of ids in the corpus
 * @param options - `batchSize` and `bptt`
 * @returns the window count (0 when the streams are shorter than bptt + 1)
 * @throws RangeError naming the value when length, batchSize or bptt is not a valid integer
 * @example
 * languageModelBatchCount(929_589, { batchSize: 64, bptt: 50 }); // 290
 */
export function languageModelBatchCount(length: number, options: LanguageModelBatchOptions): number {
  requireInteger("languageModelBatchCount", "length", length, 0);
  const { batchSize, bptt } = options ?? ({} as LanguageModelBatchOptions);
  requireInteger("languageModelBatchCount", "batchSize", batchSize, 1);
  requireInteger("languageModelBatchCount", "bptt", bptt, 1);
  const streamLength = Math.floor(length / batchSize);
  return Math.max(0, Math.floor((streamLength - 1) / bptt));
}

/**
 * Iterates a tokenised corpus in the standard language-modelling "batchify" layout (Zaremba et al.
 * 2014; PyTorch's word_language_model), transposed to batch-major rows:
 *
 * 1. the ids are cut into `batchSize` contiguous streams of L = floor(N / batchSize) tokens each
 *    (stream s = ids[s L .. (s + 1) L - 1]); the last N - batchSize L ids are dropped;
 * 2. window w holds, for every stream s, inputs[s, t] = stream_s[w bptt + t] and
 *    targets[s, t] = stream_s[w bptt + t + 1], t = 0 .. bptt - 1;
 * 3. there are floor((L - 1) / bptt) windows; a last window shorter than `bptt` is dropped, so every
 *    window has the same shape.
 *
 * Row s of window w + 1 continues row s of window w, so a recurrent network carries its hidden state
 * from one window to the next (detached: truncated BPTT) and sees each stream as one long text. The
 * order is fixed (no shuffling: shuffling would break that continuity). For Penn Treebank with
 * batch 64 and BPTT 50 (Li et al. 2023, App. 6.2.3) the 929,589 training ids give L = 14,524
 * (929,536 ids kept) and 290 windows of 64 x 50.
 *
 * Word ids become network inputs through an embedding (e.g. the GloVe rows of
 * `loadGloveEmbeddings`): row `inputs[s, t]` of the [vocabulary, dimension] matrix.
 *
 * @param ids - the corpus as word ids (e.g. `loadTokenCorpus(...).ids`), integers >= 0
 * @param options - `batchSize` (streams) and `bptt` (steps per window)
 * @returns an iterator over {@link languageModelBatchCount} windows of fresh [batchSize, bptt] arrays
 * @throws RangeError naming the value on an invalid batchSize or bptt, an id that is not an integer
 *   >= 0, or a corpus too short for one window (fewer than batchSize x (bptt + 1) ids)
 * @example
 * // ids 0..11, batchSize 2, bptt 2: streams [0..5] and [6..11]
 * for (const { inputs, targets } of languageModelBatches(ids, { batchSize: 2, bptt: 2 })) {
 *   // window 0: inputs [[0, 1], [6, 7]], targets [[1, 2], [7, 8]]
 *   // window 1: inputs [[2, 3], [8, 9]], targets [[3, 4], [9, 10]]
 * }
 */
export function languageModelBatches(ids: ArrayLike<number>, options: LanguageModelBatchOptions): IterableIterator<LanguageModelBatch> {
  if (ids == null || typeof ids !== "object" || typeof ids.length !== "number") {
    throw new TypeError(`languageModelBatches: ids must be an array of word ids (e.g. an Int32Array); got ${formatValue(ids)}`);
  }
  const { batchSize, bptt } = options ?? ({} as LanguageModelBatchOptions);
  requireInteger("languageModelBatches", "batchSize", batchSize, 1);
  requireInteger("languageModelBatches", "bptt", bptt, 1);
  const streamLength = Math.floor(ids.length / batchSize);
  const windows = languageModelBatchCount(ids.length, { batchSize, bptt });
  if (windows === 0) {
    throw new RangeError(
      `languageModelBatches: ${ids.length} ids give ${batchSize} streams of ${streamLength} tokens; one window needs bptt + 1 = ${bptt + 1} tokens per stream (at least ${batchSize * (bptt + 1)} ids)`,
    );
  }
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i] as number;
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`languageModelBatches: id ${formatValue(v)} at index ${i} is not an integer >= 0`);
  }
  return (function* () {
    for (let w = 0; w < windows; w++) {
      const inputs = new Int32Array(batchSize * bptt);
      const targets = new Int32Array(batchSize * bptt);
      for (let s = 0; s < batchSize; s++) {
        const start = s * streamLength + w * bptt;
        for (let t = 0; t < bptt; t++) {
          inputs[s * bptt + t] = ids[start + t] as number;
          targets[s * bptt + t] = ids[start + t + 1] as number;
        }
      }
      yield { inputs, targets, batch: w };
    }
  })();
}
