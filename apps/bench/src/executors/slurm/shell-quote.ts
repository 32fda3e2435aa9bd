/**
 * Quotes one word for bash so that it reaches the command unchanged: bare when it holds only
 * characters bash never interprets, otherwise in single quotes (a `'` inside becomes `'\''`).
 *
 * @param word - any string, including spaces, quotes, `$`, backticks or newlines.
 * @returns the quoted word; `''` for the empty string.
 * @example
 * shellQuote("/data/my runs") // "'/data/my runs'"
 * shellQuote("it's") // "'it'\\''s'"
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_\/.,:=@+-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quotes each word with {@link shellQuote} and joins them with spaces. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
