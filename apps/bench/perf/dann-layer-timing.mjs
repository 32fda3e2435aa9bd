#!/usr/bin/env node
// Times one DANN layer's fused kernels (DaleDannDense_v2 forward and backward, divisive, ReLU,
// dL/dx included) against the fused dense layer of the same E width (forward; backward + dL/dx),
// straight through the OpenBLAS addon: no tfjs engine, warm caches, best of 7 x 50 calls.
// The difference is the DANN layer's I-side work (products with a side of n_I, the divisive
// element-wise passes); comparing 1 and 2 threads shows which part runs serially.
//
//   node apps/bench/perf/dann-layer-timing.mjs [--threads 1] [--batch 256] [--inputs 500] [--excitatory 500] [--inhibitory 50]
import { parseArgs } from "node:util";
import { loadOpenBlasAddon } from "@dale-nn/openblas";

const { values } = parseArgs({
  options: {
    threads: { type: "string", default: "1" },
    batch: { type: "string", default: "256" },
    inputs: { type: "string", default: "500" },
    excitatory: { type: "string", default: "500" },
    inhibitory: { type: "string", default: "50" },
  },
});
const int = (name) => {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`dann-layer-timing: --${name} must be a positive integer; got ${JSON.stringify(values[name])}`);
    process.exit(2);
  }
  return v;
};
const [threads, B, d, ne, ni] = ["threads", "batch", "inputs", "excitatory", "inhibitory"].map(int);
const status = loadOpenBlasAddon();
if (!status.available) {
  console.error(`dann-layer-timing: ${status.reason}`);
  process.exit(2);
}
const a = status.addon;
a.setThreads(threads);
let seed = 1;
const random = (n, offset = 0) => Float32Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 0.1 + offset);
const P = 2 * ne + ni;
const x = random(B * d), wee = random(ne * d), wie = random(ni * d), wei = random(ne * ni), b = random(ne), alpha = random(ni), g = random(ne, 1), dy = random(B * ne);
const y = new Float32Array(B * ne), saved = new Float32Array(B * P + ne + ni);
const dwee = new Float32Array(ne * d), dwie = new Float32Array(ni * d), dwei = new Float32Array(ne * ni), db = new Float32Array(ne);
const dalpha = new Float32Array(ni), dg = new Float32Array(ne), dx = new Float32Array(B * d);
const yDense = new Float32Array(B * ne), dz = new Float32Array(B * ne);
const timings = {
  "DANN forward": () => a.dannDenseV2Forward(x, wee, wie, wei, b, alpha, g, y, saved, B, d, ne, ni, 1, 1, 1e-8),
  "DANN backward": () => a.dannDenseV2Backward(dy, x, wee, wie, wei, y, saved, dwee, dwie, dwei, db, dalpha, dg, dx, B, d, ne, ni, 1, 1, 1),
  "dense forward": () => a.denseForward(x, wee, b, yDense, B, d, ne, 1),
  "dense backward + dx": () => {
    a.denseBackward(dy, x, yDense, dz, dwee, db, B, d, ne, 1);
    a.sgemmBatched(dz, wee, dx, 1, B, d, ne, false, false, 0, 0);
  },
};
const bestMs = (f) => {
  for (let i = 0; i < 20; i++) f();
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 50; i++) f();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 50 / 1e6);
  }
  return best;
};
console.log(`B ${B}, d ${d}, n_E ${ne}, n_I ${ni}, ${threads} OpenBLAS thread(s); ms per call:`);
for (const [name, f] of Object.entries(timings)) console.log(`  ${name.padEnd(20)} ${bestMs(f).toFixed(3)}`);
