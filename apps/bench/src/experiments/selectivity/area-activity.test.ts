import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { buildConvEiNetwork, StandardConvRnn, StandardEiConvRnn } from "@dale-nn/ei-conv";
import { convNetworkConfig } from "../conv/conv-models.js";
import { areaActivity } from "./area-activity.js";
import { areaDensities } from "./analyse-network.js";

const SCALE = { feedforward: [3, 4] as [number, number], principal: 4, interneurons: 2, timeSteps: 3 };

describe("areaActivity", () => {
  for (const model of ["standard", "standard-ei", "inh-pn-nobn"] as const) {
    it(`areaActivity(${model}) re-runs the cells with their layers' parameters: its principal maps are the layers' outputs`, async () => {
      await tf.setBackend("cpu");
      const before = tf.memory().numTensors;
      const config = convNetworkConfig({ model, seed: 3, inputShape: [12, 12, 3], classes: 2, constraint: "abs", scale: SCALE });
      const net = buildConvEiNetwork(config);
      const x = tf.randomNormal([2, 12, 12, 3], 0, 1, "float32", 5) as tf.Tensor4D;
      const act = areaActivity(net, config, x);
      const layerOutputs: tf.Tensor[] = [];
      tf.tidy(() => {
        let h: tf.Tensor = x;
        for (const l of net.layers) {
          h = l.apply(h, { training: false }) as tf.Tensor;
          if (l instanceof StandardConvRnn || l instanceof StandardEiConvRnn) layerOutputs.push(tf.keep(h));
        }
      });
      expect(act.map((a) => a.area)).toEqual(["area3", "area4"]);
      const principal = model.includes("ei") ? "E" : "PN";
      expect(Object.keys(act[0]!.maps).sort()).toEqual(model.includes("ei") ? ["E", "I"] : ["IG", "OG", "PN"]);
      // area 3 returns every step ([B, T, H, W, C]); area 4 (LastT) only the last.
      const seq = layerOutputs[0]!.arraySync() as number[][][][][];
      const mine3 = act[0]!.maps[principal]!.map((m) => m.arraySync() as number[][][][]);
      for (let t = 0; t < SCALE.timeSteps; t++) expect(maxDiff(mine3[t]!, seq.map((b) => b[t]!))).toBeLessThan(1e-5);
      const last4 = act[1]!.maps[principal]!.at(-1)!.arraySync() as number[][][][];
      expect(maxDiff(last4, layerOutputs[1]!.arraySync() as number[][][][])).toBeLessThan(1e-5);
      for (const maps of Object.values(act[0]!.maps)) for (const m of maps) expect(tf.tidy(() => m.min().dataSync()[0])).toBeGreaterThanOrEqual(0);
      const d = areaDensities(net, config);
      expect(Object.keys(d.area3!).sort()).toEqual(model.includes("ei") ? ["E→E", "E→I", "I→E", "I→I"] : ["IG→PN", "Int→PN", "OG→PN", "PN→IG", "PN→OG", "PN→PN"]);
      act.forEach((a) => Object.values(a.maps).forEach((ms) => ms.forEach((m) => m.dispose())));
      layerOutputs.forEach((t) => t.dispose());
      x.dispose();
      net.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

function maxDiff(a: number[][][][], b: number[][][][]): number {
  const fa = a.flat(3), fb = b.flat(3);
  expect(fa.length).toBe(fb.length);
  return Math.max(...fa.map((v, i) => Math.abs(v - fb[i]!)));
}
