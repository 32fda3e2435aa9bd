import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { dannDense, tagParameter, type DannDenseParams, type GradientTransform, type NamedGradients, type ParamMeta } from "@dale-nn/ei-layers";
import { ProjectedSGD, type ProjectedSGDOptions } from "./projected-sgd.js";
import { ProjectedOptimizer, projected } from "./projected-optimizer.js";
import { signViolations, totalViolations } from "./sign-violations.js";
import { disposeVariables, uniqueName } from "./internal/testing.js";

const D = 6;
const NE = 4;
const NI = 2;

/** Variables of every role and constraint kind, with random starting values of both signs where allowed. */
function makeNetwork(seed: number): tf.Variable[] {
  const sizes = { d: D, ne: NE, ni: NI };
  const specs: [string, number[], Omit<ParamMeta, "sizes" | "layer"> | null, string][] = [
    ["wEE", [NE, D], { role: "EE", constraint: { kind: "nonneg" } }, "dann"],
    ["wIE", [NI, D], { role: "IE", constraint: { kind: "nonneg" } }, "dann"],
    ["wEI", [NE, NI], { role: "EI", constraint: { kind: "nonneg" } }, "dann"],
    ["alpha", [NI], { role: "alpha", constraint: { kind: "free" } }, "dann"],
    ["g", [NE], { role: "gain", constraint: { kind: "nonneg" } }, "dann"],
    ["beta", [NE], { role: "bias", constraint: { kind: "free" } }, "dann"],
    ["wCol", [5, NE], { role: "weight", constraint: { kind: "column-sign", nonnegColumns: 3 } }, "colei"],
    ["wFrozen", [5, 5], { role: "weight", constraint: { kind: "frozen-sign" } }, "rnn"],
    ["inhib", [3], { role: "free", constraint: { kind: "nonpos" } }, "misc"],
    ["loose", [3], null, "misc"],
  ];
  return specs.map(([name, shape, partial, layer], i) => {
    const init = tf.tidy(() => {
      const r = tf.randomNormal(shape, 0, 1, "float32", seed * 100 + i);
      if (partial?.constraint.kind === "nonneg") return tf.abs(r);
      if (partial?.constraint.kind === "nonpos") return tf.neg(tf.abs(r));
      if (partial?.constraint.kind === "column-sign") {
        const mask = tf.concat([tf.ones([5, 3]), tf.fill([5, NE - 3], -1)], 1);
        return tf.mul(tf.abs(r), mask);
      }
      return r;
    });
    const v = tf.variable(init, true, uniqueName(name));
    init.dispose();
    if (partial !== null) {
      const d = partial.constraint.kind === "column-sign" ? NE : D;
      tagParameter(v, { ...partial, layer, sizes: { ...sizes, d } });
    }
    return v;
  });
}

/** Halves the gradients of IE/EI (a stand-in for the DANN correction of Alg. 3). */
const halveInhibitory: GradientTransform = {
  name: "halveInhibitory",
  apply(grads: NamedGradients, metaOf) {
    const out: NamedGradients = {};
    for (const [k, g] of Object.entries(grads)) {
      const role = metaOf(k)?.role;
      out[k] = role === "IE" || role === "EI" ? tf.mul(g, 0.5) : g;
    }
    return out;
  },
};

function runRandomGradients(options: ProjectedSGDOptions | (() => tf.Optimizer), steps: number, seed: number) {
  const before = tf.memory().numTensors;
  const vars = makeNetwork(seed);
  const opt = typeof options === "function" ? options() : new ProjectedSGD(options);
  const frozenSigns = opt instanceof ProjectedSGD || opt instanceof ProjectedOptimizer ? opt : undefined;
  let afterFirstStep = -1;
  let maxViolations = 0;
  let tensorsGrew = false;
  for (let step = 0; step < steps; step++) {
    // Heavy-tailed random gradients: normal times a random scale up to 10.
    const grads = tf.tidy(() => {
      const out: tf.NamedTensorMap = {};
      vars.forEach((v, i) => {
        const s = seed * 1_000_003 + step * 31 + i;
        out[v.name] = tf.mul(tf.randomNormal(v.shape, 0, 1, "float32", s), tf.randomUniform([], 0, 10, "float32", s + 7));
      });
      return out;
    });
    opt.applyGradients(grads);
    tf.dispose(grads);
    maxViolations = Math.max(maxViolations, totalViolations(signViolations(vars, { frozenSigns })));
    if (step === 0) afterFirstStep = tf.memory().numTensors;
    else if (tf.memory().numTensors !== afterFirstStep) tensorsGrew = true;
  }
  opt.dispose();
  disposeVariables(...vars);
  return { maxViolations, tensorsGrew, afterFirstStep, before, after: tf.memory().numTensors };
}

