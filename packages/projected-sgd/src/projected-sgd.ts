import {
  Optimizer,
  add,
  clipByValue,
  div,
  greater,
  keep,
  mul,
  neg,
  scalar,
  serialization,
  sqrt,
  stack,
  sub,
  sum,
  tidy,
  where,
  type NamedTensorMap,
  type Scalar,
  type Tensor,
  type Variable,
} from "@tensorflow/tfjs-core";
import {
  deserializeGradientTransform,
  formatValue,
  parameterMeta,
  requireInRange,
  requireNonNegative,
  requireOneOf,
  requirePositive,
  serializeGradientTransform,
  type GradientTransform,
  type NamedGradients,
  type SerializedGradientTransform,
  type SignConstraint,
} from "@dale-nn/core";
import { clipGradientsByNorm, validateClipNormOptions, type ClipNormOptions } from "./clip-gradients-by-norm.js";
import {
  checkConstraintShape,
  columnSignMask,
  projectWith,
  signsOf,
  type ProjectionAux,
} from "./internal/projection.js";
import { fusedSgdStep } from "./internal/fused-sgd-step.js";
import { registeredVariable, sameShape } from "./internal/variables.js";
import { DEFAULT_FROZEN_SIGN_MAGNITUDE, type FrozenSignSource } from "./project-to-constraints.js";

/**
 * Which cosine {@link LrBackoffOptions} checks (Alg. 6, Cornford et al. 2021, App. E.4):
 * - `update` (default): between the update actually made, proj(θ − ηΔθ) − θ, and the intended
 *   one, −ηΔθ — "the angle made between the gradient and actual updates" of the text
 * - `parameter`: the literal pseudo-code, between proj(θ − ηΔθ) and θ − ηΔθ (parameter vectors, so
 *   it is close to 1 whenever θ is large compared with the step)
 */
export type LrBackoffMeasure = "update" | "parameter";

/** Every {@link LrBackoffMeasure}. */
export const LR_BACKOFF_MEASURES: readonly LrBackoffMeasure[] = ["update", "parameter"];

/** Learning-rate backoff (Alg. 6), per layer. */
export interface LrBackoffOptions {
  /** M of Alg. 6: the smallest acceptable cosine, in [−1, 1]. */
  minCosine: number;
  /**
   * Factors tried in order; the layer's step uses η · factors[i] for the first i whose cosine is
   * >= minCosine, or the last factor when none is. (Alg. 6 lists absolute rates ξ_i; factors of η
   * keep a learning-rate schedule working. For absolute rates, use learningRate 1 and factors ξ.)
   */
  factors: readonly number[];
  /** Which cosine is checked; default `update`. */
  measure?: LrBackoffMeasure;
}

/** What {@link ProjectedSGD} does with a gradient whose variable has no meta. */
export type UntaggedPolicy = "free" | "error";

/** Options of {@link ProjectedSGD}. */
export interface ProjectedSGDOptions {
  /** η, a finite number > 0. */
  learningRate: number;
  /** Applied in order to the gradients before clipping and the step, e.g. the DANN correction (Alg. 3). */
  transforms?: readonly GradientTransform[];
  /** Gradient-norm clipping (Alg. 5), after the transforms. */
  clipNorm?: ClipNormOptions;
  /** Per-layer learning-rate backoff (Alg. 6). Reads one small tensor back to the host per step. */
  lrBackoff?: LrBackoffOptions;
  /** m, the magnitude a frozen-sign element is clamped to when it would cross zero; default 1e-6. */
  frozenSignMagnitude?: number;
  /** A gradient for an untagged variable: treat it as `free` (default) or throw naming the variable. */
  untagged?: UntaggedPolicy;
}

/** The factor Alg. 6 picked for one layer in the last step, and the cosine it gave. */
export interface BackoffChoice {
  factor: number;
  cosine: number;
}

/** A tensor with a name, as `Optimizer.applyGradients` and `getWeights` use (not exported by tfjs-core). */
interface NamedTensor {
  name: string;
  tensor: Tensor;
}

const FREE: SignConstraint = { kind: "free" };
/** Marks ProjectedSGD instances, across copies of this package, for `instanceof`. */
const BRAND: unique symbol = Symbol.for("@dale-nn/projected-sgd:ProjectedSGD");
const CONTEXT = "ProjectedSGD";

