import type { TensorInfo } from "@tensorflow/tfjs-core";
import { DANN_DENSE_GRAD_KERNEL, DANN_DENSE_KERNEL, type DannDenseGradKernelImpl, type DannDenseKernelImpl } from "@dale-nn/core";
import { outputBuffer, requireFloat32, type CpuBackendLike } from "./cpu-data.js";
import type { OpenBlasAddon } from "./load-addon.js";

// The fused DANN dense layer (Cornford et al. 2021, eq. 1) on OpenBLAS: the DANN_DENSE_KERNEL /
// DANN_DENSE_GRAD_KERNEL contract of @dale-nn/core (names, versions, typed inputs and outputs,
// layouts); @dale-nn/ei-layers' dannDense runs it when the active backend has this version.

function sizes(x: TensorInfo, wEE: TensorInfo, wIE: TensorInfo, wEI: TensorInfo, kernel: string): [number, number, number, number] {
  const [batch, d] = x.shape as [number, number];
  const [ne, ni] = wEI.shape as [number, number];
  const ok =
    x.shape.length === 2 &&
    wEI.shape.length === 2 &&
    wEE.shape.length === 2 && wEE.shape[0] === ne && wEE.shape[1] === d &&
    wIE.shape.length === 2 && wIE.shape[0] === ni && wIE.shape[1] === d;
  if (!ok || batch < 1 || d < 1 || ne < 1 || ni < 1) {
    throw new RangeError(`${kernel}: expected x [B, d], wEE [ne, d], wIE [ni, d], wEI [ne, ni]; got x [${x.shape}], wEE [${wEE.shape}], wIE [${wIE.shape}], wEI [${wEI.shape}]`);
  }
  return [batch, d, ne, ni];
}

/** The forward kernel on the OpenBLAS backend. */
export function openBlasDannDense(addon: OpenBlasAddon): DannDenseKernelImpl<CpuBackendLike> {
  return ({ inputs, attrs, backend }) => {
    const k = DANN_DENSE_KERNEL;
    const [batch, d, ne, ni] = sizes(inputs.x, inputs.wEE, inputs.wIE, inputs.wEI, k);
    if (inputs.alpha.shape.join() !== `${ni}` || inputs.g.shape.join() !== `${ne}` || inputs.beta.shape.join() !== `${ne}`) {
      throw new RangeError(`${k}: expected alpha [${ni}], g [${ne}], beta [${ne}]; got [${inputs.alpha.shape}], [${inputs.g.shape}], [${inputs.beta.shape}]`);
    }
    const z = outputBuffer(backend, batch * ne);
    const c = outputBuffer(backend, batch * ne);
    const gamma = outputBuffer(backend, batch * ne);
    const zI = outputBuffer(backend, batch * ni);
    const v = (name: keyof typeof inputs) => requireFloat32(backend, inputs[name], name, k);
    addon.dannDenseForward(v("x"), v("wEE"), v("wIE"), v("wEI"), v("alpha"), v("g"), v("beta"), z, c, gamma, zI, batch, d, ne, ni, attrs.eps);
    return {
      z: backend.makeTensorInfo([batch, ne], "float32", z),
      c: backend.makeTensorInfo([batch, ne], "float32", c),
      gamma: backend.makeTensorInfo([batch, ne], "float32", gamma),
      zI: backend.makeTensorInfo([batch, ni], "float32", zI),
    };
  };
}

/** The gradient kernel on the OpenBLAS backend. */
export function openBlasDannDenseGrad(addon: OpenBlasAddon): DannDenseGradKernelImpl<CpuBackendLike> {
  return ({ inputs, backend }) => {
    const k = DANN_DENSE_GRAD_KERNEL;
    const [batch, d] = inputs.x.shape as [number, number];
    const [ne, ni] = inputs.wEI.shape as [number, number];
    for (const [name, want] of [["dz", [batch, ne]], ["c", [batch, ne]], ["gamma", [batch, ne]], ["zI", [batch, ni]], ["alpha", [ni]], ["g", [ne]]] as const) {
      if (inputs[name].shape.join() !== want.join()) throw new RangeError(`${k}: ${name} must be [${want}]; got [${inputs[name].shape}]`);
    }
    const out = {
      dwEE: outputBuffer(backend, ne * d),
      dwIE: outputBuffer(backend, ni * d),
      dwEI: outputBuffer(backend, ne * ni),
      dalpha: outputBuffer(backend, ni),
      dg: outputBuffer(backend, ne),
      dbeta: outputBuffer(backend, ne),
      q: outputBuffer(backend, batch * ne),
      dzI: outputBuffer(backend, batch * ni),
    };
    const v = (name: keyof typeof inputs) => requireFloat32(backend, inputs[name], name, k);
    addon.dannDenseBackward(
      v("dz"), v("x"), v("wEI"), v("alpha"), v("g"), v("c"), v("gamma"), v("zI"),
      out.dwEE, out.dwIE, out.dwEI, out.dalpha, out.dg, out.dbeta, out.q, out.dzI,
      batch, d, ne, ni,
    );
    return {
      dwEE: backend.makeTensorInfo([ne, d], "float32", out.dwEE),
      dwIE: backend.makeTensorInfo([ni, d], "float32", out.dwIE),
      dwEI: backend.makeTensorInfo([ne, ni], "float32", out.dwEI),
      dalpha: backend.makeTensorInfo([ni], "float32", out.dalpha),
      dg: backend.makeTensorInfo([ne], "float32", out.dg),
      dbeta: backend.makeTensorInfo([ne], "float32", out.dbeta),
      q: backend.makeTensorInfo([batch, ne], "float32", out.q),
      dzI: backend.makeTensorInfo([batch, ni], "float32", out.dzI),
    };
  };
}
