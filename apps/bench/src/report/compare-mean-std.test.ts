import { describe, expect, it } from "vitest";
import { compareMeanStd } from "./compare-mean-std.js";

describe("compareMeanStd", () => {
  it("gives Welch's t, its degrees of freedom and p, and the F test, as an independent 30-digit computation does", () => {
    // mpmath (mp.dps = 30): p = 2 ∫_|t|^∞ of the Student t density on ν degrees of freedom (quadrature);
    // F-test p = 2 min(I, 1 − I), I the regularised incomplete beta I_{d₁F/(d₁F+d₂)}(d₁/2, d₂/2).
    const c = compareMeanStd({ mean: 1.437, std: 0.065, n: 6 }, { mean: 1.325, std: 0.066, n: 6 })!;
    expect(c.difference).toBeCloseTo(0.112, 12);
    expect(c.welchT).toBeCloseTo(2.9615884, 6);
    expect(c.welchDf).toBeCloseTo(9.99766995, 6);
    expect(c.meanP).toBeCloseTo(0.014252776, 7);
    expect(c.stdRatio).toBeCloseTo(0.065 / 0.066, 12);
    expect(c.spreadP).toBeCloseTo(0.97408617, 6);
    expect(c.differenceCi95).toBeCloseTo(0.0842654, 6); // scipy: t.ppf(0.975, ν) √(s₁²/n₁ + s₂²/n₂)
    const fashion = compareMeanStd({ mean: 10.85, std: 0.42, n: 6 }, { mean: 10.626, std: 0.466, n: 6 })!;
    expect(fashion.meanP).toBeCloseTo(0.40251155, 6);
    expect(fashion.spreadP).toBeCloseTo(0.82513511, 6);
  });

  it("a spread three times the paper's is flagged by the F test, equal means are not flagged by Welch's", () => {
    // Table 1's MLP: ours 1.463 ± 0.098 against 1.44 ± 0.034 over 6 seeds each.
    const c = compareMeanStd({ mean: 1.463, std: 0.098, n: 6 }, { mean: 1.44, std: 0.034, n: 6 })!;
    expect(c.meanP).toBeCloseTo(0.60604726, 6); // mpmath, as above
    expect(c.spreadP).toBeCloseTo(0.036473632, 6);
    expect(c.welchT).toBeGreaterThan(0);
  });

  it("is symmetric in sign and returns null without two finite, spread samples", () => {
    const a = { mean: 2, std: 0.5, n: 5 };
    const b = { mean: 3, std: 0.4, n: 7 };
    expect(compareMeanStd(a, b)!.welchT).toBeCloseTo(-compareMeanStd(b, a)!.welchT, 12);
    expect(compareMeanStd(a, b)!.meanP).toBeCloseTo(compareMeanStd(b, a)!.meanP, 12);
    expect(compareMeanStd({ mean: 2, std: Number.NaN, n: 1 }, b)).toBeNull();
    expect(compareMeanStd(a, { mean: 3, std: 0, n: 6 })).toBeNull();
  });
});
