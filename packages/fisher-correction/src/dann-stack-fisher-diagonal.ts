import { add, cast, div, dispose, exp, matMul, mul, neg, oneHot, relu, softmax, square, step, sub, sum, tensor1d, tidy, type Tensor, type Tensor1D, type Tensor2D, type Variable } from "@tensorflow/tfjs-core";
import { dannDenseParts } from "@dale-nn/ei-layers";
import { formatShape, formatValue, requirePositive } from "@dale-nn/core";
import type { RandomSource } from "@dale-nn/ei-init";
import { targetsFor, type SampledFisherDiagonal } from "./sampled-fisher-diagonal.js";

/** One DANN layer (Cornford et al. 2021, eq. 1) of a feedforward stack: its variables, activation and eps. */
export interface DannFisherLayer {
  /** W_EE [ne, d], W_IE [ni, d], W_EI [ne, ni], α [ni], g [ne], β [ne]: the layer's variables (their names key the result). */
  wEE: Variable;
  wIE: Variable;
  wEI: Variable;
  alpha: Variable;
  g: Variable;
  beta: Variable;
  /** "relu" for hidden layers, "linear" for the output layer (its z are the logits). */
  activation: "relu" | "linear";
  /** The eps added to γ (the layer's; DannDense default 1e-8). */
  eps: number;
}

/** Options of {@link dannStackFisherDiagonal}. */
export interface DannStackFisherDiagonalOptions {
  /** The network, input to output: ReLU DANN layers and a linear DANN output layer whose z are the logits. */
  layers: readonly DannFisherLayer[];
  /** The input batch, [batch, d]. */
  x: Tensor2D;
  /** Seed or random source for ŷ (required unless `targets` is given). */
  rng?: number | RandomSource;
  /** λ of Alg. 4; default 1 (see {@link sampledFisherDiagonal}). */
  lambda?: number;
  /** Fixed targets instead of sampled ones, one class per example. */
  targets?: ArrayLike<number>;
}

/**
 * The same Monte-Carlo Fisher diagonal as {@link sampledFisherDiagonal} (Cornford et al. 2021, App.
 * E.3 Alg. 4: ŷ_i ~ softmax(z(x_i)), F̂ = (1 / (λ |batch|)) Σ_i (∂L_i/∂θ)², L_i = −log p_i[ŷ_i]) for a
 * stack of DANN layers, in one forward and one backward pass instead of one backward pass per
 * example. The per-example gradient of a weight that multiplies a per-example vector is an outer
 * product, so its squares summed over the batch are a matrix product of squares:
 *
 *   ∂L_i/∂W = δ_i u_iᵀ  ⇒  Σ_i (∂L_i/∂W)² = (δ ⊙ δ)ᵀ (u ⊙ u),
 *
 * with δ the per-example gradients at the layer's pre-activations, which one backward pass of
 * Σ_i L_i gives, since example i's loss depends on example i only. Per layer, with s = z_E − W_EI z_I,
 * r = s / γ, δ_s = δ_z ⊙ g / γ, δ_γ = −δ_s ⊙ r (eq. 1, z = g ⊙ s / γ + β):
 *
 *   Σ(∂β)² = Σ δ_z²,  Σ(∂g)² = Σ (δ_z ⊙ r)²,  Σ(∂W_EE)² = (δ_s²)ᵀ (x²),
 *   δ_zI = −δ_s W_EI + e^α ⊙ (δ_γ W_EI),  Σ(∂W_IE)² = (δ_zI²)ᵀ (x²),  Σ(∂α)² = Σ (e^α ⊙ z_I ⊙ (δ_γ W_EI))²,
 *   ∂L_i/∂W_EI = a_i b_iᵀ + c_i d_iᵀ (a = −δ_s, b = z_I, c = δ_γ, d = e^α ⊙ z_I)  ⇒
 *   Σ(∂W_EI)² = (a²)ᵀ(b²) + (c²)ᵀ(d²) + 2 (a ⊙ c)ᵀ(b ⊙ d),
 *
 * and δ_x = δ_s W_EE + δ_zI W_IE passes to the layer below (times the ReLU's derivative 1[z > 0]).
 * At the output δ_z = p − onehot(ŷ). The targets are sampled exactly as sampledFisherDiagonal
 * samples them (one read-back of p, then the same random stream), so the two agree on a seed.
 * Cost: about three times a training step's products, against |batch| backward passes of one
 * example (250 for the reference code's Fisher run).
 *
 * @param options - layers, batch, random source, λ (default 1), optional fixed targets
 * @returns F̂ per variable name (caller owns the tensors) and the targets used
 * @throws RangeError when λ <= 0, the stack is empty, the shapes do not chain, two variables share a name, a target is out of range or p is not finite
 * @example
 * const { diagonal } = dannStackFisherDiagonal({ layers, x, rng: 0, lambda: 40000 });
 */
