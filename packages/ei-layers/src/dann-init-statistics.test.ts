import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { createRandomSource, dannDenseInit } from "@dale-nn/ei-init";
import { dannDenseParts } from "./dann-dense.js";

/**
 * Cornford et al. (2021), Sec. 3 and App. C: with inputs x ~ max(0, N(0, σ²)) a DANN layer at
 * initialisation balances excitation and subtractive inhibition, E[z_E,k] = E[(W_EI z_I)_k], and
 * produces standardised outputs z (mean ≈ 0, std ≈ 1).
 */
describe("DANN initialisation statistics (App. C)", () => {
  useBackendWithLeakCheck("cpu");

  for (const [d, ne, ni] of [
    [784, 500, 50],
    [500, 500, 50],
    [500, 10, 1],
  ] as const) {
    it(`dannDenseInit({d:${d}, ne:${ne}, ni:${ni}}) with rectified-normal input: E[z_E] = E[W_EI z_I] per unit, z mean ≈ 0, std ≈ 1`, () => {
      const B = 2000;
      const init = dannDenseInit({ d, ne, ni, seed: 17 });
      const rng = createRandomSource(18);
      const xs = Float32Array.from({ length: B * d }, () => Math.max(0, rng.normal()));
      const stats = tf.tidy(() => {
        const x = tf.tensor2d(xs, [B, d]);
        const p = {
          wEE: tf.tensor2d(init.wEE.values, [ne, d]),
          wIE: tf.tensor2d(init.wIE.values, [ni, d]),
          wEI: tf.tensor2d(init.wEI.values, [ne, ni]),
          alpha: tf.tensor1d(init.alpha.values),
          g: tf.tensor1d(init.g.values),
          beta: tf.tensor1d(init.beta.values),
        };
        const parts = dannDenseParts(x, p);
        const meanE = tf.mean(parts.zE, 0); // per unit, over data
        const meanI = tf.mean(parts.subtractive, 0);
        const relImbalance = tf.div(tf.abs(tf.sub(meanE, meanI)), meanE);
        const { mean, variance } = tf.moments(parts.z);
        return {
          maxRelImbalance: tf.max(relImbalance).dataSync()[0]!,
          meanRelImbalance: tf.mean(relImbalance).dataSync()[0]!,
          zMean: mean.dataSync()[0]!,
          zStd: Math.sqrt(variance.dataSync()[0]!),
          gammaMean: tf.mean(parts.gamma).dataSync()[0]!,
        };
      });
      // Printed so the measured values are visible in the test log.
      console.log(`App. C statistics d=${d} ne=${ne} ni=${ni}: ${JSON.stringify(stats)}`);
      // Per unit, E_x[z_E] and E_x[W_EI z_I] differ only by the sampling noise of one row of W_EE
      // (relative std ≈ 1/sqrt(d) for the row sum of d exponentials).
      expect(stats.meanRelImbalance).toBeLessThan(2 / Math.sqrt(d));
      expect(stats.maxRelImbalance).toBeLessThan(6 / Math.sqrt(d));
      expect(Math.abs(stats.zMean)).toBeLessThan(0.1);
      // Var(z_E − W_EI z_I) is below Var(z_E) = 1 because E and I share the input, so the common
      // part d E[w]² Var(x) ≈ 0.405 cancels. With v = W_EI W_IE (mean of n_i exponential rows, or
      // for n_i = 1 the mean of the n_e rows of W_EE), Var(w − v) = Var(w)(1 + 1/n_i) (resp.
      // (1 − 1/n_e)), hence Var(z) ≈ d Var(w) E[x²] (1 ± ...) / γ² with E[x²] = 1/2, γ ≈ 1.
      const varW = (2 * Math.PI) / (d * (2 * Math.PI - 1));
      const factor = ni === 1 ? 1 - 1 / ne : 1 + 1 / ni;
      const predictedStd = Math.sqrt(d * varW * 0.5 * factor);
      console.log(`predicted z std ${predictedStd.toFixed(4)}, measured ${stats.zStd.toFixed(4)}`);
      expect(Math.abs(stats.zStd - predictedStd)).toBeLessThan(0.06);
      expect(stats.zStd).toBeGreaterThan(0.7);
      expect(stats.zStd).toBeLessThan(1.3);
      // γ ≈ c E[z_E] = std(z_E) = σ = 1 (eq. 3).
      expect(stats.gammaMean).toBeGreaterThan(0.9);
      expect(stats.gammaMean).toBeLessThan(1.1);
    });
  }
});
