import "@tensorflow/tfjs"; // registers the backends whose tensors the leak check counts
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import type { GradientTransform } from "./gradient-transform.js";
import {
  deserializeGradientTransform,
  registerGradientTransform,
  registeredGradientTransforms,
  serializeGradientTransform,
} from "./gradient-transform-registry.js";

const identity = (name: string, config: Record<string, unknown> = {}): GradientTransform => ({
  name,
  apply: (g) => g,
  getConfig: () => config,
});

describe("gradient transform registry", () => {
  useLeakCheck();

  it("registerGradientTransform(name, factory) lets deserializeGradientTransform(serializeGradientTransform(t)) rebuild t", () => {
    registerGradientTransform("registryTestA", (config) => identity("registryTestA", config));
    const t = identity("registryTestA", { k: 3 });
    const s = serializeGradientTransform(t);
    expect(s).toEqual({ name: "registryTestA", config: { k: 3 } });
    const back = deserializeGradientTransform(s);
    expect(back.name).toBe("registryTestA");
    expect(back.getConfig?.()).toEqual({ k: 3 });
    expect(registeredGradientTransforms()).toContain("registryTestA");
  });

  it("serializeGradientTransform(t) without getConfig writes config {}", () => {
    expect(serializeGradientTransform({ name: "bare", apply: (g) => g })).toEqual({ name: "bare", config: {} });
  });

  it("deserializeGradientTransform of an unknown name fails naming it and the registered ones", () => {
    registerGradientTransform("registryTestB", () => identity("registryTestB"));
    expect(() => deserializeGradientTransform({ name: "missing", config: {} }, "ctx")).toThrow(
      /ctx: unknown gradient transform "missing"; registered: .*"registryTestB".*registerGradientTransform\(name, factory\)/,
    );
  });

  it("registerGradientTransform rejects an empty name and a non-function factory", () => {
    expect(() => registerGradientTransform("", () => identity("x"))).toThrow('registerGradientTransform: name must be a non-empty string; got ""');
    expect(() => registerGradientTransform("x", 42 as never)).toThrow('registerGradientTransform("x"): factory must be a function; got number');
  });
});
