import type { TensorInfo } from "@tensorflow/tfjs-core";
import { MULTI_TENSOR_STEP_KERNEL, type MultiTensorMethod, type MultiTensorStepKernelImpl } from "@dale-nn/core";
import { outputBuffer, requireFloat32, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// The multi-tensor optimiser step on OpenBLAS: the MULTI_TENSOR_STEP_KERNEL contract of
// @dale-nn/core. One addon call updates every variable (gradient scale, SGD / momentum / Adam,
// projection); each weight and state tensor is updated in its own buffer when the backend can
// show that nothing else sees it (OpenBlasBackend.canUpdateInPlace), else written to a new one.

const METHOD_CODE: Record<MultiTensorMethod, number> = { sgd: 0, momentum: 1, adam: 2 };
const PROJECTION_CODE: Record<string, number> = { none: 0, nonneg: 1, nonpos: 2 };

/** What the in-place path needs of the backend (OpenBlasBackend has it; MathBackendCPU does not). */
interface InPlaceBackend extends CpuBackendLike {
  canUpdateInPlace?(t: TensorInfo): boolean;
  incRef(dataId: object): void;
}

/** The multi-tensor step on the OpenBLAS backend. */
export function openBlasMultiTensorStep(addon: OpenBlasAddon): MultiTensorStepKernelImpl<InPlaceBackend> {
  return ({ inputs, attrs, backend }) => {
    const k = MULTI_TENSOR_STEP_KERNEL;
    const { entries } = inputs;
    const method = METHOD_CODE[attrs.method];
    if (method === undefined) throw new TypeError(`${k}: unknown method ${JSON.stringify(attrs.method)}; expected sgd, momentum or adam`);
    const per = new Float64Array(3 * entries.length);
    const ws: Float32Array[] = [];
    const gs: Float32Array[] = [];
    const outs: Float32Array[] = [];
    const states: Float32Array[] = [];
    const stateOuts: Float32Array[] = [];
    const updated: TensorInfo[] = [];
    const newState: TensorInfo[][] = [];
    // Decide in place or not, and allocate, before the addon writes anything.
    const target = (t: TensorInfo, values: Float32Array): { values: Float32Array; info: () => TensorInfo } => {
      if (attrs.inPlace && backend.canUpdateInPlace?.(t) === true) {
        return { values, info: () => (backend.incRef(t.dataId), { dataId: t.dataId, shape: t.shape.slice(), dtype: "float32" }) };
      }
      const out = outputBuffer(backend, values.length);
      return { values: out, info: () => backend.makeTensorInfo(t.shape.slice(), "float32", out) };
    };
    const infos: Array<() => TensorInfo> = [];
    const stateInfos: Array<Array<() => TensorInfo>> = [];
    entries.forEach((e, i) => {
      const w = requireFloat32(backend, e.w, `w${i}`, k);
      const g = requireFloat32(backend, e.g, `g${i}`, k);
      if (g.length !== w.length || e.g.shape.length !== e.w.shape.length || e.g.shape.some((d, j) => d !== e.w.shape[j])) {
        throw new RangeError(`${k}: gradient ${i} has shape [${e.g.shape}]; its weight has [${e.w.shape}]`);
      }
      const projection = PROJECTION_CODE[attrs.projections[i] ?? ""];
      if (projection === undefined) throw new TypeError(`${k}: projections[${i}] is ${JSON.stringify(attrs.projections[i])}; expected none, nonneg or nonpos`);
      const lr = attrs.learningRates[i]!;
      const scale = attrs.gradScales[i]!;
      if (!Number.isFinite(lr) || !Number.isFinite(scale)) throw new RangeError(`${k}: learningRates[${i}] and gradScales[${i}] must be finite; got ${lr}, ${scale}`);
      per[3 * i] = lr;
      per[3 * i + 1] = scale;
      per[3 * i + 2] = projection;
      ws.push(w);
      gs.push(g);
      const wt = target(e.w, w);
      outs.push(wt.values);
      infos.push(wt.info);
      const si: Array<() => TensorInfo> = [];
      e.state.forEach((s, j) => {
        const sv = requireFloat32(backend, s, `s${i}_${j}`, k);
        if (sv.length !== w.length) throw new RangeError(`${k}: state ${j} of variable ${i} has ${sv.length} elements; its weight has ${w.length}`);
        states.push(sv);
        const st = target(s, sv);
        stateOuts.push(st.values);
        si.push(st.info);
      });
      stateInfos.push(si);
    });
    const hyper = new Float64Array([
      attrs.momentum ?? 0,
      attrs.nesterov === true ? 1 : 0,
      attrs.beta1 ?? 0.9,
      attrs.beta2 ?? 0.999,
      attrs.epsilon ?? 1e-7,
      attrs.biasCorrection1 ?? 1,
      attrs.biasCorrection2 ?? 1,
    ]);
    if (attrs.method === "adam" && !(hyper[5]! > 0 && hyper[6]! > 0)) {
      throw new RangeError(`${k}: adam needs biasCorrection1 and biasCorrection2 > 0; got ${attrs.biasCorrection1}, ${attrs.biasCorrection2}`);
    }
    if (entries.length > 0) addon.multiStep(method, ws, gs, outs, states, stateOuts, per, hyper);
    for (const info of infos) updated.push(info());
    for (const si of stateInfos) newState.push(si.map((info) => info()));
    return { updated, state: newState };
  };
}
