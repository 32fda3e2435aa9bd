import { describe, expect, it } from "vitest";
import { markdownTable } from "./markdown-table.js";

describe("markdownTable", () => {
  it("markdownTable(header, rows) is the header, the separator and one line per row", () => {
    expect(markdownTable(["model", "error"], [["mlp", "1.4"], ["dann", "1.3"]])).toEqual(["| model | error |", "| --- | --- |", "| mlp | 1.4 |", "| dann | 1.3 |"]);
    expect(markdownTable(["a"], [])).toEqual(["| a |", "| --- |"]);
  });
});
