import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { shellJoin, shellQuote } from "./shell-quote.js";

const run = promisify(execFile);

describe("shellQuote(word)", () => {
  it("shellQuote('plain/path-1.0') leaves a safe word bare", () => {
    expect(shellQuote("plain/path-1.0")).toBe("plain/path-1.0");
  });
  it("shellQuote('') gives ''", () => {
    expect(shellQuote("")).toBe("''");
  });
  it("shellQuote(\"it's\") closes, escapes and reopens the single quote", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
  it("shellJoin(words) survives bash unchanged for spaces, quotes, $, backticks, globs and newlines", async () => {
    const words = ["a b", "it's", '"dq"', "$HOME", "`id`", "*", "new\nline", "", "tab\there", "semi;colon", "back\\slash", "!bang"];
    const { stdout } = await run("bash", ["-c", `for w in ${shellJoin(words)}; do printf '%s\\0' "$w"; done`]);
    expect(stdout.split("\0").slice(0, -1)).toEqual(words);
  });
});
