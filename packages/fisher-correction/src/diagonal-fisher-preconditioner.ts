import {
  add,
  dispose,
  div,
  greater,
  keep,
  mul,
  onesLike,
  reciprocal,
  sqrt,
  square,
  sum,
  tidy,
  where,
  type Scalar,
  type Tensor,
  type Tensor2D,
  type Variable,
} from "@tensorflow/tfjs-core";
import { formatShape, formatValue, requireNonNegative, requirePositive, requireUnitInterval, sameShape, type GradientTransform, type NamedGradients, type ParamMeta, type ParamRole } from "@dale-nn/core";
import { toRandomSource, type RandomSource } from "@dale-nn/ei-init";
import { sampledFisherDiagonal, type SampledFisherDiagonal } from "./sampled-fisher-diagonal.js";

/**
 * How {@link DiagonalFisherPreconditioner} normalises each layer's update (the F* line of Alg. 4).
 *
 * - `"inverse-fisher"`: divide the layer's (F + eps)⁻¹ by the L2 norm of its W_EE block,
 *   F* = (F + eps)⁻¹ / ‖(F_EE + eps)⁻¹‖. This is our reading of Alg. 4 ("where F^{W_EE} is the
 *   elements of F corresponding to W_EE") and what the reference code does
 *   (`scale_finv_by_norm_wex_finv`).
 * - `"update"`: divide the layer's update Δθ = ∇θ / (F + eps) by the L2 norm of its W_EE part.
 *
 * Layers without an `EE` parameter use their `weight` parameter; layers with neither, and
 * variables without meta, are not normalised.
 */
export type EENormalisation = "inverse-fisher" | "update";

/** Every {@link EENormalisation}, for validation. */
export const EE_NORMALISATIONS: readonly EENormalisation[] = ["inverse-fisher", "update"];

/** Default λ: 1 / 2.5e-5, the reference run's `f_lambda` (the code multiplies by it; Alg. 4 divides by λ). */
export const DEFAULT_FISHER_LAMBDA = 40_000;
/** Default momentum k: the reference run's `f_ma_scale` for the diagonal-Fisher experiment. */
export const DEFAULT_FISHER_MOMENTUM = 0.02;
/** Default eps added to F before inverting: the reference code's layer epsilon. */
export const DEFAULT_FISHER_EPS = 1e-8;

/** Options of {@link DiagonalFisherPreconditioner}. */
export interface DiagonalFisherPreconditionerOptions<X extends Tensor = Tensor2D> {
  /** The model's output logits for a batch, [batch, classes]; p = softmax(z). */
  logits: (x: X) => Tensor2D;
  /** The parameters θ whose Fisher diagonal is tracked (keyed by `variable.name`). */
  variables: readonly Variable[];
  /** Seed or random source for the sampled targets (randomness is explicit). */
  seed: number | RandomSource;
  /**
   * λ of Alg. 4, F̂ = (1/(λ |batch|)) Σ_i (∂L_i/∂θ)². Default {@link DEFAULT_FISHER_LAMBDA} = 40000,
   * which reproduces the reference code's `f_lambda = 2.5e-5` (it multiplies where Alg. 4 divides).
   * λ only sets the scale of F against `eps` (and the step size when not normalising).
   */
  lambda?: number;
  /** Momentum k of the moving average F_t = k F̂ + (1 − k) F_{t−1}, in (0, 1]; default 0.02. */
  momentum?: number;
  /** eps in Δθ = ∇θ / (F_t + eps), >= 0; default 1e-8 (reference code). */
  eps?: number;
  /**
   * Per-layer normalisation of Alg. 4 (see {@link EENormalisation}); `true` means
   * `"inverse-fisher"`. Default `"inverse-fisher"`, as in Alg. 4 and the reference run.
   */
  normaliseByEENorm?: boolean | EENormalisation;
  /**
   * A faster estimator of the same F̂ for a known architecture, used by `observe` instead of
   * {@link sampledFisherDiagonal}'s loop over the batch (one backward pass per example): called
   * with the batch, the preconditioner's random source and λ, it must sample the targets the same
   * way and return an estimate for every tracked variable (e.g. `dannStackFisherDiagonal` for a
   * stack of DANN layers). Default: sampledFisherDiagonal on `logits`.
   */
  estimate?: (x: X, rng: RandomSource, lambda: number) => SampledFisherDiagonal;
}

/**
 * The state of a {@link DiagonalFisherPreconditioner}: how many batches it has observed and F_t
 * per tracked variable name (empty before the first observation). What a checkpoint saves so a
 * resumed run continues with the same moving average.
 */
export interface DiagonalFisherState {
  /** Batches observed (an integer >= 0). */
  observations: number;
  /** F_t per variable name, each of its variable's shape; empty when `observations` is 0. */
  fisher: Record<string, Tensor>;
}

