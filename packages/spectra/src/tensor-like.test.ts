import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackendWithLeakCheck } from "@dale-nn/test-support";
import { isTensorLike } from "./tensor-like.js";
import { toDenseMatrix } from "./matrix-input.js";
import { singularValues } from "./singular-values.js";
import { svd } from "./svd.js";
import { eigenvalues } from "./eigenvalues.js";
import { spectralRadius } from "./spectral-radius.js";
import { largestSingularValue } from "./largest-singular-value.js";
import { normalisedSvdEntropy } from "./normalised-svd-entropy.js";
import { transplantSpectrum } from "./transplant-spectrum.js";
import { rescaleToSpectralRadius } from "./rescale-to-spectral-radius.js";
import { histogram } from "./histogram.js";
import { colEiLikeMatrix, gaussianMatrix } from "./test-support/random.js";

describe("tfjs adapter (TensorLike)", () => {
  const leaks = useBackendWithLeakCheck("cpu");

  /** The float32 values a tensor holds, as a plain matrix. */
  const asFloat32 = (m: { data: Float64Array; rows: number; cols: number }) => ({
    data: Float32Array.from(m.data),
    rows: m.rows,
    cols: m.cols,
  });

  it("isTensorLike(tf.Tensor2D) is true; arrays and { data, rows, cols } are not", () => {
    const t = tf.zeros([2, 2]);
    expect(isTensorLike(t)).toBe(true);
    t.dispose();
    expect(isTensorLike([[1]])).toBe(false);
    expect(isTensorLike({ data: [1], rows: 1, cols: 1 })).toBe(false);
    expect(isTensorLike(null)).toBe(false);
  });

  it("every function given a Tensor2D returns what it returns for the same float32 values, creating no tensor", () => {
    const g = asFloat32(gaussianMatrix(40, 40, 1));
    const c = asFloat32(colEiLikeMatrix(40, 4, 2));
    const tg = tf.tensor2d(g.data, [40, 40]);
    const tc = tf.tensor2d(c.data, [40, 40]);
    try {
      expect(toDenseMatrix(tg)).toEqual(toDenseMatrix(g));
      expect(singularValues(tg)).toEqual(singularValues(g));
      expect(svd(tg)).toEqual(svd(g));
      expect(eigenvalues(tc)).toEqual(eigenvalues(c));
      expect(spectralRadius(tc)).toBe(spectralRadius(c));
      expect(largestSingularValue(tc)).toBe(largestSingularValue(c));
      expect(normalisedSvdEntropy(tc)).toBe(normalisedSvdEntropy(c));
      expect(transplantSpectrum(tg, tc)).toEqual(transplantSpectrum(g, c));
      expect(rescaleToSpectralRadius(tc, 1.5)).toEqual(rescaleToSpectralRadius(c, 1.5));
      expect(histogram(tg, { bins: 7 })).toEqual(histogram(g.data, { bins: 7 }));
      expect(tf.memory().numTensors).toBe(leaks.before + 2);
    } finally {
      tg.dispose();
      tc.dispose();
    }
  });

  it("a result converts back with tf.tensor2d(Float32Array.from(r.data), [r.rows, r.cols])", () => {
    const t = tf.tensor2d([[0, 2], [2, 0]]);
    const r = rescaleToSpectralRadius(t, 1);
    // tfjs takes no Float64Array: tf.tensor2d(r.data, ...) throws "requires values to be number[][] or flat/TypedArray".
    const back = tf.tensor2d(Float32Array.from(r.data), [r.rows, r.cols]);
    expect(back.arraySync()).toEqual([[0, 1], [1, 0]]);
    tf.dispose([t, back]);
  });

  it("int32 and bool tensors are read as numbers", () => {
    const t = tf.tensor2d([[2, 0], [0, 3]], [2, 2], "int32");
    const b = tf.tensor2d([[1, 0], [0, 1]], [2, 2], "bool");
    expect(Array.from(singularValues(t))).toEqual([3, 2]);
    expect(Array.from(singularValues(b))).toEqual([1, 1]);
    tf.dispose([t, b]);
  });

  it("eigenvalues(tensor) rejects a tensor that is not 2-D, not square, complex or holds NaN", () => {
    const v = tf.tensor1d([1, 2, 3]);
    const r = tf.zeros([3, 4]);
    const z = tf.complex([[1, 2], [3, 4]], [[0, 0], [0, 0]]);
    const n = tf.tensor2d([[1, 2], [Number.NaN, 4]]);
    try {
      expect(() => eigenvalues(v)).toThrow("eigenvalues: a tensor must be 2-D; got shape [3]");
      expect(() => eigenvalues(r)).toThrow("eigenvalues: matrix must be square; got 3 x 4");
      expect(() => eigenvalues(z)).toThrow(
        "eigenvalues: a tensor must be real and numeric (float32, int32 or bool); got dtype complex64",
      );
      expect(() => eigenvalues(n)).toThrow("eigenvalues: matrix has a non-finite entry NaN at (1, 0)");
    } finally {
      tf.dispose([v, r, z, n]);
    }
  });

  it("a duck-typed { shape, dataSync } object works without tfjs", () => {
    const fake = { shape: [2, 2], dataSync: () => Float32Array.from([3, 0, 0, 4]) };
    expect(Array.from(singularValues(fake))).toEqual([4, 3]);
  });
});
