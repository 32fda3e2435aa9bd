import * as tf from "@tensorflow/tfjs";
import { registerOpenBlasBackend } from "@dale-nn/openblas";
import { buildRecurrentNetwork } from "@dale-nn/ei-layers";
import { ProjectedSGD } from "@dale-nn/projected-sgd";
registerOpenBlasBackend({ threads: 1 }); await tf.setBackend("openblas");
const B = Number(process.argv[2] ?? 256);
const net = buildRecurrentNetwork({ kind: "standard", seed: 0 });
const x = tf.randomUniform([B, 28, 28]); const y = tf.tidy(() => tf.oneHot(tf.randomUniform([B], 0, 10, "int32"), 10));
const opt = new ProjectedSGD({ learningRate: 0.01 });
const step = () => { tf.tidy(() => { opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true })), true); }); };
for (let i = 0; i < 20; i++) step();
let t = performance.now(); for (let i = 0; i < 30; i++) step(); const wall = (performance.now() - t) / 30;
const p = await tf.profile(() => { step(); });
console.log("B", B, "wall/step", wall.toFixed(2), "ms =", (B / wall * 1000).toFixed(0), "samples/s; kernels", p.kernels.length);
const agg = {}; for (const k of p.kernels) { agg[k.name] = agg[k.name] ?? [0, 0]; agg[k.name][0] += k.kernelTimeMs; agg[k.name][1]++; }
console.log(Object.entries(agg).sort((a, b) => b[1][0] - a[1][0]).slice(0, 10).map(([k, v]) => `${k} ${v[0].toFixed(2)}ms x${v[1]}`).join("\n"));