/**
 * A stateful diagonal-Fisher preconditioner: a very rough diagonal approximation of natural
 * gradient descent for DANNs (Cornford et al. 2021, App. E.3 Alg. 4, used for Fig. 2).
 *
 * Each {@link DiagonalFisherPreconditioner.observe | observe(x)} estimates F̂ on the batch with
 * {@link sampledFisherDiagonal} (targets sampled from the model's own softmax) and updates
 *
 *   F_t = k F̂ + (1 − k) F_{t−1}   (the first call sets F_1 = F̂),
 *
 * and {@link DiagonalFisherPreconditioner.asTransform | asTransform()} turns gradients into
 *
 *   Δθ = ∇θ / (F_t + eps),  optionally normalised per layer by the W_EE block (F* of Alg. 4).
 *
 * The preconditioner owns its F tensors (kept, so an outer `tidy` does not free them); call
 * {@link DiagonalFisherPreconditioner.dispose | dispose()} when done.
 *
 * @example
 * const fisher = new DiagonalFisherPreconditioner({ logits: (x) => model(x), variables, seed: 0 });
 * const transform = fisher.asTransform();
 * for (const [x, y] of batches) {
 *   const { grads } = tf.variableGrads(() => loss(x, y));
 *   fisher.observe(x);
 *   optimizer.applyGradients(transform.apply(grads, parameterMeta));
 *   tf.dispose(grads);
 * }
 * fisher.dispose();
 */
export class DiagonalFisherPreconditioner<X extends Tensor = Tensor2D> {
  /** λ in use. */
  readonly lambda: number;
  /** Momentum k in use. */
  readonly momentum: number;
  /** eps in use. */
  readonly eps: number;
  /** Per-layer normalisation in use, or `false`. */
  readonly normaliseByEENorm: EENormalisation | false;

  private readonly logits: (x: X) => Tensor2D;
  private readonly estimate: ((x: X, rng: RandomSource, lambda: number) => SampledFisherDiagonal) | undefined;
  private readonly variables: readonly Variable[];
  private readonly rng: RandomSource;
  private readonly fisher = new Map<string, Tensor>();
  private observed = 0;
  private disposed = false;

  /**
   * @param options - model, variables, seed, λ, momentum, eps, normalisation
   * @throws RangeError when λ <= 0, eps < 0, momentum is outside (0, 1], variables are empty or
   *   share a name, the normalisation is unknown, or no seed is given
   */
  constructor(options: DiagonalFisherPreconditionerOptions<X>) {
    const context = "DiagonalFisherPreconditioner";
    this.lambda = requirePositive(context, "lambda", options.lambda ?? DEFAULT_FISHER_LAMBDA);
    this.momentum = requireUnitInterval(context, "momentum", options.momentum ?? DEFAULT_FISHER_MOMENTUM);
    this.eps = requireNonNegative(context, "eps", options.eps ?? DEFAULT_FISHER_EPS);
    const norm = options.normaliseByEENorm ?? "inverse-fisher";
    if (norm === true) this.normaliseByEENorm = "inverse-fisher";
    else if (norm === false) this.normaliseByEENorm = false;
    else if (EE_NORMALISATIONS.includes(norm)) this.normaliseByEENorm = norm;
    else {
      throw new RangeError(
        `${context}: normaliseByEENorm must be true, false, "inverse-fisher" or "update"; got ${formatValue(norm)}`,
      );
    }
    if (typeof options.logits !== "function") {
      throw new TypeError(`${context}: logits must be a function (x) => Tensor2D; got ${formatValue(options.logits)}`);
    }
    if (options.variables.length === 0) throw new RangeError(`${context}: variables must not be empty`);
    const names = new Set<string>();
    for (const v of options.variables) {
      if (names.has(v.name)) throw new RangeError(`${context}: two variables share the name ${formatValue(v.name)}`);
      names.add(v.name);
    }
    if (options.estimate !== undefined && typeof options.estimate !== "function") {
      throw new TypeError(`${context}: estimate must be a function (x, rng, lambda) => { diagonal, targets }; got ${formatValue(options.estimate)}`);
    }
    this.logits = options.logits;
    this.estimate = options.estimate;
    this.variables = [...options.variables];
    this.rng = toRandomSource(options.seed, context);
  }

  /** How many batches have been observed. */
  get observations(): number {
    return this.observed;
  }

  /**
   * The current F_t of a variable (owned by the preconditioner: read, do not dispose), or
   * `undefined` before the first {@link observe} or for an unknown name.
   */
  fisherDiagonal(variableName: string): Tensor | undefined {
    return this.fisher.get(variableName);
  }

