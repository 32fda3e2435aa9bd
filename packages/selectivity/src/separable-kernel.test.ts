import { describe, expect, it } from "vitest";
import { rebuildSeparableKernel } from "./separable-kernel.js";

describe("rebuildSeparableKernel", () => {
  it("rebuildSeparableKernel(D [3, 3, C_in, 1], P [1, 1, C_in, C_out]) is |D[h, w, i]| · |P[i, o]|", () => {
    const cin = 2;
    const cout = 3;
    const d = Float32Array.from({ length: 9 * cin }, (_, k) => (k % 2 === 0 ? -1 : 1) * (k + 1) / 8);
    const p = Float32Array.from({ length: cin * cout }, (_, k) => (k - 2.5) / 2);
    const k = rebuildSeparableKernel({ data: d, shape: [3, 3, cin, 1] }, { data: p, shape: [1, 1, cin, cout] });
    expect(k.shape).toEqual([3, 3, cin, cout]);
    for (let s = 0; s < 9; s++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
      expect(k.data[(s * cin + i) * cout + o]).toBe(Math.abs(d[s * cin + i]!) * Math.abs(p[i * cout + o]!));
    }
    const same = rebuildSeparableKernel({ data: d, shape: [3, 3, cin] }, { data: p, shape: [cin, cout] });
    expect(Array.from(same.data)).toEqual(Array.from(k.data));
  });

  it("rebuildSeparableKernel with channel multiplier m sums Σ_q |D[h, w, i, q]| · |P[i·m + q, o]|", () => {
    const d = Float64Array.of(1, 2, -3, 4); // [1, 1, 2, 2]: i = 0: q = 0, 1 -> 1, 2; i = 1: -> -3, 4
    const p = Float64Array.of(1, 0, 0, 1, 2, 0, 0, -3); // [4, 2]
    const k = rebuildSeparableKernel({ data: d, shape: [1, 1, 2, 2] }, { data: p, shape: [1, 1, 4, 2] });
    expect(k.shape).toEqual([1, 1, 2, 2]);
    // i = 0: o = 0: 1·1 + 2·0 = 1; o = 1: 1·0 + 2·1 = 2. i = 1: o = 0: 3·2 + 4·0 = 6; o = 1: 3·0 + 4·3 = 12.
    expect(Array.from(k.data)).toEqual([1, 2, 6, 12]);
  });

  it("rebuildSeparableKernel reads tensor-likes", () => {
    const dw = { shape: [1, 1, 1, 1], dataSync: () => Float32Array.of(-2) };
    const pw = { shape: [1, 1, 1, 2], dataSync: () => Float32Array.of(3, -0.5) };
    expect(Array.from(rebuildSeparableKernel(dw, pw).data)).toEqual([6, 1]);
  });

  it("rebuildSeparableKernel rejects factors that do not fit together, naming both shapes", () => {
    expect(() => rebuildSeparableKernel({ data: new Float32Array(18), shape: [3, 3, 2, 1] }, { data: new Float32Array(9), shape: [1, 1, 3, 3] })).toThrow(
      "rebuildSeparableKernel: pointwise has 3 input channels; depthwise [3, 3, 2, 1] gives C_in · m = 2 · 1 = 2",
    );
    expect(() => rebuildSeparableKernel({ data: new Float32Array(18), shape: [3, 3, 2, 1] }, { data: new Float32Array(12), shape: [2, 1, 2, 3] })).toThrow(
      "rebuildSeparableKernel: pointwise must be [1, 1, C_in·m, C_out]; got shape [2, 1, 2, 3]",
    );
    expect(() => rebuildSeparableKernel({ data: new Float32Array(9), shape: [3, 3] }, { data: new Float32Array(1), shape: [1, 1] })).toThrow(
      "rebuildSeparableKernel: depthwise must be 3-D or 4-D; got shape [3, 3]",
    );
    expect(() => rebuildSeparableKernel({ data: [1, Number.NaN], shape: [1, 1, 2] }, { data: [1, 1], shape: [2, 1] })).toThrow(
      "rebuildSeparableKernel: depthwise has a non-finite entry NaN at flat index 1",
    );
  });
});
