import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import { parameterMeta, tagParameter, untagParameter } from "./parameter-registry.js";
import type { ParamMeta } from "./param-meta.js";

describe("tagParameter", () => {
  useLeakCheck({ disposeVariables: true });

  const sizes = { d: 3, ne: 2, ni: 1 };

  it("tagParameter(v, meta) makes parameterMeta(v) and parameterMeta(v.name) return the meta; untagParameter removes it", () => {
    const v = tf.tidy(() => tf.variable(tf.zeros([2, 3])));
    const meta: ParamMeta = { role: "EE", constraint: { kind: "nonneg" }, layer: "l1", sizes };
    tagParameter(v, meta);
    expect(parameterMeta(v)).toEqual(meta);
    expect(parameterMeta(v.name)).toEqual(meta);
    untagParameter(v);
    expect(parameterMeta(v)).toBeUndefined();
  });

  it("tagParameter rejects an unknown role, an unknown constraint and bad sizes, naming the value", () => {
    const v = tf.tidy(() => tf.variable(tf.zeros([2, 3])));
    expect(() => tagParameter(v, { role: "inhibitory" as never, constraint: { kind: "free" }, layer: "l", sizes })).toThrow(
      /unknown parameter role "inhibitory"; expected one of EE, IE, EI, alpha, gain, bias, weight, free/,
    );
    expect(() => tagParameter(v, { role: "EE", constraint: { kind: "positive" } as never, layer: "l", sizes })).toThrow(
      /unknown sign constraint "positive" for role EE/,
    );
    expect(() => tagParameter(v, { role: "weight", constraint: { kind: "column-sign", nonnegColumns: 4 }, layer: "l", sizes })).toThrow(
      /nonnegColumns must be an integer in \[0, d=3\]; got 4/,
    );
    expect(() => tagParameter(v, { role: "EE", constraint: { kind: "nonneg" }, layer: "l", sizes: { d: -1, ne: 2, ni: 1 } })).toThrow(
      /sizes.d must be a non-negative integer; got -1/,
    );
    expect(parameterMeta(v)).toBeUndefined();
  });
});
