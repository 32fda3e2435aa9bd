import { describe, expect, it } from "vitest";
import { spatialMeanKernel } from "./spatial-mean-kernel.js";

describe("spatialMeanKernel", () => {
  it("spatialMeanKernel(K [kh, kw, C_in, C_out]) averages |K| over the two spatial axes", () => {
    // K[h, w, i, o] = (−1)^(h+w) (h + w + 1) (i + 1) (o + 2)
    const [kh, kw, cin, cout] = [3, 3, 2, 2];
    const data = new Float64Array(kh * kw * cin * cout);
    for (let h = 0; h < kh; h++) for (let w = 0; w < kw; w++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
      data[((h * kw + w) * cin + i) * cout + o] = (-1) ** (h + w) * (h + w + 1) * (i + 1) * (o + 2);
    }
    const m = spatialMeanKernel({ data, shape: [kh, kw, cin, cout] });
    expect([m.rows, m.cols]).toEqual([2, 2]);
    // mean over h, w of (h + w + 1) = 27 / 9 = 3
    expect(Array.from(m.data)).toEqual([6, 9, 12, 18]);
  });

  it("spatialMeanKernel rejects a kernel that is not 4-D", () => {
    expect(() => spatialMeanKernel({ data: new Float32Array(4), shape: [2, 2] })).toThrow("spatialMeanKernel: kernel must be 4-D; got shape [2, 2]");
  });
});
