import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  return {
    ...fs,
    writeFileSync: (path: string, data: string) => {
      if (String(data).includes("FULL")) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      return fs.writeFileSync(path, data);
    },
  };
});

const { writeFileAtomic } = await import("./write-file-atomic.js");

describe("writeFileAtomic", () => {
  it("writeFileAtomic(path, text) replaces the file and leaves no temporary file", () => {
    const dir = mkdtempSync(join(tmpdir(), "atomic-"));
    writeFileAtomic(join(dir, "a.txt"), "one");
    writeFileAtomic(join(dir, "a.txt"), "two");
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("two");
    expect(readdirSync(dir)).toEqual(["a.txt"]);
  });

  it("a full disk is a one-line UserError naming the file, and the old file stays whole", () => {
    const dir = mkdtempSync(join(tmpdir(), "atomic-"));
    writeFileAtomic(join(dir, "a.txt"), "good");
    expect(() => writeFileAtomic(join(dir, "a.txt"), "FULL")).toThrow(`cannot write ${join(dir, "a.txt")}: ENOSPC (disk full)`);
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("good");
    expect(readdirSync(dir)).toEqual(["a.txt"]);
  });
});