interface StepEntry {
  name: string;
  variable: Variable;
  grad: Tensor;
  constraint: SignConstraint;
  group: string;
  aux: ProjectionAux;
}

/**
 * Projected stochastic gradient descent for sign-constrained (Dale's-law) networks: Alg. 2 of
 * Cornford et al. (2021), App. E.2, with the optional gradient transforms (Alg. 3/4), gradient-norm
 * clipping (Alg. 5) and learning-rate backoff (Alg. 6) of App. E.3–E.4, and the sign freezing of
 * Li et al. (2023), Sec. 3.3. One step:
 *
 *   Δθ = clip(T_k(… T_1(∇θ)))            transforms in order, then Alg. 5
 *   θ ← θ − η Δθ                          (η · factor per layer with Alg. 6)
 *   θ ← proj_C(θ)                         per the variable's sign constraint:
 *     nonneg max(θ, 0) · nonpos min(θ, 0) · column-sign by column · frozen-sign s ⊙ max(s ⊙ θ, m) · free θ
 *
 * Constraints come from the meta tagged on each variable (`tagParameter` of `@dale-nn/core`; the layers of `@dale-nn/ei-layers` tag their own),
 * never from names. Frozen signs s are recorded (0 counted as +) the first time the optimiser sees
 * a variable. The default path stays on the device; only `lrBackoff` reads back (one small tensor
 * per step). Registered for tfjs serialization as `ProjectedSGD`; pass an instance to
 * `model.compile({ optimizer })`.
 *
 * @example
 * const opt = new ProjectedSGD({ learningRate: 0.1, clipNorm: { maxNorm: 1, scope: "per-layer" } });
 * opt.minimize(() => loss(), false, [wEE, wIE, wEI, alpha, g, beta]);
 * opt.dispose();
 */
export class ProjectedSGD extends Optimizer implements FrozenSignSource {
  /** tfjs serialization name. */
  static className = "ProjectedSGD";

