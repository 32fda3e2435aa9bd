import * as tf from "@tensorflow/tfjs";
import { batchTrials, scoreTrials, unbatchOutputs, type Trial, type TrialTask } from "@dale-nn/tasks";
import { CtNetwork } from "./ct-network.js";

/** The noise-free decisions of a network on a set of trials, with its raw outputs. */
export interface TrialEvaluation {
  accuracy: number;
  decisions: number[];
  /** Per trial, the outputs [steps, nOut] row-major. */
  outputs: Float32Array[];
}

/**
 * Runs `net` noise-free on `trials` (in chunks of `chunk`) and scores them with the task's read-out.
 * With `stepsPerInput` = k > 1 each input step is held for k network steps (the same
 * piecewise-constant input u(t) seen by a network whose dt is k times smaller) and the output after
 * every k-th step (the end of each original step) is scored.
 */
export function evaluateTrials(net: CtNetwork, task: TrialTask, trials: readonly Trial[], options: { chunk?: number; stepsPerInput?: number } = {}): TrialEvaluation {
  const chunk = options.chunk ?? 100;
  const k = options.stepsPerInput ?? 1;
  const outputs: Float32Array[] = [];
  for (let i = 0; i < trials.length; i += chunk) {
    const part = trials.slice(i, i + chunk);
    const batch = batchTrials(part);
    const z = tf.tidy(() => {
      let x: tf.Tensor = tf.tensor3d(batch.inputs, [batch.size, batch.steps, batch.nIn]);
      if (k > 1) x = tf.reshape(tf.tile(tf.expandDims(x, 2), [1, 1, k, 1]), [batch.size, batch.steps * k, batch.nIn]);
      let y = net.predict(x);
      if (k > 1) y = tf.reshape(tf.slice(tf.reshape(y, [batch.size, batch.steps, k, -1]), [0, 0, k - 1, 0], [-1, -1, 1, -1]), [batch.size, batch.steps, -1]);
      return y;
    });
    outputs.push(...unbatchOutputs(batch, z.dataSync()));
    z.dispose();
  }
  const scores = scoreTrials(task, trials, outputs);
  return { accuracy: scores.accuracy, decisions: scores.decisions, outputs };
}

/** The same trained network and test trials at dt and at dt / 2. */
export interface HalfDtCheck {
  /** Accuracy at dt / 2. */
  accuracy: number;
  /** Fraction of trials whose decision is the same at dt and at dt / 2. */
  agreement: number;
  /** max |z(dt/2) − z(dt)| / max |z(dt)| over every output of every trial. */
  outputDifference: number;
}

/**
 * The discretisation check of issue 13 on a trained network: the network is rebuilt at dt / 2 with
 * the trained weights (α = dt / τ halves; nothing else depends on dt), fed the same trials with each
 * input step held for two steps, and scored at the end of each original step. Euler's error is
 * first order in dt, so results that change by more than a few percent mean the network relies on
 * the discretisation rather than on the continuous-time dynamics.
 */
export function halfDtCheck(net: CtNetwork, task: TrialTask, trials: readonly Trial[], atDt: TrialEvaluation): HalfDtCheck {
  const fine = new CtNetwork({ ...net.options, dt: net.options.dt / 2 });
  try {
    fine.setWeights(net.getWeights());
    const half = evaluateTrials(fine, task, trials, { stepsPerInput: 2 });
    let same = 0;
    let diff = 0;
    let scale = 0;
    half.decisions.forEach((d, i) => {
      const d0 = atDt.decisions[i]!;
      if (d === d0 || (Number.isNaN(d) && Number.isNaN(d0))) same++;
      const a = atDt.outputs[i]!;
      const b = half.outputs[i]!;
      for (let j = 0; j < a.length; j++) {
        diff = Math.max(diff, Math.abs(b[j]! - a[j]!));
        scale = Math.max(scale, Math.abs(a[j]!));
      }
    });
    return { accuracy: half.accuracy, agreement: same / trials.length, outputDifference: scale > 0 ? diff / scale : diff };
  } finally {
    fine.dispose();
  }
}
