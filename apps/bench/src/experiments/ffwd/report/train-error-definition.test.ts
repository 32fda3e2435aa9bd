import { describe, expect, it } from "vitest";
import { trainErrorDefinitionOf } from "./train-error-definition.js";

describe("trainErrorDefinitionOf", () => {
  it("reads the override from the label, else the profile's definition, and null for a label of no profile", () => {
    expect(trainErrorDefinitionOf("paper")).toBe("full-pass");
    expect(trainErrorDefinitionOf("headline")).toBe("running");
    expect(trainErrorDefinitionOf("paper+norm-output+train-error=running")).toBe("running");
    expect(trainErrorDefinitionOf("headline+train-error=full-pass")).toBe("full-pass");
    expect(trainErrorDefinitionOf("search-quick+epochs=1")).toBe("full-pass");
    expect(trainErrorDefinitionOf("my-own")).toBeNull();
    expect(trainErrorDefinitionOf("toString")).toBeNull();
  });
});
