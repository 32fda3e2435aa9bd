import { describe, expect, it } from "vitest";
import { toResponseMatrix } from "./response-matrix.js";

describe("toResponseMatrix", () => {
  it("toResponseMatrix reads { data, rows, cols }, number[][] and 2-D tensor-likes into float64 copies", () => {
    const a = toResponseMatrix({ data: Float32Array.of(1, 2, 3, 4, 5, 6), rows: 2, cols: 3 });
    expect(a).toEqual({ data: Float64Array.of(1, 2, 3, 4, 5, 6), rows: 2, cols: 3 });
    expect(toResponseMatrix([[1, 2, 3], [4, 5, 6]])).toEqual(a);
    const tensorLike = { shape: [2, 3], dtype: "float32", dataSync: () => Float32Array.of(1, 2, 3, 4, 5, 6) };
    expect(toResponseMatrix(tensorLike)).toEqual(a);
    const src = [1, 2];
    const copy = toResponseMatrix({ data: src, rows: 1, cols: 2 });
    copy.data[0] = 9;
    expect(src[0]).toBe(1);
  });

  it("toResponseMatrix rejects tensors that are not 2-D, empty input and bad sizes", () => {
    expect(() => toResponseMatrix({ shape: [4], dataSync: () => new Float32Array(4) })).toThrow("toResponseMatrix: a responses tensor must be 2-D [stimuli, channels]; got shape [4]");
    expect(() => toResponseMatrix([])).toThrow("toResponseMatrix: responses as number[][] need at least one row");
    expect(() => toResponseMatrix({ data: [], rows: 0, cols: 2 })).toThrow("rows (stimuli) and cols (channels) that are integers >= 1; got rows 0, cols 2");
  });
});