  /**
   * Estimates F̂ on the batch (Alg. 4: sampled targets, per-example squared gradients / (λ |batch|))
   * and updates the moving average F_t = k F̂ + (1 − k) F_{t−1}; the first call sets F_1 = F̂.
   *
   * @param x - a batch of inputs, examples on the first axis
   * @returns the sampled targets ŷ, one class index per example
   * @throws RangeError on an empty batch or logits of the wrong shape; Error after dispose()
   */
  observe(x: X): Int32Array {
    this.assertAlive("observe");
    const { diagonal, targets } =
      this.estimate !== undefined
        ? this.estimate(x, this.rng, this.lambda)
        : sampledFisherDiagonal<X>({ logits: this.logits, variables: this.variables, x, rng: this.rng, lambda: this.lambda });
    const missing = this.variables.filter((v) => diagonal[v.name] === undefined).map((v) => v.name);
    if (missing.length > 0) {
      dispose(Object.values(diagonal));
      throw new RangeError(`DiagonalFisherPreconditioner.observe: the estimate has no F̂ for ${missing.map((n) => formatValue(n)).join(", ")}; expected one per tracked variable`);
    }
    const k = this.momentum;
    for (const v of this.variables) {
      const estimate = diagonal[v.name] as Tensor;
      const previous = this.fisher.get(v.name);
      if (previous === undefined) {
        this.fisher.set(v.name, keep(estimate));
      } else {
        const next = keep(tidy(() => add(mul(estimate, k), mul(previous, 1 - k))));
        previous.dispose();
        estimate.dispose();
        this.fisher.set(v.name, next);
      }
    }
    this.observed++;
    return targets;
  }

  /**
   * The preconditioner as a {@link GradientTransform} named `"diagonal-fisher"`:
   *
   *   Δθ = ∇θ / (F_t + eps),  then, with normalisation, per layer ÷ ‖(F_EE + eps)⁻¹‖ (or ‖Δ_EE‖).
   *
   * Gradients of variables the preconditioner does not track are returned unchanged (the same
   * tensor). Inputs are never disposed. `metaOf` is read only to group variables by layer for the
   * normalisation.
   *
   * @returns the transform; it reads the preconditioner's current F_t at each `apply`
   * @throws (from `apply`) Error before the first observe() or after dispose(); RangeError when a
   *   gradient's shape differs from its Fisher diagonal's
   */
  asTransform(): GradientTransform {
    return {
      name: "diagonal-fisher",
      apply: (gradients, metaOf) => this.precondition(gradients, metaOf),
      getConfig: () => ({
        name: "diagonal-fisher",
        lambda: this.lambda,
        momentum: this.momentum,
        eps: this.eps,
        normaliseByEENorm: this.normaliseByEENorm,
      }),
    };
  }

  /**
   * The current state (observation count and F_t per variable), e.g. to save beside a training
   * checkpoint. The tensors are copies that belong to the caller.
   *
   * @returns the state; restore it with {@link DiagonalFisherPreconditioner.setState}
   * @throws Error after dispose()
   * @example
   * const state = fisher.getState();
   * const values = Object.fromEntries(Object.entries(state.fisher).map(([n, t]) => [n, t.dataSync()]));
   * tf.dispose(Object.values(state.fisher));
   */
  getState(): DiagonalFisherState {
    this.assertAlive("getState");
    const fisher: Record<string, Tensor> = {};
    for (const v of this.variables) {
      const f = this.fisher.get(v.name);
      if (f !== undefined) fisher[v.name] = keep(f.clone());
    }
    return { observations: this.observed, fisher };
  }

  /**
   * Replaces the state with one from {@link DiagonalFisherPreconditioner.getState} (e.g. read
   * back from a checkpoint), so that the next observe() continues the same moving average
   * F_t = k F̂ + (1 − k) F_{t−1}. The given tensors are copied and stay the caller's. Everything
   * is checked before anything changes.
   *
   * @param state - observations (an integer >= 0) and F_t for every tracked variable (none when
   *   observations is 0), each finite, >= 0 and of its variable's shape
   * @throws RangeError naming the variable, the shape or the value that does not fit; Error after dispose()
   */
  setState(state: DiagonalFisherState): void {
    const context = "DiagonalFisherPreconditioner.setState";
    this.assertAlive("setState");
    const observations = state?.observations;
    if (typeof observations !== "number" || !Number.isInteger(observations) || observations < 0) {
      throw new RangeError(`${context}: observations must be an integer >= 0; got ${formatValue(observations)}`);
    }
    const given = state.fisher ?? {};
    const tracked = new Set(this.variables.map((v) => v.name));
    for (const name of Object.keys(given)) {
      if (!tracked.has(name)) throw new RangeError(`${context}: ${formatValue(name)} is not one of the tracked variables`);
    }
    if (observations === 0 && Object.keys(given).length > 0) {
      throw new RangeError(`${context}: a state with 0 observations has no Fisher diagonal; got ${Object.keys(given).length}`);
    }
    if (observations > 0) {
      for (const v of this.variables) {
        const f = given[v.name];
        if (f === undefined) throw new RangeError(`${context}: no Fisher diagonal for ${formatValue(v.name)} (observations ${observations})`);
        if (!sameShape(f.shape, v.shape)) {
          throw new RangeError(`${context}: the Fisher diagonal of ${formatValue(v.name)} has shape ${formatShape(f.shape)}; the variable has ${formatShape(v.shape)}`);
        }
        const values = f.dataSync();
        const bad = values.findIndex((x) => !(x >= 0 && x < Number.POSITIVE_INFINITY));
        if (bad >= 0) {
          throw new RangeError(`${context}: the Fisher diagonal of ${formatValue(v.name)} must be finite and >= 0; element ${bad} is ${values[bad]}`);
        }
      }
    }
    for (const f of this.fisher.values()) f.dispose();
    this.fisher.clear();
    for (const v of this.variables) {
      const f = given[v.name];
      if (f !== undefined) this.fisher.set(v.name, keep(f.clone()));
    }
    this.observed = observations;
  }

