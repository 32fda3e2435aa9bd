import { describe, expect, it } from "vitest";
import { gratingSet } from "./grating-set.js";

const DEG = Math.PI / 180;

function pixel(g: ReturnType<typeof gratingSet>, n: number, y: number, x: number, c = 0): number {
  const [, h, w, ch] = g.shape;
  return g.images[((n * h + y) * w + x) * ch + c]!;
}

describe("gratingSet", () => {
  it("gratingSet() has 432 NHWC float32 images of 32 × 32 × 3: 18 orientations × 6 frequencies × 4 phases", () => {
    const g = gratingSet();
    expect(g.count).toBe(432);
    expect(g.shape).toEqual([432, 32, 32, 3]);
    expect(g.images).toBeInstanceOf(Float32Array);
    expect(g.images.length).toBe(432 * 32 * 32 * 3);
    expect(Array.from(g.orientations, (t) => Math.round(t / DEG))).toEqual(Array.from({ length: 18 }, (_, o) => 10 * o));
    expect(Array.from(g.frequencies)).toEqual([1, 2, 3, 4, 6, 8]);
    expect(Array.from(g.phases, (p) => Math.round(p / DEG))).toEqual([0, 90, 180, 270]);
    expect(g.centre).toEqual([16, 16]);
  });

  it("gratingSet() orders image n = (o · 6 + f) · 4 + p and gives θ, k, φ per image", () => {
    const g = gratingSet();
    const seen = new Set<string>();
    for (let o = 0; o < 18; o++) {
      for (let f = 0; f < 6; f++) {
        for (let p = 0; p < 4; p++) {
          const n = (o * 6 + f) * 4 + p;
          expect([g.orientationIndex[n], g.frequencyIndex[n], g.phaseIndex[n]]).toEqual([o, f, p]);
          expect(g.theta[n]).toBeCloseTo(o * 10 * DEG, 14);
          expect(g.cycles[n]).toBe([1, 2, 3, 4, 6, 8][f]);
          expect(g.k[n]).toBeCloseTo((2 * Math.PI * [1, 2, 3, 4, 6, 8][f]!) / 32, 14);
          expect(g.phi[n]).toBeCloseTo(p * 90 * DEG, 14);
          seen.add(`${g.theta[n]}/${g.k[n]}/${g.phi[n]}`);
        }
      }
    }
    expect(seen.size).toBe(432);
  });

  it("gratingSet({ standardize: false }) equals cos{k[−(x − x₀) sin θ + (y − y₀) cos θ] + φ} at sampled pixels, the same in every channel", () => {
    const g = gratingSet({ standardize: false });
    const samples: Array<[number, number, number]> = [
      [0, 0, 0],
      [37, 5, 29],
      [101, 16, 16],
      [250, 31, 0],
      [431, 13, 7],
      [200, 0, 31],
    ];
    for (const [n, y, x] of samples) {
      const th = g.theta[n]!;
      const expected = Math.cos(g.k[n]! * (-(x - 16) * Math.sin(th) + (y - 16) * Math.cos(th)) + g.phi[n]!);
      for (let c = 0; c < 3; c++) expect(pixel(g, n, y, x, c)).toBeCloseTo(expected, 6);
    }
    // At the centre the value is cos φ for every orientation and frequency.
    for (let n = 0; n < 432; n++) expect(pixel(g, n, 16, 16)).toBeCloseTo(Math.cos(g.phi[n]!), 6);
  });

  it("gratingSet() standardises each image to mean 0 and std 1 over all pixels and channels, (x − mean) / std of the raw image", () => {
    const g = gratingSet();
    const raw = gratingSet({ standardize: false });
    const features = 32 * 32 * 3;
    for (let n = 0; n < 432; n++) {
      let s = 0;
      let ss = 0;
      for (let i = 0; i < features; i++) s += g.images[n * features + i]!;
      const mean = s / features;
      for (let i = 0; i < features; i++) ss += (g.images[n * features + i]! - mean) ** 2;
      expect(Math.abs(mean)).toBeLessThan(1e-6);
      expect(Math.sqrt(ss / features)).toBeCloseTo(1, 5);
    }
    const n = 77;
    let s = 0;
    let ss = 0;
    for (let i = 0; i < features; i++) s += raw.images[n * features + i]!;
    const mean = s / features;
    for (let i = 0; i < features; i++) ss += (raw.images[n * features + i]! - mean) ** 2;
    const std = Math.sqrt(ss / features);
    for (const i of [0, 500, 1234, 3071]) expect(g.images[n * features + i]!).toBeCloseTo((raw.images[n * features + i]! - mean) / std, 5);
  });

  it("gratingSet({ height, width, channels, orientations, frequencies, phases, centre }) follows the options, k = 2π f / min(height, width)", () => {
    const g = gratingSet({ height: 16, width: 24, channels: 1, orientations: 4, frequencies: [2, 5], phases: 2, centre: [3, 4], standardize: false });
    expect(g.shape).toEqual([16, 16, 24, 1]);
    expect(g.count).toBe(16);
    expect(Array.from(g.orientations)).toEqual([0, Math.PI / 4, Math.PI / 2, (3 * Math.PI) / 4]);
    expect(Array.from(g.phases)).toEqual([0, Math.PI]);
    const n = (2 * 2 + 1) * 2 + 1; // θ = 90°, f = 5, φ = π
    expect(g.k[n]).toBeCloseTo((2 * Math.PI * 5) / 16, 14);
    const expected = Math.cos(((2 * Math.PI * 5) / 16) * (-(10 - 3) * 1 + (7 - 4) * Math.cos(Math.PI / 2)) + Math.PI);
    expect(g.images[(n * 16 + 7) * 24 + 10]!).toBeCloseTo(expected, 6);
  });

  it("gratingSet rejects a non-positive or non-finite frequency, bad sizes and counts, naming the value", () => {
    expect(() => gratingSet({ frequencies: [1, 0] })).toThrow("gratingSet: frequencies[1] must be a finite number of cycles per image > 0; got 0");
    expect(() => gratingSet({ frequencies: [-2] })).toThrow("got -2");
    expect(() => gratingSet({ frequencies: [Number.NaN] })).toThrow("got NaN");
    expect(() => gratingSet({ frequencies: [] })).toThrow("gratingSet: frequencies must be a non-empty array of cycles per image; got []");
    expect(() => gratingSet({ height: 0 })).toThrow("gratingSet: height must be an integer >= 1; got 0");
    expect(() => gratingSet({ width: 2.5 })).toThrow("gratingSet: width must be an integer >= 1; got 2.5");
    expect(() => gratingSet({ channels: -3 })).toThrow("gratingSet: channels must be an integer >= 1; got -3");
    expect(() => gratingSet({ orientations: 0 })).toThrow("gratingSet: orientations must be an integer >= 1; got 0");
    expect(() => gratingSet({ phases: 1.5 })).toThrow("gratingSet: phases must be an integer >= 1; got 1.5");
    expect(() => gratingSet({ centre: [1, Number.POSITIVE_INFINITY] })).toThrow("gratingSet: centre[1] (y0) must be a finite number; got Infinity");
  });
});
