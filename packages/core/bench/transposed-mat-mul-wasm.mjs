// One-off timing (not a test): on tfjs-backend-wasm, x Wᵀ and its gradients with and without
// registerWasmTransposedMatMulOverride(). Run after building: node bench/transposed-mat-mul-wasm.mjs
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTransposedMatMulOverride } from "../dist/index.js";

await tf.setBackend("wasm");
await tf.ready();
const x = tf.randomUniform([32, 784]);
const w = tf.variable(tf.randomNormal([500, 784], 0, 0.05));
const v = tf.variable(tf.randomNormal([10, 500], 0, 0.05));
// One MLP-like training step: y = relu(x Wᵀ) Vᵀ, loss, gradients of W and V, an SGD update.
const optimizer = tf.train.sgd(0.01);
const step = () => optimizer.minimize(() => tf.sum(tf.square(tf.matMul(tf.relu(tf.matMul(x, w, false, true)), v, false, true))), false, [w, v]);
const time = (label, n = 40) => {
  for (let i = 0; i < 5; i++) step();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) step();
  const ms = (performance.now() - t0) / n;
  console.log(`${label}: ${ms.toFixed(2)} ms per step`);
  return ms;
};
const plain = time("wasm, matMul with transpose flags");
const restore = registerWasmTransposedMatMulOverride();
const overridden = time("wasm, registerWasmTransposedMatMulOverride()");
restore();
console.log(`speed-up ${(plain / overridden).toFixed(2)}x`);
