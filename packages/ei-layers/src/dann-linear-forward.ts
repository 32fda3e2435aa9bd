import { tidy, type Tensor1D, type Tensor2D } from "@tensorflow/tfjs-core";
import { DENSE_ACTIVATIONS, dannDenseV2, isDannDenseV2Available, type DenseActivation } from "@dale-nn/core";
import { denseForward } from "./dense-forward.js";
import { composeDann } from "./recurrent.js";
import { checkActivation, type EiActivation } from "./internal/layer-support.js";

/** Parameters of a DANN layer with subtractive inhibition only, "post x pre" shapes. */
export interface DannLinearParams {
  /** W_EE, [ne, d], ≥ 0. */
  wEE: Tensor2D;
  /** W_IE, [ni, d], ≥ 0. */
  wIE: Tensor2D;
  /** W_EI, [ne, ni], ≥ 0. */
  wEI: Tensor2D;
  /** b, [ne]. */
  bias: Tensor1D;
}

/** Options of {@link dannLinearForward}. */
export interface DannLinearForwardOptions {
  /** f; default "linear". */
  activation?: EiActivation;
  /**
   * Run the layer as one fused kernel (the `DANN_DENSE_V2_KERNEL` contract of `@dale-nn/core`,
   * subtractive) when the backend has this version of it, the activation is "linear" or "relu"
   * and the tensors are float32; default true. Same equations; false forces the separate ops.
   */
  fused?: boolean;
  /** Name used in error messages; default "dannLinearForward". */
  name?: string;
}

/**
 * The forward pass of `DannLinear`, a DANN layer with subtractive inhibition only (Cornford et
 * al. 2021, eq. 1 without the divisive term; Li et al. 2023, Sec. 2.2):
 *
 *   y = f((W_EE − W_EI W_IE) x + b) = f(W_EE x − W_EI (W_IE x) + b),  x [B, d].
 *
 * On a backend with the fused DANN kernel (version 2) the factored form runs as one kernel
 * forward and one backward (dL/dx included when an earlier op made x); otherwise W = W_EE −
 * W_EI W_IE is composed and applied by {@link denseForward} (the fused dense kernel where the
 * backend has that one), as before.
 *
 * @param x - input, [B, d]
 * @param params - W_EE [ne, d], W_IE [ni, d], W_EI [ne, ni], b [ne]
 * @param options - activation (default "linear"), fused (default true), name
 * @returns y, [B, ne]
 * @throws RangeError naming the shapes when the factors, the bias or x do not fit; TypeError on an unknown activation
 * @example
 * const logits = dannLinearForward(h, { wEE, wIE, wEI, bias });
 */
export function dannLinearForward(x: Tensor2D, params: DannLinearParams, options: DannLinearForwardOptions = {}): Tensor2D {
  const name = options.name ?? "dannLinearForward";
  const activation = checkActivation(name, options.activation ?? "linear");
  const { wEE, wIE, wEI, bias } = params;
  const float32 = [x, wEE, wIE, wEI, bias].every((t) => t.dtype === "float32");
  if (options.fused !== false && float32 && DENSE_ACTIVATIONS.includes(activation as DenseActivation) && isDannDenseV2Available()) {
    checkShapes(name, x, params);
    return tidy(() => dannDenseV2({ x, wEE, wIE, wEI, b: bias }, { activation: activation as DenseActivation, divisive: false }));
  }
  return tidy(() => denseForward(x, { w: composeDann({ ee: wEE, ie: wIE, ei: wEI }, name), b: bias }, { activation, name, fused: options.fused }));
}

/** The errors of the separate ops' path (composeDann, denseForward), for the fused path. */
function checkShapes(name: string, x: Tensor2D, p: DannLinearParams): void {
  const [ne, d] = p.wEE.shape;
  const [ni, d2] = p.wIE.shape;
  if (p.wEE.rank !== 2 || p.wIE.rank !== 2 || p.wEI.rank !== 2 || d2 !== d || p.wEI.shape[0] !== ne || p.wEI.shape[1] !== ni) {
    throw new RangeError(
      `${name}: factor shapes must be EE [ne, d], IE [ni, d], EI [ne, ni]; got EE [${p.wEE.shape.join(", ")}], IE [${p.wIE.shape.join(", ")}], EI [${p.wEI.shape.join(", ")}]`,
    );
  }
  if (x.rank !== 2 || x.shape[1] !== d) {
    throw new RangeError(`${name}: expected x [B, d] and w [out, d] with the same d; got x [${x.shape.join(", ")}], w [${ne}, ${d}]`);
  }
  if (p.bias.rank !== 1 || p.bias.shape[0] !== ne) {
    throw new RangeError(`${name}: bias must have shape [${ne}] (the rows of w); got [${p.bias.shape.join(", ")}]`);
  }
}
