import type { InitArray } from "../init-array.js";
import { formatValue } from "@dale-nn/core/validation";
import type { SpectralRadiusFn } from "../ct-recurrent-init.js";

/** The mask to use: the given one (checked to be [n, n] of 0 / 1), else all ones; diagonal 0 without autapses. */
export function resolveMask(context: string, n: number, mask: InitArray | ArrayLike<number> | undefined, autapses: boolean): InitArray {
  const values = new Float32Array(n * n).fill(1);
  if (mask !== undefined) {
    const flat = ArrayBuffer.isView(mask) || Array.isArray(mask);
    const data = flat ? (mask as ArrayLike<number>) : (mask as InitArray).values;
    const shape = flat ? [data.length] : (mask as InitArray).shape;
    const shapeOk = flat ? data.length === n * n : shape.length === 2 && shape[0] === n && shape[1] === n;
    if (!shapeOk) throw new RangeError(`${context}: mask must be [${n}, ${n}] (n x n, post x pre); got ${flat ? `${data.length} values` : `[${shape.join(", ")}]`}`);
    for (let i = 0; i < n * n; i++) {
      const v = data[i] as number;
      if (v !== 0 && v !== 1) throw new RangeError(`${context}: mask entries must be 0 or 1; entry ${i} (row ${Math.floor(i / n)}, column ${i % n}) was ${formatValue(v)}`);
      values[i] = v;
    }
  }
  if (!autapses) for (let i = 0; i < n; i++) values[i * n + i] = 0;
  return { values, shape: [n, n] };
}

/** Scales `signed` and `magnitudes` in place so that the signed matrix has radius rho; returns the radius after. */
export function rescaleInPlace(context: string, signed: Float32Array, others: Float32Array[], n: number, rho: number, radiusOf: SpectralRadiusFn | undefined): number {
  if (!radiusOf) throw new TypeError(`${context}: rho = ${rho} needs a spectralRadius function (e.g. spectralRadius from @dale-nn/spectra)`);
  const rho0 = radiusOf(Float64Array.from(signed), n);
  if (!(rho0 > 0) || !Number.isFinite(rho0)) throw new RangeError(`${context}: spectral radius of W before rescaling is ${rho0}; expected > 0`);
  const k = rho / rho0;
  for (const a of [signed, ...others]) for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) * k + 0;
  return radiusOf(Float64Array.from(signed), n);
}
