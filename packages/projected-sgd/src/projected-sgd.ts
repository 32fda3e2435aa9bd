import { Optimizer, concat, keep, mul, scalar, serialization, sub, tidy, type NamedTensorMap, type Scalar, type Tensor } from "@tensorflow/tfjs-core";
import { formatValue, requireInRange, requireOneOf, requirePositive, type GradientTransform, type NamedGradients } from "@dale-nn/core";
import type { ClipNormOptions } from "./clip-gradients-by-norm.js";
import { fusedSgdStep } from "./internal/fused-sgd-step.js";
import { backoffCosines } from "./internal/backoff-cosines.js";
import { canRunMultiTensorStep, runMultiTensorStep } from "./internal/multi-tensor-step.js";
import { gradientMap, SignProjection, type NamedTensor, type StepEntry } from "./internal/sign-projection.js";
import type { FrozenSignSource } from "./project-to-constraints.js";
import type { ProjectionOptions, UntaggedPolicy } from "./projection-options.js";

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

/** Options of {@link ProjectedSGD}: η, the shared {@link ProjectionOptions} and Alg. 6. */
export interface ProjectedSGDOptions extends ProjectionOptions {
  /** η, a finite number > 0. */
  learningRate: number;
  /** Per-layer learning-rate backoff (Alg. 6). Reads one small tensor back to the host per step. */
  lrBackoff?: LrBackoffOptions;
}

/** The factor Alg. 6 picked for one layer in the last step, and the cosine it gave. */
export interface BackoffChoice {
  factor: number;
  cosine: number;
}

/** Marks ProjectedSGD instances, across copies of this package, for `instanceof`. */
const BRAND: unique symbol = Symbol.for("@dale-nn/projected-sgd:ProjectedSGD");
const CONTEXT = "ProjectedSGD";

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
 * The SGD special case of `ProjectedOptimizer`: the same transforms, clipping and projection
 * code, with the step fused into one kernel where the backend has it, and Alg. 6. Without the fused
 * kernel it gives the same float32 bits as `projected(tf.train.sgd(η))`.
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
  /** Transforms, clipping, the projection and its cached tensors: the mechanism shared with ProjectedOptimizer. */
  private readonly projection: SignProjection;
  private readonly lrBackoff_: Readonly<Required<LrBackoffOptions>> | undefined;
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
    this.projection = new SignProjection(CONTEXT, o);
    this.lrBackoff_ = o.lrBackoff === undefined ? undefined : validateBackoff(o.lrBackoff);
    this.frozenSignMagnitude = this.projection.frozenSignMagnitude;
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
    return this.projection.transforms;
  }

  /** The clipping options, if any. */
  get clipNorm(): Readonly<ClipNormOptions> | undefined {
    return this.projection.clipNorm;
  }

  /** The backoff options (measure filled in), if any. */
  get lrBackoff(): Readonly<Required<LrBackoffOptions>> | undefined {
    return this.lrBackoff_;
  }

  /** The policy for untagged variables. */
  get untagged(): UntaggedPolicy {
    return this.projection.untagged;
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
    return this.projection.frozenSignOf(variableName);
  }

  /** Forgets the recorded frozen signs (all, or of one variable); they are recorded again at the next step. */
  resetFrozenSigns(variableName?: string): void {
    this.projection.resetFrozenSigns(variableName);
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
    const input = gradientMap(variableGradients);
    const resolved = Object.entries(input).map(([name, grad]) => ({ name, grad, ...this.projection.resolve(ctx, name, grad) }));
    tidy(() => {
      // The fast path: every variable in one multi-tensor kernel call, with constant gradient
      // scalings (the DANN correction) folded into it, updated in place where the backend can.
      if (this.lrBackoff_ === undefined && canRunMultiTensorStep(resolved)) {
        const scales = this.projection.constantScales(resolved.map((r) => r.name));
        const grads = scales === undefined ? this.projection.prepare(input) : input;
        const entries = resolved.filter((r) => grads[r.name] != null).map((r) => ({ ...r, grad: grads[r.name] as Tensor, state: [] }));
        runMultiTensorStep(entries, { method: "sgd", learningRates: entries.map(() => this.lr), gradScales: entries.map((e) => scales?.get(e.name) ?? 1) });
        return;
      }
      this.stepEach(ctx, this.projection.prepare(input));
    });
    this.incrementIterations();
  }

  /** The step variable by variable: Alg. 6, or the fused single-variable kernel, or the separate ops. */
  private stepEach(ctx: string, grads: NamedGradients): void {
    const entries: StepEntry[] = [];
    for (const [name, grad] of Object.entries(grads)) {
      if (grad == null) continue;
      entries.push(this.projection.entry(ctx, name, grad));
    }
    if (this.lrBackoff_ !== undefined) {
      this.stepWithBackoff(entries, this.lrBackoff_);
      return;
    }
    const eta = this.learningRateTensor();
    for (const e of entries) {
      const fused = fusedSgdStep(e.variable, e.grad, eta, e.constraint);
      e.variable.assign(fused ?? this.projection.project(e, sub(e.variable, mul(eta, e.grad))));
    }
  }

  /** Disposes the cached learning-rate scalar, column masks and frozen signs, and calls `dispose()` of every transform that has one. */
  override dispose(): void {
    this.projection.dispose();
    this.lrTensor?.dispose();
    this.lrTensor = null;
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
    const { transforms, clipNorm, frozenSignMagnitude, untagged } = this.projection.configEntries();
    return {
      learningRate: this.lr,
      transforms: transforms ?? [],
      clipNorm: clipNorm ?? null,
      lrBackoff:
        this.lrBackoff_ === undefined
          ? null
          : { minCosine: this.lrBackoff_.minCosine, factors: [...this.lrBackoff_.factors], measure: this.lrBackoff_.measure },
      frozenSignMagnitude: frozenSignMagnitude ?? this.frozenSignMagnitude,
      untagged: untagged ?? this.untagged,
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
    const options: ProjectedSGDOptions = {
      learningRate: config["learningRate"] as number,
      ...SignProjection.optionsFromConfig(`${CONTEXT}.fromConfig`, config),
    };
    if (config["lrBackoff"] != null) options.lrBackoff = config["lrBackoff"] as unknown as LrBackoffOptions;
    return options;
  }

  private learningRateTensor(): Scalar {
    if (this.lrTensor === null) this.lrTensor = keep(scalar(this.lr));
    return this.lrTensor;
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
    const cosines: Tensor[] = [];
    for (const group of groups.values()) cosines.push(tidy(() => backoffCosines(group, factors.map((f) => this.lr * f), measure)));
    if (cosines.length === 0) {
      this.lastBackoff_ = {};
      return;
    }
    const values = tidy(() => concat(cosines)).dataSync();
    for (const c of cosines) c.dispose();
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
      for (const e of group) e.variable.assign(fusedSgdStep(e.variable, e.grad, eta, e.constraint) ?? this.projection.project(e, sub(e.variable, mul(eta, e.grad))));
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
