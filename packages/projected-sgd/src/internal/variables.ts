import { engine, type Tensor, type Variable } from "@tensorflow/tfjs-core";
import type { VariableCollection, VariableSource } from "../variable-collection.js";

function isVariable(x: unknown): x is Variable {
  return typeof x === "object" && x !== null && typeof (x as Variable).assign === "function" && typeof (x as Variable).name === "string";
}

function isLayerVariableLike(x: unknown): x is { read(): Tensor } {
  return typeof x === "object" && x !== null && typeof (x as { read?: unknown }).read === "function";
}

function toVariable(context: string, source: VariableSource): Variable {
  if (isVariable(source)) return source;
  if (isLayerVariableLike(source)) {
    const v = source.read();
    if (isVariable(v)) return v;
  }
  throw new TypeError(`${context}: expected a tf.Variable or a LayerVariable (with read()); got ${Object.prototype.toString.call(source)}`);
}

/** Flattens any {@link VariableCollection} into a list of variables, in order, without duplicates. */
export function resolveVariables(context: string, collection: VariableCollection): Variable[] {
  let sources: readonly VariableSource[];
  if (Array.isArray(collection)) {
    sources = collection as readonly VariableSource[];
  } else if (isVariable(collection) || isLayerVariableLike(collection)) {
    sources = [collection];
  } else if (typeof collection === "object" && collection !== null && Array.isArray((collection as { weights?: unknown }).weights)) {
    sources = (collection as { weights: readonly VariableSource[] }).weights;
  } else if (typeof collection === "object" && collection !== null) {
    sources = Object.values(collection as Record<string, VariableSource>);
  } else {
    throw new TypeError(`${context}: expected variables, LayerVariables, a model (with weights) or a map of variables; got ${String(collection)}`);
  }
  const seen = new Set<string>();
  const out: Variable[] = [];
  for (const s of sources) {
    const v = toVariable(context, s);
    if (seen.has(v.name)) continue;
    seen.add(v.name);
    out.push(v);
  }
  return out;
}

/** The registered variable of that name, or a clear error. */
export function registeredVariable(context: string, name: string): Variable {
  const v = engine().registeredVariables[name];
  if (v === undefined) {
    throw new Error(`${context}: no registered variable named ${JSON.stringify(name)} (was it disposed?)`);
  }
  return v;
}

/** Shapes equal. */
export function sameShape(a: Tensor | readonly number[], b: Tensor | readonly number[]): boolean {
  const sa = Array.isArray(a) ? (a as readonly number[]) : (a as Tensor).shape;
  const sb = Array.isArray(b) ? (b as readonly number[]) : (b as Tensor).shape;
  return sa.length === sb.length && sa.every((d, i) => d === sb[i]);
}
