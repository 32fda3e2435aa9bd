import { SOFTMAX_CROSS_ENTROPY_KERNEL, type SoftmaxCrossEntropyKernelImpl } from "@dale-nn/core";
import { outputBuffer, requireFloat32, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// The fused softmax cross-entropy on OpenBLAS's backend: the SOFTMAX_CROSS_ENTROPY_KERNEL
// contract of @dale-nn/core, the mean loss and its logits gradient in one pass over the logits,
// in the order and float32 roundings of tf.losses.softmaxCrossEntropy on the CPU backend
// (native/softmax_cross_entropy.c); @dale-nn/core's softmaxCrossEntropy runs it when the active
// backend has this version.

/** The fused loss on the OpenBLAS backend. */
export function openBlasSoftmaxCrossEntropy(addon: OpenBlasAddon): SoftmaxCrossEntropyKernelImpl<CpuBackendLike> {
  return ({ inputs, backend }) => {
    const k = SOFTMAX_CROSS_ENTROPY_KERNEL;
    const { logits, labels } = inputs;
    if (logits.shape.length !== 2 || labels.shape.join() !== logits.shape.join() || labels.shape.length !== 2 || logits.shape[0]! < 1 || logits.shape[1]! < 1) {
      throw new RangeError(`${k}: expected logits and labels of one shape [B, C] with B, C >= 1; got logits [${logits.shape}], labels [${labels.shape}]`);
    }
    const [batch, classes] = logits.shape as [number, number];
    const zv = requireFloat32(backend, logits, "logits", k);
    const tv = requireFloat32(backend, labels, "labels", k);
    const loss = outputBuffer(backend, 1);
    const dlogits = outputBuffer(backend, batch * classes);
    addon.softmaxCrossEntropy(zv, tv, loss, dlogits, batch, classes);
    return { loss: backend.makeTensorInfo([], "float32", loss), dlogits: backend.makeTensorInfo([batch, classes], "float32", dlogits) };
  };
}
