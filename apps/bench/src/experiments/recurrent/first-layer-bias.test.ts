import { describe, expect, it } from "vitest";
import { colEiRnnInit } from "@dale-nn/ei-init";
import { firstLayerBiasSegment, firstLayerInputMean, parseFirstLayerBias } from "./first-layer-bias.js";

describe("--first-bias", () => {
  it("parses centred (the default, no option) and zero, and names a bad value and the choices", () => {
    expect(parseFirstLayerBias(undefined)).toEqual({});
    expect(parseFirstLayerBias("centred")).toEqual({});
    expect(parseFirstLayerBias("zero")).toEqual({ firstLayerBias: "zero" });
    expect(() => parseFirstLayerBias("none")).toThrow(/^--first-bias must be one of centred, zero; got "none"$/);
  });

  it("gives ColEI's first layer b = -sqrt(d) E[x] when centred and exactly 0 when zero, with the same U and W", () => {
    const build = (bias: "centred" | "zero" | undefined) =>
      colEiRnnInit({ inputs: 28, hidden: 20, ni: 2, seed: 3, firstLayer: { inputMean: firstLayerInputMean(bias, 0.1307) } });
    const centred = build(undefined);
    const zero = build("zero");
    for (const b of centred.bias.values) expect(b).toBeCloseTo(-Math.sqrt(28) * 0.1307, 6);
    expect([...zero.bias.values].every((b) => b === 0)).toBe(true);
    expect(zero.u.values).toEqual(centred.u.values);
    expect(zero.w.values).toEqual(centred.w.values);
    expect(firstLayerBiasSegment(undefined)).toBe("");
    expect(firstLayerBiasSegment("zero")).toBe("/bias=0");
  });
});
