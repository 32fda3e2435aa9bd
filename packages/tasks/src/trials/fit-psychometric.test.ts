import { createRandomSource, type RandomSource } from "@dale-nn/ei-init";
import { describe, expect, it } from "vitest";
import { fitPsychometric } from "./fit-psychometric.js";
import { normalCdf } from "./internal/normal-cdf.js";

interface Truth {
  mu: number;
  sigma: number;
  guess?: number;
  lapse?: number;
}

const pOf = (t: Truth, x: number): number => (t.guess ?? 0) + (1 - (t.guess ?? 0) - (t.lapse ?? 0)) * normalCdf((x - t.mu) / t.sigma);

/** Binomial draws, k ~ Bin(n, P(x)), from a seeded stream. */
function draw(rng: RandomSource, t: Truth, xs: readonly number[], n: number): Array<{ x: number; trials: number; chosen: number }> {
  return xs.map((x) => {
    const p = pOf(t, x);
    let k = 0;
    for (let i = 0; i < n; i++) if (rng.uniform() < p) k++;
    return { x, trials: n, chosen: k };
  });
}

/** ℓ written out independently of the fitter. */
function logLik(levels: ReturnType<typeof draw>, t: Truth): number {
  return levels.reduce((s, { x, trials, chosen }) => {
    const p = pOf(t, x);
    return s + chosen * Math.log(p) + (trials - chosen) * Math.log(1 - p);
  }, 0);
}

const COHERENCES = [-51.2, -25.6, -12.8, -6.4, 0, 6.4, 12.8, 25.6, 51.2];

