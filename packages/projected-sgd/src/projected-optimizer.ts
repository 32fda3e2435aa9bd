import {
  Optimizer,
  Tensor,
  Variable,
  cast,
  clone,
  serialization,
  tidy,
  type NamedTensorMap,
} from "@tensorflow/tfjs-core";
import { formatValue, requirePositive, type GradientTransform, type NamedGradients } from "@dale-nn/core";
import type { ClipNormOptions } from "./clip-gradients-by-norm.js";
import { fusedInnerStep } from "./internal/fused-inner-step.js";
import { gradientList, SignProjection, type NamedTensor, type StepEntry } from "./internal/sign-projection.js";
import type { FrozenSignSource } from "./project-to-constraints.js";
import { PROJECTION_OPTION_KEYS, type ProjectionOptions, type UntaggedPolicy } from "./projection-options.js";

/** Marks ProjectedOptimizer instances, across copies of this package, for `instanceof`. */
const BRAND: unique symbol = Symbol.for("@dale-nn/projected-sgd:ProjectedOptimizer");
const SGD_BRAND = Symbol.for("@dale-nn/projected-sgd:ProjectedSGD");
const CONTEXT = "ProjectedOptimizer";

/**
 * State that a tfjs optimiser keeps but leaves out of its `getWeights()`, by class name: tfjs's
 * Adam rebuilds β₁ᵗ and β₂ᵗ on `setWeights` as pow(β, t + 1), which differs in the last bit from
 * its running product for most t, so a resumed run would drift from an uninterrupted one. The
 * wrapper saves these scalars after the inner optimiser's weights, under reserved names.
 */
const HIDDEN_STATE: Readonly<Record<string, readonly string[]>> = { Adam: ["accBeta1", "accBeta2"] };
const HIDDEN_PREFIX = `${CONTEXT}/`;

/** Anything with a writable learning rate, as tfjs's optimisers have. */
interface LearningRateHolder {
  learningRate?: unknown;
  setLearningRate?: (value: number) => void;
}

/**
 * Any tfjs optimiser with the sign-constraint projection of Dale's-law networks around it: the
 * gradient transforms (Alg. 3/4) and gradient-norm clipping (Alg. 5) of Cornford et al. (2021),
 * App. E.3–E.4, before the wrapped optimiser's own step, and the projection of Alg. 2 (App. E.2,
 * generalised to every sign constraint, with the sign freezing of Li et al. 2023, Sec. 3.3) after it:
 *
 *   Δθ = clip(T_k(… T_1(∇θ)))            transforms in order, then Alg. 5
 *   θ' = inner.step(θ, Δθ)                e.g. Adam: m ← β₁m + (1−β₁)Δθ, v ← β₂v + (1−β₂)Δθ²,
 *                                          θ' = θ − η m̂ / (√v̂ + ε)
 *   θ ← proj_C(θ')                        nonneg max(θ', 0) · nonpos min(θ', 0) · column-sign by column ·
 *                                          frozen-sign s ⊙ max(s ⊙ θ', m) · free θ'
 *
 * The projection is the same code as {@link ProjectedSGD}'s (one mechanism), and the inner
 * optimiser's state (moments, accumulators) sees the transformed, clipped gradients, never the
 * projection. (The projection is Euclidean, not in Adam's metric: the "step, then clamp" of the
 * reference code and of PsychRNN-style training with Adam.) `ProjectedSGD` stays the SGD special
 * case with its fused kernel and Alg. 6 backoff; `projected(tf.train.sgd(η))` gives the same numbers.
 *
 * Constraints come from the meta tagged on each variable (`tagParameter` of `@dale-nn/core`), never
 * from names. Registered for tfjs serialization as `ProjectedOptimizer` (the inner optimiser is
 * stored by its class name and config), so `model.compile({ optimizer })`, `model.save(…,
 * { includeOptimizer: true })` and `tf.loadLayersModel` work.
 *
 * @example
 * const opt = projected(tf.train.adam(1e-3), { clipNorm: { maxNorm: 1, scope: "global" } });
 * opt.minimize(() => loss(), false, vars);
 * opt.dispose(); // also disposes the Adam state
 */
