import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { buildConvEiNetwork } from "@dale-nn/ei-conv";
import { convNetworkConfig } from "../conv/conv-models.js";
import { areaDensities } from "./analyse-network.js";

// areaActivity itself (the per-population maps) moved to @dale-nn/ei-conv and is tested there.
const SCALE = { feedforward: [3, 4] as [number, number], principal: 4, interneurons: 2, timeSteps: 3 };

describe("areaDensities", () => {
  for (const model of ["standard", "standard-ei", "inh-pn-nobn"] as const) {
    it(`areaDensities(${model}) gives every recurrent area a density in [0, 1] for each local connection type`, async () => {
      await tf.setBackend("cpu");
      const before = tf.memory().numTensors;
      const config = convNetworkConfig({ model, seed: 3, inputShape: [12, 12, 3], classes: 2, constraint: "abs", scale: SCALE });
      const net = buildConvEiNetwork(config);
      const d = areaDensities(net, config);
      expect(Object.keys(d)).toEqual(["area3", "area4"]);
      for (const area of Object.values(d)) {
        expect(Object.keys(area).sort()).toEqual(model.includes("ei") ? ["E→E", "E→I", "I→E", "I→I"] : ["IG→PN", "Int→PN", "OG→PN", "PN→IG", "PN→OG", "PN→PN"]);
        for (const v of Object.values(area)) expect(v >= 0 && v <= 1).toBe(true);
      }
      net.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