  /** Frees the Fisher estimates; the preconditioner cannot be used afterwards. */
  dispose(): void {
    for (const f of this.fisher.values()) f.dispose();
    this.fisher.clear();
    this.disposed = true;
  }

  private assertAlive(what: string): void {
    if (this.disposed) throw new Error(`DiagonalFisherPreconditioner.${what}: the preconditioner has been disposed`);
  }

  private precondition(gradients: NamedGradients, metaOf: (variableName: string) => ParamMeta | undefined): NamedGradients {
    const context = "DiagonalFisherPreconditioner.apply";
    this.assertAlive("apply");
    if (this.observed === 0) {
      throw new Error(`${context}: no Fisher estimate yet; call observe(x) on a batch before applying the transform`);
    }
    for (const [name, grad] of Object.entries(gradients)) {
      const f = this.fisher.get(name);
      if (f !== undefined && !sameShape(f.shape, grad.shape)) {
        throw new RangeError(
          `${context}: gradient of ${formatValue(name)} has shape ${formatShape(grad.shape)} but its Fisher diagonal has shape ${formatShape(f.shape)}`,
        );
      }
    }
    const mode = this.normaliseByEENorm;
    const groups = mode === false ? [] : this.layerGroups(gradients, metaOf);
    return tidy(() => {
      const inverse = new Map<string, Tensor>();
      const inverseOf = (name: string): Tensor => {
        let inv = inverse.get(name);
        if (inv === undefined) {
          inv = reciprocal(add(this.fisher.get(name) as Tensor, this.eps));
          inverse.set(name, inv);
        }
        return inv;
      };
      const out: Record<string, Tensor> = {};
      for (const [name, grad] of Object.entries(gradients)) {
        out[name] = this.fisher.has(name) ? mul(grad, inverseOf(name)) : grad;
      }
      for (const { members, reference } of groups) {
        const parts =
          mode === "inverse-fisher"
            ? reference.map((name) => inverseOf(name))
            : reference.filter((name) => name in out).map((name) => out[name] as Tensor);
        if (parts.length === 0) continue;
        const norm = sqrt(parts.map((t) => sum(square(t))).reduce((a, b) => add(a, b))) as Scalar;
        // A zero norm (all-zero W_EE update) leaves the layer unscaled instead of making NaN.
        const factor = where(greater(norm, 0), div(1, norm), onesLike(norm));
        for (const name of members) out[name] = mul(out[name] as Tensor, factor);
      }
      return out;
    });
  }

  /**
   * Groups the tracked variables by layer: `members` are the gradients to rescale, `reference`
   * the tracked EE (else weight) variables whose norm sets the scale.
   */
  private layerGroups(
    gradients: NamedGradients,
    metaOf: (variableName: string) => ParamMeta | undefined,
  ): { members: string[]; reference: string[] }[] {
    const byLayer = new Map<string, { members: string[]; roles: Map<ParamRole, string[]> }>();
    const entry = (layer: string) => {
      let e = byLayer.get(layer);
      if (e === undefined) {
        e = { members: [], roles: new Map() };
        byLayer.set(layer, e);
      }
      return e;
    };
    for (const name of this.fisher.keys()) {
      const meta = metaOf(name);
      if (meta === undefined) continue;
      const e = entry(meta.layer);
      if (name in gradients) e.members.push(name);
      const list = e.roles.get(meta.role) ?? [];
      list.push(name);
      e.roles.set(meta.role, list);
    }
    const groups: { members: string[]; reference: string[] }[] = [];
    for (const e of byLayer.values()) {
      const reference = e.roles.get("EE") ?? e.roles.get("weight") ?? [];
      if (reference.length > 0 && e.members.length > 0) groups.push({ members: e.members, reference });
    }
    return groups;
  }
}
