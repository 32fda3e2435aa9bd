import * as tf from "@tensorflow/tfjs";
import { describe, expect, it, vi } from "vitest";
import { collectHandedOutWeights, saveToMemory, useLeakCheck } from "@dale-nn/test-support";
import { parameterMeta, tagParameter, untagParameter, type GradientTransform, type NamedGradients, type SignConstraint } from "@dale-nn/core";
import { ProjectedSGD } from "./projected-sgd.js";
import { registerGradientTransform } from "@dale-nn/core";
import { signViolations, totalViolations } from "./sign-violations.js";
import { disposeVariables, f32, taggedVariable, uniqueName } from "./internal/testing.js";

const M = 1e-6;

/** θ, g and θ − 0.5 g (exact in float32). */
const THETA = [
  [0.5, -0.25, 0],
  [1, -1, 0.75],
];
const GRAD = [
  [2, -2, 1],
  [1, 1, 4],
];
// θ − 0.5 g = [[-0.5, 0.75, -0.5], [0.5, -1.5, -1.25]]

function stepOnce(constraint: SignConstraint | null, learningRate = 0.5): number[] {
  const v = taggedVariable(THETA, constraint);
  const opt = new ProjectedSGD({ learningRate });
  const g = tf.tensor2d(GRAD);
  opt.applyGradients({ [v.name]: g });
  const out = Array.from(v.dataSync());
  g.dispose();
  opt.dispose();
  disposeVariables(v);
  return out;
}