  /**
   * tfjs-core makes `x instanceof Optimizer` true for any object with `minimize`,
   * `computeGradients` and `applyGradients`, and subclasses inherit that, so without this
   * `tf.train.sgd(0.1) instanceof ProjectedSGD` would be true. Checks a brand instead (which also
   * holds across duplicate copies of this package).
   */
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === "object" && instance !== null && (instance as { [BRAND]?: unknown })[BRAND] === true;
  }

  private readonly [BRAND] = true;

  private lr: number;
  private lrTensor: Scalar | null = null;
  private readonly transforms_: readonly GradientTransform[];
  private readonly clipNorm_: Readonly<ClipNormOptions> | undefined;
  private readonly lrBackoff_: Readonly<Required<LrBackoffOptions>> | undefined;
  private readonly untagged_: UntaggedPolicy;
  private readonly masks = new Map<string, Tensor>();
  private readonly signs = new Map<string, { id: number; signs: Tensor }>();
  private lastBackoff_: Record<string, BackoffChoice> = {};

  /** m, the magnitude frozen-sign elements are clamped to. */
  readonly frozenSignMagnitude: number;

  /**
   * @param options - see {@link ProjectedSGDOptions}; a number is taken as the learning rate
   * @throws RangeError when learningRate is not a finite number > 0, clipNorm.maxNorm is not > 0,
   *   lrBackoff.minCosine is outside [−1, 1], a backoff factor is not > 0, or frozenSignMagnitude < 0;
   *   TypeError on an unknown scope, measure or untagged policy, or a transform without name/apply
   */
  constructor(options: ProjectedSGDOptions | number) {
    super();
    const o: ProjectedSGDOptions = typeof options === "number" ? { learningRate: options } : options;
    if (typeof o !== "object" || o === null) {
      throw new TypeError(`${CONTEXT}: options must be an object { learningRate, ... } or a learning rate; got ${formatValue(options)}`);
    }
    this.lr = requirePositive(CONTEXT, "learningRate", o.learningRate);
    const transforms = o.transforms ?? [];
    if (!Array.isArray(transforms)) throw new TypeError(`${CONTEXT}: transforms must be an array of GradientTransform; got ${formatValue(transforms)}`);
    transforms.forEach((t: GradientTransform | undefined, i) => {
      if (typeof t !== "object" || t === null || typeof t.name !== "string" || typeof t.apply !== "function") {
        throw new TypeError(`${CONTEXT}: transforms[${i}] must be a GradientTransform { name, apply(gradients, metaOf) }; got ${formatValue(t)}`);
      }
    });
    this.transforms_ = [...transforms];
    this.clipNorm_ = o.clipNorm === undefined ? undefined : validateClipNormOptions(o.clipNorm, CONTEXT, "clipNorm.");
    this.lrBackoff_ = o.lrBackoff === undefined ? undefined : validateBackoff(o.lrBackoff);
    this.frozenSignMagnitude = requireNonNegative(CONTEXT, "frozenSignMagnitude", o.frozenSignMagnitude ?? DEFAULT_FROZEN_SIGN_MAGNITUDE);
    this.untagged_ = requireOneOf(CONTEXT, "untagged", o.untagged ?? "free", ["free", "error"] as const);
  }

  /** η. Setting it (e.g. from a schedule) validates it like the constructor does. */
  get learningRate(): number {
    return this.lr;
  }

  set learningRate(value: number) {
    this.setLearningRate(value);
  }

  /**
   * Sets η (as `tf.SGDOptimizer.setLearningRate`).
   * @throws RangeError unless value is a finite number > 0
   */
  setLearningRate(value: number): void {
    this.lr = requirePositive(CONTEXT, "learningRate", value);
    if (this.lrTensor !== null) {
      this.lrTensor.dispose();
      this.lrTensor = null;
    }
  }

  /** The gradient transforms, in the order they run. */
  get transforms(): readonly GradientTransform[] {
    return this.transforms_;
  }

  /** The clipping options, if any. */
  get clipNorm(): Readonly<ClipNormOptions> | undefined {
    return this.clipNorm_;
  }

  /** The backoff options (measure filled in), if any. */
  get lrBackoff(): Readonly<Required<LrBackoffOptions>> | undefined {
    return this.lrBackoff_;
  }

  /** The policy for untagged variables. */
  get untagged(): UntaggedPolicy {
    return this.untagged_;
  }

  /** Per layer (`meta.layer`, or the variable name when untagged): the factor and cosine Alg. 6 chose in the last step. */
  get lastBackoff(): Readonly<Record<string, BackoffChoice>> {
    return this.lastBackoff_;
  }

  /**
   * The signs (±1) recorded for a frozen-sign variable, or `undefined` before the optimiser has
   * seen it. Owned by the optimiser: do not dispose.
   */
  frozenSignOf(variableName: string): Tensor | undefined {
    return this.signs.get(variableName)?.signs;
  }

  /** Forgets the recorded frozen signs (all, or of one variable); they are recorded again at the next step. */
  resetFrozenSigns(variableName?: string): void {
    for (const [name, rec] of [...this.signs]) {
      if (variableName !== undefined && name !== variableName) continue;
      rec.signs.dispose();
      this.signs.delete(name);
    }
  }

  /**
   * One step: transforms, clipping, θ ← θ − η Δθ, projection (see the class docs).
   *
   * @param variableGradients - gradients by variable name, as a map or a list (`null` entries skipped); not disposed
   * @throws Error when a name is not a registered variable or a gradient's shape differs from its
   *   variable's; TypeError for an untagged variable with `untagged: "error"`; RangeError for a
   *   column-sign meta that does not fit its variable
   */
  applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const ctx = `${CONTEXT}.applyGradients`;
    const input: NamedGradients = {};
    if (Array.isArray(variableGradients)) {
      for (const { name, tensor } of variableGradients) if (tensor != null) input[name] = tensor;
    } else {
      for (const name of Object.keys(variableGradients)) {
        const t = variableGradients[name];
        if (t != null) input[name] = t;
      }
    }
    for (const [name, g] of Object.entries(input)) this.resolve(ctx, name, g);
    tidy(() => {
      let grads: NamedGradients = input;
      for (const t of this.transforms_) grads = t.apply(grads, parameterMeta);
      if (this.clipNorm_ !== undefined) grads = clipGradientsByNorm(grads, parameterMeta, this.clipNorm_);
      const entries: StepEntry[] = [];
      for (const [name, grad] of Object.entries(grads)) {
        if (grad == null) continue;
        const { variable, constraint, group } = this.resolve(ctx, name, grad);
        entries.push({ name, variable, grad, constraint, group, aux: this.auxFor(variable, constraint) });
      }
      if (this.lrBackoff_ !== undefined) {
        this.stepWithBackoff(entries, this.lrBackoff_);
      } else {
        const eta = this.learningRateTensor();
        for (const e of entries) {
          const fused = fusedSgdStep(e.variable, e.grad, eta, e.constraint);
          e.variable.assign(fused ?? projectWith(sub(e.variable, mul(eta, e.grad)), e.constraint, e.aux));
        }
      }
    });
    this.incrementIterations();
  }

  /** Disposes the cached learning-rate scalar, column masks and frozen signs, and calls `dispose()` of every transform that has one. */
  override dispose(): void {
    for (const t of this.transforms_) t.dispose?.();
    this.lrTensor?.dispose();
    this.lrTensor = null;
    for (const m of this.masks.values()) m.dispose();
    this.masks.clear();
    this.resetFrozenSigns();
  }

  /**
   * The iteration count (as `tf.SGDOptimizer`). Frozen signs are not saved: after a projected step
   * every frozen-sign element has |θ| >= m > 0, so the signs recorded again from the restored
   * weights are the same.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations()];
  }

  /** Restores the iteration count. @throws Error when more than the iteration count is given. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    if (rest.length !== 0) {
      throw new Error(`${CONTEXT}.setWeights: expected only the iteration count; got ${rest.length} more weight(s): ${rest.map((w) => w.name).join(", ")}`);
    }
  }

  /** Options as a tfjs ConfigDict; transforms as `{ name, config }` (see `registerGradientTransform`). */
  getConfig(): serialization.ConfigDict {
    return {
      learningRate: this.lr,
      transforms: this.transforms_.map((t) => {
        const s = serializeGradientTransform(t);
        return { name: s.name, config: s.config as serialization.ConfigDict };
      }),
      clipNorm: this.clipNorm_ === undefined ? null : { maxNorm: this.clipNorm_.maxNorm, scope: this.clipNorm_.scope },
      lrBackoff:
        this.lrBackoff_ === undefined
          ? null
          : { minCosine: this.lrBackoff_.minCosine, factors: [...this.lrBackoff_.factors], measure: this.lrBackoff_.measure },
      frozenSignMagnitude: this.frozenSignMagnitude,
      untagged: this.untagged_,
    };
  }

  /**
   * Rebuilds an optimiser from {@link ProjectedSGD.getConfig}; transforms through the registry of
   * `registerGradientTransform`.
   * @throws Error naming an unregistered transform; the constructor's errors on bad options
   */
  static override fromConfig<T extends serialization.Serializable>(cls: serialization.SerializableConstructor<T>, config: serialization.ConfigDict): T {
    return new cls(ProjectedSGD.optionsFromConfig(config));
  }

  /**
   * Options from a config written by {@link ProjectedSGD.getConfig}.
   * @throws Error naming an unregistered transform; TypeError when `transforms` is not a list
   */
  static optionsFromConfig(config: serialization.ConfigDict): ProjectedSGDOptions {
    const ctx = `${CONTEXT}.fromConfig`;
    const rawTransforms = config["transforms"] ?? [];
    if (!Array.isArray(rawTransforms)) throw new TypeError(`${ctx}: transforms must be a list of { name, config }; got ${formatValue(rawTransforms)}`);
    const options: ProjectedSGDOptions = {
      learningRate: config["learningRate"] as number,
      transforms: rawTransforms.map((t) => deserializeGradientTransform(t as unknown as SerializedGradientTransform, ctx)),
    };
    if (config["clipNorm"] != null) options.clipNorm = config["clipNorm"] as unknown as ClipNormOptions;
    if (config["lrBackoff"] != null) options.lrBackoff = config["lrBackoff"] as unknown as LrBackoffOptions;
    if (config["frozenSignMagnitude"] != null) options.frozenSignMagnitude = config["frozenSignMagnitude"] as number;
    if (config["untagged"] != null) options.untagged = config["untagged"] as UntaggedPolicy;
    return options;
  }

  private learningRateTensor(): Scalar {
    if (this.lrTensor === null) this.lrTensor = keep(scalar(this.lr));
    return this.lrTensor;
  }

  private resolve(ctx: string, name: string, grad: Tensor): { variable: Variable; constraint: SignConstraint; group: string } {
    const variable = registeredVariable(ctx, name);
    if (!sameShape(grad, variable)) {
      throw new Error(`${ctx}: gradient of ${JSON.stringify(name)} has shape [${grad.shape.join(", ")}]; the variable has [${variable.shape.join(", ")}]`);
    }
    const meta = parameterMeta(name);
    if (meta === undefined && this.untagged_ === "error") {
      throw new TypeError(
        `${ctx}: variable ${JSON.stringify(name)} has no parameter meta (untagged: "error"); tag it with tagParameter(variable, meta) from @dale-nn/core, or use untagged: "free"`,
      );
    }
    const constraint = meta?.constraint ?? FREE;
    checkConstraintShape(ctx, name, variable.shape, constraint);
    return { variable, constraint, group: meta?.layer ?? `\u0000${name}` };
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

  /** Alg. 6: per layer, the first factor whose cosine passes (else the last), then the projected step. */
  private stepWithBackoff(entries: readonly StepEntry[], backoff: Readonly<Required<LrBackoffOptions>>): void {
    const groups = new Map<string, StepEntry[]>();
    for (const e of entries) {
      const g = groups.get(e.group);
      if (g) g.push(e);
      else groups.set(e.group, [e]);
    }
    const { factors, minCosine, measure } = backoff;
    const cosines: Scalar[] = [];
    for (const group of groups.values()) {
      for (const f of factors) cosines.push(tidy(() => backoffCosine(group, scalar(this.lr * f), measure)));
    }
    if (cosines.length === 0) {
      this.lastBackoff_ = {};
      return;
    }
    const values = stack(cosines).dataSync();
    const chosen: Record<string, BackoffChoice> = {};
    let gi = 0;
    for (const [key, group] of groups) {
      let pick = factors.length - 1;
      for (let i = 0; i < factors.length; i++) {
        if ((values[gi * factors.length + i] as number) >= minCosine) {
          pick = i;
          break;
        }
      }
      const factor = factors[pick] as number;
      chosen[key.startsWith("\u0000") ? key.slice(1) : key] = { factor, cosine: values[gi * factors.length + pick] as number };
      const eta = scalar(this.lr * factor);
      for (const e of group) e.variable.assign(projectWith(sub(e.variable, mul(eta, e.grad)), e.constraint, e.aux));
      gi++;
    }
    this.lastBackoff_ = chosen;
  }
}