export class ProjectedOptimizer extends Optimizer implements FrozenSignSource {
  /** tfjs serialization name. */
  static className = "ProjectedOptimizer";

  /**
   * tfjs-core makes `x instanceof Optimizer` true for any object with `minimize`,
   * `computeGradients` and `applyGradients`, and subclasses inherit that; checks a brand instead
   * (which also holds across duplicate copies of this package).
   */
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === "object" && instance !== null && (instance as { [BRAND]?: unknown })[BRAND] === true;
  }

  private readonly [BRAND] = true;

  /** Transforms, clipping, the projection and its cached tensors: the mechanism shared with ProjectedSGD. */
  private readonly projection: SignProjection;

  /** The wrapped optimiser; owned by this one (disposed by {@link ProjectedOptimizer.dispose}). */
  readonly inner: Optimizer;

  /** m, the magnitude frozen-sign elements are clamped to. */
  readonly frozenSignMagnitude: number;

  /**
   * @param inner - the tfjs optimiser whose step is projected (`tf.train.adam(…)`, `rmsprop`,
   *   `momentum`, `adagrad`, `sgd`, …); the wrapper owns it from now on
   * @param options - see {@link ProjectionOptions}
   * @throws TypeError when inner is not a tfjs Optimizer or is already projected, or on an unknown
   *   option (e.g. `lrBackoff`, which only ProjectedSGD has); the errors of {@link ProjectionOptions}
   */
  constructor(inner: Optimizer, options: ProjectionOptions = {}) {
    super();
    if (typeof inner !== "object" || inner === null || !(inner instanceof Optimizer)) {
      throw new TypeError(`${CONTEXT}: inner must be a tfjs Optimizer (e.g. tf.train.adam(1e-3)); got ${formatValue(inner)}`);
    }
    const brands = inner as unknown as Record<symbol, unknown>;
    if (brands[BRAND] === true || brands[SGD_BRAND] === true) {
      throw new TypeError(
        `${CONTEXT}: inner is already a projected optimiser (${inner.getClassName()}); wrap the plain tfjs optimiser instead, or the transforms and clipping would run twice`,
      );
    }
    checkProjectionOptionKeys(CONTEXT, options);
    this.inner = inner;
    this.projection = new SignProjection(CONTEXT, options);
    this.frozenSignMagnitude = this.projection.frozenSignMagnitude;
  }

  /** The inner optimiser's iteration count (the wrapper steps it exactly once per applyGradients). */
  override get iterations(): number {
    return this.inner.iterations;
  }

  /**
   * η of the inner optimiser. Setting it (e.g. from a schedule) validates it and forwards it the
   * way the inner optimiser needs: `setLearningRate` where it has one (tfjs's SGD and momentum
   * cache −η as a scalar that only `setLearningRate` refreshes), else its `learningRate` field
   * (Adam, RMSProp, Adagrad, Adadelta, Adamax read it at every step).
   * @throws TypeError when the inner optimiser has no numeric learningRate
   */
  get learningRate(): number {
    const lr = (this.inner as unknown as LearningRateHolder).learningRate;
    if (typeof lr !== "number") {
      throw new TypeError(`${CONTEXT}: the inner optimiser ${this.inner.getClassName()} has no numeric learningRate; got ${formatValue(lr)}`);
    }
    return lr;
  }

  set learningRate(value: number) {
    this.setLearningRate(value);
  }

  /**
   * Sets η of the inner optimiser (see {@link ProjectedOptimizer.learningRate}).
   * @throws RangeError unless value is a finite number > 0; TypeError when the inner optimiser has no learning rate
   */
  setLearningRate(value: number): void {
    const lr = requirePositive(CONTEXT, "learningRate", value);
    const holder = this.inner as unknown as LearningRateHolder;
    if (typeof holder.setLearningRate === "function") {
      holder.setLearningRate(lr);
    } else if (typeof holder.learningRate === "number") {
      holder.learningRate = lr;
    } else {
      throw new TypeError(`${CONTEXT}: cannot set the learning rate of ${this.inner.getClassName()}: it has neither setLearningRate nor a numeric learningRate`);
    }
  }

  /** The gradient transforms, in the order they run. */
  get transforms(): readonly GradientTransform[] {
    return this.projection.transforms;
  }

  /** The clipping options, if any. */
  get clipNorm(): Readonly<ClipNormOptions> | undefined {
    return this.projection.clipNorm;
  }

  /** The policy for untagged variables. */
  get untagged(): UntaggedPolicy {
    return this.projection.untagged;
  }

  /**
   * The signs (±1) recorded for a frozen-sign variable, or `undefined` before the optimiser has
   * seen it. Owned by the optimiser: do not dispose.
   */
  frozenSignOf(variableName: string): Tensor | undefined {
    return this.projection.frozenSignOf(variableName);
  }

  /** Forgets the recorded frozen signs (all, or of one variable); they are recorded again at the next step. */
  resetFrozenSigns(variableName?: string): void {
    this.projection.resetFrozenSigns(variableName);
  }

  /**
   * One step: transforms, clipping, the inner optimiser's `applyGradients`, then the projection of
   * every constrained variable that had a gradient (see the class docs). The inner optimiser gets
   * the gradients as a list in the order given (tfjs's optimisers key their state by position),
   * with `null` where a gradient is missing.
   *
   * @param variableGradients - gradients by variable name, as a map or a list (`null` entries skipped); not disposed
   * @throws Error when a name is not a registered variable, appears twice, or a gradient's shape
   *   differs from its variable's, or a transform returns a gradient for a name it was not given;
   *   TypeError for an untagged variable with `untagged: "error"`; RangeError for a column-sign meta
   *   that does not fit its variable. Nothing is changed when it throws.
   */
  applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const ctx = `${CONTEXT}.applyGradients`;
    const list = gradientList(variableGradients);
    const input: NamedGradients = {};
    const seen = new Set<string>();
    for (const { name, tensor } of list) {
      if (seen.has(name)) throw new Error(`${ctx}: variable ${JSON.stringify(name)} appears more than once in the gradients`);
      seen.add(name);
      if (tensor == null) continue;
      this.projection.resolve(ctx, name, tensor);
      input[name] = tensor;
    }
    const order = list.map(({ name }) => name);
    // The fast path: tfjs's SGD / momentum / Adam rule and the projection for every variable in
    // one multi-tensor kernel call, constant gradient scalings (the DANN correction) folded in.
    const scales = this.projection.constantScales(Object.keys(input));
    if (scales !== undefined) {
      const direct = list.filter(({ tensor }) => tensor != null).map(({ name, tensor }) => this.projection.entry(ctx, name, tensor as Tensor));
      if (fusedInnerStep(this.inner, order, direct, scales)) return;
    }
    const prepared = tidy(() => this.projection.prepare(input));
    try {
      for (const name of Object.keys(prepared)) {
        if (!Object.prototype.hasOwnProperty.call(input, name)) {
          throw new Error(
            `${ctx}: a gradient transform returned a gradient for ${JSON.stringify(name)}, which was not among the gradients given (${Object.keys(input)
              .map((n) => JSON.stringify(n))
              .join(", ")}); transforms must keep the names they are given`,
          );
        }
      }
      // Resolved (and frozen signs recorded) before the inner step changes the values.
      const entries: StepEntry[] = [];
      for (const { name } of list) {
        const grad = prepared[name];
        if (grad != null) entries.push(this.projection.entry(ctx, name, grad));
      }
      if (!fusedInnerStep(this.inner, order, entries)) {
        this.inner.applyGradients(list.map(({ name }) => ({ name, tensor: (prepared[name] ?? null) as Tensor })));
        tidy(() => {
          for (const e of entries) if (e.constraint.kind !== "free") e.variable.assign(this.projection.project(e, e.variable));
        });
      }
    } finally {
      const given = new Set(Object.values(input));
      for (const t of Object.values(prepared)) if (t != null && !given.has(t)) t.dispose();
    }
  }

  /**
   * Disposes the inner optimiser (its state: moments, accumulators, cached scalars, including the
   * −η scalar that tfjs's own MomentumOptimizer.dispose leaves behind), the cached
   * column masks and frozen signs, and calls `dispose()` of every transform that has one.
   */
  override dispose(): void {
    this.projection.dispose();
    this.inner.dispose();
    // tfjs 4.22's MomentumOptimizer.dispose() does not dispose the −η scalar its SGD base keeps.
    const c = (this.inner as unknown as { c?: unknown }).c;
    if (c instanceof Tensor && !c.isDisposed) c.dispose();
  }

  /**
   * The inner optimiser's weights (the iteration count first, then its state, in its own order and
   * names, e.g. Adam's `<var>/m` and `<var>/v`), then the state tfjs's Adam leaves out (β₁ᵗ, β₂ᵗ as
   * `ProjectedOptimizer/accBeta1` and `…/accBeta2`), so that a restored run continues bit for bit.
   * Every returned tensor belongs to the caller (state variables are copied; tfjs's own Adam hands
   * out its live variables instead). Frozen signs are not saved: after a projected step every
   * frozen-sign element has |θ| >= m > 0, so the signs recorded again from the restored weights
   * are the same.
   * @throws what the inner optimiser's getWeights throws (e.g. tfjs's Adamax has none)
   */
  override async getWeights(): Promise<NamedTensor[]> {
    const own = await this.inner.getWeights();
    const out = own.map(({ name, tensor }) => ({ name, tensor: tensor instanceof Variable ? clone(tensor) : tensor }));
    for (const [field, t] of this.hiddenState()) out.push({ name: `${HIDDEN_PREFIX}${field}`, tensor: clone(t) });
    return out;
  }

  /**
   * Restores weights written by {@link ProjectedOptimizer.getWeights} (or by the inner optimiser's
   * own getWeights, without the extra entries) into the inner optimiser, and disposes the state it
   * replaces. The given tensors stay the caller's.
   * @throws Error on an extra entry the inner optimiser does not have; what the inner setWeights throws
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const ctx = `${CONTEXT}.setWeights`;
    const fields = HIDDEN_STATE[this.inner.getClassName()] ?? [];
    const extras = new Map<string, Tensor>();
    const rest: NamedTensor[] = [];
    for (const w of weightValues) {
      if (w.name.startsWith(HIDDEN_PREFIX)) {
        const field = w.name.slice(HIDDEN_PREFIX.length);
        if (!fields.includes(field)) {
          throw new Error(`${ctx}: weight ${JSON.stringify(w.name)} is not state of ${this.inner.getClassName()} (expected ${fields.length ? fields.map((f) => JSON.stringify(HIDDEN_PREFIX + f)).join(", ") : "none"})`);
        }
        extras.set(field, w.tensor);
      } else {
        rest.push(w);
      }
    }
    const old = await this.inner.getWeights();
    try {
      await this.inner.setWeights(rest);
    } catch (error) {
      for (const { tensor } of old) if (!(tensor instanceof Variable)) tensor.dispose();
      throw error;
    }
    const now = await this.inner.getWeights();
    const kept = new Set(now.map((w) => w.tensor));
    // Fresh tensors (the iteration counts) and the state variables the inner optimiser replaced.
    for (const { tensor } of old) if (!(tensor instanceof Variable) || !kept.has(tensor)) tensor.dispose();
    for (const { tensor } of now) if (!(tensor instanceof Variable)) tensor.dispose();
    const hidden = new Map(this.hiddenState());
    for (const [field, t] of extras) {
      const target = hidden.get(field);
      if (target === undefined) continue;
      if (t.shape.length !== target.shape.length || t.size !== target.size) {
        throw new Error(`${ctx}: ${JSON.stringify(HIDDEN_PREFIX + field)} has shape [${t.shape.join(", ")}]; expected [${target.shape.join(", ")}]`);
      }
      tidy(() => target.assign(t.dtype === target.dtype ? t : cast(t, target.dtype)));
    }
  }

  /**
   * `{ optimizer: { className, config }, transforms, clipNorm, frozenSignMagnitude, untagged }`: the
   * inner optimiser by its tfjs class name and config, transforms as `{ name, config }` (see
   * `registerGradientTransform`).
   */
  getConfig(): serialization.ConfigDict {
    return {
      optimizer: { className: this.inner.getClassName(), config: this.inner.getConfig() },
      ...this.projection.configEntries(),
    };
  }

  /**
   * Rebuilds an optimiser from {@link ProjectedOptimizer.getConfig}: the inner one through tfjs's
   * serialization registry, transforms through `registerGradientTransform`'s.
   * @throws Error naming an unregistered optimiser class or transform; the constructor's errors on bad options
   */
  static override fromConfig<T extends serialization.Serializable>(cls: serialization.SerializableConstructor<T>, config: serialization.ConfigDict): T {
    const ctx = `${CONTEXT}.fromConfig`;
    const spec = config["optimizer"] as { className?: unknown; config?: unknown } | null | undefined;
    if (typeof spec !== "object" || spec === null || typeof spec.className !== "string") {
      throw new TypeError(`${ctx}: optimizer must be { className, config } of a tfjs optimiser; got ${formatValue(spec)}`);
    }
    const registered = serialization.SerializationMap.getMap().classNameMap[spec.className];
    if (registered === undefined) {
      throw new Error(`${ctx}: unknown optimiser class ${JSON.stringify(spec.className)}; register it with tf.serialization.registerClass`);
    }
    const [innerCls, innerFromConfig] = registered;
    const inner = innerFromConfig(innerCls, (spec.config ?? {}) as serialization.ConfigDict) as unknown as Optimizer;
    const make = cls as unknown as new (inner: Optimizer, options: ProjectionOptions) => T;
    return new make(inner, SignProjection.optionsFromConfig(ctx, config));
  }

  /** The inner optimiser's state that its getWeights leaves out (see HIDDEN_STATE), as live tensors. */
  private hiddenState(): [string, Variable][] {
    const fields = HIDDEN_STATE[this.inner.getClassName()] ?? [];
    const out: [string, Variable][] = [];
    for (const field of fields) {
      const t = (this.inner as unknown as Record<string, unknown>)[field];
      if (t instanceof Variable) out.push([field, t]);
    }
    return out;
  }
}