describe("fitPsychometric", () => {
  it("fitPsychometric(levels) recovers μ = 3, σ = 12 from seeded binomial data within 3 standard errors, at the maximum of ℓ", () => {
    const truth = { mu: 3, sigma: 12 };
    const levels = draw(createRandomSource(11), truth, COHERENCES, 300);
    const fit = fitPsychometric(levels);
    expect(fit.separated).toBe(false);
    expect(Math.abs(fit.mu - truth.mu)).toBeLessThan(3 * fit.standardErrors!.mu);
    expect(Math.abs(fit.sigma - truth.sigma)).toBeLessThan(3 * fit.standardErrors!.sigma);
    expect(fit.slope).toBeCloseTo(1 / fit.sigma, 15);
    expect(fit.slopeAtMu).toBeCloseTo(1 / (fit.sigma * Math.sqrt(2 * Math.PI)), 15);
    expect([fit.guessRate, fit.lapseRate, fit.trials, fit.levels]).toEqual([0, 0, 2700, 9]);
    // ℓ as reported, and no neighbour of the estimate does better.
    const at = { mu: fit.mu, sigma: fit.sigma };
    expect(fit.logLikelihood).toBeCloseTo(logLik(levels, at), 9);
    for (const [dm, ds] of [[1e-3, 0], [-1e-3, 0], [0, 1e-3], [0, -1e-3], [1e-3, 1e-3], [-1e-3, 1e-3]] as const) {
      expect(logLik(levels, { mu: fit.mu + dm, sigma: fit.sigma + ds })).toBeLessThan(fit.logLikelihood);
    }
    // Deviance ≈ χ²(9 − 2): well under its 99.9 % point (24.3) for data drawn from the model.
    expect(fit.deviance).toBeGreaterThan(0);
    expect(fit.deviance).toBeLessThan(24.3);
  });

  it("fitPsychometric's standard errors are calibrated: over 200 seeded data sets (μ̂ − μ)/SE has mean ≈ 0 and std ≈ 1", () => {
    const truth = { mu: -1, sigma: 2 };
    const rng = createRandomSource(5);
    const zMu: number[] = [];
    const zSigma: number[] = [];
    for (let r = 0; r < 200; r++) {
      const fit = fitPsychometric(draw(rng, truth, [-4, -2, -1, 0, 1, 2, 4], 60));
      zMu.push((fit.mu - truth.mu) / fit.standardErrors!.mu);
      zSigma.push((fit.sigma - truth.sigma) / fit.standardErrors!.sigma);
    }
    for (const z of [zMu, zSigma]) {
      const mean = z.reduce((a, b) => a + b, 0) / z.length;
      const std = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1));
      expect(Math.abs(mean)).toBeLessThan(0.25);
      expect(std).toBeGreaterThan(0.8);
      expect(std).toBeLessThan(1.25);
    }
  });

  it("fitPsychometric(levels, { guessRate: 'fit', lapseRate: 'fit' }) recovers γ = 0.05, λ = 0.1, μ = 0.5, σ = 1", () => {
    const truth = { mu: 0.5, sigma: 1, guess: 0.05, lapse: 0.1 };
    const xs = Array.from({ length: 17 }, (_, i) => -4 + i * 0.5);
    const levels = draw(createRandomSource(23), truth, xs, 1000);
    const fit = fitPsychometric(levels, { guessRate: "fit", lapseRate: "fit" });
    expect(Math.abs(fit.guessRate - 0.05)).toBeLessThan(0.015);
    expect(Math.abs(fit.lapseRate - 0.1)).toBeLessThan(0.015);
    expect(Math.abs(fit.mu - 0.5)).toBeLessThan(0.08);
    expect(Math.abs(fit.sigma - 1)).toBeLessThan(0.1);
    expect(fit.slopeAtMu).toBeCloseTo((1 - fit.guessRate - fit.lapseRate) / (fit.sigma * Math.sqrt(2 * Math.PI)), 12);
    // The fitted lapses beat the lapse-free fit and the truth's likelihood.
    expect(fit.logLikelihood).toBeGreaterThan(fitPsychometric(levels).logLikelihood);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(logLik(levels, truth) - 1e-9);
    // Held at the true lapse rates, μ and σ are within 3 standard errors.
    const held = fitPsychometric(levels, { guessRate: 0.05, lapseRate: 0.1 });
    expect(Math.abs(held.mu - 0.5)).toBeLessThan(3 * held.standardErrors!.mu);
    expect(Math.abs(held.sigma - 1)).toBeLessThan(3 * held.standardErrors!.sigma);
  });

  it("fitPsychometric puts a fitted lapse rate exactly on 0 when the data have none, and stays within maxLapse", () => {
    const levels = draw(createRandomSource(2), { mu: 0, sigma: 1 }, [-3, -2, -1, 0, 1, 2, 3], 400);
    const fit = fitPsychometric(levels, { lapseRate: "fit", maxLapse: 0.1 });
    expect(fit.lapseRate).toBeGreaterThanOrEqual(0);
    expect(fit.lapseRate).toBeLessThan(0.01);
    expect(fit.guessRate).toBe(0);
  });

  it("fitPsychometric of a decreasing curve gives σ < 0; mirroring x gives −μ and −σ", () => {
    const levels = draw(createRandomSource(3), { mu: 2, sigma: -5 }, [-20, -10, -5, 0, 5, 10, 20], 200);
    const fit = fitPsychometric(levels);
    expect(fit.sigma).toBeLessThan(0);
    expect(fit.slope).toBeLessThan(0);
    const mirrored = fitPsychometric(levels.map((l) => ({ ...l, x: -l.x })));
    expect(mirrored.mu).toBeCloseTo(-fit.mu, 9);
    expect(mirrored.sigma).toBeCloseTo(-fit.sigma, 9);
  });

  it("fitPsychometric merges levels with equal x: the same fit as the pooled counts", () => {
    const a = fitPsychometric([{ x: -1, trials: 10, chosen: 2 }, { x: 0, trials: 5, chosen: 2 }, { x: 0, trials: 5, chosen: 3 }, { x: 1, trials: 10, chosen: 8 }]);
    const b = fitPsychometric([{ x: -1, trials: 10, chosen: 2 }, { x: 0, trials: 10, chosen: 5 }, { x: 1, trials: 10, chosen: 8 }]);
    expect(a).toEqual(b);
    expect(a.levels).toBe(3);
  });

  it("fitPsychometric of separated data returns σ = 0, slope ±Infinity, separated and μ at the threshold", () => {
    const gap = fitPsychometric([{ x: -2, trials: 5, chosen: 0 }, { x: -1, trials: 5, chosen: 0 }, { x: 3, trials: 5, chosen: 5 }]);
    expect(gap).toMatchObject({ mu: 1, sigma: 0, slope: Infinity, separated: true, standardErrors: null, logLikelihood: 0, deviance: 0 });
    const quasi = fitPsychometric([{ x: -1, trials: 4, chosen: 0 }, { x: 0, trials: 4, chosen: 1 }, { x: 1, trials: 4, chosen: 4 }]);
    expect(quasi).toMatchObject({ mu: 0, sigma: 0, separated: true });
    expect(quasi.logLikelihood).toBeCloseTo(Math.log(0.25) + 3 * Math.log(0.75), 12);
    expect(fitPsychometric([{ x: -1, trials: 4, chosen: 4 }, { x: 1, trials: 4, chosen: 0 }])).toMatchObject({ mu: 0, slope: -Infinity, separated: true });
    // With fixed lapse rates the limit keeps P within [γ, 1 − λ].
    const lapsed = fitPsychometric([{ x: -1, trials: 10, chosen: 0 }, { x: 1, trials: 10, chosen: 10 }], { guessRate: 0.1, lapseRate: 0.2 });
    expect(lapsed.logLikelihood).toBeCloseTo(10 * Math.log(0.9) + 10 * Math.log(0.8), 12);
  });

  it("fitPsychometric refuses one stimulus level and data with a single choice, naming the counts", () => {
    expect(() => fitPsychometric([{ x: 5, trials: 10, chosen: 4 }])).toThrow("fitPsychometric: got 1 stimulus level (x = 5); expected at least 2 distinct levels to fit μ and σ");
    expect(() => fitPsychometric([{ x: -1, trials: 20, chosen: 20 }, { x: 1, trials: 20, chosen: 20 }])).toThrow(
      "fitPsychometric: all 40 trials made the counted choice; the curve has no threshold within the data (μ → −∞), so μ and σ cannot be fitted",
    );
    expect(() => fitPsychometric([{ x: -1, trials: 20, chosen: 0 }, { x: 1, trials: 20, chosen: 0 }])).toThrow(/all 40 trials made the other choice; .*μ → \+∞/);
  });

  it("fitPsychometric refuses bad levels and options with one line naming the value", () => {
    const ok = [{ x: -1, trials: 10, chosen: 3 }, { x: 1, trials: 10, chosen: 7 }];
    expect(() => fitPsychometric([])).toThrow("fitPsychometric: levels must be a non-empty array of { x, trials, chosen }; got []");
    expect(() => fitPsychometric([ok[0]!, { x: Number.NaN, trials: 10, chosen: 7 }])).toThrow("fitPsychometric: levels[1].x must be a finite number; got NaN");
    expect(() => fitPsychometric([ok[0]!, { x: 1, trials: 0, chosen: 0 }])).toThrow("fitPsychometric: levels[1].trials must be an integer >= 1; got 0");
    expect(() => fitPsychometric([ok[0]!, { x: 1, trials: 10, chosen: 11 }])).toThrow("fitPsychometric: levels[1].chosen must be an integer in [0, trials = 10]; got 11");
    expect(() => fitPsychometric([ok[0]!, { x: 1, trials: 10, chosen: 2.5 }])).toThrow("fitPsychometric: levels[1].chosen must be an integer in [0, trials = 10]; got 2.5");
    expect(() => fitPsychometric(ok, { guessRate: 1 })).toThrow('fitPsychometric: guessRate must be a number in [0, 1) or "fit"; got 1');
    expect(() => fitPsychometric(ok, { lapseRate: Number.NaN })).toThrow('fitPsychometric: lapseRate must be a number in [0, 1) or "fit"; got NaN');
    expect(() => fitPsychometric(ok, { guessRate: 0.6, lapseRate: 0.5 })).toThrow("fitPsychometric: guessRate + lapseRate must be < 1; got 0.6 + 0.5");
    expect(() => fitPsychometric(ok, { lapseRate: "fit", maxLapse: 0.5 })).toThrow("fitPsychometric: maxLapse must be a number in (0, 0.5); got 0.5");
  });
});
