import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs";

/** What the overrides need of a CPU-like backend (tfjs-backend-cpu and the openblas backend built on it). */
interface HostBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): TensorInfo;
  disposeData(dataId: object, force?: boolean): unknown;
}

const installed = new Set<string>();

function pair(v: unknown): [number, number] {
  return Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)];
}

/** SAME / VALID padding of a stride-1 conv: the top / left pad; null for other paddings. */
function padBefore(pad: unknown, k: number): number | null {
  if (pad === "same") return Math.floor((k - 1) / 2);
  if (pad === "valid") return 0;
  return null;
}

/**
 * Replaces two gradient kernels of tfjs's CPU backend (and of backends built on it, such as
 * `@dale-nn/openblas`) that dominate training the paper-002 conv networks there:
 * `Conv2DBackpropFilter` (measured: 40 of 47 s of one batch-4 step of the CIFAR-10 network) becomes
 * im2col + one BatchMatMul of the backend (OpenBLAS sgemm on openblas), and
 * `DepthwiseConv2dNativeBackpropFilter` (5 s) a direct loop; the forward `Conv2D` and
 * `Conv2DBackpropInput` of 1 × 1 kernels (the pointwise convs) become one BatchMatMul. Only NHWC, stride 1, dilation 1,
 * SAME / VALID padding and channel multiplier 1 take the new path (what ei-conv uses); anything
 * else falls through to the original kernel. The result is the same sum in another order.
 *
 * @param backendName - "cpu" or "openblas" (what `tf.getBackend()` returns)
 * @returns whether the overrides were installed (false when the backend has no such kernels or is not CPU-like)
 */
