import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { useBackend } from "./use-backend.js";

describe("useBackend()", () => {
  useBackend();

  it("useBackend() sets the cpu backend before the suite's tests", () => {
    expect(tf.getBackend()).toBe("cpu");
  });
});