/** A transform that multiplies every gradient by `factor`. */
class ScaleTransform implements GradientTransform {
  readonly name = "testScale";
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
registerGradientTransform("testScale", (config) => new ScaleTransform(config["factor"] as number));

describe("ProjectedSGD", () => {
  useLeakCheck();

  it("applyGradients on a nonneg variable gives max(θ − ηg, 0) (Alg. 2)", () => {
    expect(stepOnce({ kind: "nonneg" })).toEqual(f32([0, 0.75, 0, 0.5, 0, 0]));
  });

  it("applyGradients on a nonpos variable gives min(θ − ηg, 0)", () => {
    expect(stepOnce({ kind: "nonpos" })).toEqual(f32([-0.5, 0, -0.5, 0, -1.5, -1.25]));
  });

  it("applyGradients on a free or untagged variable gives θ − ηg", () => {
    const raw = f32([-0.5, 0.75, -0.5, 0.5, -1.5, -1.25]);
    expect(stepOnce({ kind: "free" })).toEqual(raw);
    expect(stepOnce(null)).toEqual(raw);
  });

  it("applyGradients on a column-sign variable clamps the first k columns at >= 0 and the rest at <= 0 (App. B.1)", () => {
    expect(stepOnce({ kind: "column-sign", nonnegColumns: 1 })).toEqual(f32([0, 0, -0.5, 0.5, -1.5, -1.25]));
    expect(stepOnce({ kind: "column-sign", nonnegColumns: 2 })).toEqual(f32([0, 0.75, -0.5, 0.5, 0, -1.25]));
    expect(stepOnce({ kind: "column-sign", nonnegColumns: 0 })).toEqual(f32([-0.5, 0, -0.5, 0, -1.5, -1.25]));
    expect(stepOnce({ kind: "column-sign", nonnegColumns: 3 })).toEqual(f32([0, 0.75, 0, 0.5, 0, 0]));
  });

  it("applyGradients on a frozen-sign variable gives s ⊙ max(s ⊙ (θ − ηg), m), s recorded at first sight with 0 as +", () => {
    expect(stepOnce({ kind: "frozen-sign" })).toEqual(f32([M, -M, M, 0.5, -1.5, M]));
  });

  it("applyGradients keeps the signs recorded at the first step, not the current ones", () => {
    const v = taggedVariable(THETA, { kind: "frozen-sign" });
    const opt = new ProjectedSGD({ learningRate: 0.5, frozenSignMagnitude: 0.125 });
    const g1 = tf.tensor2d(GRAD);
    opt.applyGradients({ [v.name]: g1 });
    expect(Array.from(v.dataSync())).toEqual(f32([0.125, -0.125, 0.125, 0.5, -1.5, 0.125]));
    expect(Array.from(opt.frozenSignOf(v.name)!.dataSync())).toEqual([1, -1, 1, 1, -1, 1]);
    const g2 = tf.tensor2d([
      [-4, -4, 0],
      [4, -8, 0],
    ]);
    opt.applyGradients({ [v.name]: g2 });
    // θ − 0.5 g2 = [[2.125, 1.875, 0.125], [-1.5, 2.5, 0.125]]: the second entry (s = −1) and the
    // fourth and fifth (s = +1, −1) would cross zero and are clamped to ±m.
    expect(Array.from(v.dataSync())).toEqual(f32([2.125, -0.125, 0.125, 0.125, -0.125, 0.125]));
    g1.dispose();
    g2.dispose();
    opt.dispose();
    disposeVariables(v);
  });

  it("applyGradients accepts a NamedTensor[] list like tf.SGDOptimizer and skips null gradients", () => {
    const a = taggedVariable([1, -1], { kind: "nonneg" });
    const b = taggedVariable([1, -1], { kind: "nonpos" });
    const opt = new ProjectedSGD({ learningRate: 1 });
    const g = tf.tensor1d([0.5, -2]);
    opt.applyGradients([
      { name: a.name, tensor: g },
      { name: b.name, tensor: null as unknown as tf.Tensor },
    ]);
    expect(Array.from(a.dataSync())).toEqual([0.5, 1]);
    expect(Array.from(b.dataSync())).toEqual([1, -1]);
    expect(opt.iterations).toBe(1);
    g.dispose();
    opt.dispose();
    disposeVariables(a, b);
  });

  it("minimize(f) steps every variable f depends on and projects it", () => {
    const w = taggedVariable([0.1, 0.2, 0.3], { kind: "nonneg" });
    const opt = new ProjectedSGD({ learningRate: 1 });
    // loss = sum(w): gradient 1, so w − 1 < 0 is clamped to 0.
    opt.minimize(() => tf.sum(w) as tf.Scalar);
    expect(Array.from(w.dataSync())).toEqual([0, 0, 0]);
    opt.dispose();
    disposeVariables(w);
  });

  it("transforms run in order before the step, with metaOf giving each variable's meta", () => {
    const w = taggedVariable([1, 1], { kind: "free" }, { layer: "L" });
    const seen: (string | undefined)[] = [];
    const addOne: GradientTransform = {
      name: "addOne",
      apply: (grads, metaOf) => {
        const out: NamedGradients = {};
        for (const [k, g] of Object.entries(grads)) {
          seen.push(metaOf(k)?.layer);
          out[k] = tf.add(g, 1);
        }
        return out;
      },
    };
    const opt = new ProjectedSGD({ learningRate: 0.5, transforms: [new ScaleTransform(2), addOne] });
    const g = tf.tensor1d([1, -1]);
    opt.applyGradients({ [w.name]: g });
    // Δ = 2g + 1 = [3, -1]; θ − 0.5 Δ = [-0.5, 1.5]
    expect(Array.from(w.dataSync())).toEqual([-0.5, 1.5]);
    expect(seen).toEqual(["L"]);
    g.dispose();
    opt.dispose();
    disposeVariables(w);
  });

  it("clipNorm {maxNorm, scope} clips Δ before the step (Alg. 5)", () => {
    const a = taggedVariable([0, 0], { kind: "free" }, { layer: "L1" });
    const b = taggedVariable([0], { kind: "free" }, { layer: "L1" });
    const opt = new ProjectedSGD({ learningRate: 1, clipNorm: { maxNorm: 1, scope: "per-layer" } });
    const ga = tf.tensor1d([3, 0]);
    const gb = tf.tensor1d([4]);
    opt.applyGradients({ [a.name]: ga, [b.name]: gb });
    expect(a.dataSync()[0]).toBeCloseTo(-0.6, 6);
    expect(b.dataSync()[0]).toBeCloseTo(-0.8, 6);
    ga.dispose();
    gb.dispose();
    opt.dispose();
    disposeVariables(a, b);
  });

  it("the default path reads nothing back to the host", () => {
    const vars = [
      taggedVariable(THETA, { kind: "nonneg" }),
      taggedVariable(THETA, { kind: "nonpos" }),
      taggedVariable(THETA, { kind: "column-sign", nonnegColumns: 1 }),
      taggedVariable(THETA, { kind: "frozen-sign" }),
      taggedVariable(THETA, null),
    ];
    const opt = new ProjectedSGD({ learningRate: 0.1, clipNorm: { maxNorm: 1, scope: "global" }, transforms: [new ScaleTransform(0.5)] });
    const g = tf.tensor2d(GRAD);
    const backend = tf.backend();
    const spies = [
      vi.spyOn(backend, "readSync"),
      vi.spyOn(backend, "read"),
      ...(["dataSync", "data", "arraySync", "array", "bufferSync", "buffer"] as const).map((m) => vi.spyOn(tf.Tensor.prototype, m)),
    ];
    try {
      for (let i = 0; i < 3; i++) opt.applyGradients(Object.fromEntries(vars.map((v) => [v.name, g])));
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    g.dispose();
    opt.dispose();
    disposeVariables(...vars);
  });

  it("learningRate can be read and set (e.g. by a schedule), and a bad value is rejected", () => {
    const w = taggedVariable([1], { kind: "free" });
    const opt = new ProjectedSGD({ learningRate: 0.5 });
    const g = tf.tensor1d([1]);
    opt.applyGradients({ [w.name]: g });
    opt.learningRate = 0.25;
    expect(opt.learningRate).toBe(0.25);
    opt.applyGradients({ [w.name]: g });
    expect(Array.from(w.dataSync())).toEqual([0.25]);
    opt.setLearningRate(0.125);
    expect(opt.learningRate).toBe(0.125);
    expect(() => {
      opt.learningRate = 0;
    }).toThrow("ProjectedSGD: learningRate must be a finite number > 0; got 0");
    g.dispose();
    opt.dispose();
    disposeVariables(w);
  });

  it("new ProjectedSGD(0.1) takes a number as the learning rate", () => {
    const opt = new ProjectedSGD(0.1);
    expect(opt.learningRate).toBe(0.1);
    expect(opt.getClassName()).toBe("ProjectedSGD");
    opt.dispose();
  });

  it("x instanceof ProjectedSGD is true only for ProjectedSGD (tfjs makes every optimiser an instanceof Optimizer)", () => {
    const opt = new ProjectedSGD(0.1);
    const sgd = tf.train.sgd(0.1);
    expect(opt instanceof ProjectedSGD).toBe(true);
    expect(opt instanceof tf.Optimizer).toBe(true);
    expect(sgd instanceof ProjectedSGD).toBe(false);
    expect({} instanceof ProjectedSGD).toBe(false);
    opt.dispose();
    sgd.dispose();
  });

  it("getWeights() / setWeights() round-trip the iteration count", async () => {
    const w = taggedVariable([1], { kind: "free" });
    const opt = new ProjectedSGD({ learningRate: 0.5 });
    const g = tf.tensor1d([1]);
    for (let i = 0; i < 3; i++) opt.applyGradients({ [w.name]: g });
    const weights = await opt.getWeights();
    expect(weights).toHaveLength(1);
    const other = new ProjectedSGD({ learningRate: 0.5 });
    await other.setWeights(weights);
    expect(other.iterations).toBe(3);
    const extra = tf.scalar(1);
    await expect(other.setWeights([...weights, { name: "x", tensor: extra }])).rejects.toThrow(/expected only the iteration count; got 1 more weight\(s\): x/);
    extra.dispose();
    weights.forEach((x) => x.tensor.dispose());
    g.dispose();
    opt.dispose();
    other.dispose();
    disposeVariables(w);
  });

  describe("lrBackoff (Alg. 6)", () => {
    // θ = [1, 0.1] (nonneg), g = [−1, 1], η = 1: the cosine between the actual update
    // proj(θ − ηf g) − θ and −ηf g is 0.774 (f = 1), 0.832 (f = 0.5), 1 (f = 0.1).
    function run(minCosine: number, factors: number[], measure?: "update" | "parameter") {
      const a = taggedVariable([1, 0.1], { kind: "nonneg" }, { layer: "A" });
      const b = taggedVariable([1, 0.1], { kind: "free" }, { layer: "B" });
      const opt = new ProjectedSGD({ learningRate: 1, lrBackoff: { minCosine, factors, measure } });
      const g = tf.tensor1d([-1, 1]);
      opt.applyGradients({ [a.name]: g, [b.name]: g });
      const result = { a: Array.from(a.dataSync()), b: Array.from(b.dataSync()), choice: opt.lastBackoff };
      g.dispose();
      opt.dispose();
      disposeVariables(a, b);
      return result;
    }

    it("picks the first factor whose update cosine reaches minCosine, per layer", () => {
      const r = run(0.9, [1, 0.5, 0.1]);
      expect(r.choice["A"]!.factor).toBe(0.1);
      expect(r.choice["A"]!.cosine).toBeCloseTo(1, 5);
      expect(r.a[0]).toBeCloseTo(1.1, 6);
      expect(r.a[1]).toBe(0);
      // The free layer follows the gradient exactly: cosine 1 at the first factor.
      expect(r.choice["B"]!.factor).toBe(1);
      expect(r.choice["B"]!.cosine).toBeCloseTo(1, 6);
      expect(r.b[0]).toBe(2);
      expect(r.b[1]).toBeCloseTo(-0.9, 6);
      const r2 = run(0.8, [1, 0.5, 0.1]);
      expect(r2.choice["A"]!.factor).toBe(0.5);
      expect(r2.choice["A"]!.cosine).toBeCloseTo(0.3 / (Math.sqrt(0.26) * Math.sqrt(0.5)), 5);
      expect(r2.a).toEqual([1.5, 0]);
    });

    it("uses the last factor when none passes", () => {
      const r = run(0.99, [1, 0.5]);
      expect(r.choice["A"]!.factor).toBe(0.5);
      expect(r.choice["A"]!.cosine).toBeCloseTo(0.832, 3);
      expect(r.a).toEqual([1.5, 0]);
    });

    it("measure 'parameter' uses the literal cosine between max(0, θ − ηg) and θ − ηg", () => {
      // f = 1: cos([2, 0], [2, −0.9]) = 0.912; f = 0.5: cos([1.5, 0], [1.5, −0.4]) = 0.966
      const r = run(0.95, [1, 0.5, 0.1], "parameter");
      expect(r.choice["A"]!.factor).toBe(0.5);
      expect(r.choice["A"]!.cosine).toBeCloseTo(1.5 / Math.sqrt(1.5 * 1.5 + 0.16), 5);
      expect(run(0.9, [1, 0.5, 0.1], "parameter").choice["A"]!.factor).toBe(1);
    });
  });

  describe("serialisation", () => {
    it("getConfig() -> fromConfig() through serialization.SerializationMap keeps every option", () => {
      const opt = new ProjectedSGD({
        learningRate: 0.05,
        transforms: [new ScaleTransform(0.5)],
        clipNorm: { maxNorm: 2, scope: "per-tensor" },
        lrBackoff: { minCosine: 0.8, factors: [1, 0.5, 0.25], measure: "parameter" },
        frozenSignMagnitude: 1e-4,
        untagged: "error",
      });
      const config = JSON.parse(JSON.stringify(opt.getConfig())) as tf.serialization.ConfigDict;
      expect(config).toEqual({
        learningRate: 0.05,
        transforms: [{ name: "testScale", config: { factor: 0.5 } }],
        clipNorm: { maxNorm: 2, scope: "per-tensor" },
        lrBackoff: { minCosine: 0.8, factors: [1, 0.5, 0.25], measure: "parameter" },
        frozenSignMagnitude: 1e-4,
        untagged: "error",
      });
      const entry = tf.serialization.SerializationMap.getMap().classNameMap["ProjectedSGD"];
      expect(entry).toBeDefined();
      const [cls, fromConfig] = entry!;
      const restored = fromConfig(cls, config) as ProjectedSGD;
      expect(restored).toBeInstanceOf(ProjectedSGD);
      expect(restored.getConfig()).toEqual(config);
      expect((restored.transforms[0] as ScaleTransform).factor).toBe(0.5);
      opt.dispose();
      restored.dispose();
    });

    it("fromConfig with defaults gives the defaults back", () => {
      const opt = ProjectedSGD.fromConfig(ProjectedSGD, { learningRate: 0.1 }) as ProjectedSGD;
      expect(opt.getConfig()).toEqual({
        learningRate: 0.1,
        transforms: [],
        clipNorm: null,
        lrBackoff: null,
        frozenSignMagnitude: 1e-6,
        untagged: "free",
      });
      opt.dispose();
    });

    it("fromConfig with an unregistered transform name fails naming it", () => {
      expect(() => ProjectedSGD.fromConfig(ProjectedSGD, { learningRate: 0.1, transforms: [{ name: "nope", config: {} }] })).toThrow(
        /ProjectedSGD.fromConfig: unknown gradient transform "nope"; registered: .*"testScale"/,
      );
    });
  });

  describe("with tf.LayersModel", () => {
    it("model.compile({optimizer: ProjectedSGD}) trains one epoch and keeps the tagged kernel nonneg", async () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: "randomNormal" })] });
      const kernel = model.layers[0]!.trainableWeights[0]!.read() as tf.Variable;
      tagParameter(kernel, { role: "weight", constraint: { kind: "nonneg" }, layer: "dense", sizes: { d: 4, ne: 3, ni: 0 } });
      const opt = new ProjectedSGD({ learningRate: 0.05, clipNorm: { maxNorm: 5, scope: "global" } });
      model.compile({ optimizer: opt, loss: "meanSquaredError" });
      const x = tf.randomUniform([64, 4], 0, 1, "float32", 1);
      const y = tf.randomNormal([64, 3], 0, 1, "float32", 2);
      const history = await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      const loss = history.history["loss"]![0] as number;
      expect(Number.isFinite(loss)).toBe(true);
      expect(opt.iterations).toBe(4);
      expect(totalViolations(signViolations(model))).toBe(0);
      const minKernel = tf.min(kernel);
      expect(minKernel.dataSync()[0]).toBeGreaterThanOrEqual(0);
      minKernel.dispose();
      expect(parameterMeta(kernel)?.layer).toBe("dense");
      tf.dispose([x, y]);
      untagParameter(kernel);
      model.dispose();
      opt.dispose();
    });

    it("model.save(includeOptimizer) / tf.loadLayersModel restore a ProjectedSGD", async () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
      const opt = new ProjectedSGD({ learningRate: 0.02, clipNorm: { maxNorm: 1, scope: "per-layer" } });
      model.compile({ optimizer: opt, loss: "meanSquaredError" });
      // tfjs-layers encodes the tensors of optimizer.getWeights() but never disposes them (it does
      // the same with tf.train.sgd); collect them here so the test can.
      const handedOut = collectHandedOutWeights(opt);
      const saved = await saveToMemory(model, { includeOptimizer: true });
      expect(saved).toBeDefined();
      tf.dispose(handedOut);
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
      expect(loaded.optimizer).toBeInstanceOf(ProjectedSGD);
      expect((loaded.optimizer as ProjectedSGD).getConfig()).toEqual(opt.getConfig());
      (loaded.optimizer as ProjectedSGD).dispose();
      loaded.dispose();
      model.dispose();
      opt.dispose();
    });
  });

  describe("bad input", () => {
    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("new ProjectedSGD({learningRate: %s}) throws naming the value", (lr) => {
      expect(() => new ProjectedSGD({ learningRate: lr })).toThrow(`ProjectedSGD: learningRate must be a finite number > 0; got ${lr}`);
    });

    it("new ProjectedSGD({clipNorm: {maxNorm <= 0}}) throws naming the value", () => {
      expect(() => new ProjectedSGD({ learningRate: 0.1, clipNorm: { maxNorm: 0, scope: "global" } })).toThrow(
        "ProjectedSGD: clipNorm.maxNorm must be a finite number > 0; got 0",
      );
      expect(() => new ProjectedSGD({ learningRate: 0.1, clipNorm: { maxNorm: -2, scope: "global" } })).toThrow(/got -2/);
      expect(() => new ProjectedSGD({ learningRate: 0.1, clipNorm: { maxNorm: 1, scope: "layer" as "global" } })).toThrow(
        /clipNorm.scope must be one of "global", "per-layer", "per-tensor"; got "layer"/,
      );
    });

    it("new ProjectedSGD({lrBackoff}) rejects a bad minCosine, empty or non-positive factors and an unknown measure", () => {
      expect(() => new ProjectedSGD({ learningRate: 1, lrBackoff: { minCosine: 1.5, factors: [1] } })).toThrow(
        "ProjectedSGD: lrBackoff.minCosine must be a finite number in [-1, 1]; got 1.5",
      );
      expect(() => new ProjectedSGD({ learningRate: 1, lrBackoff: { minCosine: 0.5, factors: [] } })).toThrow(/lrBackoff.factors must be a non-empty array/);
      expect(() => new ProjectedSGD({ learningRate: 1, lrBackoff: { minCosine: 0.5, factors: [1, 0] } })).toThrow(
        "ProjectedSGD: lrBackoff.factors[1] must be a finite number > 0; got 0",
      );
      expect(() => new ProjectedSGD({ learningRate: 1, lrBackoff: { minCosine: 0.5, factors: [1], measure: "angle" as "update" } })).toThrow(
        /lrBackoff.measure must be one of "update", "parameter"; got "angle"/,
      );
    });

    it("new ProjectedSGD rejects a negative frozenSignMagnitude, an unknown untagged policy and a malformed transform", () => {
      expect(() => new ProjectedSGD({ learningRate: 1, frozenSignMagnitude: -1 })).toThrow("ProjectedSGD: frozenSignMagnitude must be a finite number >= 0; got -1");
      expect(() => new ProjectedSGD({ learningRate: 1, untagged: "ignore" as "free" })).toThrow(/untagged must be one of "free", "error"; got "ignore"/);
      expect(() => new ProjectedSGD({ learningRate: 1, transforms: [{ name: "x" } as GradientTransform] })).toThrow(/transforms\[0\] must be a GradientTransform/);
    });

    it("applyGradients with untagged: 'error' throws naming the untagged variable and changes nothing", () => {
      const tagged = taggedVariable([-1], { kind: "nonneg" });
      const loose = taggedVariable([1], null, { name: uniqueName("loose") });
      const opt = new ProjectedSGD({ learningRate: 1, untagged: "error" });
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

    it("applyGradients rejects an unknown variable name and a gradient of the wrong shape", () => {
      const w = taggedVariable([1, 2], { kind: "nonneg" });
      const opt = new ProjectedSGD({ learningRate: 1 });
      const g = tf.tensor1d([1, 2, 3]);
      expect(() => opt.applyGradients({ noSuchVariable: g })).toThrow(/no registered variable named "noSuchVariable"/);
      expect(() => opt.applyGradients({ [w.name]: g })).toThrow(new RegExp(`gradient of "${w.name}" has shape \\[3\\]; the variable has \\[2\\]`));
      g.dispose();
      opt.dispose();
      disposeVariables(w);
    });

    it("applyGradients rejects a column-sign meta on a vector", () => {
      const w = taggedVariable([1, 2], null);
      tagParameter(w, { role: "weight", constraint: { kind: "column-sign", nonnegColumns: 1 }, layer: "l", sizes: { d: 2, ne: 1, ni: 0 } });
      const opt = new ProjectedSGD({ learningRate: 1 });
      const g = tf.tensor1d([1, 2]);
      expect(() => opt.applyGradients({ [w.name]: g })).toThrow(/must be a rank-2 "post x pre" matrix \[outputs, inputs\]; got shape \[2\]/);
      g.dispose();
      opt.dispose();
      disposeVariables(w);
    });
  });
});
