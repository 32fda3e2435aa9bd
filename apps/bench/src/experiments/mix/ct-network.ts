import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "@dale-nn/ei-init";
import { CtEiRnn, ctActivation, type CtRecurrentKind, type MixtureNormalisation } from "@dale-nn/ei-layers";
import type { Task } from "@dale-nn/tasks";
import type { TypeDensities } from "@dale-nn/ei-init";

/** What shapes one continuous-time network of the mix / task experiments. */
export interface CtNetworkOptions {
  kind: CtRecurrentKind;
  units: number;
  inputs: number;
  outputs: number;
  /** Time step and time constants (ms). */
  dt: number;
  tauE: number;
  tauI: number;
  /** a₀ of the mixture (ignored for dale / free). */
  a0: number;
  perUnit: boolean;
  normalisation: MixtureNormalisation;
  /** k in a = σ(k ã) (CtEiRnn mixing.logitScale). */
  aLogitScale: number;
  connectivity: TypeDensities | null;
  recurrentNoise: number;
  /** λ of the activity cost λ · mean(φ(v)²) over batch, time and units (PsychRNN's L2 firing-rate term); 0 = none. */
  activityCost: number;
  /** λ of the weight cost λ · mean(W_rec²) on the effective recurrent matrix (PsychRNN's L2_rec); 0 = none. */
  weightCost: number;
  /** Read out only the last step ([B, nOut] logits: sequential MNIST) instead of every step ([B, T, nOut]). */
  lastStepOnly: boolean;
  seed: number;
}

/**
 * A CtEiRnn as the training loop's model: `apply(x, { training: true })` runs with recurrent
 * noise from a seed derived from the update number (so a resumed run draws the same noise as an
 * uninterrupted one), any other call runs noise-free (evaluation). With an activity cost the
 * forward pass also keeps λ · mean(φ(v)²) for {@link regularisedTask} to add to the loss.
 */
export class CtNetwork {
  readonly rnn: CtEiRnn;
  /** Training forward passes so far (= updates done): the noise seed of the next one derives from it. */
  trainCalls = 0;
  private pendingActivityCost: tf.Scalar | null = null;

  constructor(readonly options: CtNetworkOptions) {
    const o = options;
    this.rnn = new CtEiRnn({
      units: o.units,
      outputs: o.outputs,
      kind: o.kind,
      dt: o.dt,
      tau: o.tauE === o.tauI ? o.tauE : { excitatory: o.tauE, inhibitory: o.tauI },
      recurrentNoise: o.recurrentNoise,
      connectivity: o.connectivity,
      mixing: { a0: o.a0, perUnit: o.perUnit, normalisation: o.normalisation, logitScale: o.aLogitScale },
      returnStates: o.activityCost > 0,
      seed: o.seed,
    });
    this.rnn.build([null, null, o.inputs]);
  }

  apply(inputs: tf.Tensor | tf.Tensor[], kwargs?: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const training = kwargs?.training === true;
    const callArgs = training ? { noise: true, noiseSeed: deriveSeed(this.options.seed, "mix-noise", this.trainCalls++) } : { noise: false };
    const out = this.rnn.apply(x, callArgs) as tf.Tensor | tf.Tensor[];
    let z = Array.isArray(out) ? out[0]! : out;
    if (Array.isArray(out)) {
      if (training && this.options.activityCost > 0) {
        this.pendingActivityCost?.dispose();
        this.pendingActivityCost = tf.mul(this.options.activityCost, tf.mean(tf.square(ctActivation(out[1]!, this.rnn.activation)))) as tf.Scalar;
      }
    }
    if (this.options.lastStepOnly) {
      const [b, t, k] = z.shape as [number, number, number];
      z = tf.reshape(tf.slice(z, [0, t - 1, 0], [b, 1, k]), [b, k]);
    }
    return z;
  }

  /** The penalty terms of the last training forward pass: activity cost, weight cost, the mixture's norm penalty. */
  penalty(): tf.Scalar | null {
    const terms: tf.Scalar[] = [];
    if (this.pendingActivityCost) {
      terms.push(this.pendingActivityCost);
      this.pendingActivityCost = null;
    }
    if (this.options.weightCost > 0) {
      const w = this.rnn.effectiveRecurrentWeight();
      terms.push(tf.mul(this.options.weightCost, tf.mean(tf.square(w))) as tf.Scalar);
    }
    if (this.options.kind === "mixture" && this.options.normalisation === "penalty") terms.push(this.rnn.mixturePenalty());
    return terms.length === 0 ? null : (tf.addN(terms) as tf.Scalar);
  }

  /** Noise-free outputs (the caller disposes them). */
  predict(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.apply(x));
  }

  /** The mixing weight a as a mean and, per unit, its spread (std over units); null unless kind "mixture". */
  mixing(): { a: number; spread: number | null } | null {
    const a = this.rnn.mixingWeight;
    if (a === null) return null;
    if (typeof a === "number") return { a, spread: null };
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const spread = Math.sqrt(a.reduce((s, v) => s + (v - mean) * (v - mean), 0) / Math.max(1, a.length - 1));
    return { a: mean, spread };
  }

  getWeights(): tf.Tensor[] {
    return this.rnn.getWeights();
  }

  setWeights(weights: tf.Tensor[]): void {
    this.rnn.setWeights(weights);
  }

  dispose(): void {
    this.pendingActivityCost?.dispose();
    this.pendingActivityCost = null;
    (this.rnn as unknown as { disposeWeights(): number }).disposeWeights();
  }
}

/**
 * The task with the network's penalty terms added to its loss: loss = task.loss + λ_act · mean(φ(v)²)
 * + λ_W · mean(W_rec²) (+ the mixture's norm penalty under "penalty" normalisation). The error
 * metric is the task's.
 */
export function regularisedTask(task: Task, net: CtNetwork): Task {
  return {
    ...task,
    toTensors: (batch) => task.toTensors(batch),
    errorSum: (outputs, targets) => task.errorSum(outputs, targets),
    loss(outputs, targets) {
      const base = task.loss(outputs, targets);
      const extra = net.penalty();
      return extra === null ? base : (tf.add(base, extra) as tf.Scalar);
    },
  };
}
