import {
  add,
  div,
  dispose,
  logSoftmax,
  neg,
  reshape,
  slice,
  softmax,
  square,
  tidy,
  variableGrads,
  zerosLike,
  type Scalar,
  type Tensor,
  type Tensor2D,
  type Variable,
} from "@tensorflow/tfjs-core";
import { toRandomSource, type RandomSource } from "@dale-nn/ei-init";
import { formatShape, formatValue, requireInteger, requirePositive } from "@dale-nn/core";

/** Options of {@link sampledFisherDiagonal}. */
export interface SampledFisherDiagonalOptions<X extends Tensor = Tensor2D> {
  /**
   * The model's output logits z for a batch, [batch, classes]; p = softmax(z). Called once on the
   * whole batch and once per example on a batch of one.
   */
  logits: (x: X) => Tensor2D;
  /** The parameters θ; the result has one entry per variable, keyed by `variable.name`. */
  variables: readonly Variable[];
  /** The input batch, examples on the first axis (batch size >= 1). */
  x: X;
  /** Seed or random source for the sampled targets ŷ (randomness is explicit); required unless `targets` is given. */
  rng?: number | RandomSource;
  /**
   * λ, the "Fisher learning rate" of Alg. 4: the estimate is divided by λ. Default 1 (the plain
   * Monte-Carlo estimate of the Fisher diagonal). The reference code multiplies by its
   * `f_lambda = 2.5e-5` instead, which is λ = 1 / 2.5e-5 = 40000 here.
   */
  lambda?: number;
  /**
   * Targets to use instead of sampling them, one class index per example. With the data's true
   * labels this gives the "empirical Fisher" in the strict sense (Kunstner et al. 2019), which is
   * not what Alg. 4 uses; mostly for tests and comparisons.
   */
  targets?: ArrayLike<number>;
}

/** Result of {@link sampledFisherDiagonal}. */
export interface SampledFisherDiagonal {
  /** F̂ per variable name, each of its variable's shape. The caller owns (and disposes) these. */
  diagonal: Record<string, Tensor>;
  /** The targets ŷ_i used, one class index per example. */
  targets: Int32Array;
}

/**
 * Monte-Carlo estimate of the diagonal of the Fisher information matrix of a softmax classifier
 * (Cornford et al. 2021, Sec. 4 eq. 5 and App. E.3 Alg. 4):
 *
 *   p_i = softmax(z(x_i)),  ŷ_i ~ Categorical(p_i),  L_i = −log p_i[ŷ_i],
 *   F̂ = (1 / (λ |batch|)) Σ_i (∂L_i/∂θ)²   (elementwise square)
 *
 * Because ŷ is drawn from the model's own distribution, E_ŷ[(∂L_i/∂θ)²] is exactly the diagonal of
 * the Fisher of eq. 5 at x_i; a single draw per example gives an unbiased estimate.
 *
 * Sampling happens on the host with the seeded `rng` after one read-back of p, so a seed gives the
 * same random stream on every backend (a target can differ only where backends' p differ at a
 * draw's boundary). Per-example gradients are computed by looping over the batch
 * (slices of one example, each iteration in its own `tidy`): O(batch) backward passes.
 * Variables that do not influence the logits (or are not trainable) get a zero estimate.
 *
 * @param options - model, variables, batch, random source, λ (default 1), optional fixed targets
 * @returns F̂ per variable name and the targets used; the caller owns the tensors
 * @throws RangeError when λ <= 0, the batch is empty, the logits are not [batch, classes], a target
 *   is out of range, two variables share a name, or p contains NaN / Infinity
 * @example
 * const { diagonal, targets } = sampledFisherDiagonal({
 *   logits: (x) => tf.matMul(x, w, false, true), variables: [w], x, rng: 0, lambda: 1,
 * });
 */
