import { describe, expect, it } from "vitest";
import { silentChannels } from "./silent-channels.js";
import { PAPER_THRESHOLD } from "./thresholds.js";

describe("silentChannels", () => {
  it("silentChannels(responses) marks channels with max ≤ exp(−10) silent, exactly at the threshold included", () => {
    expect(PAPER_THRESHOLD).toBe(Math.exp(-10));
    const t = PAPER_THRESHOLD;
    const p = silentChannels([
      [0, t, 2 * t, -5, 1],
      [0, 0, 0, -1, 0],
    ]);
    expect(Array.from(p.responsive)).toEqual([2, 4]);
    expect(Array.from(p.silent)).toEqual([0, 1, 3]);
  });

  it("silentChannels(responses, { threshold }) uses the given threshold", () => {
    const p = silentChannels({ data: [0.1, 0.05, 0.2, 0.15], rows: 2, cols: 2 }, { threshold: 0.15 });
    expect(Array.from(p.responsive)).toEqual([0]);
    expect(Array.from(p.silent)).toEqual([1]);
  });

  it("silentChannels rejects bad responses and thresholds, naming them", () => {
    expect(() => silentChannels({ data: [1, 2, 3], rows: 2, cols: 2 })).toThrow("silentChannels: responses data length must be rows * cols = 2 * 2 = 4; got 3");
    expect(() => silentChannels([[1, 2], [3]])).toThrow("silentChannels: responses row 1 has length 1; expected 2 channels like row 0");
    expect(() => silentChannels([[1]], { threshold: Number.NaN })).toThrow("silentChannels: threshold must be a finite number >= 0; got NaN");
    expect(() => silentChannels("x" as never)).toThrow("silentChannels: responses must be { data, rows, cols }, number[][] or a 2-D tensor [stimuli, channels]; got \"x\"");
  });
});