export function registerConvGradOverrides(backendName: string): boolean {
  if (installed.has(backendName)) return true;
  const conv = getKernel("Conv2DBackpropFilter", backendName);
  const depthwise = getKernel("DepthwiseConv2dNativeBackpropFilter", backendName);
  const matMulKernel = getKernel("BatchMatMul", backendName);
  if (!conv || !depthwise || !matMulKernel || !["cpu", "openblas"].includes(backendName)) return false;
  const matMul = matMulKernel.kernelFunc;

  const convFunc: KernelFunc = (args) => {
    const { inputs, attrs, backend } = args;
    const b = backend as unknown as HostBackend;
    const x = inputs["x"] as TensorInfo;
    const dy = inputs["dy"] as TensorInfo;
    const [kh, kw, cin, cout] = (attrs?.["filterShape"] as number[]) ?? [];
    const [sh, sw] = pair(attrs?.["strides"] ?? 1);
    const [dh, dw] = pair(attrs?.["dilations"] ?? 1);
    const format = (attrs?.["dataFormat"] as string | undefined) ?? "NHWC";
    const ph = padBefore(attrs?.["pad"], kh!);
    const pw = padBefore(attrs?.["pad"], kw!);
    if (format !== "NHWC" || sh !== 1 || sw !== 1 || dh !== 1 || dw !== 1 || ph === null || pw === null || x.shape.length !== 4 || x.dtype !== "float32") return conv.kernelFunc(args);
    const [n, h, w] = x.shape as [number, number, number, number];
    const [, ho, wo] = dy.shape as [number, number, number, number];
    const xs = b.readSync(x.dataId) as Float32Array;
    const rows = n * ho! * wo!;
    const k = kh! * kw! * cin!;
    let col: Float32Array;
    if (kh === 1 && kw === 1 && ho === h && wo === w) col = xs;
    else {
      col = new Float32Array(rows * k);
      let r = 0;
      for (let i = 0; i < n; i++) {
        for (let y = 0; y < ho!; y++) {
          for (let xx = 0; xx < wo!; xx++, r++) {
            let o = r * k;
            for (let a = 0; a < kh!; a++) {
              const yy = y + a - ph;
              for (let c = 0; c < kw!; c++, o += cin!) {
                const xc = xx + c - pw;
                if (yy < 0 || yy >= h || xc < 0 || xc >= w) continue;
                const src = ((i * h + yy) * w + xc) * cin!;
                col.set(xs.subarray(src, src + cin!), o);
              }
            }
          }
        }
      }
    }
    const dys = b.readSync(dy.dataId) as Float32Array;
    const a3 = b.makeTensorInfo([1, rows, k], "float32", col);
    const b3 = b.makeTensorInfo([1, rows, cout!], "float32", dys);
    try {
      const prod = matMul({ inputs: { a: a3, b: b3 }, attrs: { transposeA: true, transposeB: false }, backend }) as TensorInfo;
      const values = b.readSync(prod.dataId) as Float32Array;
      b.disposeData(prod.dataId);
      return b.makeTensorInfo([kh!, kw!, cin!, cout!], "float32", values.slice());
    } finally {
      b.disposeData(a3.dataId);
      b.disposeData(b3.dataId);
    }
  };

  const depthwiseFunc: KernelFunc = (args) => {
    const { inputs, attrs, backend } = args;
    const b = backend as unknown as HostBackend;
    const x = inputs["x"] as TensorInfo;
    const dy = inputs["dy"] as TensorInfo;
    const [kh, kw, cin, mult] = (attrs?.["filterShape"] as number[]) ?? [];
    const [sh, sw] = pair(attrs?.["strides"] ?? 1);
    const [dh, dw] = pair(attrs?.["dilations"] ?? 1);
    const ph = padBefore(attrs?.["pad"], kh!);
    const pw = padBefore(attrs?.["pad"], kw!);
    if (mult !== 1 || sh !== 1 || sw !== 1 || dh !== 1 || dw !== 1 || ph === null || pw === null || x.shape.length !== 4 || x.dtype !== "float32") return depthwise.kernelFunc(args);
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [, ho, wo] = dy.shape as [number, number, number, number];
    const xs = b.readSync(x.dataId) as Float32Array;
    const dys = b.readSync(dy.dataId) as Float32Array;
    const acc = new Float64Array(kh! * kw! * c);
    for (let i = 0; i < n; i++) {
      for (let y = 0; y < ho!; y++) {
        for (let xx = 0; xx < wo!; xx++) {
          const d0 = ((i * ho! + y) * wo! + xx) * c;
          for (let a = 0; a < kh!; a++) {
            const yy = y + a - ph;
            if (yy < 0 || yy >= h) continue;
            for (let e = 0; e < kw!; e++) {
              const xc = xx + e - pw;
              if (xc < 0 || xc >= w) continue;
              const s0 = ((i * h + yy) * w + xc) * c;
              const o0 = (a * kw! + e) * c;
              for (let ch = 0; ch < c; ch++) acc[o0 + ch]! += xs[s0 + ch]! * dys[d0 + ch]!;
            }
          }
        }
      }
    }
    return b.makeTensorInfo([kh!, kw!, c, 1], "float32", Float32Array.from(acc));
  };

  // 1 × 1 stride-1 convs (the pointwise half of every separable conv) as one sgemm: forward
  // y = X[NHW, Cin] · W[Cin, Cout], input gradient dX = dY[NHW, Cout] · Wᵀ.
  const forward = getKernel("Conv2D", backendName);
  const backInput = getKernel("Conv2DBackpropInput", backendName);
  const pointwiseOnly = (attrs: Record<string, unknown> | undefined, filterShape: readonly number[]): boolean => {
    const [sh, sw] = pair(attrs?.["strides"] ?? 1);
    const [dh, dw] = pair(attrs?.["dilations"] ?? 1);
    const format = (attrs?.["dataFormat"] as string | undefined) ?? "NHWC";
    return filterShape[0] === 1 && filterShape[1] === 1 && sh === 1 && sw === 1 && dh === 1 && dw === 1 && (format === "NHWC" || format === "channelsLast") && (attrs?.["pad"] === "same" || attrs?.["pad"] === "valid");
  };
  const product = (backend: unknown, a: TensorInfo, rowsA: number, colsA: number, w: TensorInfo, transposeB: boolean, outShape: number[]): TensorInfo => {
    const b = backend as HostBackend;
    const av = b.readSync(a.dataId) as Float32Array;
    const wv = b.readSync(w.dataId) as Float32Array;
    const cin = w.shape[2]!;
    const cout = w.shape[3]!;
    const a3 = b.makeTensorInfo([1, rowsA, colsA], "float32", av);
    const b3 = b.makeTensorInfo([1, cin, cout], "float32", wv);
    try {
      const prod = matMul({ inputs: { a: a3, b: b3 }, attrs: { transposeA: false, transposeB }, backend: backend as never }) as TensorInfo;
      const values = b.readSync(prod.dataId) as Float32Array;
      b.disposeData(prod.dataId);
      return b.makeTensorInfo(outShape, "float32", values.slice());
    } finally {
      b.disposeData(a3.dataId);
      b.disposeData(b3.dataId);
    }
  };
  const forwardFunc: KernelFunc | null = forward
    ? (args) => {
        const x = args.inputs["x"] as TensorInfo;
        const filter = args.inputs["filter"] as TensorInfo;
        if (x.shape.length !== 4 || x.dtype !== "float32" || !pointwiseOnly(args.attrs as Record<string, unknown>, filter.shape)) return forward.kernelFunc(args);
        const [n, h, w, cin] = x.shape as [number, number, number, number];
        return product(args.backend, x, n * h * w, cin, filter, false, [n, h, w, filter.shape[3]!]);
      }
    : null;
  const backInputFunc: KernelFunc | null = backInput
    ? (args) => {
        const dy = args.inputs["dy"] as TensorInfo;
        const filter = args.inputs["filter"] as TensorInfo;
        const inputShape = args.attrs?.["inputShape"] as number[] | undefined;
        if (dy.shape.length !== 4 || dy.dtype !== "float32" || !inputShape || !pointwiseOnly(args.attrs as Record<string, unknown>, filter.shape)) return backInput.kernelFunc(args);
        const [n, h, w, cout] = dy.shape as [number, number, number, number];
        return product(args.backend, dy, n * h * w, cout, filter, true, [n, h, w, filter.shape[2]!]);
      }
    : null;

  const swap = (original: KernelConfig, kernelFunc: KernelFunc): void => {
    unregisterKernel(original.kernelName, backendName);
    registerKernel({ ...original, kernelFunc });
  };
  swap(conv, convFunc);
  swap(depthwise, depthwiseFunc);
  if (forward && forwardFunc) swap(forward, forwardFunc);
  if (backInput && backInputFunc) swap(backInput, backInputFunc);
  installed.add(backendName);
  return true;
}
