import {
  argMax, cast, cumsum, div, equal, gather, greaterEqual, max, maximum, mul, notEqual, reshape, scalar, slice, squeeze, sub, sum, tensor3d, tidy,
  type Scalar, type Tensor,
} from "@tensorflow/tfjs-core";
import type { HostBatch, Task } from "../task.js";
import { packedWidth } from "./internal/pack-targets.js";
import { fmt } from "./internal/validate.js";
import { maskedCrossEntropy } from "./masked-cross-entropy.js";
import { maskedMse, type MaskedLossOptions } from "./masked-mse.js";
import type { TrialTask } from "./trial-task.js";

/** Options of {@link trialTaskAdapter}. */
export interface TrialTaskAdapterOptions extends MaskedLossOptions {
  /**
   * "mse" (default): masked MSE of the outputs against the hi / lo targets (PsychRNN, pycog).
   * "cross-entropy": the outputs are logits and the per-step label is the arg-max of the targets
   * (0 = fixate, 1 … k = choice; neurogym's ground truth), masked where any output is supervised.
   */
  loss?: "mse" | "cross-entropy";
}

/** A {@link Task} that trains and scores a {@link TrialTask}; `trialTask` and `packedWidth` describe it. */
export interface TrialTaskAdapter extends Task {
  readonly trialTask: TrialTask;
  /** Width of the packed targets per step, 2·nOut + 2. */
  readonly packedWidth: number;
}

/**
 * The bridge from a trial task to the `Task` interface, so the existing `@dale-nn/train` loop
 * trains on it unchanged. The mask travels inside the targets: `toTensors` turns a host batch
 * from {@link trialHostBatches} into inputs [size, T, nIn] and packed targets [size, T, 2·nOut + 2]
 * = [targets | mask | read-out window | truth]; `loss(outputs, targets)` unpacks them and returns
 * `maskedMse` (or `maskedCrossEntropy`) of outputs [size, T, nOut]; `errorSum` counts wrong
 * decisions with the task's read-out computed on the device (argmax-mean: arg-max of the outputs
 * averaged over the window; first-crossing: whether the first crossing of the threshold lies in the
 * window of correct steps), the same decisions as `scoreTrials` on the host. The metric is the
 * decision error rate = 1 − accuracy. T comes from `batch.steps` (else `task.maxSteps`).
 *
 * @throws RangeError on an unknown loss, or (in toTensors) a batch without targets or too short
 * @example
 * const task = trialTaskAdapter(perceptualDecisionMaking());
 * await trainModel({ model, optimizer, task, epochs: 1, trainBatches: (e) => trialHostBatches(task.trialTask, trialSet(task.trialTask, { seed: e, count: 6400 }), { batchSize: 64 }) });
 */
export function trialTaskAdapter(task: TrialTask, options: TrialTaskAdapterOptions = {}): TrialTaskAdapter {
  const lossKind = options.loss ?? "mse";
  if (lossKind !== "mse" && lossKind !== "cross-entropy") throw new RangeError(`trialTaskAdapter: loss must be "mse" or "cross-entropy"; got ${fmt(lossKind)}`);
  const lossOptions: MaskedLossOptions = options.divideBy ? { divideBy: options.divideBy } : {};
  const nIn = task.inputNames.length;
  const nOut = task.outputNames.length;
  const P = packedWidth(nOut);
  const readout = task.readout;
  const ctx = `trialTaskAdapter(${task.name})`;
  const part = (targets: Tensor, from: number, width: number): Tensor => slice(targets, [0, 0, from], [-1, -1, width]);
  const shaped = (outputs: Tensor, targets: Tensor): Tensor => {
    const [B, T] = targets.shape as [number, number, number];
    if (outputs.size !== B * T * nOut) {
      throw new RangeError(`${ctx}: outputs have shape [${outputs.shape.join(", ")}]; expected [${B}, ${T}, ${nOut}] (batch, steps, outputs)`);
    }
    return reshape(outputs, [B, T, nOut]);
  };
  return {
    name: task.name,
    kind: "trial",
    inputSize: task.maxSteps * nIn,
    inputShape: [task.maxSteps, nIn],
    metricName: "decision error rate",
    trialTask: task,
    packedWidth: P,
    toTensors(batch: HostBatch) {
      const { size } = batch;
      const T = batch.steps ?? task.maxSteps;
      if (!batch.targets) throw new TypeError(`${ctx}: batch has no targets; build batches with trialHostBatches`);
      if (batch.x.length < size * T * nIn) throw new RangeError(`${ctx}: batch.x holds ${batch.x.length} values; expected at least size * steps * nIn = ${size * T * nIn}`);
      if (batch.targets.length < size * T * P) {
        throw new RangeError(`${ctx}: batch.targets holds ${batch.targets.length} values; expected at least size * steps * (2 nOut + 2) = ${size * T * P}`);
      }
      return tidy(() => ({
        inputs: tensor3d(batch.x.subarray(0, size * T * nIn), [size, T, nIn]),
        targets: tensor3d(batch.targets!.subarray(0, size * T * P), [size, T, P]),
      }));
    },
    loss(outputs: Tensor, targets: Tensor): Scalar {
      return tidy(() => {
        const z = shaped(outputs, targets);
        const y = part(targets, 0, nOut);
        const m = part(targets, nOut, nOut);
        if (lossKind === "mse") return maskedMse(z, y, m, lossOptions);
        return maskedCrossEntropy(z, argMax(y, -1), max(m, -1), lossOptions);
      });
    },
    errorSum(outputs: Tensor, targets: Tensor): Scalar {
      return tidy(() => {
        const z = shaped(outputs, targets);
        const w = part(targets, 2 * nOut, 1); // [B, T, 1]
        const B = targets.shape[0] as number;
        if (readout.kind === "argmax-mean") {
          const zc = gather(z, readout.channels as number[], 2); // [B, T, K]
          const means = div(sum(mul(zc, w), 1), maximum(sum(w, 1), scalar(1e-30))); // [B, K]
          const truth = cast(reshape(slice(targets, [0, 0, 2 * nOut + 1], [-1, 1, 1]), [B]), "int32");
          return sum(cast(notEqual(argMax(means, -1), truth), "float32")) as Scalar;
        }
        const g = slice(z, [0, 0, readout.channel], [-1, -1, 1]);
        const crossed = cast(greaterEqual(g, scalar(readout.threshold)), "float32");
        const first = mul(crossed, cast(equal(cumsum(crossed, 1), scalar(1)), "float32"));
        const hits = sum(squeeze(mul(first, w), [2]), 1); // 1 when the first crossing is in the window
        return sub(scalar(B), sum(hits)) as Scalar;
      });
    },
  };
}