serialization.registerClass(ProjectedOptimizer);

/**
 * Checks that an options object has only {@link ProjectionOptions} keys.
 * @throws TypeError naming the first unknown key
 */
function checkProjectionOptionKeys(context: string, options: ProjectionOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${context}: options must be an object { transforms?, clipNorm?, frozenSignMagnitude?, untagged? }; got ${formatValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if ((PROJECTION_OPTION_KEYS as readonly string[]).includes(key)) continue;
    const hint =
      key === "lrBackoff"
        ? " (Alg. 6 picks SGD step sizes: use ProjectedSGD)"
        : key === "learningRate"
          ? " (set it on the inner optimiser, or use projectedAdam / projectedRmsProp / projectedMomentum / projectedAdagrad)"
          : "";
    throw new TypeError(`${context}: unknown option ${JSON.stringify(key)}${hint}; expected ${PROJECTION_OPTION_KEYS.map((k) => JSON.stringify(k)).join(", ")}`);
  }
}

/**
 * Wraps a tfjs optimiser with the sign-constraint projection, gradient transforms and clipping:
 * `new ProjectedOptimizer(inner, options)` (see {@link ProjectedOptimizer} for the step).
 *
 * @param inner - any tfjs optimiser; the wrapper owns it (its dispose disposes the inner one)
 * @param options - transforms, clipNorm, frozenSignMagnitude, untagged ({@link ProjectionOptions})
 * @returns the projected optimiser
 * @throws TypeError when inner is not a tfjs Optimizer or is already projected, or on an unknown option;
 *   RangeError on a bad clipNorm.maxNorm or frozenSignMagnitude
 * @example
 * const opt = projected(tf.train.rmsprop(1e-3), { clipNorm: { maxNorm: 1, scope: "per-tensor" } });
 * model.compile({ optimizer: opt, loss: "meanSquaredError" });
 */
export function projected(inner: Optimizer, options: ProjectionOptions = {}): ProjectedOptimizer {
  return new ProjectedOptimizer(inner, options);
}
