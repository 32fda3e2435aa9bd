import { describe, expect, it } from "vitest";
import { channelGroups } from "./channel-groups.js";
import { weightBlock } from "./weight-block.js";

describe("weightBlock", () => {
  it("weightBlock(W, from, to) cuts rows from.start…from.end − 1 and columns to.start…to.end − 1", () => {
    // W[i, o] = 10 i + o, 5 inputs (PN 3, IG 2) × 3 outputs (PN)
    const w = { data: Float64Array.from({ length: 15 }, (_, k) => 10 * Math.floor(k / 3) + (k % 3)), rows: 5, cols: 3 };
    const inputs = channelGroups({ PN: 3, IG: 2 });
    const outputs = channelGroups({ PN: 3 });
    expect(weightBlock(w, inputs.IG, outputs.PN)).toEqual({ data: Float64Array.of(30, 31, 32, 40, 41, 42), rows: 2, cols: 3 });
    expect(weightBlock(w, inputs.PN, { start: 1, end: 2, size: 1 })).toEqual({ data: Float64Array.of(1, 11, 21), rows: 3, cols: 1 });
  });

  it("weightBlock rejects a range outside the matrix, naming it", () => {
    const w = { data: new Float64Array(6), rows: 2, cols: 3 };
    expect(() => weightBlock(w, { start: 1, end: 3, size: 2 }, { start: 0, end: 3, size: 3 })).toThrow(
      'weightBlock: from must be a non-empty channel range inside the matrix\'s 2 rows (input channels); got {"start":1,"end":3,"size":2}',
    );
    expect(() => weightBlock({ data: [1], rows: 2, cols: 2 } as never, { start: 0, end: 1, size: 1 }, { start: 0, end: 1, size: 1 })).toThrow(
      "weightBlock: matrix must be { data, rows, cols } with rows * cols values",
    );
  });
});
