import { describe, expect, it } from "vitest";
import { parseGloveEmbeddings } from "./parse-glove-embeddings.js";

const GLOVE = ["the 0.5 -1 2", "cat 0.25 0.125 -3e-1", "zebra 9 9 9", "the 7 7 7", ""].join("\n");

describe("parseGloveEmbeddings", () => {
  it("parseGloveEmbeddings(text, vocabulary) fills the vocabulary's rows from the file (first line of a repeated word wins)", () => {
    const { embeddings, dimension, missing, missingWords } = parseGloveEmbeddings(GLOVE, ["cat", "the"], { dimension: 3, seed: 0 });
    expect(dimension).toBe(3);
    expect(missing).toBe(0);
    expect(missingWords).toEqual([]);
    expect(Array.from(embeddings)).toEqual([0.25, 0.125, Math.fround(-0.3), 0.5, -1, 2]);
  });

  it("parseGloveEmbeddings gives missing words seeded N(0, missingStd^2) rows, reports them, and the same seed gives the same row for the same index", () => {
    const vocab = ["the", "<unk>", "cat", "<eos>"];
    const a = parseGloveEmbeddings(GLOVE, vocab, { dimension: 3, seed: 7 });
    expect(a.missing).toBe(2);
    expect(a.missingWords).toEqual(["<unk>", "<eos>"]);
    expect(Array.from(a.embeddings.subarray(0, 3))).toEqual([0.5, -1, 2]);
    const unk = a.embeddings.subarray(3, 6);
    expect(unk.every((v) => v !== 0 && Math.abs(v) < 0.6)).toBe(true);
    expect(a.embeddings.subarray(9, 12)).not.toEqual(unk);
    // same seed: identical; a file that also has "cat" missing leaves row 1 unchanged
    expect(parseGloveEmbeddings(GLOVE, vocab, { dimension: 3, seed: 7 }).embeddings).toEqual(a.embeddings);
    const fewer = parseGloveEmbeddings("the 0.5 -1 2\n", vocab, { dimension: 3, seed: 7 });
    expect(fewer.missing).toBe(3);
    expect(fewer.embeddings.subarray(3, 6)).toEqual(unk);
    expect(parseGloveEmbeddings(GLOVE, vocab, { dimension: 3, seed: 8 }).embeddings.subarray(3, 6)).not.toEqual(unk);
    const scaled = parseGloveEmbeddings(GLOVE, vocab, { dimension: 3, seed: 7, missingStd: 1 });
    expect(scaled.embeddings[3]).toBeCloseTo((unk[0] as number) * 10, 5);
    expect(parseGloveEmbeddings(GLOVE, vocab, { dimension: 3, seed: 7, missingStd: 0 }).embeddings.subarray(3, 6)).toEqual(new Float32Array(3));
  });

  it("parseGloveEmbeddings: missing-word draws have about the requested standard deviation", () => {
    const vocab = Array.from({ length: 200 }, (_, i) => `w${i}`);
    const { embeddings } = parseGloveEmbeddings("", vocab, { dimension: 50, seed: 1, missingStd: 0.1 });
    const mean = embeddings.reduce((a, b) => a + b, 0) / embeddings.length;
    const std = Math.sqrt(embeddings.reduce((a, b) => a + (b - mean) ** 2, 0) / embeddings.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(std).toBeGreaterThan(0.095);
    expect(std).toBeLessThan(0.105);
  });

  it("parseGloveEmbeddings(line with the wrong number of values) names the line, the word and both counts", () => {
    const text = "the 0.5 -1 2\ncat 0.25 0.125\n";
    expect(() => parseGloveEmbeddings(text, ["the"], { dimension: 3, seed: 0 }, "glove.txt")).toThrow(
      'glove.txt: line 2 has 2 values after the word "cat"; expected 3 (dimension)',
    );
    expect(() => parseGloveEmbeddings("the 1 2 3 4\n", ["the"], { dimension: 3, seed: 0 }, "glove.txt")).toThrow(
      'glove.txt: line 1 has 4 values after the word "the"; expected 3 (dimension) (if the word itself contains spaces, pass allowSpacesInWords: true)',
    );
    expect(() => parseGloveEmbeddings("lonely\n", ["the"], { dimension: 3, seed: 0 }, "g")).toThrow('g: line 1 has 0 values after the word "lonely"; expected 3 (dimension)');
  });

  it("parseGloveEmbeddings(..., { allowSpacesInWords: true }) reads the leading fields as one word", () => {
    const { embeddings, missing } = parseGloveEmbeddings(". . . 1 2\nthe 3 4\n", [". . .", "the"], { dimension: 2, seed: 0, allowSpacesInWords: true });
    expect(missing).toBe(0);
    expect(Array.from(embeddings)).toEqual([1, 2, 3, 4]);
  });

  it("parseGloveEmbeddings(bad value) names the line, word and value; lines may come as an iterable with \\r endings", () => {
    expect(() => parseGloveEmbeddings("the 1 x 3\n", ["the"], { dimension: 3, seed: 0 }, "g.txt")).toThrow('g.txt: line 1 (word "the"): value 2 is "x"; expected a finite number');
    expect(() => parseGloveEmbeddings("the 1  3\n", ["the"], { dimension: 3, seed: 0 }, "g.txt")).toThrow('g.txt: line 1 (word "the"): value 2 is ""; expected a finite number');
    expect(Array.from(parseGloveEmbeddings(["the 1 2\r", "a 3 4\r"], ["a"], { dimension: 2, seed: 0 }).embeddings)).toEqual([3, 4]);
  });

  it("parseGloveEmbeddings requires a seed and a valid dimension, missingStd and distinct vocabulary", () => {
    expect(() => parseGloveEmbeddings(GLOVE, ["the"], { dimension: 3 } as never)).toThrow(
      "parseGloveEmbeddings: a seed is required for the vectors of missing words (randomness is explicit in dale-nn); got undefined",
    );
    expect(() => parseGloveEmbeddings(GLOVE, ["the"], { dimension: 0, seed: 0 })).toThrow("parseGloveEmbeddings: dimension must be an integer >= 1; got 0");
    expect(() => parseGloveEmbeddings(GLOVE, ["the"], { dimension: 3, seed: -1 })).toThrow("parseGloveEmbeddings: seed must be an integer >= 0; got -1");
    expect(() => parseGloveEmbeddings(GLOVE, ["the"], { dimension: 3, seed: 0, missingStd: -1 })).toThrow("parseGloveEmbeddings: missingStd must be a finite number >= 0; got -1");
    expect(() => parseGloveEmbeddings(GLOVE, ["the", "the"], { dimension: 3, seed: 0 })).toThrow('parseGloveEmbeddings: vocabulary repeats "the" (at 0 and 1); expected distinct words');
  });
});
