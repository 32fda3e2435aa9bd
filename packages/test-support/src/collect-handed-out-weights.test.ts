import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { collectHandedOutWeights } from "./collect-handed-out-weights.js";
import { useBackendWithLeakCheck } from "./use-backend-with-leak-check.js";

describe("collectHandedOutWeights", () => {
  useBackendWithLeakCheck();

  it("collectHandedOutWeights(opt) collects every tensor opt.getWeights() hands out, and getWeights still returns them", async () => {
    const opt = { getWeights: async () => [{ name: "iter", tensor: tf.scalar(3) }, { name: "m", tensor: tf.ones([2]) }] };
    const handedOut = collectHandedOutWeights(opt);
    expect(handedOut).toEqual([]);
    const first = await opt.getWeights();
    const second = await opt.getWeights();
    expect(handedOut).toEqual([...first, ...second].map((e) => e.tensor));
    expect(first.map((e) => e.name)).toEqual(["iter", "m"]);
    tf.dispose(handedOut);
  });
});
