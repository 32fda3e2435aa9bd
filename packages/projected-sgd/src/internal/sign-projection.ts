/**
 * The mechanism every projected optimiser shares (ProjectedSGD, ProjectedOptimizer): option
 * validation, gradient collection, variable and constraint resolution, the transform → clip chain,
 * the cached projection aux (column masks, frozen signs), the projection itself and the config
 * entries. Written once; the optimisers differ only in their step.
 * @internal never re-exported from the package
 */
import { keep, serialization, type NamedTensorMap, type Tensor, type Variable } from "@tensorflow/tfjs-core";
import {
  deserializeGradientTransform,
  formatValue,
  parameterMeta,
  requireNonNegative,
  requireOneOf,
  serializeGradientTransform,
  type GradientTransform,
  type NamedGradients,
  type SerializedGradientTransform,
  type SignConstraint,
} from "@dale-nn/core";
import { clipGradientsByNorm, validateClipNormOptions, type ClipNormOptions } from "../clip-gradients-by-norm.js";
import { DEFAULT_FROZEN_SIGN_MAGNITUDE } from "../project-to-constraints.js";
import type { ProjectionOptions, UntaggedPolicy } from "../projection-options.js";
import { checkConstraintShape, columnSignMask, projectWith, signsOf, type ProjectionAux } from "./projection.js";
import { registeredVariable, sameShape } from "./variables.js";

/** A tensor with a name, as `Optimizer.applyGradients` and `getWeights` use (not exported by tfjs-core). */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/** A gradient's variable, constraint and clipping / backoff group. */
export interface ResolvedGradient {
  variable: Variable;
  constraint: SignConstraint;
  group: string;
}

/** One variable's part of a step: its gradient, constraint and projection aux. */
export interface StepEntry extends ResolvedGradient {
  name: string;
  grad: Tensor;
  aux: ProjectionAux;
}

const FREE: SignConstraint = { kind: "free" };

/** The gradients of `applyGradients` as an ordered list of (name, tensor or null), as given. */
export function gradientList(variableGradients: NamedTensorMap | NamedTensor[]): { name: string; tensor: Tensor | null }[] {
  if (Array.isArray(variableGradients)) return variableGradients.map(({ name, tensor }) => ({ name, tensor: tensor ?? null }));
  return Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] ?? null }));
}

/** The non-null gradients of `applyGradients` as a map (a later duplicate name wins). */
export function gradientMap(variableGradients: NamedTensorMap | NamedTensor[]): NamedGradients {
  const out: NamedGradients = {};
  for (const { name, tensor } of gradientList(variableGradients)) if (tensor != null) out[name] = tensor;
  return out;
}

/** Transforms, clipping and the projection onto sign constraints, with their cached tensors. */
export class SignProjection {
  readonly transforms: readonly GradientTransform[];
  readonly clipNorm: Readonly<ClipNormOptions> | undefined;
  readonly frozenSignMagnitude: number;
  readonly untagged: UntaggedPolicy;
  private readonly masks = new Map<string, Tensor>();
  private readonly signs = new Map<string, { id: number; signs: Tensor }>();

  /**
   * @param context - the optimiser's name, for errors
   * @throws RangeError on clipNorm.maxNorm <= 0 or frozenSignMagnitude < 0; TypeError on an unknown
   *   scope or untagged policy, or a transform without name/apply
   */
  constructor(context: string, o: ProjectionOptions) {
    const transforms = o.transforms ?? [];
    if (!Array.isArray(transforms)) throw new TypeError(`${context}: transforms must be an array of GradientTransform; got ${formatValue(transforms)}`);
    transforms.forEach((t: GradientTransform | undefined, i) => {
      if (typeof t !== "object" || t === null || typeof t.name !== "string" || typeof t.apply !== "function") {
        throw new TypeError(`${context}: transforms[${i}] must be a GradientTransform { name, apply(gradients, metaOf) }; got ${formatValue(t)}`);
      }
    });
    this.transforms = [...transforms];
    this.clipNorm = o.clipNorm === undefined ? undefined : validateClipNormOptions(o.clipNorm, context, "clipNorm.");
    this.frozenSignMagnitude = requireNonNegative(context, "frozenSignMagnitude", o.frozenSignMagnitude ?? DEFAULT_FROZEN_SIGN_MAGNITUDE);
    this.untagged = requireOneOf(context, "untagged", o.untagged ?? "free", ["free", "error"] as const);
  }

  /**
   * The registered variable of a gradient, its constraint and its group (`meta.layer`, or the name).
   * @throws Error for an unknown name or a gradient of another shape; TypeError for an untagged
   *   variable under `untagged: "error"`; RangeError for a column-sign meta that does not fit
   */
  resolve(ctx: string, name: string, grad: Tensor): ResolvedGradient {
    const variable = registeredVariable(ctx, name);
    if (!sameShape(grad, variable)) {
      throw new Error(`${ctx}: gradient of ${JSON.stringify(name)} has shape [${grad.shape.join(", ")}]; the variable has [${variable.shape.join(", ")}]`);
    }
    const meta = parameterMeta(name);
    if (meta === undefined && this.untagged === "error") {
      throw new TypeError(
        `${ctx}: variable ${JSON.stringify(name)} has no parameter meta (untagged: "error"); tag it with tagParameter(variable, meta) from @dale-nn/core, or use untagged: "free"`,
      );
    }
    const constraint = meta?.constraint ?? FREE;
    checkConstraintShape(ctx, name, variable.shape, constraint);
    return { variable, constraint, group: meta?.layer ?? `\u0000${name}` };
  }

