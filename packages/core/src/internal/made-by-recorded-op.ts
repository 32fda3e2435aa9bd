import { engine, type Tensor } from "@tensorflow/tfjs-core";

/** The engine's tape while gradients are being recorded (tfjs-core's `engine().state.activeTape`), else null. */
function activeTape(): ReadonlyArray<{ readonly outputs: readonly Tensor[] }> | null {
  const state = (engine() as unknown as { state?: { activeTape?: ReadonlyArray<{ outputs: Tensor[] }> | null } }).state;
  return state?.activeTape ?? null;
}

/**
 * Whether x was made by an op the engine has recorded for a gradient (an earlier layer's output):
 * then the backward pass will want dL/dx. A network's input (made before the tape started) will
 * not. The fused kernels whose gradient can form dL/dx in the same call (`DaleDannDense_v2`,
 * `DaleReluRnn_v2`) read their `inputGradient` attr from this.
 *
 * @param x - a kernel input
 * @returns true when a recorded op on the active tape output x; false with no tape
 * @example
 * const inputGradient = madeByRecordedOp(inputs.x);
 */
export function madeByRecordedOp(x: Tensor): boolean {
  const tape = activeTape();
  if (tape === null) return false;
  for (let i = tape.length - 1; i >= 0; i--) {
    for (const out of tape[i]!.outputs) if (out.id === x.id) return true;
  }
  return false;
}
