import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadGloveEmbeddings } from "./load-glove-embeddings.js";

describe("loadGloveEmbeddings", () => {
  it("loadGloveEmbeddings(path, vocabulary, { dimension, seed }) reads a tiny GloVe file and reports missing words", () => {
    const dir = mkdtempSync(join(tmpdir(), "glove-"));
    writeFileSync(join(dir, "glove.tiny.4d.txt"), "the 0.1 0.2 0.3 0.4\n, 1 2 3 4\ncat -1 -2 -3 -4\n");
    const glove = loadGloveEmbeddings(join(dir, "glove.tiny.4d.txt"), ["the", "<unk>", "cat", "<eos>"], { dimension: 4, seed: 3 });
    expect(glove).toMatchObject({ dimension: 4, missing: 2, missingWords: ["<unk>", "<eos>"] });
    expect(glove.embeddings.length).toBe(16);
    expect(Array.from(glove.embeddings.subarray(8, 12))).toEqual([-1, -2, -3, -4]);
    expect(glove.embeddings[0]).toBe(Math.fround(0.1));
  });

  it("loadGloveEmbeddings streams a file over 1 MiB: lines and multi-byte words that straddle read chunks are intact", () => {
    const dir = mkdtempSync(join(tmpdir(), "glove-"));
    const lines: string[] = [];
    for (let i = 0; i < 40_000; i++) lines.push(`wörd${i} ${i} ${-i} 0.5`); // ~1.1 MB, "ö" is 2 bytes
    writeFileSync(join(dir, "big.txt"), lines.join("\r\n") + "\r\n");
    const vocab = Array.from({ length: 40_000 }, (_, i) => `wörd${i}`);
    const glove = loadGloveEmbeddings(join(dir, "big.txt"), vocab, { dimension: 3, seed: 0 });
    expect(glove.missing).toBe(0);
    for (let i = 0; i < 40_000; i++) {
      if (glove.embeddings[3 * i] !== i || glove.embeddings[3 * i + 1] !== -i) throw new Error(`row ${i} wrong`);
    }
  });

  it("loadGloveEmbeddings(wrong line length) names the file and line; a missing file says GloVe must be supplied", () => {
    const dir = mkdtempSync(join(tmpdir(), "glove-"));
    writeFileSync(join(dir, "g.txt"), "the 1 2 3\nof 1 2 3\nand 1 2\n");
    expect(() => loadGloveEmbeddings(join(dir, "g.txt"), ["the"], { dimension: 3, seed: 0 })).toThrow(
      `${join(dir, "g.txt")}: line 3 has 2 values after the word "and"; expected 3 (dimension)`,
    );
    expect(() => loadGloveEmbeddings(join(dir, "none.txt"), ["the"], { dimension: 3, seed: 0 })).toThrow(
      `${join(dir, "none.txt")}: file not found; expected a GloVe text file ("word v1 ... vD" per line, e.g. glove.6B.300d.txt; GloVe cannot be downloaded here)`,
    );
  });
});
