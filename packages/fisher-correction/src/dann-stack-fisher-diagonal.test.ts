import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useLeakCheck } from "@dale-nn/test-support";
import { dannDense } from "@dale-nn/ei-layers";
import { dannStackFisherDiagonal, type DannFisherLayer } from "./dann-stack-fisher-diagonal.js";
import { sampledFisherDiagonal } from "./sampled-fisher-diagonal.js";
import { nonNegativeInput, taggedDannLayer, type TaggedDannLayer } from "./internal/test-fixtures.js";

/** d 7 → (6 E, 2 I) → (5 E, 2 I) → 4 classes (1 I): two ReLU DANN layers and a linear output. */
function stack(seed: number): { tagged: TaggedDannLayer[]; layers: DannFisherLayer[]; logits: (x: tf.Tensor2D) => tf.Tensor2D } {
  const tagged = [taggedDannLayer({ d: 7, ne: 6, ni: 2 }, seed), taggedDannLayer({ d: 6, ne: 5, ni: 2 }, seed + 1), taggedDannLayer({ d: 5, ne: 4, ni: 1 }, seed + 2)];
  const layers = tagged.map((t, i): DannFisherLayer => {
    const v = (k: keyof typeof t.params) => t.params[k] as unknown as tf.Variable;
    return { wEE: v("wEE"), wIE: v("wIE"), wEI: v("wEI"), alpha: v("alpha"), g: v("g"), beta: v("beta"), activation: i < tagged.length - 1 ? "relu" : "linear", eps: 1e-8 };
  });
  const logits = (x: tf.Tensor2D) =>
    tf.tidy(() => tagged.reduce<tf.Tensor2D>((h, t, i) => (i < tagged.length - 1 ? dannDense(h, t.params, { activation: "relu" }) : dannDense(h, t.params)), x));
  return { tagged, layers, logits };
}

/** max |a − b| over max |b| for each variable's estimate. */
function relativeErrors(a: Record<string, tf.Tensor>, b: Record<string, tf.Tensor>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, t] of Object.entries(b)) {
    const x = a[name]!.dataSync();
    const y = t.dataSync();
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < y.length; i++) {
      diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
      scale = Math.max(scale, Math.abs(y[i]!));
    }
    out[name] = scale === 0 ? diff : diff / scale;
  }
  return out;
}

describe("dannStackFisherDiagonal", () => {
  useLeakCheck();

  it("gives sampledFisherDiagonal's per-example-loop estimate of every parameter of a DANN stack, with the same sampled targets", () => {
    const { tagged, layers, logits } = stack(21);
    const x = nonNegativeInput(9, 7, 22);
    const variables = tagged.flatMap((t) => t.variables);
    const slow = sampledFisherDiagonal({ logits, variables, x, rng: 5, lambda: 0.25 });
    const fast = dannStackFisherDiagonal({ layers, x, rng: 5, lambda: 0.25 });
    expect(Array.from(fast.targets)).toEqual(Array.from(slow.targets));
    expect(Object.keys(fast.diagonal).sort()).toEqual(variables.map((v) => v.name).sort());
    for (const [name, e] of Object.entries(relativeErrors(fast.diagonal, slow.diagonal))) expect(e, name).toBeLessThan(1e-4);
    // Not trivially zero: every parameter of the first layer has some Fisher mass.
    for (const v of tagged[0]!.variables) expect(tf.tidy(() => tf.max(fast.diagonal[v.name]!).dataSync()[0]), v.name).toBeGreaterThan(0);
    tf.dispose([...Object.values(slow.diagonal), ...Object.values(fast.diagonal), x]);
    for (const t of tagged) t.dispose();
  });

  it("agrees with fixed targets too, including targets the model finds unlikely", () => {
    const { tagged, layers, logits } = stack(31);
    const x = nonNegativeInput(6, 7, 32);
    const targets = [0, 3, 3, 1, 2, 0];
    const slow = sampledFisherDiagonal({ logits, variables: tagged.flatMap((t) => t.variables), x, targets });
    const fast = dannStackFisherDiagonal({ layers, x, targets });
    for (const [name, e] of Object.entries(relativeErrors(fast.diagonal, slow.diagonal))) expect(e, name).toBeLessThan(1e-4);
    tf.dispose([...Object.values(slow.diagonal), ...Object.values(fast.diagonal), x]);
    for (const t of tagged) t.dispose();
  });

  it("rejects an empty stack, a non-linear last layer, shapes that do not chain and a bad λ, naming them", () => {
    const { tagged, layers } = stack(41);
    const x = nonNegativeInput(3, 7, 42);
    expect(() => dannStackFisherDiagonal({ layers: [], x, rng: 0 })).toThrow(/layers must not be empty/);
    expect(() => dannStackFisherDiagonal({ layers: layers.map((l) => ({ ...l, activation: "relu" })), x, rng: 0 })).toThrow(/the last layer must be "linear"/);
    expect(() => dannStackFisherDiagonal({ layers: [layers[1]!, layers[2]!], x, rng: 0 })).toThrow(/W_EE \[6,\s*6\] does not take inputs of width 7|W_EE/);
    expect(() => dannStackFisherDiagonal({ layers, x, rng: 0, lambda: 0 })).toThrow(/lambda/);
    expect(() => dannStackFisherDiagonal({ layers, x, targets: [0, 9, 1] })).toThrow(/target 9 of example 1 is out of range for 4 classes/);
    x.dispose();
    for (const t of tagged) t.dispose();
  });
});