export function sampledFisherDiagonal<X extends Tensor = Tensor2D>(
  options: SampledFisherDiagonalOptions<X>,
): SampledFisherDiagonal {
  const context = "sampledFisherDiagonal";
  const lambda = requirePositive(context, "lambda", options.lambda ?? 1);
  const { x, variables, logits } = options;
  if (typeof logits !== "function") throw new TypeError(`${context}: logits must be a function (x) => Tensor2D; got ${formatValue(logits)}`);
  if (variables.length === 0) throw new RangeError(`${context}: variables must not be empty`);
  const seen = new Set<string>();
  for (const v of variables) {
    if (seen.has(v.name)) throw new RangeError(`${context}: two variables share the name ${formatValue(v.name)}; names key the result`);
    seen.add(v.name);
  }
  if (x.rank < 1) throw new RangeError(`${context}: x must have the batch on its first axis; got a scalar`);
  const batch = x.shape[0] as number;
  if (batch < 1) throw new RangeError(`${context}: x must hold at least one example; got batch size ${batch} (shape ${formatShape(x.shape)})`);

  const targets = resolveTargets(context, options, batch);
  const sliceSize = x.shape.map((s, axis) => (axis === 0 ? 1 : s));
  const sliceBegin = x.shape.map(() => 0);

  let acc: Tensor[] = variables.map((v) => zerosLike(v));
  try {
    for (let i = 0; i < batch; i++) {
      sliceBegin[0] = i;
      const target = targets[i] as number;
      const next = tidy(() => {
        const xi = slice(x, sliceBegin, sliceSize) as X;
        const lossOf = (): Scalar => {
          const z = logits(xi);
          if (z.rank !== 2 || z.shape[0] !== 1) {
            throw new RangeError(`${context}: logits of one example must have shape [1, classes]; got ${formatShape(z.shape)}`);
          }
          return neg(reshape(slice(logSoftmax(z), [0, target], [1, 1]), [])) as Scalar;
        };
        const { grads } = variableGrads(lossOf, variables as Variable[]);
        return variables.map((v, j) => {
          const g = grads[v.name];
          return g === undefined ? (acc[j] as Tensor) : add(acc[j] as Tensor, square(g));
        });
      });
      // Dispose the previous accumulators that were replaced (not those carried over unchanged).
      for (let j = 0; j < acc.length; j++) if (next[j] !== acc[j]) dispose(acc[j] as Tensor);
      acc = next;
    }
    const scale = lambda * batch;
    const diagonal: Record<string, Tensor> = {};
    const scaled = tidy(() => acc.map((a) => div(a, scale)));
    variables.forEach((v, j) => {
      diagonal[v.name] = scaled[j] as Tensor;
    });
    return { diagonal, targets };
  } finally {
    dispose(acc);
  }
}

/**
 * The given targets, checked against the number of classes, or targets sampled from
 * softmax(logits(x)) after one read-back. Everything is checked here, before any gradient tape
 * runs: an exception thrown inside `variableGrads` would leak the tape's saved tensors.
 */
function resolveTargets<X extends Tensor>(context: string, options: SampledFisherDiagonalOptions<X>, batch: number): Int32Array {
  if (options.targets !== undefined && options.targets.length !== batch) {
    throw new RangeError(`${context}: targets must have one entry per example (${batch}); got ${options.targets.length}`);
  }
  const probs = tidy(() => {
    const z = options.logits(options.x);
    if (z.rank !== 2 || z.shape[0] !== batch) {
      throw new RangeError(`${context}: logits(x) must have shape [batch=${batch}, classes]; got ${formatShape(z.shape)}`);
    }
    return softmax(z);
  });
  try {
    return targetsFor(context, probs, options.targets, options.rng);
  } finally {
    probs.dispose();
  }
}

/**
 * The targets of a Fisher estimate: the given ones, checked against the classes of p, or ŷ_i ~
 * Categorical(p_i) sampled with {@link sampleTargets}. p = softmax(z), [batch, classes]; the caller
 * owns it.
 *
 * @throws RangeError for a target out of range or a non-finite p; TypeError without rng or targets
 * @internal
 */
export function targetsFor(context: string, probs: Tensor2D, given: ArrayLike<number> | undefined, rngOption: number | RandomSource | undefined): Int32Array {
  const [batch, classes] = probs.shape as [number, number];
  if (given !== undefined) {
    if (given.length !== batch) throw new RangeError(`${context}: targets must have one entry per example (${batch}); got ${given.length}`);
    const out = new Int32Array(batch);
    for (let i = 0; i < batch; i++) {
      const t = requireInteger(context, `targets[${i}]`, given[i], 0);
      if (t >= classes) throw new RangeError(`${context}: target ${t} of example ${i} is out of range for ${classes} classes`);
      out[i] = t;
    }
    return out;
  }
  return sampleTargets(context, probs.dataSync() as Float32Array, batch, classes, toRandomSource(rngOption, context));
}

/**
 * ŷ_i ~ Categorical(p_i) for each row of p ([batch, classes], row-major), drawn in example order
 * from `rng`: the one sampling of Alg. 4 every Fisher estimate here uses, so that estimators of the
 * same F̂ draw the same targets from the same random stream.
 *
 * @throws RangeError naming the example when a row of p is not finite
 * @internal
 */
export function sampleTargets(context: string, p: Float32Array, batch: number, classes: number, rng: RandomSource): Int32Array {
  const out = new Int32Array(batch);
  for (let i = 0; i < batch; i++) {
    const row = p.subarray(i * classes, (i + 1) * classes);
    for (let k = 0; k < classes; k++) {
      if (!Number.isFinite(row[k] as number)) {
        throw new RangeError(`${context}: softmax(logits) of example ${i} is not finite (p[${k}] = ${row[k]}); cannot sample targets`);
      }
    }
    out[i] = rng.categorical(row);
  }
  return out;
}
