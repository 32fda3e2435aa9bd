import { describe, expect, it } from "vitest";
import { centralDifferences } from "./central-differences.js";
import { centralDifferencesInPlace } from "./central-differences-in-place.js";

describe("centralDifferencesInPlace", () => {
  it("centralDifferencesInPlace(values, loss) perturbs values in place, restores them, and equals centralDifferences", () => {
    const w = Float64Array.from([1.5, -0.25]);
    const v = Float64Array.from([2, 4]);
    const loss = () => Math.sin(w[0]!) * v[0]! + w[1]! ** 2 * v[1]!;
    const inPlace = centralDifferencesInPlace(w, loss);
    expect(w).toEqual(Float64Array.from([1.5, -0.25]));
    const copy = Float64Array.from(w);
    expect(inPlace).toEqual(centralDifferences((t) => { w.set(t); return loss(); }, copy));
  });

  it("centralDifferencesInPlace(values, loss, h) uses the step h", () => {
    const w = Float64Array.from([1]);
    expect(centralDifferencesInPlace(w, () => w[0]! ** 3, 0.1)[0]).toBeCloseTo(3 + 0.01, 12);
  });
});
