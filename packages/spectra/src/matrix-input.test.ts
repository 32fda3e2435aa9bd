import { describe, expect, it } from "vitest";
import { toDenseMatrix } from "./matrix-input.js";
import { singularValues } from "./singular-values.js";

describe("toDenseMatrix", () => {
  it("toDenseMatrix({ data, rows, cols }) copies Float64Array, Float32Array and number[] data into float64", () => {
    const expected = Float64Array.from([1, 2, 3, 4, 5, 6]);
    for (const data of [Float64Array.from(expected), Float32Array.from(expected), Array.from(expected)]) {
      const m = toDenseMatrix({ data, rows: 2, cols: 3 });
      expect(m.rows).toBe(2);
      expect(m.cols).toBe(3);
      expect(m.data).toBeInstanceOf(Float64Array);
      expect(Array.from(m.data)).toEqual(Array.from(expected));
      expect(m.data).not.toBe(data);
    }
  });

  it("toDenseMatrix(number[][]) reads rows in order, and typed-array rows too", () => {
    expect(Array.from(toDenseMatrix([[1, 2], [3, 4], [5, 6]]).data)).toEqual([1, 2, 3, 4, 5, 6]);
    const m = toDenseMatrix([Float32Array.from([1, 2]), Float32Array.from([3, 4])]);
    expect([m.rows, m.cols, ...m.data]).toEqual([2, 2, 1, 2, 3, 4]);
  });

  it("toDenseMatrix(Float32Array data) keeps the float32 values exactly", () => {
    const m = toDenseMatrix({ data: Float32Array.from([0.1]), rows: 1, cols: 1 });
    expect(m.data[0]).toBe(Math.fround(0.1));
  });

  it("singularValues(m) names a NaN / Infinity entry with its zero-based (row, column)", () => {
    const data = new Float64Array(3 * 6).fill(1);
    data[2 * 6 + 5] = Number.NaN;
    expect(() => singularValues({ data, rows: 3, cols: 6 })).toThrow(
      "singularValues: matrix has a non-finite entry NaN at (2, 5)",
    );
    expect(() => singularValues([[1, 2], [Infinity, 4]])).toThrow(
      "singularValues: matrix has a non-finite entry Infinity at (1, 0)",
    );
    expect(() => singularValues([[1, -Infinity]])).toThrow(/non-finite entry -Infinity at \(0, 1\)/);
  });

  it("singularValues(m) rejects an empty matrix, a wrong data length and ragged rows", () => {
    expect(() => singularValues({ data: [], rows: 0, cols: 3 })).toThrow("singularValues: matrix must be non-empty; got 0 x 3");
    expect(() => singularValues([])).toThrow("singularValues: matrix must be non-empty; got 0 x 0");
    expect(() => singularValues([[]])).toThrow("singularValues: matrix must be non-empty; got 1 x 0");
    expect(() => singularValues({ data: new Float64Array(10), rows: 3, cols: 4 })).toThrow(
      "singularValues: data length must be rows * cols = 3 * 4 = 12; got 10",
    );
    expect(() => singularValues([[1, 2], [3]])).toThrow(
      "singularValues: row 1 has length 1; expected an array of length 2",
    );
    expect(() => singularValues({ data: [1, 2], rows: 1.5, cols: 2 })).toThrow(
      "singularValues: rows and cols must be non-negative integers; got rows 1.5, cols 2",
    );
  });

  it("singularValues(m) rejects non-numeric entries and inputs that are not matrices", () => {
    expect(() => singularValues([[1, "2" as unknown as number]])).toThrow(
      'singularValues: matrix has a non-numeric entry "2" at (0, 1)',
    );
    expect(() => singularValues([1, 2, 3] as unknown as number[][])).toThrow(
      "singularValues: a nested-array matrix must be an array of rows (number[][]); row 0 is 1",
    );
    expect(() => singularValues({ rows: 2, cols: 2 } as never)).toThrow(
      'singularValues: expected a matrix as { data, rows, cols }, number[][] or a 2-D tensor; got {"rows":2,"cols":2}',
    );
    expect(() => singularValues(null as never)).toThrow(/got null/);
  });

  it("toDenseMatrix(m) does not modify its input", () => {
    const data = [3, 1, 4, 1];
    toDenseMatrix({ data, rows: 2, cols: 2 }).data[0] = 99;
    expect(data).toEqual([3, 1, 4, 1]);
  });
});