serialization.registerClass(ProjectedSGD);

function validateBackoff(b: LrBackoffOptions): Required<LrBackoffOptions> {
  if (typeof b !== "object" || b === null) {
    throw new TypeError(`${CONTEXT}: lrBackoff must be an object { minCosine, factors, measure? }; got ${formatValue(b)}`);
  }
  const minCosine = requireInRange(CONTEXT, "lrBackoff.minCosine", b.minCosine, -1, 1);
  if (!Array.isArray(b.factors) || b.factors.length === 0) {
    throw new RangeError(`${CONTEXT}: lrBackoff.factors must be a non-empty array of numbers > 0; got ${formatValue(b.factors)}`);
  }
  const factors = b.factors.map((f, i) => requirePositive(CONTEXT, `lrBackoff.factors[${i}]`, f));
  const measure = requireOneOf(CONTEXT, "lrBackoff.measure", b.measure ?? "update", LR_BACKOFF_MEASURES);
  return { minCosine, factors, measure };
}

/**
 * Cosine of Alg. 6 over one layer's parameters taken together, for step size η:
 * `update`: cos(proj(θ − ηΔ) − θ, −ηΔ); `parameter`: cos(proj(θ − ηΔ), θ − ηΔ).
 * 1 when the intended vector is zero (nothing to follow), 0 when only the actual one is.
 */
function backoffCosine(group: readonly StepEntry[], eta: Scalar, measure: LrBackoffMeasure): Scalar {
  let dot: Scalar = scalar(0);
  let actual: Scalar = scalar(0);
  let intended: Scalar = scalar(0);
  for (const e of group) {
    const step = mul(eta, e.grad);
    const moved = sub(e.variable, step);
    const projected = projectWith(moved, e.constraint, e.aux);
    const a = measure === "update" ? sub(projected, e.variable) : projected;
    const b = measure === "update" ? neg(step) : moved;
    dot = add(dot, sum(mul(a, b)));
    actual = add(actual, sum(mul(a, a)));
    intended = add(intended, sum(mul(b, b)));
  }
  const cos = clipByValue(div(dot, mul(sqrt(actual), sqrt(intended))), -1, 1);
  return where(greater(intended, 0), where(greater(actual, 0), cos, scalar(0)), scalar(1)) as Scalar;
}
