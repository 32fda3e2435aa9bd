import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { describe, expect, it } from "vitest";
import { prepareBackends } from "./perf-backends.js";

describe("prepareBackends", () => {
  it("wasm: registers the transposed-matMul override every dale-bench command uses there (its BatchMatMul kernel is replaced)", async () => {
    const plain = tf.getKernel("BatchMatMul", "wasm")?.kernelFunc;
    expect(plain).toBeDefined();
    const { available } = await prepareBackends(["wasm"], 1);
    expect(available).toEqual(["wasm"]);
    expect(tf.getKernel("BatchMatMul", "wasm")?.kernelFunc).not.toBe(plain);
    await tf.setBackend("cpu");
  });
});
