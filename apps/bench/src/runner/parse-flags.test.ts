import { describe, expect, it } from "vitest";
import { parseFlags } from "./parse-flags.js";
import { integerFlag, listOf } from "./flag-values.js";

const SPECS = { epochs: { type: "string" as const, description: "" }, quiet: { type: "boolean" as const, description: "" } };

describe("parseFlags", () => {
  it("parseFlags(['--epochs', '-1']) reads the value -1 instead of parseArgs' 'ambiguous' error", () => {
    expect(parseFlags(["--epochs", "-1"], SPECS).values.epochs).toBe("-1");
    expect(parseFlags(["--epochs=-1"], SPECS).values.epochs).toBe("-1");
    expect(() => integerFlag("--epochs", "-1")).toThrow('--epochs must be a positive integer; got "-1"');
  });

  it("parseFlags keeps a following known flag as a flag (a missing value stays an error)", () => {
    expect(() => parseFlags(["--epochs", "--quiet"], SPECS)).toThrow();
    expect(() => parseFlags(["--nope"], SPECS)).toThrow(/Unknown option '--nope'/);
  });

  it("listOf keeps a name given twice once", () => {
    expect(listOf("--models", "mlp,dann,mlp", ["mlp", "dann"])).toEqual(["mlp", "dann"]);
    expect(() => listOf("--models", "mlp,resnet", ["mlp", "dann"])).toThrow('unknown --models entry "resnet"; expected one of mlp, dann');
  });
});
