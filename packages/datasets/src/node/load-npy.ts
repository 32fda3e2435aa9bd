import { existsSync, readFileSync } from "node:fs";
import { parseNpy, type NpyArray } from "../npy.js";

/**
 * Reads a NumPy `.npy` file (float32, float64, uint8, int32 or int64; little-endian, C order) as
 * written by `np.save(path, x)`. See `parseNpy` for the format and the checks.
 *
 * @param path - the file
 * @returns `{ dtype, shape, data }` (int64 is read into a Float64Array, exactly)
 * @throws Error naming `path` when the file is missing or is not a supported NPY array (bad magic,
 *   unsupported dtype, big-endian, Fortran order, truncated data)
 * @example
 * const x = loadNpy("/data/objects/x_train.npy"); // x.shape [512, 1, 1024]
 */
export function loadNpy(path: string): NpyArray {
  if (typeof path !== "string" || path === "") throw new Error(`loadNpy: expected the path of a .npy file; got ${path === "" ? '""' : String(path)}`);
  if (!existsSync(path)) throw new Error(`${path}: file not found; expected a .npy file written by np.save`);
  const buffer = readFileSync(path);
  return parseNpy(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), path);
}
