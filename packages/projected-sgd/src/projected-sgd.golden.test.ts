/**
 * ProjectedSGD's numbers pinned bit for bit: SHA-256 digests of the float32 weights after 25
 * minimize steps on a small network with every constraint kind, recorded on the cpu backend
 * before the projection was shared with ProjectedOptimizer. A change here is a change of results.
 */
import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import type { GradientTransform, NamedGradients } from "@dale-nn/core";
import { ProjectedSGD, type ProjectedSGDOptions } from "./projected-sgd.js";
import { smallNetwork } from "./internal/testing.js";

const halve: GradientTransform = {
  name: "goldenHalve",
  apply(grads: NamedGradients) {
    const out: NamedGradients = {};
    for (const [k, g] of Object.entries(grads)) out[k] = tf.mul(g, 0.5);
    return out;
  },
};

const CASES: [string, ProjectedSGDOptions, string][] = [
  ["plain", { learningRate: 0.3 }, "7ad78a20b1535da6cc2b9b58c9d9e78c7df248ca51ba8603f0d177863815c4bb"],
  ["transform + per-layer clip + m", { learningRate: 0.2, transforms: [halve], clipNorm: { maxNorm: 0.5, scope: "per-layer" }, frozenSignMagnitude: 1e-3 }, "a6b3c97d1493285444878e081dd78efc6cf8c13fbe92883bd24c2d08b973db4c"],
  ["update backoff + global clip", { learningRate: 1, clipNorm: { maxNorm: 1, scope: "global" }, lrBackoff: { minCosine: 0.9, factors: [1, 0.5, 0.1] } }, "c0eb6e6d6065fca189cf9eab885564e33770cb7c16d34835a096683e21ca1a00"],
  ["parameter backoff + per-tensor clip", { learningRate: 1, clipNorm: { maxNorm: 2, scope: "per-tensor" }, lrBackoff: { minCosine: 0.99, factors: [1, 0.25], measure: "parameter" } }, "3697a1711a2661d5627b12a77c0036e21125b251ccae95540c0f7c7dde3dc112"],
];

/** SHA-256 of the float32 bytes of every variable after 25 steps. */
function goldenDigest(options: ProjectedSGDOptions, seed = 3): string {
  const net = smallNetwork(seed);
  const opt = new ProjectedSGD(options);
  for (let i = 0; i < 25; i++) opt.minimize(() => net.loss(), false, net.vars);
  const hash = createHash("sha256");
  for (const v of net.vars) hash.update(new Uint8Array((v.dataSync() as Float32Array).slice().buffer));
  opt.dispose();
  net.dispose();
  return hash.digest("hex");
}

describe("ProjectedSGD golden numbers (cpu)", () => {
  useBackendWithLeakCheck("cpu");

  it.each(CASES)("25 minimize steps (%s) give the recorded float32 bits", (_label, options, digest) => {
    expect(goldenDigest(options)).toBe(digest);
  });
});