export function dannStackFisherDiagonal(options: DannStackFisherDiagonalOptions): SampledFisherDiagonal {
  const context = "dannStackFisherDiagonal";
  const lambda = requirePositive(context, "lambda", options.lambda ?? 1);
  const { layers, x } = options;
  if (layers.length === 0) throw new RangeError(`${context}: layers must not be empty`);
  if (x.rank !== 2 || x.shape[0] < 1) throw new RangeError(`${context}: x must be [batch >= 1, d]; got ${formatShape(x.shape)}`);
  const names = new Set<string>();
  for (const [i, l] of layers.entries()) {
    if (l.activation !== "relu" && l.activation !== "linear") throw new RangeError(`${context}: layer ${i} activation must be "relu" or "linear"; got ${formatValue(l.activation)}`);
    for (const v of [l.wEE, l.wIE, l.wEI, l.alpha, l.g, l.beta]) {
      if (names.has(v.name)) throw new RangeError(`${context}: two variables share the name ${formatValue(v.name)}; names key the result`);
      names.add(v.name);
    }
  }
  if (layers.at(-1)!.activation !== "linear") throw new RangeError(`${context}: the last layer must be "linear" (its z are the logits)`);
  const batch = x.shape[0];

  // Forward, keeping each layer's input and parts.
  const inputs: Tensor2D[] = [];
  const parts: Array<ReturnType<typeof dannDenseParts>> = [];
  const kept: Tensor[] = [];
  const diagonalSoFar: Record<string, Tensor> = {};
  try {
    let h: Tensor2D = x;
    for (const l of layers) {
      if (h.shape[1] !== l.wEE.shape[1]) throw new RangeError(`${context}: a layer's W_EE ${formatShape(l.wEE.shape)} does not take inputs of width ${h.shape[1]}`);
      const p = dannDenseParts(h, paramsOf(l), { eps: l.eps, name: context });
      kept.push(p.zE, p.zI, p.subtractive, p.gamma, p.z);
      inputs.push(h);
      parts.push(p);
      if (l.activation === "relu") {
        h = relu(p.z);
        kept.push(h);
      } else {
        h = p.z;
      }
    }
    const logits = h;
    const probs = softmax(logits) as Tensor2D;
    kept.push(probs);
    const targets = targetsFor(context, probs, options.targets, options.rng);
    const classes = probs.shape[1];
    if (layers.at(-1)!.wEE.shape[0] !== classes) throw new RangeError(`${context}: internal: output width ${classes}`);

    const diagonal = diagonalSoFar;
    const scale = lambda * batch;
    let deltaZ: Tensor2D = tidy(() => sub(probs, cast(oneHot(tensor1d(Array.from(targets), "int32"), classes), "float32")) as Tensor2D);
    kept.push(deltaZ);
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i]!;
      const u = inputs[i]!;
      const { zE, zI, subtractive, gamma } = parts[i]!;
      const next = tidy(() => {
        const s = sub(zE, subtractive);
        const r = div(s, gamma);
        const deltaS = div(mul(deltaZ, l.g), gamma);
        const deltaGamma = neg(mul(deltaS, r));
        const eAlpha = exp(l.alpha);
        const gammaBack = matMul(deltaGamma, l.wEI); // δ_γ W_EI, [B, ni]
        const deltaZI = add(neg(matMul(deltaS, l.wEI)), mul(gammaBack, eAlpha));
        const u2 = square(u);
        const a = neg(deltaS);
        const b = zI;
        const d = mul(zI, eAlpha);
        const wEI = add(add(matMul(square(a), square(b), true, false), matMul(square(deltaGamma), square(d), true, false)), mul(matMul(mul(a, deltaGamma), mul(b, d), true, false), 2));
        const f: Array<[Variable, Tensor]> = [
          [l.beta, sum(square(deltaZ), 0)],
          [l.g, sum(square(mul(deltaZ, r)), 0)],
          [l.wEE, matMul(square(deltaS), u2, true, false)],
          [l.wIE, matMul(square(deltaZI), u2, true, false)],
          [l.wEI, wEI],
          [l.alpha, sum(square(mul(d, gammaBack)), 0)],
        ];
        const estimates = f.map(([, t]) => div(t, scale));
        // δ at the pre-activations of the layer below: δ_x times the ReLU's derivative 1[z > 0].
        return i > 0 ? [...estimates, mul(add(matMul(deltaS, l.wEE), matMul(deltaZI, l.wIE)), step(parts[i - 1]!.z))] : estimates;
      });
      [l.beta, l.g, l.wEE, l.wIE, l.wEI, l.alpha].forEach((v, j) => {
        diagonal[v.name] = next[j]!;
      });
      if (i > 0) {
        deltaZ = next[6] as Tensor2D;
        kept.push(deltaZ);
      }
    }
    return { diagonal, targets };
  } catch (e) {
    dispose(Object.values(diagonalSoFar));
    throw e;
  } finally {
    dispose(kept);
  }
}

function paramsOf(l: DannFisherLayer) {
  return { wEE: l.wEE as unknown as Tensor2D, wIE: l.wIE as unknown as Tensor2D, wEI: l.wEI as unknown as Tensor2D, alpha: l.alpha as unknown as Tensor1D, g: l.g as unknown as Tensor1D, beta: l.beta as unknown as Tensor1D };
}
