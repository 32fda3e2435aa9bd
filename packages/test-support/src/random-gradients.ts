import { randomNormal, type Tensor, type Variable } from "@tensorflow/tfjs-core";

/**
 * Seeded random gradients for optimiser and transform tests: for the i-th variable v,
 * `tf.randomNormal(v.shape, 0, std, "float32", seed + i)`, keyed by `v.name` (the shape of the
 * gradients `optimizer.applyGradients` takes). The same seed gives the same tensors.
 *
 * @param variables - the variables, in order (the order decides which seed each gets).
 * @param seed - the seed of the first variable; the i-th gets `seed + i`.
 * @param std - the standard deviation. Default 1.
 * @returns one new float32 tensor per variable, keyed by name; the caller disposes them.
 * @throws Error when two variables share a name (their gradients would collide), naming it.
 * @example
 * const grads = randomGradients(vars, step * 10, 3);
 * opt.applyGradients(grads);
 * tf.dispose(Object.values(grads));
 */
export function randomGradients(variables: readonly Variable[], seed: number, std = 1): Record<string, Tensor> {
  const names = new Set<string>();
  for (const v of variables) {
    if (names.has(v.name)) throw new Error(`randomGradients: two variables are named "${v.name}"; gradients are keyed by name`);
    names.add(v.name);
  }
  return Object.fromEntries(variables.map((v, i) => [v.name, randomNormal(v.shape, 0, std, "float32", seed + i)]));
}
