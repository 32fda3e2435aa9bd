import * as tf from "@tensorflow/tfjs";
import type { GradientTransform, NamedGradients } from "@dale-nn/core";
import { EiRnn } from "@dale-nn/ei-layers";

/** The gradient factors of one ColEI recurrent layer: a factor matrix per variable name. */
interface LayerFactors {
  u: { name: string; rows: number; cols: number; factor: (row: number, col: number) => number };
  w: { name: string; rows: number; cols: number; factor: (row: number, col: number) => number };
}

/**
 * The factor of one element of a ColEI layer's W, n = n_e + n_i units, the last n_i inhibitory
 * (Li et al. 2023, App. Fig. 11: ColEI "with scaled learning rates for inhibitory parameters as in
 * DANN networks"). A DANN recurrent layer W = W_EE − W_EI W_IE scales ∇W_EI by 1/n_e and ∇W_IE by
 * 1/√n_e (App. 6.3; the reference code's EiRNNcSGD); a ColEI layer has no factors, so we map them
 * to its inhibitory elements:
 *
 *   W[i, j], j ≥ n_e (out of an I unit, as W_EI):          1 / n_e
 *   W[i, j], i ≥ n_e, j < n_e (E unit onto an I unit, as W_IE): 1 / √n_e
 *   every other element (E → E):                             1
 *
 * The reference code has no ColEI version of this rule (its ColumnEiSGD_Clip scales nothing), so
 * the mapping is ours.
 */
export function coleiRecurrentFactor(ne: number, row: number, col: number): number {
  if (col >= ne) return 1 / ne;
  if (row >= ne) return 1 / Math.sqrt(ne);
  return 1;
}

/** The factor of one element of a first-layer ColEI U (all inputs excitatory): rows of I units as U_IE, 1/√n_e. */
export function coleiInputFactor(ne: number, row: number): number {
  return row >= ne ? 1 / Math.sqrt(ne) : 1;
}

function factorsOf(layer: EiRnn): LayerFactors {
  if (layer.inputInhibitory > 0) {
    throw new RangeError(`colEiInhibitoryScaling: layer ${layer.name} has inhibitory inputs (a stacked ColEI layer); the scaling is defined for a first layer on raw input only`);
  }
  const ne = layer.units - layer.inhibitoryUnits;
  const named = (suffix: string) => {
    const found = layer.trainableWeights.filter((w) => w.originalName.endsWith(`/${suffix}`));
    if (found.length !== 1) throw new Error(`colEiInhibitoryScaling: expected one weight ${suffix} in layer ${layer.name}; found ${found.length}`);
    return found[0]!;
  };
  const u = named("u");
  const w = named("w");
  return {
    u: { name: u.name, rows: u.shape[0]!, cols: u.shape[1]!, factor: (row) => coleiInputFactor(ne, row) },
    w: { name: w.name, rows: w.shape[0]!, cols: w.shape[1]!, factor: (row, col) => coleiRecurrentFactor(ne, row, col) },
  };
}

/**
 * A {@link GradientTransform} that multiplies the gradients of every ColEI recurrent layer of
 * `model` elementwise by {@link coleiRecurrentFactor} (W) and {@link coleiInputFactor} (U);
 * biases and the readout are left alone. Factor matrices are made once and kept; `dispose()`
 * frees them.
 *
 * @throws TypeError when the model has no ColEI recurrent layer
 */
export function colEiInhibitoryScaling(model: tf.LayersModel): GradientTransform {
  const layers = model.layers.filter((l): l is EiRnn => l instanceof EiRnn && l.kind === "colei");
  if (layers.length === 0) throw new TypeError("colEiInhibitoryScaling: the model has no ColEI recurrent layer");
  const factors = new Map<string, tf.Tensor2D>();
  for (const layer of layers) {
    for (const f of Object.values(factorsOf(layer))) {
      const values = new Float32Array(f.rows * f.cols);
      for (let r = 0; r < f.rows; r++) for (let c = 0; c < f.cols; c++) values[r * f.cols + c] = f.factor(r, c);
      factors.set(f.name, tf.keep(tf.tensor2d(values, [f.rows, f.cols])));
    }
  }
  return {
    name: "colei-inhibitory-scaling",
    apply(gradients: NamedGradients): NamedGradients {
      const out: NamedGradients = {};
      for (const [name, grad] of Object.entries(gradients)) {
        const factor = factors.get(name);
        out[name] = factor ? tf.mul(grad, factor) : grad;
      }
      return out;
    },
    getConfig: () => ({ name: "colei-inhibitory-scaling" }),
    dispose() {
      for (const t of factors.values()) t.dispose();
      factors.clear();
    },
  };
}
