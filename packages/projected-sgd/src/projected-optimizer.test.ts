import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { collectHandedOutWeights, saveToMemory, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { registerGradientTransform, tagParameter, untagParameter, type GradientTransform, type NamedGradients } from "@dale-nn/core";
import { ProjectedOptimizer, projected } from "./projected-optimizer.js";
import { ProjectedSGD } from "./projected-sgd.js";
import { projectTensor } from "./project-to-constraints.js";
import { signViolations, totalViolations } from "./sign-violations.js";
import { disposeVariables, smallNetwork, SMALL_NETWORK_CONSTRAINTS, taggedVariable, uniqueName, type SmallNetwork } from "./internal/testing.js";

/** A transform that multiplies every gradient by `factor` (registered, so configs round-trip). */
class Scale implements GradientTransform {
  readonly name = "projectedOptimizerTestScale";
  constructor(readonly factor: number) {}
  apply(gradients: NamedGradients): NamedGradients {
    const out: NamedGradients = {};
    for (const [k, g] of Object.entries(gradients)) out[k] = tf.mul(g, this.factor);
    return out;
  }
  getConfig(): Record<string, unknown> {
    return { factor: this.factor };
  }
}
registerGradientTransform("projectedOptimizerTestScale", (config) => new Scale(config["factor"] as number));

/** The wrapped optimisers, with learning rates large enough that the projection has work to do. */
const INNERS: [string, () => tf.Optimizer][] = [
  ["Adam", () => tf.train.adam(0.05)],
  ["RMSProp (momentum)", () => tf.train.rmsprop(0.02, 0.9, 0.5)],
  ["momentum SGD (Nesterov)", () => tf.train.momentum(0.05, 0.9, true)],
  ["Adagrad", () => tf.train.adagrad(0.2)],
  ["SGD", () => tf.train.sgd(0.2)],
];

const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

/** Sets the copy's variables to the network's values. */
function sync(copy: SmallNetwork, net: SmallNetwork): void {
  copy.vars.forEach((v, i) => v.assign(net.vars[i]!));
}

/** Gradients of the network's loss, and the same tensors keyed by the copy's names. */
function gradsFor(net: SmallNetwork, copy: SmallNetwork): { mine: tf.NamedTensorMap; theirs: tf.NamedTensorMap; dispose(): void } {
  const { value, grads } = tf.variableGrads(() => net.loss(), net.vars);
  value.dispose();
  const theirs: tf.NamedTensorMap = {};
  net.vars.forEach((v, i) => {
    theirs[copy.vars[i]!.name] = grads[v.name]!;
  });
  return { mine: grads, theirs, dispose: () => tf.dispose(Object.values(grads)) };
}

/** Disposes a plain tfjs optimiser (MomentumOptimizer.dispose forgets the −η scalar of its SGD base). */
function disposeInner(o: tf.Optimizer): void {
  o.dispose();
  const c = (o as unknown as { c?: tf.Tensor }).c;
  if (c !== undefined && !c.isDisposed) c.dispose();
}

/** Sets the learning rate of a plain tfjs optimiser the way tfjs needs it (SGD caches −η). */
function setInnerLearningRate(o: tf.Optimizer, lr: number): void {
  const x = o as unknown as { learningRate: number; setLearningRate?: (v: number) => void };
  if (typeof x.setLearningRate === "function") x.setLearningRate(lr);
  else x.learningRate = lr;
}

describe("ProjectedOptimizer", () => {
  useBackendWithLeakCheck("cpu");

  describe.each(INNERS)("projected(%s)", (_label, makeInner) => {
    it("applyGradients: free parameters get exactly the inner step, constrained ones proj_C of it, signViolations 0 after every step, tensor count flat", () => {
      const net = smallNetwork(11);
      const copy = smallNetwork(11, { tagged: false, prefix: "copy" });
      const opt = projected(makeInner());
      const reference = makeInner();
      let projectedSomething = false;
      let afterFirst = -1;
      for (let step = 0; step < 20; step++) {
        sync(copy, net);
        const g = gradsFor(net, copy);
        opt.applyGradients(g.mine);
        reference.applyGradients(g.theirs);
        g.dispose();
        net.vars.forEach((v, i) => {
          const c = copy.vars[i]!;
          const constraint = SMALL_NETWORK_CONSTRAINTS[i] ?? { kind: "free" };
          if (constraint.kind === "free") {
            expect(bits(v)).toEqual(bits(c));
            return;
          }
          const want = projectTensor(c, constraint, { signs: opt.frozenSignOf(v.name) });
          expect(bits(v)).toEqual(bits(want));
          if (bits(want).join() !== bits(c).join()) projectedSomething = true;
          want.dispose();
        });
        expect(totalViolations(signViolations(net.vars, { frozenSigns: opt }))).toBe(0);
        if (step === 0) afterFirst = tf.memory().numTensors;
        else expect(tf.memory().numTensors).toBe(afterFirst);
      }
      expect(projectedSomething).toBe(true);
      expect(opt.iterations).toBe(20);
      opt.dispose();
      disposeInner(reference);
      net.dispose();
      copy.dispose();
    });

    it("transforms then clipping run before the inner step: the inner optimiser sees clip(T(∇θ)), computed here by hand", () => {
      const net = smallNetwork(12);
      const copy = smallNetwork(12, { tagged: false, prefix: "copy" });
      const opt = projected(makeInner(), { transforms: [new Scale(3)], clipNorm: { maxNorm: 0.1, scope: "global" } });
      const reference = makeInner();
      for (let step = 0; step < 5; step++) {
        sync(copy, net);
        const g = gradsFor(net, copy);
        // By hand: Δ = 3∇θ · M / max(‖3∇θ‖, M) over all gradients together (Alg. 5, global).
        const manual = tf.tidy(() => {
          const scaled = Object.values(g.mine).map((t) => tf.mul(t, 3));
          let total: tf.Scalar = tf.scalar(0);
          for (const t of scaled) total = tf.add(total, tf.sum(tf.square(t)));
          const norm = tf.sqrt(total);
          expect(norm.dataSync()[0]).toBeGreaterThan(0.1); // the clip is active
          const scale = tf.div(tf.scalar(0.1), tf.maximum(norm, tf.scalar(0.1)));
          const out: tf.NamedTensorMap = {};
          copy.vars.forEach((c, i) => {
            out[c.name] = tf.mul(scaled[i]!, scale);
          });
          return out;
        });
        opt.applyGradients(g.mine);
        reference.applyGradients(manual);
        tf.dispose(Object.values(manual));
        g.dispose();
        net.vars.forEach((v, i) => {
          const constraint = SMALL_NETWORK_CONSTRAINTS[i] ?? { kind: "free" };
          const want = projectTensor(copy.vars[i]!, constraint, { signs: opt.frozenSignOf(v.name) });
          expect(bits(v)).toEqual(bits(want));
          want.dispose();
        });
      }
      opt.dispose();
      disposeInner(reference);
      net.dispose();
      copy.dispose();
    });

    it("getWeights() / setWeights() through a float32 checkpoint and fromConfig(getConfig()) resume bit for bit", async () => {
      const clip = { maxNorm: 0.5, scope: "per-layer" } as const;
      const straight = smallNetwork(13);
      const resumed = smallNetwork(13, { prefix: "resumed" });
      const a = projected(makeInner(), { clipNorm: clip, transforms: [new Scale(0.5)] });
      for (let i = 0; i < 10; i++) a.minimize(() => straight.loss(), false, straight.vars);

      const b = projected(makeInner(), { clipNorm: clip, transforms: [new Scale(0.5)] });
      for (let i = 0; i < 5; i++) b.minimize(() => resumed.loss(), false, resumed.vars);
      // A checkpoint as @dale-nn/train writes one: values copied out, every returned tensor disposed.
      const named = await b.getWeights();
      const saved = named.map(({ name, tensor }) => ({ name, shape: [...tensor.shape], values: Float32Array.from(tensor.dataSync()) }));
      named.forEach(({ tensor }) => tensor.dispose());
      const config = JSON.parse(JSON.stringify(b.getConfig())) as tf.serialization.ConfigDict;
      b.dispose();

      const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap["ProjectedOptimizer"]!;
      const c = fromConfig(cls, config) as ProjectedOptimizer;
      const restore = saved.map(({ name, shape, values }) => ({ name, tensor: tf.tensor(values, shape, "float32") }));
      await c.setWeights(restore);
      restore.forEach(({ tensor }) => tensor.dispose());
      expect(c.iterations).toBe(5);
      for (let i = 0; i < 5; i++) c.minimize(() => resumed.loss(), false, resumed.vars);

      expect(c.iterations).toBe(10);
      straight.vars.forEach((v, i) => expect(bits(resumed.vars[i]!)).toEqual(bits(v)));
      a.dispose();
      c.dispose();
      straight.dispose();
      resumed.dispose();
    });

    it("learningRate get / set is forwarded to the inner optimiser, and the next step uses the new rate", () => {
      const net = smallNetwork(14);
      const copy = smallNetwork(14, { tagged: false, prefix: "copy" });
      const unchanged = smallNetwork(14, { tagged: false, prefix: "unchanged" });
      const opt = projected(makeInner());
      const reference = makeInner();
      const control = makeInner();
      const lr0 = opt.learningRate;
      expect(lr0).toBe((reference as unknown as { learningRate: number }).learningRate);
      for (let step = 0; step < 6; step++) {
        if (step === 3) {
          opt.learningRate = lr0 / 4;
          setInnerLearningRate(reference, lr0 / 4);
          expect(opt.learningRate).toBe(lr0 / 4);
          expect((opt.inner as unknown as { learningRate: number }).learningRate).toBe(lr0 / 4);
        }
        sync(copy, net);
        sync(unchanged, net);
        const g = gradsFor(net, copy);
        opt.applyGradients(g.mine);
        reference.applyGradients(g.theirs);
        control.applyGradients(Object.fromEntries(net.vars.map((v, i) => [unchanged.vars[i]!.name, g.mine[v.name]!])));
        g.dispose();
        // b1 (index 1) is free: exactly the reference's step, and (from step 3 on) not the old rate's.
        expect(bits(net.vars[1]!)).toEqual(bits(copy.vars[1]!));
        if (step >= 3) expect(bits(net.vars[1]!)).not.toEqual(bits(unchanged.vars[1]!));
      }
      opt.setLearningRate(lr0);
      expect(opt.learningRate).toBe(lr0);
      expect(() => {
        opt.learningRate = -1;
      }).toThrow("ProjectedOptimizer: learningRate must be a finite number > 0; got -1");
      opt.dispose();
      disposeInner(reference);
      disposeInner(control);
      net.dispose();
      copy.dispose();
      unchanged.dispose();
    });
  });

  it("projected(tf.train.sgd(η)) and ProjectedSGD(η) give the same float32 bits over 25 steps with a transform and per-layer clipping", () => {
    const options = { transforms: [new Scale(0.5)], clipNorm: { maxNorm: 0.5, scope: "per-layer" as const } };
    const a = smallNetwork(15);
    const b = smallNetwork(15, { prefix: "b" });
    const sgd = new ProjectedSGD({ learningRate: 0.3, ...options });
    const wrapped = projected(tf.train.sgd(0.3), options);
    for (let i = 0; i < 25; i++) {
      sgd.minimize(() => a.loss(), false, a.vars);
      wrapped.minimize(() => b.loss(), false, b.vars);
    }
    a.vars.forEach((v, i) => expect(bits(b.vars[i]!)).toEqual(bits(v)));
    sgd.dispose();
    wrapped.dispose();
    a.dispose();
    b.dispose();
  });

  it("minimize(f, true, varList) returns the cost, lowers the loss over 300 Adam steps with clipping, keeps every sign and the tensor count", () => {
    const net = smallNetwork(16);
    const opt = projected(tf.train.adam(0.01), { clipNorm: { maxNorm: 1, scope: "global" } });
    const first = net.loss();
    const l0 = first.dataSync()[0]!;
    first.dispose();
    let afterFirst = -1;
    for (let step = 0; step < 300; step++) {
      const cost = opt.minimize(() => net.loss(), true, net.vars);
      expect(cost).not.toBeNull();
      cost!.dispose();
      if (step % 50 === 0) expect(totalViolations(signViolations(net.vars, { frozenSigns: opt }))).toBe(0);
      if (step === 0) afterFirst = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(afterFirst);
    const last = net.loss();
    expect(last.dataSync()[0]).toBeLessThan(l0 * 0.8);
    last.dispose();
    const { value, grads } = opt.computeGradients(() => net.loss(), net.vars);
    expect(Object.keys(grads)).toEqual(net.vars.map((v) => v.name));
    tf.dispose([value, ...Object.values(grads)]);
    opt.dispose();
    net.dispose();
  });

  it("applyGradients keeps list positions (the inner state is positional): a null gradient leaves its variable alone and the others aligned", () => {
    const a = taggedVariable([1, -1], { kind: "nonneg" });
    const b = taggedVariable([0.5, 0.5], { kind: "free" });
    const c = taggedVariable([0.5, 0.5], null);
    const ref = taggedVariable([0.5, 0.5], null);
    const opt = projected(tf.train.adam(0.1));
    const reference = tf.train.adam(0.1);
    const g = tf.tensor1d([1, -2]);
    opt.applyGradients([
      { name: a.name, tensor: g },
      { name: b.name, tensor: g },
    ]);
    reference.applyGradients([
      { name: c.name, tensor: g },
      { name: ref.name, tensor: g },
    ]);
    opt.applyGradients([
      { name: a.name, tensor: null as unknown as tf.Tensor },
      { name: b.name, tensor: g },
    ]);
    reference.applyGradients([
      { name: c.name, tensor: null as unknown as tf.Tensor },
      { name: ref.name, tensor: g },
    ]);
    expect(bits(b)).toEqual(bits(ref));
    expect(Array.from(a.dataSync())[1]).toBe(0); // projected at the first step only
    expect(opt.iterations).toBe(2);
    g.dispose();
    opt.dispose();
    disposeInner(reference);
    disposeVariables(a, b, c, ref);
  });

  it("getWeights() hands out tensors the caller owns (disposing them all breaks nothing) and adds Adam's β products", async () => {
    const net = smallNetwork(17);
    const opt = projected(tf.train.adam(0.01));
    opt.minimize(() => net.loss(), false, net.vars);
    const named = await opt.getWeights();
    expect(named.map((w) => w.name)).toEqual([
      "iter",
      ...net.vars.map((v) => `${v.name}/m`),
      ...net.vars.map((v) => `${v.name}/v`),
      "ProjectedOptimizer/accBeta1",
      "ProjectedOptimizer/accBeta2",
    ]);
    named.forEach(({ tensor }) => tensor.dispose());
    opt.minimize(() => net.loss(), false, net.vars); // would throw on a disposed moment
    expect(opt.iterations).toBe(2);
    opt.dispose();
    net.dispose();
  });

  it("setWeights() on an optimiser that has state disposes the state it replaces", async () => {
    const net = smallNetwork(18);
    const opt = projected(tf.train.rmsprop(0.01));
    opt.minimize(() => net.loss(), false, net.vars);
    const named = await opt.getWeights();
    const count = tf.memory().numTensors;
    await opt.setWeights(named);
    expect(tf.memory().numTensors).toBe(count);
    named.forEach(({ tensor }) => tensor.dispose());
    opt.dispose();
    net.dispose();
  });

  it("without the saved β products, tfjs's Adam alone does not resume bit for bit (so the extra entries are needed)", async () => {
    const straight = smallNetwork(19);
    const resumed = smallNetwork(19, { prefix: "resumed" });
    const a = projected(tf.train.adam(0.05));
    // At t = 5, pow(0.999, 6) differs from the running product in the last bit (tfjs 4.22, cpu).
    for (let i = 0; i < 10; i++) a.minimize(() => straight.loss(), false, straight.vars);
    const b = projected(tf.train.adam(0.05));
    for (let i = 0; i < 5; i++) b.minimize(() => resumed.loss(), false, resumed.vars);
    const named = (await b.getWeights()).filter((w, i, all) => {
      if (!w.name.startsWith("ProjectedOptimizer/")) return true;
      all[i]!.tensor.dispose();
      return false;
    });
    const c = projected(tf.train.adam(0.05));
    await c.setWeights(named);
    named.forEach(({ tensor }) => tensor.dispose());
    b.dispose();
    for (let i = 0; i < 5; i++) c.minimize(() => resumed.loss(), false, resumed.vars);
    const same = straight.vars.every((v, i) => bits(v).join() === bits(resumed.vars[i]!).join());
    expect(same).toBe(false);
    a.dispose();
    c.dispose();
    straight.dispose();
    resumed.dispose();
  });

  it("x instanceof ProjectedOptimizer is true only for ProjectedOptimizer", () => {
    const opt = projected(tf.train.adam(0.01));
    const sgd = new ProjectedSGD(0.1);
    const plain = tf.train.adam(0.01);
    expect(opt instanceof ProjectedOptimizer).toBe(true);
    expect(opt instanceof tf.Optimizer).toBe(true);
    expect(sgd instanceof ProjectedOptimizer).toBe(false);
    expect(plain instanceof ProjectedOptimizer).toBe(false);
    expect(opt.getClassName()).toBe("ProjectedOptimizer");
    opt.dispose();
    sgd.dispose();
    plain.dispose();
  });

  describe("serialisation", () => {
    it("getConfig() -> fromConfig() keeps the inner optimiser's class and config and every projection option", () => {
      const opt = projected(tf.train.rmsprop(0.01, 0.8, 0.1, 1e-7, true), {
        transforms: [new Scale(2)],
        clipNorm: { maxNorm: 2, scope: "per-tensor" },
        frozenSignMagnitude: 1e-4,
        untagged: "error",
      });
      const config = JSON.parse(JSON.stringify(opt.getConfig())) as tf.serialization.ConfigDict;
      expect(config).toEqual({
        optimizer: { className: "RMSProp", config: { learningRate: 0.01, decay: 0.8, momentum: 0.1, epsilon: 1e-7, centered: true } },
        transforms: [{ name: "projectedOptimizerTestScale", config: { factor: 2 } }],
        clipNorm: { maxNorm: 2, scope: "per-tensor" },
        frozenSignMagnitude: 1e-4,
        untagged: "error",
      });
      const restored = ProjectedOptimizer.fromConfig(ProjectedOptimizer, config) as ProjectedOptimizer;
      expect(restored.inner.getClassName()).toBe("RMSProp");
      expect(restored.getConfig()).toEqual(config);
      opt.dispose();
      restored.dispose();
    });

    it("fromConfig with an unknown optimiser class or transform fails naming it", () => {
      expect(() => ProjectedOptimizer.fromConfig(ProjectedOptimizer, { optimizer: { className: "Nope", config: {} } })).toThrow(
        'ProjectedOptimizer.fromConfig: unknown optimiser class "Nope"; register it with tf.serialization.registerClass',
      );
      expect(() => ProjectedOptimizer.fromConfig(ProjectedOptimizer, { transforms: [] })).toThrow(/optimizer must be \{ className, config \}/);
    });

    it("model.compile({optimizer: projected(adam)}) trains, keeps the tagged kernel nonneg, and model.save / tf.loadLayersModel restore it", async () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: "randomNormal" })] });
      const kernel = model.layers[0]!.trainableWeights[0]!.read() as tf.Variable;
      // tfjs Dense kernels are [inputs, outputs]; nonneg does not care about the orientation.
      tagParameter(kernel, { role: "weight", constraint: { kind: "nonneg" }, layer: "dense", sizes: { d: 4, ne: 3, ni: 0 } });
      const opt = projected(tf.train.adam(0.05), { clipNorm: { maxNorm: 1, scope: "global" } });
      model.compile({ optimizer: opt, loss: "meanSquaredError" });
      const x = tf.randomNormal([16, 4], 0, 1, "float32", 1);
      const y = tf.randomNormal([16, 3], 0, 1, "float32", 2);
      const history = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      expect(history.history["loss"]).toHaveLength(2);
      expect(totalViolations(signViolations(model))).toBe(0);
      // tfjs-layers encodes the tensors of optimizer.getWeights() and never disposes them; collect them.
      const handedOut = collectHandedOutWeights(opt);
      const saved = await saveToMemory(model, { includeOptimizer: true });
      tf.dispose(handedOut);
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
      const restored = loaded.optimizer as ProjectedOptimizer;
      expect(restored).toBeInstanceOf(ProjectedOptimizer);
      expect(restored.getConfig()).toEqual(opt.getConfig());
      expect(restored.iterations).toBe(4);
      tf.dispose([x, y]);
      untagParameter(kernel);
      restored.dispose();
      loaded.dispose();
      model.dispose();
      opt.dispose();
    });
  });

  describe("bad input", () => {
    it("projected(x) rejects a non-optimiser and an already projected optimiser, naming them", () => {
      expect(() => projected({} as tf.Optimizer)).toThrow("ProjectedOptimizer: inner must be a tfjs Optimizer (e.g. tf.train.adam(1e-3)); got {}");
      expect(() => projected(null as unknown as tf.Optimizer)).toThrow(/inner must be a tfjs Optimizer .*; got null/);
      const sgd = new ProjectedSGD(0.1);
      expect(() => projected(sgd)).toThrow(/inner is already a projected optimiser \(ProjectedSGD\)/);
      const inner = projected(tf.train.sgd(0.1));
      expect(() => projected(inner)).toThrow(/inner is already a projected optimiser \(ProjectedOptimizer\)/);
      sgd.dispose();
      inner.dispose();
    });

    it("projected(inner, options) rejects unknown options (lrBackoff, learningRate) and bad values, naming them", () => {
      const inner = tf.train.sgd(0.1);
      const bad: [object, RegExp | string][] = [
        [{ lrBackoff: { minCosine: 0.5, factors: [1] } }, /unknown option "lrBackoff" \(Alg. 6 picks SGD step sizes: use ProjectedSGD\)/],
        [{ learningRate: 0.1 }, /unknown option "learningRate" \(set it on the inner optimiser/],
        [{ clipNorm: { maxNorm: 0, scope: "global" } }, "ProjectedOptimizer: clipNorm.maxNorm must be a finite number > 0; got 0"],
        [{ clipNorm: { maxNorm: 1, scope: "layer" } }, /clipNorm.scope must be one of "global", "per-layer", "per-tensor"; got "layer"/],
        [{ frozenSignMagnitude: -1 }, "ProjectedOptimizer: frozenSignMagnitude must be a finite number >= 0; got -1"],
        [{ untagged: "ignore" }, /untagged must be one of "free", "error"; got "ignore"/],
        [{ transforms: [{ name: "x" }] }, /transforms\[0\] must be a GradientTransform/],
      ];
      for (const [options, message] of bad) expect(() => projected(inner, options as never)).toThrow(message);
      inner.dispose();
    });

    it("applyGradients with untagged: 'error' throws naming the variable and changes nothing (no inner step)", () => {
      const tagged = taggedVariable([-1], { kind: "nonneg" });
      const loose = taggedVariable([1], null, { name: uniqueName("loose") });
      const opt = projected(tf.train.momentum(1, 0.9), { untagged: "error" });
      const g = tf.tensor1d([1]);
      expect(() => opt.applyGradients({ [tagged.name]: g, [loose.name]: g })).toThrow(
        new RegExp(`variable "${loose.name}" has no parameter meta \\(untagged: "error"\\)`),
      );
      expect(Array.from(tagged.dataSync())).toEqual([-1]);
      expect(opt.iterations).toBe(0);
      g.dispose();
      opt.dispose();
      disposeVariables(tagged, loose);
    });

    it("applyGradients rejects an unknown name, a wrong shape, a duplicate name and a transform that invents a gradient", () => {
      const w = taggedVariable([1, 2], { kind: "nonneg" });
      const other = taggedVariable([1, 2], { kind: "free" });
      const g = tf.tensor1d([1, 2]);
      const g3 = tf.tensor1d([1, 2, 3]);
      const opt = projected(tf.train.adam(0.1));
      expect(() => opt.applyGradients({ noSuchVariable: g })).toThrow(/no registered variable named "noSuchVariable"/);
      expect(() => opt.applyGradients({ [w.name]: g3 })).toThrow(new RegExp(`gradient of "${w.name}" has shape \\[3\\]; the variable has \\[2\\]`));
      expect(() =>
        opt.applyGradients([
          { name: w.name, tensor: g },
          { name: w.name, tensor: g },
        ]),
      ).toThrow(new RegExp(`variable "${w.name}" appears more than once`));
      const inventor: GradientTransform = { name: "inventor", apply: (grads) => ({ ...grads, [other.name]: tf.zeros([2]) }) };
      const bad = projected(tf.train.adam(0.1), { transforms: [inventor] });
      expect(() => bad.applyGradients({ [w.name]: g })).toThrow(new RegExp(`returned a gradient for "${other.name}", which was not among the gradients given`));
      expect(Array.from(w.dataSync())).toEqual([1, 2]);
      expect(bad.iterations).toBe(0);
      tf.dispose([g, g3]);
      opt.dispose();
      bad.dispose();
      disposeVariables(w, other);
    });

    it("setWeights rejects a reserved entry the inner optimiser does not have", async () => {
      const opt = projected(tf.train.sgd(0.1));
      const iter = tf.scalar(0, "int32");
      const extra = tf.scalar(1);
      await expect(
        opt.setWeights([
          { name: "iter", tensor: iter },
          { name: "ProjectedOptimizer/accBeta1", tensor: extra },
        ]),
      ).rejects.toThrow('ProjectedOptimizer.setWeights: weight "ProjectedOptimizer/accBeta1" is not state of SGD (expected none)');
      tf.dispose([iter, extra]);
      opt.dispose();
    });
  });
});
