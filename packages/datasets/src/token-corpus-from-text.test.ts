import { describe, expect, it } from "vitest";
import { tokenCorpusFromText } from "./token-corpus-from-text.js";

// Three lines in the Penn Treebank LM format (leading space, <unk> and N already in the text).
const PTB = " the cat sat on the mat \n a <unk> of N cats \n the dog\n";

describe("tokenCorpusFromText", () => {
  it("tokenCorpusFromText(ptb text) appends <eos> at each line end and numbers words by first occurrence", () => {
    const { vocabulary, ids } = tokenCorpusFromText(PTB);
    expect(vocabulary).toEqual(["the", "cat", "sat", "on", "mat", "<eos>", "a", "<unk>", "of", "N", "cats", "dog"]);
    expect(Array.from(ids)).toEqual([0, 1, 2, 3, 0, 4, 5, 6, 7, 8, 9, 10, 5, 0, 11, 5]);
  });

  it("tokenCorpusFromText: an empty line gives a lone <eos>, the final newline adds nothing, \\r\\n and tabs are whitespace", () => {
    expect(Array.from(tokenCorpusFromText("a\n\nb").ids)).toEqual([0, 1, 1, 2, 1]);
    expect(tokenCorpusFromText("a\tb\r\nb a\r\n")).toEqual({ vocabulary: ["a", "b", "<eos>"], ids: new Int32Array([0, 1, 2, 1, 0, 2]) });
    expect(tokenCorpusFromText("")).toEqual({ vocabulary: [], ids: new Int32Array(0) });
  });

  it("tokenCorpusFromText(text, { eos: null }) appends nothing; { eos: '</s>' } another token; lines may come as an iterable", () => {
    expect(tokenCorpusFromText("a b\nb\n", { eos: null })).toEqual({ vocabulary: ["a", "b"], ids: new Int32Array([0, 1, 1]) });
    expect(tokenCorpusFromText(["x y", "y"], { eos: "</s>" })).toEqual({ vocabulary: ["x", "y", "</s>"], ids: new Int32Array([0, 1, 2, 1, 2]) });
  });

  it("tokenCorpusFromText(text, { order: 'frequency' }) puts the most frequent word first, ties by first occurrence", () => {
    const { vocabulary, ids } = tokenCorpusFromText(PTB, { order: "frequency" });
    // the: 3, <eos>: 3 (the seen first), then the rest once each in order of first occurrence
    expect(vocabulary).toEqual(["the", "<eos>", "cat", "sat", "on", "mat", "a", "<unk>", "of", "N", "cats", "dog"]);
    expect(ids.slice(0, 7)).toEqual(new Int32Array([0, 2, 3, 4, 0, 5, 1]));
  });

  it("tokenCorpusFromText(valid, { vocabulary }) reuses the training ids; unknown words map to unknownToken or throw naming the line", () => {
    const train = tokenCorpusFromText(PTB);
    const valid = tokenCorpusFromText(" the dog sat \n", { vocabulary: train.vocabulary });
    expect(valid.vocabulary).toEqual(train.vocabulary);
    expect(Array.from(valid.ids)).toEqual([0, 11, 2, 5]);
    expect(Array.from(tokenCorpusFromText("the zebra\n", { vocabulary: train.vocabulary, unknownToken: "<unk>" }).ids)).toEqual([0, 7, 5]);
    expect(() => tokenCorpusFromText("the dog\nthe zebra\n", { vocabulary: train.vocabulary }, "ptb.valid.txt")).toThrow(
      'ptb.valid.txt: line 2: word "zebra" is not in the vocabulary (12 words); pass unknownToken (e.g. "<unk>") to map unknown words',
    );
  });

  it("tokenCorpusFromText rejects a repeated vocabulary word, an unknownToken outside it or without it, and an unknown order", () => {
    expect(() => tokenCorpusFromText("a", { vocabulary: ["a", "b", "a"] })).toThrow('tokenCorpusFromText: the given vocabulary repeats "a" (at 0 and 2); expected distinct words');
    expect(() => tokenCorpusFromText("a", { vocabulary: ["a"], unknownToken: "<unk>" })).toThrow('tokenCorpusFromText: unknownToken "<unk>" is not in the given vocabulary of 1 words');
    expect(() => tokenCorpusFromText("a", { unknownToken: "<unk>" })).toThrow('tokenCorpusFromText: unknownToken "<unk>" needs a fixed vocabulary; pass options.vocabulary');
    expect(() => tokenCorpusFromText("a", { order: "alphabetical" as never })).toThrow('tokenCorpusFromText: order must be "first-occurrence" or "frequency"; got "alphabetical"');
    expect(() => tokenCorpusFromText(42 as never, {}, "x.txt")).toThrow("x.txt: expected the corpus as a string or an iterable of lines; got 42");
  });

  it("tokenCorpusFromText grows past its initial buffer", () => {
    const text = "a b c d\n".repeat(20_000); // 100,000 ids
    const { ids } = tokenCorpusFromText(text);
    expect(ids.length).toBe(100_000);
    expect(Array.from(ids.subarray(99_995))).toEqual([0, 1, 2, 3, 4]);
  });
});
