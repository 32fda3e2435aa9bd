import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeNpy } from "../npy.js";
import { loadNpy } from "./load-npy.js";

describe("loadNpy", () => {
  it("loadNpy(path) reads a .npy file a test writes", () => {
    const dir = mkdtempSync(join(tmpdir(), "npy-"));
    writeFileSync(join(dir, "x.npy"), encodeNpy([2, 2, 3], Float32Array.from({ length: 12 }, (_, i) => i / 4)));
    const x = loadNpy(join(dir, "x.npy"));
    expect(x).toMatchObject({ dtype: "float32", shape: [2, 2, 3] });
    expect(x.data[11]).toBe(2.75);
  });

  it("loadNpy(missing or malformed file) names the path", () => {
    const dir = mkdtempSync(join(tmpdir(), "npy-"));
    expect(() => loadNpy(join(dir, "nope.npy"))).toThrow(`${join(dir, "nope.npy")}: file not found; expected a .npy file written by np.save`);
    writeFileSync(join(dir, "bad.npy"), "hello, world");
    expect(() => loadNpy(join(dir, "bad.npy"))).toThrow(`${join(dir, "bad.npy")}: not an NPY file: bad magic string [68 65 6c 6c 6f 2c]`);
    expect(() => loadNpy("")).toThrow('loadNpy: expected the path of a .npy file; got ""');
  });
});
