import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { saveToMemory, type SavableModel } from "./save-to-memory.js";
import { useBackendWithLeakCheck } from "./use-backend-with-leak-check.js";

/** A model that saves a fixed topology and passes on the config it was given. */
function fakeModel(seen: unknown[]): SavableModel {
  return {
    async save(handler, config) {
      seen.push(config);
      if (typeof handler === "string") throw new Error("a handler, not a URL, was expected");
      return handler.save!({ modelTopology: { kind: "fake" }, format: "layers-model" });
    },
  };
}

describe("saveToMemory", () => {
  useBackendWithLeakCheck();

  it("saveToMemory(model, config) returns what model.save handed its handler, and passes config on", async () => {
    const seen: unknown[] = [];
    const artifacts = await saveToMemory(fakeModel(seen), { includeOptimizer: true });
    expect(artifacts).toEqual({ modelTopology: { kind: "fake" }, format: "layers-model" });
    await saveToMemory(fakeModel(seen));
    expect(seen).toEqual([{ includeOptimizer: true }, undefined]);
  });

  it("saveToMemory(model whose save never calls the handler) throws", async () => {
    const lazy: SavableModel = { save: async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } }) };
    await expect(saveToMemory(lazy)).rejects.toThrow("saveToMemory: model.save resolved without handing its artifacts to the save handler");
  });
});
