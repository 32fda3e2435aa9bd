import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { saveToMemory, useBackendWithLeakCheck } from "@dale-nn/test-support";
import { buildPaperNetwork, PAPER_MODEL_KINDS } from "./paper-networks.js";
import { taggedParameters } from "@dale-nn/core";
import { parameterMeta } from "@dale-nn/core";

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(await saveToMemory(model)));
}

describe("buildPaperNetwork", () => {
  useBackendWithLeakCheck("cpu", { disposeVariables: true });

  it("buildPaperNetwork({kind:'dann'}) is 784 − 3 × (500 E, 50 I) − 10 (1 I)", () => {
    const model = buildPaperNetwork({ kind: "dann", seed: 0 });
    const shapes = model.trainableWeights.map((w) => `${w.originalName.split("/").pop()}:${w.shape.join("x")}`);
    expect(shapes.slice(0, 6)).toEqual(["wEE:500x784", "wIE:50x784", "wEI:500x50", "alpha:50", "g:500", "beta:500"]);
    expect(shapes.slice(-6)).toEqual(["wEE:10x500", "wIE:1x500", "wEI:10x1", "alpha:1", "g:10", "beta:10"]);
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
  });

  it("buildPaperNetwork({kind:'columnei'}) has 550 units per hidden layer with 500 positive and 50 negative columns downstream", () => {
    const model = buildPaperNetwork({ kind: "columnei", seed: 0 });
    const params = taggedParameters(model).filter((p) => p.meta.role === "weight");
    expect(params.map((p) => p.variable.shape.join("x"))).toEqual(["550x784", "550x550", "550x550", "10x550"]);
    expect(params[0]!.meta.constraint).toEqual({ kind: "nonneg" });
    for (const p of params.slice(1)) expect(p.meta.constraint).toEqual({ kind: "column-sign", nonnegColumns: 500 });
  });

  it("every paper model tags every trainable variable and maps a batch to [batch, 10] logits", () => {
    for (const kind of PAPER_MODEL_KINDS) {
      const model = buildPaperNetwork({ kind, seed: 1, hidden: [20, 20], inhibitory: 4 });
      expect(() => taggedParameters(model)).not.toThrow();
      const y = tf.tidy(() => model.predict(tf.ones([3, 784])) as tf.Tensor);
      expect(y.shape).toEqual([3, 10]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      y.dispose();
    }
  });

  it("the same seed builds identical networks", () => {
    const a = buildPaperNetwork({ kind: "dann", seed: 3, hidden: [8] });
    const b = buildPaperNetwork({ kind: "dann", seed: 3, hidden: [8] });
    a.trainableWeights.forEach((w, i) => expect(w.read().dataSync()).toEqual(b.trainableWeights[i]!.read().dataSync()));
  });

  for (const kind of ["dann", "columnei", "mlp", "batchnorm-mlp"] as const) {
    it(`a '${kind}' model saves and loads through the standard tfjs format with the same outputs and tags`, async () => {
      const model = buildPaperNetwork({ kind, seed: 2, hidden: [16, 16], inhibitory: 3 });
      const loaded = await roundTrip(model);
      const x = tf.randomUniform([4, 784], 0, 1, "float32", 7);
      const y1 = model.predict(x) as tf.Tensor;
      const y2 = loaded.predict(x) as tf.Tensor;
      expect(Array.from(y2.dataSync())).toEqual(Array.from(y1.dataSync()));
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
      const roles = (m: tf.LayersModel) => m.trainableWeights.map((w) => parameterMeta(w.read() as tf.Variable)?.role ?? "untagged");
      if (kind !== "batchnorm-mlp") expect(roles(loaded)).toEqual(roles(model));
      tf.dispose([x, y1, y2]);
    });
  }

  it("normaliseOutput (the reference code's build_densenet) normalises the logits of the LayerNorm and BatchNorm MLPs too, and only theirs", () => {
    const x = tf.randomUniform([32, 784], 0, 1, "float32", 4);
    const ln = buildPaperNetwork({ kind: "layernorm-mlp", seed: 1, normaliseOutput: true });
    expect(ln.layers.at(-1)!.getClassName()).toBe("DaleLayerNorm");
    const perExample = tf.tidy(() => tf.moments(ln.predict(x) as tf.Tensor, -1));
    // Gain 1 and bias 0 at initialisation: each example's 10 logits have mean 0 and (biased) variance 1 up to ε.
    expect(Math.max(...Array.from(perExample.mean.dataSync()).map(Math.abs))).toBeLessThan(1e-5);
    for (const v of perExample.variance.dataSync()) expect(v).toBeCloseTo(1, 3);
    const bn = buildPaperNetwork({ kind: "batchnorm-mlp", seed: 1, normaliseOutput: true });
    expect(bn.layers.at(-1)!.getClassName()).toBe("BatchNormalization");
    const perLogit = tf.tidy(() => tf.moments(bn.apply(x, { training: true }) as tf.Tensor, 0));
    expect(Math.max(...Array.from(perLogit.mean.dataSync()).map(Math.abs))).toBeLessThan(1e-5);
    for (const v of perLogit.variance.dataSync()) expect(v).toBeCloseTo(1, 2);
    const plain = buildPaperNetwork({ kind: "layernorm-mlp", seed: 1 });
    expect(plain.layers.at(-1)!.getClassName()).toBe("StandardDense");
    expect(plain.layers).toHaveLength(ln.layers.length - 1);
    expect(() => buildPaperNetwork({ kind: "mlp", seed: 1, normaliseOutput: true })).toThrow(/^buildPaperNetwork: normaliseOutput applies to layernorm-mlp and batchnorm-mlp only; got kind "mlp"$/);
    tf.dispose([x, perExample.mean, perExample.variance, perLogit.mean, perLogit.variance]);
    for (const m of [ln, bn, plain]) m.dispose();
  });

  it("mlpFirstLayerInit 'reference-first-layer' draws only the MLP kinds' first layer with std √(1/d), the same draws scaled by 1/√2", () => {
    for (const kind of ["mlp", "layernorm-mlp", "batchnorm-mlp"] as const) {
      const paper = buildPaperNetwork({ kind, seed: 2 });
      const reference = buildPaperNetwork({ kind, seed: 2, mlpFirstLayerInit: "reference-first-layer" });
      const [p0, r0] = [paper.trainableWeights[0]!.read().dataSync(), reference.trainableWeights[0]!.read().dataSync()];
      for (let k = 0; k < 1000; k++) expect(r0[k]!).toBeCloseTo(p0[k]! / Math.SQRT2, 6);
      const later = (m: tf.LayersModel) => m.trainableWeights.find((w, i) => i > 0 && w.shape.length === 2)!.read().dataSync().slice(0, 100);
      expect(Array.from(later(reference))).toEqual(Array.from(later(paper)));
      paper.dispose();
      reference.dispose();
    }
    expect(() => buildPaperNetwork({ kind: "dann", seed: 0, mlpFirstLayerInit: "reference-first-layer" })).toThrow(/^buildPaperNetwork: mlpFirstLayerInit applies to the MLP kinds only; got kind "dann"$/);
  });

  it("buildPaperNetwork rejects an unknown kind", () => {
    // @ts-expect-error unknown kind
    expect(() => buildPaperNetwork({ kind: "resnet", seed: 0 })).toThrow(/unknown model kind "resnet"; expected one of mlp, layernorm-mlp/);
  });
});