describe("ProjectedSGD over many steps", () => {
  it.each([0.1, 1, 10])("1,000 random-gradient steps at learningRate %s leave no constrained element with the wrong sign and no growth in tensors", (lr) => {
    const r = runRandomGradients({ learningRate: lr }, 1000, Math.round(lr * 10));
    expect(r.maxViolations).toBe(0);
    expect(r.tensorsGrew).toBe(false);
    expect(r.after).toBe(r.before);
  });

  it("1,000 steps at learningRate 10 with a transform, per-layer clipping and lrBackoff keep every sign and every tensor count", () => {
    const r = runRandomGradients(
      {
        learningRate: 10,
        transforms: [halveInhibitory],
        clipNorm: { maxNorm: 1, scope: "per-layer" },
        lrBackoff: { minCosine: 0.9, factors: [1, 0.5, 0.1, 0.01] },
        frozenSignMagnitude: 1e-3,
      },
      1000,
      5,
    );
    expect(r.maxViolations).toBe(0);
    expect(r.tensorsGrew).toBe(false);
    expect(r.after).toBe(r.before);
  });

  it.each([
    ["Adam", () => tf.train.adam(1)],
    ["RMSProp", () => tf.train.rmsprop(1, 0.9, 0.5)],
    ["momentum", () => tf.train.momentum(1, 0.9)],
    ["Adagrad", () => tf.train.adagrad(1)],
  ] as const)("300 random-gradient steps of projected(%s) at learningRate 1 with a transform and clipping keep every sign and every tensor count", (_label, make) => {
    const r = runRandomGradients(
      () => projected(make(), { transforms: [halveInhibitory], clipNorm: { maxNorm: 1, scope: "per-layer" }, frozenSignMagnitude: 1e-3 }),
      300,
      9,
    );
    expect(r.maxViolations).toBe(0);
    expect(r.tensorsGrew).toBe(false);
    expect(r.after).toBe(r.before);
  });

  it("the same random steps with tf.train.sgd do break the signs (the check above can fail)", () => {
    const r = runRandomGradients(() => tf.train.sgd(0.1), 20, 1);
    expect(r.maxViolations).toBeGreaterThan(0);
    expect(r.after).toBe(r.before);
  });

  it("minimize(loss) through a DANN layer, a column-sign and a frozen-sign matrix lowers the loss and keeps all signs", () => {
    const before = tf.memory().numTensors;
    const vars = makeNetwork(42);
    const [wEE, wIE, wEI, alpha, g, beta, wCol, wFrozen, inhib, loose] = vars as [
      tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable,
    ];
    const x = tf.randomUniform([32, D], 0, 1, "float32", 1);
    const target = tf.randomNormal([32, 5], 0, 1, "float32", 2);
    const opt = new ProjectedSGD({ learningRate: 0.05, clipNorm: { maxNorm: 1, scope: "global" } });
    const loss = () =>
      tf.tidy(() => {
        const h = tf.relu(dannDense(x as tf.Tensor2D, { wEE, wIE, wEI, alpha, g, beta } as unknown as DannDenseParams)); // [32, NE]
        const y1 = tf.matMul(h, wCol, false, true); // [32, 5]
        const y2 = tf.add(tf.matMul(y1, wFrozen, false, true), tf.concat([inhib, loose]).slice([0], [5]));
        return tf.losses.meanSquaredError(target, y2) as tf.Scalar;
      });
    const first = loss();
    const l0 = first.dataSync()[0] as number;
    first.dispose();
    for (let step = 0; step < 200; step++) {
      const cost = opt.minimize(loss, true, vars);
      cost?.dispose();
      expect(totalViolations(signViolations(vars, { frozenSigns: opt }))).toBe(0);
    }
    const last = loss();
    const l1 = last.dataSync()[0] as number;
    last.dispose();
    expect(l1).toBeLessThan(l0);
    tf.dispose([x, target]);
    opt.dispose();
    disposeVariables(...vars);
    expect(tf.memory().numTensors).toBe(before);
  });
});
