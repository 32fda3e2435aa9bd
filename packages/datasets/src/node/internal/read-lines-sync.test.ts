import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLinesSync } from "./read-lines-sync.js";

const CHUNK = 1 << 20;

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "lines-")), "f.txt");
  writeFileSync(path, content);
  return path;
}

describe("readLinesSync", () => {
  it("readLinesSync keeps a 2-byte character split by the 1 MiB chunk boundary and a \\r\\n split by it", () => {
    const a = "a".repeat(CHUNK - 1);
    expect([...readLinesSync(file(`${a}ö\r\nx`))].map((l) => l.slice(-2))).toEqual(["aö", "x"]);
    expect([...readLinesSync(file(`${a}\r\ny\n`))].map((l) => l.length)).toEqual([CHUNK - 1, 1]);
  });

  it("readLinesSync: no empty line for a final newline, an empty file has no lines, inner empty lines are kept", () => {
    expect([...readLinesSync(file("a\n\nb\n"))]).toEqual(["a", "", "b"]);
    expect([...readLinesSync(file(""))]).toEqual([]);
    expect([...readLinesSync(file("last"))]).toEqual(["last"]);
  });
});
