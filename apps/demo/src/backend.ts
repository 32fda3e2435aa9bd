import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerWasmTransposedMatMulOverride } from "@dale-nn/core";
// The .wasm binaries ship in the package; Vite copies them into dist/assets and gives their URLs.
import wasmUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimdUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreadedSimdUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";

export type BackendName = "webgl" | "wasm" | "cpu";
export const BACKEND_ORDER: readonly BackendName[] = ["webgl", "wasm", "cpu"];

/** The backend in use and why. */
export interface BackendChoice {
  name: BackendName;
  /** e.g. "WebGL 2, ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...))" */
  detail: string;
  /** Backends tried before this one, with the reason each failed. */
  failures: string[];
}

setWasmPaths({
  "tfjs-backend-wasm.wasm": wasmUrl,
  "tfjs-backend-wasm-simd.wasm": wasmSimdUrl,
  "tfjs-backend-wasm-threaded-simd.wasm": wasmThreadedSimdUrl,
});
// wasm's transposed matMul is several times slower than a product on explicit transposes.
registerWasmTransposedMatMulOverride();

function webglRenderer(): string {
  try {
    const canvas = document.createElement("canvas");
    const gl = canvas.getContext("webgl2") ?? canvas.getContext("webgl");
    if (!gl) return "no WebGL context";
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    return String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  } catch (e) {
    return `renderer unknown (${(e as Error).message})`;
  }
}

/** Runs a small product and checks the answer, so a backend that initialises but computes nothing useful is rejected. */
function smokeTest(): void {
  const out = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2])).dataSync());
  if (Math.abs((out[3] as number) - 4) > 1e-5) throw new Error(`smoke test gave ${Array.from(out).join(",")}`);
}

/**
 * Picks the first backend of `order` that initialises and passes a smoke test: WebGL first, then
 * WebAssembly (SIMD when the browser has it), then plain JavaScript.
 *
 * @param order - backends to try, e.g. from the page's `?backend=` parameter
 * @returns the backend chosen and the failures before it
 * @throws Error when none works
 */
export async function chooseBackend(order: readonly BackendName[] = BACKEND_ORDER): Promise<BackendChoice> {
  const failures: string[] = [];
  for (const name of order) {
    try {
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error("initialisation failed");
      await tf.ready();
      smokeTest();
      let detail: string;
      if (name === "webgl") detail = `WebGL ${tf.env().getNumber("WEBGL_VERSION")}, ${webglRenderer()}`;
      else if (name === "wasm") detail = `WebAssembly${tf.env().getBool("WASM_HAS_SIMD_SUPPORT") ? " SIMD" : ""}${tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT") ? ", threads" : ""}`;
      else detail = "plain JavaScript";
      return { name, detail, failures };
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend works in this browser (${failures.join("; ")})`);
}

/** Reads `?backend=wasm` (or `cpu`, `webgl`): that backend first, then the usual order. */
export function backendOrderFromUrl(search: string): BackendName[] {
  const wanted = new URLSearchParams(search).get("backend");
  const order = [...BACKEND_ORDER];
  if (wanted && (BACKEND_ORDER as readonly string[]).includes(wanted)) {
    return [wanted as BackendName, ...order.filter((b) => b !== wanted)];
  }
  return order;
}
