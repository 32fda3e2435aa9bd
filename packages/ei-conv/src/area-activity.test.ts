import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { areaActivity, recurrentCells } from "./area-activity.js";
import { buildConvEiNetwork } from "./build-conv-ei-network.js";
import { cifar10NetworkConfig, type ConvEiNetworkConfig, type ConvNetworkVariant } from "./network-config.js";
import { StandardConvRnn } from "./standard-conv-rnn-layer.js";
import { StandardEiConvRnn } from "./standard-ei-conv-rnn-layer.js";

const STEPS = 3;

function smallConfig(variant: ConvNetworkVariant, batchNorm: boolean): ConvEiNetworkConfig {
  const base = cifar10NetworkConfig({ variant, principal: 4, interneurons: 2, timeSteps: STEPS, seed: 3, batchNorm });
  return { ...base, inputShape: [12, 12, 3], classes: 2, feedforward: [{ channels: 3, poolStride: 1 }, { channels: 4, poolStride: 2 }] };
}

function maxDiff(a: number[][][][], b: number[][][][]): number {
  const fa = a.flat(3);
  const fb = b.flat(3);
  expect(fa.length).toBe(fb.length);
  return Math.max(...fa.map((v, i) => Math.abs(v - fb[i]!)));
}

describe("areaActivity", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  for (const [variant, batchNorm] of [["Standard", true], ["StandardEI", true], ["InhPN", false]] as const) {
    it(`areaActivity(${variant}${batchNorm ? "" : ", no BatchNorm"} network, config, x) re-runs the cells with their layers' parameters: its principal maps are the layers' outputs, every map is >= 0`, () => {
      const config = smallConfig(variant, batchNorm);
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
      const ei = variant.includes("EI");
      const principal = ei ? "E" : "PN";
      expect(act.map((a) => a.area)).toEqual(["area3", "area4"]);
      for (const a of act) {
        expect(Object.keys(a.maps).sort()).toEqual(ei ? ["E", "I"] : ["IG", "OG", "PN"]);
        for (const maps of Object.values(a.maps)) expect(maps).toHaveLength(STEPS);
      }
      expect(act[0]!.maps[principal]![0]!.shape).toEqual([2, 6, 6, 4]);
      expect(act[1]!.maps[principal]![0]!.shape).toEqual([2, 3, 3, 8]);
      // Area 3 returns every step ([B, T, H, W, C]); area 4 (LastT) only the last.
      const seq = layerOutputs[0]!.arraySync() as number[][][][][];
      const mine3 = act[0]!.maps[principal]!.map((m) => m.arraySync() as number[][][][]);
      for (let t = 0; t < STEPS; t++) expect(maxDiff(mine3[t]!, seq.map((b) => b[t]!))).toBeLessThan(1e-5);
      const last4 = act[1]!.maps[principal]!.at(-1)!.arraySync() as number[][][][];
      expect(maxDiff(last4, layerOutputs[1]!.arraySync() as number[][][][])).toBeLessThan(1e-5);
      for (const a of act) for (const maps of Object.values(a.maps)) for (const m of maps) expect(tf.tidy(() => m.min().dataSync()[0])).toBeGreaterThanOrEqual(0);
      act.forEach((a) => Object.values(a.maps).forEach((ms) => tf.dispose(ms)));
      tf.dispose([...layerOutputs, x]);
      net.dispose();
    });
  }

  it("recurrentCells(model) lists the cell layers in area order", () => {
    const net = buildConvEiNetwork(smallConfig("StandardEI", true));
    expect(recurrentCells(net).map((c) => c.name)).toEqual(["area3_cell", "area4_cell"]);
    net.dispose();
  });

  it("areaActivity on a model without a recurrent cell throws, naming the model", () => {
    const model = tf.sequential({ name: "plain", layers: [tf.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [4, 4, 1] })] });
    const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect(() => areaActivity(model, smallConfig("Standard", true), x)).toThrow(/areaActivity: plain has no recurrent cell layer/);
    x.dispose();
    model.dispose();
  });
});