  /** Δθ = clip(T_k(… T_1(∇θ))): the transforms in order, then Alg. 5. Call inside a tidy. */
  prepare(input: NamedGradients): NamedGradients {
    let grads: NamedGradients = input;
    for (const t of this.transforms) grads = t.apply(grads, parameterMeta);
    if (this.clipNorm !== undefined) grads = clipGradientsByNorm(grads, parameterMeta, this.clipNorm);
    return grads;
  }

  /**
   * When every transform is a constant scaling (has `constantScale`) and there is no clipping
   * (which needs the transformed gradients), the product of the transforms' factors per variable,
   * so that an optimiser can fold them into its step instead of calling {@link prepare}; otherwise
   * undefined.
   */
  constantScales(names: readonly string[]): Map<string, number> | undefined {
    if (this.clipNorm !== undefined || this.transforms.some((t) => typeof t.constantScale !== "function")) return undefined;
    const scales = new Map<string, number>();
    for (const name of names) {
      let scale = 1;
      for (const t of this.transforms) scale *= (t.constantScale as NonNullable<GradientTransform["constantScale"]>)(name, parameterMeta);
      scales.set(name, scale);
    }
    return scales;
  }

  /** {@link resolve} plus the projection aux; records frozen signs at first sight. */
  entry(ctx: string, name: string, grad: Tensor): StepEntry {
    const { variable, constraint, group } = this.resolve(ctx, name, grad);
    return { name, variable, grad, constraint, group, aux: this.auxFor(variable, constraint) };
  }

  /** proj_C(value) for the entry's constraint; `value` itself for free (call inside a tidy). */
  project(e: StepEntry, value: Tensor): Tensor {
    return projectWith(value, e.constraint, e.aux);
  }

  /** The recorded ±1 signs of a frozen-sign variable (owned here), or undefined. */
  frozenSignOf(variableName: string): Tensor | undefined {
    return this.signs.get(variableName)?.signs;
  }

  /** Forgets the recorded frozen signs (all, or of one variable). */
  resetFrozenSigns(variableName?: string): void {
    for (const [name, rec] of [...this.signs]) {
      if (variableName !== undefined && name !== variableName) continue;
      rec.signs.dispose();
      this.signs.delete(name);
    }
  }

  /** The shared options as tfjs ConfigDict entries; transforms as `{ name, config }`. */
  configEntries(): serialization.ConfigDict {
    return {
      transforms: this.transforms.map((t) => {
        const s = serializeGradientTransform(t);
        return { name: s.name, config: s.config as serialization.ConfigDict };
      }),
      clipNorm: this.clipNorm === undefined ? null : { maxNorm: this.clipNorm.maxNorm, scope: this.clipNorm.scope },
      frozenSignMagnitude: this.frozenSignMagnitude,
      untagged: this.untagged,
    };
  }

  /**
   * The shared options from a config written by {@link configEntries}.
   * @throws Error naming an unregistered transform; TypeError when `transforms` is not a list
   */
  static optionsFromConfig(ctx: string, config: serialization.ConfigDict): ProjectionOptions {
    const rawTransforms = config["transforms"] ?? [];
    if (!Array.isArray(rawTransforms)) throw new TypeError(`${ctx}: transforms must be a list of { name, config }; got ${formatValue(rawTransforms)}`);
    const options: ProjectionOptions = {
      transforms: rawTransforms.map((t) => deserializeGradientTransform(t as unknown as SerializedGradientTransform, ctx)),
    };
    if (config["clipNorm"] != null) options.clipNorm = config["clipNorm"] as unknown as ClipNormOptions;
    if (config["frozenSignMagnitude"] != null) options.frozenSignMagnitude = config["frozenSignMagnitude"] as number;
    if (config["untagged"] != null) options.untagged = config["untagged"] as UntaggedPolicy;
    return options;
  }

  /** Disposes the cached masks and frozen signs and calls `dispose()` of every transform that has one. */
  dispose(): void {
    for (const t of this.transforms) t.dispose?.();
    for (const m of this.masks.values()) m.dispose();
    this.masks.clear();
    this.resetFrozenSigns();
  }

  /** Cached column mask or frozen signs for a variable (created and kept on first use). */
  private auxFor(variable: Variable, constraint: SignConstraint): ProjectionAux {
    const aux: ProjectionAux = { magnitude: this.frozenSignMagnitude };
    if (constraint.kind === "column-sign") {
      const key = `${variable.shape.join("x")}:${constraint.nonnegColumns}`;
      let mask = this.masks.get(key);
      if (mask === undefined) {
        mask = keep(columnSignMask(variable.shape, constraint.nonnegColumns));
        this.masks.set(key, mask);
      }
      aux.mask = mask;
    } else if (constraint.kind === "frozen-sign") {
      let rec = this.signs.get(variable.name);
      if (rec === undefined || rec.id !== variable.id || !sameShape(rec.signs, variable)) {
        rec?.signs.dispose();
        rec = { id: variable.id, signs: keep(signsOf(variable)) };
        this.signs.set(variable.name, rec);
      }
      aux.signs = rec.signs;
    }
    return aux;
  }
}
