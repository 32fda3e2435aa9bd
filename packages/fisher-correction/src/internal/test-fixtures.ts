/**
 * Small tagged models shared by this package's tests. Not part of the library (nothing in
 * index.ts imports it); it imports only tfjs-core and our packages like the library does.
 */
import { tensor, variable, type Tensor1D, type Tensor2D, type Variable } from "@tensorflow/tfjs-core";
import { dannDenseInit, sampleNormal, createRandomSource, type InitArray } from "@dale-nn/ei-init";
import { tagParameter, untagParameter, type DannDenseParams, type ParamMeta, type ParamRole } from "@dale-nn/ei-layers";

let counter = 0;

/** A variable name no other test uses (tfjs variable names are global). */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}_${counter}`;
}

function toVariable(a: InitArray, name: string): Variable {
  const t = tensor(a.values, [...a.shape]);
  const v = variable(t, true, name);
  t.dispose();
  return v;
}

/** A DANN dense layer whose six parameters are tagged variables. */
export interface TaggedDannLayer {
  layer: string;
  params: DannDenseParams;
  variables: Variable[];
  /** Variable name of each role. */
  names: Record<"EE" | "IE" | "EI" | "alpha" | "gain" | "bias", string>;
  dispose(): void;
}

/**
 * A tagged DANN layer initialised with Alg. 1 (plus a little noise on g and β so no gradient is
 * structurally zero).
 */
export function taggedDannLayer(sizes: { d: number; ne: number; ni: number }, seed: number, layer = uniqueName("dann")): TaggedDannLayer {
  const init = dannDenseInit({ ...sizes, seed });
  const rng = createRandomSource(seed + 1000);
  const g = sampleNormal(rng, [sizes.ne], 0.1);
  const beta = sampleNormal(rng, [sizes.ne], 0.1);
  const gValues = { values: g.values.map((v) => 1 + v), shape: g.shape };
  const specs: [keyof TaggedDannLayer["names"], keyof DannDenseParams, InitArray, ParamMeta["constraint"]][] = [
    ["EE", "wEE", init.wEE, { kind: "nonneg" }],
    ["IE", "wIE", init.wIE, { kind: "nonneg" }],
    ["EI", "wEI", init.wEI, { kind: "nonneg" }],
    ["alpha", "alpha", init.alpha, { kind: "free" }],
    ["gain", "g", gValues, { kind: "nonneg" }],
    ["bias", "beta", beta, { kind: "free" }],
  ];
  const params: Partial<DannDenseParams> = {};
  const names: Partial<TaggedDannLayer["names"]> = {};
  const variables: Variable[] = [];
  for (const [role, key, values, constraint] of specs) {
    const v = toVariable(values, `${layer}/${key}`);
    tagParameter(v, { role: role as ParamRole, constraint, layer, sizes });
    (params as Record<string, Tensor1D | Tensor2D>)[key] = v as unknown as Tensor2D;
    names[role] = v.name;
    variables.push(v);
  }
  return {
    layer,
    params: params as DannDenseParams,
    variables,
    names: names as TaggedDannLayer["names"],
    dispose() {
      for (const v of variables) {
        untagParameter(v);
        v.dispose();
      }
    },
  };
}

/** A tagged dense layer y = x Wᵀ + b with roles "weight" and "bias" (W ~ N(0, std²)). */
export function taggedLinearLayer(
  sizes: { d: number; ne: number },
  seed: number,
  std = 0.5,
  layer = uniqueName("linear"),
): { layer: string; w: Variable; b: Variable; dispose(): void } {
  const rng = createRandomSource(seed);
  const w = toVariable(sampleNormal(rng, [sizes.ne, sizes.d], std), `${layer}/w`);
  const b = toVariable(sampleNormal(rng, [sizes.ne], std), `${layer}/b`);
  const meta = { layer, sizes: { ...sizes, ni: 0 }, constraint: { kind: "free" as const } };
  tagParameter(w, { ...meta, role: "weight" });
  tagParameter(b, { ...meta, role: "bias" });
  return {
    layer,
    w,
    b,
    dispose() {
      for (const v of [w, b]) {
        untagParameter(v);
        v.dispose();
      }
    },
  };
}

/** A [rows, cols] tensor of non-negative inputs (|N(0, 1)|), deterministic in `seed`. */
export function nonNegativeInput(rows: number, cols: number, seed: number): Tensor2D {
  const a = sampleNormal(createRandomSource(seed), [rows, cols], 1);
  return tensor(a.values.map(Math.abs), [rows, cols]) as Tensor2D;
}
