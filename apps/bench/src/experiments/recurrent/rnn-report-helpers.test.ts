import { describe, expect, it } from "vitest";
import { errorAtUpdate, LI_READOUT_UPDATE } from "./rnn-report-helpers.js";

describe("errorAtUpdate", () => {
  const evalCurve = [200, 46_600, 46_800, 47_000].map((update, i) => ({ update, error: 0.1 - 0.01 * i }));
  it("reads the test error at exactly that update (Li et al.'s read-out: update 46,800)", () => {
    expect(LI_READOUT_UPDATE).toBe(467 * 100 + 100);
    expect(errorAtUpdate({ evalCurve }, LI_READOUT_UPDATE)).toBeCloseTo(0.08, 12);
  });
  it("is null without a point at that update, for a run that diverged before it, and for a non-finite error", () => {
    expect(errorAtUpdate({ evalCurve }, 46_700)).toBeNull();
    expect(errorAtUpdate({ evalCurve, diverged: { update: 40_000 } }, LI_READOUT_UPDATE)).toBeNull();
    expect(errorAtUpdate({ evalCurve, diverged: { update: 50_000 } }, LI_READOUT_UPDATE)).toBeCloseTo(0.08, 12);
    expect(errorAtUpdate({ evalCurve: [{ update: LI_READOUT_UPDATE, error: Number.NaN }] }, LI_READOUT_UPDATE)).toBeNull();
  });
});
