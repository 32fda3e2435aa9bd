import * as tf from "@tensorflow/tfjs";

/** Where the time of one training step goes: kernels (by name) and what is left outside them. */
export interface StepBreakdown {
  /** The step's time in the timed repetitions, ms (batch / samples per second). */
  stepMs: number;
  /** tfjs kernels the step runs. */
  kernels: number;
  /** Their summed time under `tf.profile`, ms per step. */
  kernelMs: number;
  /**
   * stepMs − kernelMs: the engine (op dispatch, gradient tape, tidy scopes), the layers' and the
   * optimiser's JavaScript, and garbage collection, ms per step.
   */
  outsideKernelsMs: number;
  /** The kernels that take most of the time: name, calls per step, ms per step, in decreasing ms. */
  top: Array<{ kernel: string; calls: number; ms: number }>;
}

/**
 * Profiles `steps` calls of a training step with `tf.profile` and sums each registered kernel's
 * time (the backend's own timer around every kernel, which adds a little to each).
 *
 * @param step - one training step (forward, loss, backward, update)
 * @param stepMs - its time from the timed repetitions, ms
 * @param steps - profiled steps to average over
 * @param topCount - how many kernels to list
 * @returns the breakdown per step
 * @example
 * const b = await breakDownStep(w.step, 1000 * batch / samplesPerSecond);
 */
export async function breakDownStep(step: () => void, stepMs: number, steps = 5, topCount = 8): Promise<StepBreakdown> {
  const info = await tf.profile(() => {
    for (let i = 0; i < steps; i++) step();
  });
  const byName = new Map<string, { calls: number; ms: number }>();
  let total = 0;
  // A custom-gradient op (tf.customGrad, core's runKernelRecordingOneOutput) is profiled as one
  // entry named after its scope around the registered kernels it runs, which are profiled too:
  // count registered kernels only, or their time would count twice.
  const backend = tf.getBackend();
  const kernels = info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined);
  for (const k of kernels) {
    const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    const entry = byName.get(k.name) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += ms;
    byName.set(k.name, entry);
    total += ms;
  }
  const kernelMs = total / steps;
  const top = [...byName]
    .map(([kernel, e]) => ({ kernel, calls: e.calls / steps, ms: e.ms / steps }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, topCount);
  return { stepMs, kernels: kernels.length / steps, kernelMs, outsideKernelsMs: stepMs - kernelMs, top };
}

/**
 * One line per workload: the step's time, its kernels' share and the top kernels, e.g.
 * `mlp batch 32 on openblas: 3.10 ms/step = 2.60 ms in 41 kernels + 0.50 ms outside (BatchMatMul 6x 1.70, ...)`.
 *
 * @param label - what was profiled
 * @param b - its breakdown
 * @returns the line, without a newline
 */
export function describeBreakdown(label: string, b: StepBreakdown): string {
  const top = b.top.map((t) => `${t.kernel} ${t.calls}x ${t.ms.toFixed(2)}`).join(", ");
  return `${label}: ${b.stepMs.toFixed(2)} ms/step = ${b.kernelMs.toFixed(2)} ms in ${b.kernels} kernels + ${b.outsideKernelsMs.toFixed(2)} ms outside them (${top})`;
}
