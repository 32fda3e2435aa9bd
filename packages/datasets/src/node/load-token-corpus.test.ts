import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { languageModelBatches } from "../language-model-batches.js";
import { loadTokenCorpus } from "./load-token-corpus.js";

describe("loadTokenCorpus", () => {
  it("loadTokenCorpus(ptb.train.txt) reads a tiny PTB-format file; valid and test reuse its vocabulary", () => {
    const dir = mkdtempSync(join(tmpdir(), "ptb-"));
    writeFileSync(join(dir, "ptb.train.txt"), " no it was n't black monday \n but while the new york stock exchange did n't fall apart \n the <unk> fell N points \n");
    writeFileSync(join(dir, "ptb.valid.txt"), " the new <unk> did n't fall \n");
    const train = loadTokenCorpus(join(dir, "ptb.train.txt"));
    expect(train.vocabulary.slice(0, 7)).toEqual(["no", "it", "was", "n't", "black", "monday", "<eos>"]);
    expect(train.ids.length).toBe(6 + 11 + 5 + 3);
    expect(train.vocabulary[train.ids[train.ids.length - 1] as number]).toBe("<eos>");
    const valid = loadTokenCorpus(join(dir, "ptb.valid.txt"), { vocabulary: train.vocabulary });
    expect(valid.ids.length).toBe(7);
    expect(Array.from(valid.ids, (i) => valid.vocabulary[i])).toEqual(["the", "new", "<unk>", "did", "n't", "fall", "<eos>"]);
    const [first] = languageModelBatches(train.ids, { batchSize: 2, bptt: 3 });
    expect(Array.from(first!.inputs.subarray(0, 3), (i) => train.vocabulary[i])).toEqual(["no", "it", "was"]);
  });

  it("loadTokenCorpus(missing file) explains that Penn Treebank must be supplied; unknown words name the file and line", () => {
    const dir = mkdtempSync(join(tmpdir(), "ptb-"));
    expect(() => loadTokenCorpus(join(dir, "ptb.train.txt"))).toThrow(
      `${join(dir, "ptb.train.txt")}: file not found; expected a whitespace-tokenised text file with one sentence per line (e.g. ptb.train.txt; Penn Treebank cannot be downloaded here)`,
    );
    writeFileSync(join(dir, "ptb.test.txt"), "a b\nc\n");
    expect(() => loadTokenCorpus(join(dir, "ptb.test.txt"), { vocabulary: ["a", "b", "<eos>"] })).toThrow(
      `${join(dir, "ptb.test.txt")}: line 2: word "c" is not in the vocabulary (3 words)`,
    );
    expect(() => loadTokenCorpus(undefined as never)).toThrow("loadTokenCorpus: expected the path of a text corpus such as ptb.train.txt; got undefined");
  });
});
