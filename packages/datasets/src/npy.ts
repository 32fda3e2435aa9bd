/** The NPY element types {@link parseNpy} reads (little-endian, C order). */
export type NpyDtype = "float32" | "float64" | "uint8" | "int32" | "int64";

/** A parsed NPY array (NumPy's `np.save` format). */
export interface NpyArray {
  /** The element type the file declared (`descr` `<f4`, `<f8`, `|u1`, `<i4` or `<i8`). */
  readonly dtype: NpyDtype;
  /** Dimensions, e.g. [512, 5, 1024]; [] for a 0-d array (one element). */
  readonly shape: readonly number[];
  /**
   * The values, row-major (C order), in a fresh aligned array: Float32Array for float32,
   * Float64Array for float64, Uint8Array for uint8, Int32Array for int32, and Float64Array for
   * int64 (exact: values beyond +-(2^53 - 1) are rejected).
   */
  readonly data: Float32Array | Float64Array | Uint8Array | Int32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

const DTYPES: Record<string, { dtype: NpyDtype; size: number }> = {
  f4: { dtype: "float32", size: 4 },
  f8: { dtype: "float64", size: 8 },
  u1: { dtype: "uint8", size: 1 },
  i4: { dtype: "int32", size: 4 },
  i8: { dtype: "int64", size: 8 },
};

const SUPPORTED = "'<f4' (float32), '<f8' (float64), '|u1' (uint8), '<i4' (int32) or '<i8' (int64)";

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Parses a NumPy `.npy` file (what `np.save(path, x)` writes) holding a little-endian, C-order
 * array of float32, float64, uint8, int32 or int64.
 *
 * Format (NumPy NEP 1): the magic string `\x93NUMPY`, a major and minor version byte (1.0, 2.0 or
 * 3.0), the header length (uint16 little-endian for version 1, uint32 for 2 and 3), then an ASCII
 * (version 3: UTF-8) Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (512, 5, 1024), }` padded with spaces and a
 * newline, then the raw data.
 *
 * Writing from Python: `np.save("x.npy", np.ascontiguousarray(x, dtype="<f4"))`.
 *
 * @param bytes - the file's contents
 * @param source - a name for error messages (e.g. the file path)
 * @returns the dtype, the shape and a copy of the data in an aligned typed array
 * @throws Error naming `source` on a bad magic string or version, a malformed header, an
 *   unsupported or big-endian dtype, `fortran_order: True`, a data length that does not match the
 *   shape (truncated or over-long file), or an int64 value that a JavaScript number cannot hold exactly
 * @example
 * const x = parseNpy(new Uint8Array(await (await fetch("/data/x.npy")).arrayBuffer()), "x.npy");
 * x.shape; // [512, 5, 1024]
 */
export function parseNpy(bytes: Uint8Array, source = "NPY data"): NpyArray {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${source}: expected the file's bytes as a Uint8Array; got ${Object.prototype.toString.call(bytes)}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    const shown = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new Error(`${source}: not an NPY file: bad magic string [${shown}] (${bytes.length} bytes); expected 93 4e 55 4d 50 59 ("\\x93NUMPY") as written by np.save`);
  }
  const major = bytes[6] as number;
  const minor = bytes[7] as number;
  if (major < 1 || major > 3 || minor !== 0) {
    throw new Error(`${source}: unsupported NPY format version ${major}.${minor}; expected 1.0, 2.0 or 3.0`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) throw new Error(`${source}: truncated NPY header: ${bytes.length} bytes, expected at least ${prefix}`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = prefix + headerLength;
  if (bytes.length < dataOffset) {
    throw new Error(`${source}: truncated NPY header: the header declares ${headerLength} bytes but the file ends after ${bytes.length - prefix}`);
  }
  const headerBytes = bytes.subarray(prefix, dataOffset);
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(headerBytes);
  const { dtype, size, shape } = parseHeader(header, source);

  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * size;
  const actual = bytes.length - dataOffset;
  if (actual !== expected) {
    throw new Error(
      `${source}: NPY data length ${actual} bytes does not match shape [${shape.join(", ")}] of ${dtype} (expected ${count} x ${size} = ${expected} bytes${actual < expected ? ": file truncated" : ": trailing bytes"})`,
    );
  }
  return { dtype, shape, data: decodeData(bytes, dataOffset, count, dtype, source) };
}

function parseHeader(header: string, source: string): { dtype: NpyDtype; size: number; shape: number[] } {
  const text = header.trim();
  if (!text.startsWith("{") || !text.endsWith("}")) {
    throw new Error(`${source}: malformed NPY header ${JSON.stringify(header.slice(0, 80))}; expected a Python dict literal with 'descr', 'fortran_order' and 'shape'`);
  }
  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)\b/.exec(text);
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shapeMatch) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) {
      throw new Error(`${source}: unsupported NPY dtype: a structured (record) dtype; expected ${SUPPORTED}`);
    }
    const missing = [!descr && "'descr'", !fortran && "'fortran_order'", !shapeMatch && "'shape'"].filter(Boolean).join(", ");
    throw new Error(`${source}: malformed NPY header ${JSON.stringify(text.slice(0, 120))}: missing or unreadable ${missing}`);
  }
  const code = descr[2] as string;
  const order = code[0];
  const kind = DTYPES[code.slice(1)];
  if (!kind || !(order === "<" || order === "|" || order === ">" || order === "=")) {
    throw new Error(`${source}: unsupported NPY dtype '${code}'; expected ${SUPPORTED} (in Python: x.astype("<f4"))`);
  }
  if (order === ">" && kind.size > 1) {
    throw new Error(`${source}: big-endian NPY data (dtype '${code}') is not supported; expected little-endian '<${code.slice(1)}' (in Python: x.astype("<${code.slice(1)}"))`);
  }
  if (order === "=" && kind.size > 1 && !LITTLE_ENDIAN_HOST) {
    throw new Error(`${source}: native-order NPY dtype '${code}' is ambiguous; expected little-endian '<${code.slice(1)}'`);
  }
  if (fortran[1] === "True") {
    throw new Error(`${source}: NPY array is in Fortran (column-major) order ('fortran_order': True); expected C order (in Python: np.save(path, np.ascontiguousarray(x)))`);
  }
  const shape: number[] = [];
  for (const part of (shapeMatch[1] as string).split(",")) {
    const item = part.trim();
    if (item === "") continue;
    const m = /^(\d+)L?$/.exec(item);
    if (!m) throw new Error(`${source}: malformed NPY shape (${shapeMatch[1]}); expected a tuple of non-negative integers`);
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n)) throw new Error(`${source}: NPY dimension ${item} is too large`);
    shape.push(n);
  }
  return { dtype: kind.dtype, size: kind.size, shape };
}

function decodeData(bytes: Uint8Array, offset: number, count: number, dtype: NpyDtype, source: string): NpyArray["data"] {
  const raw = bytes.slice(offset, offset + count * (DTYPES[dtypeCode(dtype)] as { size: number }).size);
  if (dtype === "uint8") return raw;
  if (dtype === "int64") {
    const out = new Float64Array(count);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < count; i++) {
      const v = view.getBigInt64(8 * i, true);
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new Error(`${source}: int64 value ${v} at flat index ${i} cannot be held exactly by a JavaScript number; expected |value| <= 2^53 - 1`);
      }
      out[i] = Number(v);
    }
    return out;
  }
  if (LITTLE_ENDIAN_HOST) {
    if (dtype === "float32") return new Float32Array(raw.buffer, 0, count);
    if (dtype === "float64") return new Float64Array(raw.buffer, 0, count);
    return new Int32Array(raw.buffer, 0, count);
  }
  const view = new DataView(raw.buffer);
  if (dtype === "float32") return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, true));
  if (dtype === "float64") return Float64Array.from({ length: count }, (_, i) => view.getFloat64(8 * i, true));
  return Int32Array.from({ length: count }, (_, i) => view.getInt32(4 * i, true));
}

function dtypeCode(dtype: NpyDtype): string {
  return { float32: "f4", float64: "f8", uint8: "u1", int32: "i4", int64: "i8" }[dtype];
}

/**
 * Encodes a `.npy` file (format version 1.0, C order, little-endian) that `np.load` and
 * {@link parseNpy} read: for tests and for writing small datasets from JavaScript. The header is
 * laid out as NumPy 2 writes it (space-padded so that the data starts at a multiple of 64 bytes).
 *
 * @param shape - dimensions ([] for a 0-d array)
 * @param data - row-major values; the typed array picks the dtype: Float32Array `<f4`,
 *   Float64Array `<f8`, Uint8Array `|u1`, Int32Array `<i4`, BigInt64Array `<i8`
 * @returns the file's bytes
 * @throws RangeError when the data length does not match the shape or a dimension is not an integer >= 0
 * @throws TypeError for any other kind of array
 * @example
 * const bytes = encodeNpy([2, 3], new Float32Array(6)); // np.load gives a (2, 3) float32 array
 */
export function encodeNpy(shape: readonly number[], data: Float32Array | Float64Array | Uint8Array | Int32Array | BigInt64Array): Uint8Array {
  const descr =
    data instanceof Float32Array ? "<f4"
    : data instanceof Float64Array ? "<f8"
    : data instanceof Uint8Array ? "|u1"
    : data instanceof Int32Array ? "<i4"
    : data instanceof BigInt64Array ? "<i8"
    : undefined;
  if (descr === undefined) {
    throw new TypeError(`encodeNpy: unsupported data ${Object.prototype.toString.call(data)}; expected a Float32Array, Float64Array, Uint8Array, Int32Array or BigInt64Array`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`encodeNpy: shape [${shape.join(", ")}] has dimension ${d}; expected integers >= 0`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new RangeError(`encodeNpy: data length ${data.length} does not match shape [${shape.join(", ")}] (${n})`);
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  if (shape.length > 0) header += " ".repeat(Math.max(0, 21 - String(shape[0]).length)); // NumPy's room to grow axis 0
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, " ") + "\n";
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(total + body.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  if (LITTLE_ENDIAN_HOST || body.length === data.length) {
    out.set(body, total);
  } else {
    const view = new DataView(out.buffer, total);
    const size = body.length / data.length;
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number | bigint;
      if (typeof v === "bigint") view.setBigInt64(i * 8, v, true);
      else if (descr === "<f4") view.setFloat32(i * size, v, true);
      else if (descr === "<f8") view.setFloat64(i * size, v, true);
      else view.setInt32(i * size, v, true);
    }
  }
  return out;
}
