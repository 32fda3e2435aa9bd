/** A parsed IDX array (LeCun's format for MNIST-family data). */
export interface IdxArray {
  /** Dimensions, e.g. [60000, 28, 28] for images or [60000] for labels. */
  readonly shape: readonly number[];
  /** The raw unsigned bytes, row-major. */
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/**
 * Parses an uncompressed IDX file holding unsigned bytes (type 0x08), validating the magic
 * number, the dimensions and the length. Gzipped files must be inflated first (the Node loader
 * does this).
 *
 * Format: bytes 0-1 zero, byte 2 the element type, byte 3 the number of dimensions n, then n
 * big-endian uint32 sizes, then the data.
 *
 * @param bytes - the file's contents
 * @param source - a name for error messages (e.g. the file path)
 * @returns the shape and a view of the data (no copy)
 * @throws Error naming `source` on a bad magic number, an unsupported type, or a truncated or over-long file
 * @example
 * const labels = parseIdx(new Uint8Array(buffer), "train-labels-idx1-ubyte");
 */
export function parseIdx(bytes: Uint8Array, source = "IDX data"): IdxArray {
  if (bytes.length < 4) throw new Error(`${source}: not an IDX file: ${bytes.length} bytes, expected at least a 4-byte header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${source}: bad IDX magic number 0x${hex(bytes, 0, 4)}; expected 0x0000 followed by type and rank (e.g. 0x00000803)`);
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new Error(`${source}: unsupported IDX element type 0x${(bytes[2] ?? 0).toString(16).padStart(2, "0")}; expected 0x08 (unsigned byte)`);
  }
  const rank = bytes[3] as number;
  if (rank < 1) throw new Error(`${source}: IDX rank must be >= 1; got ${rank}`);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new Error(`${source}: truncated IDX header: ${bytes.length} bytes, expected ${headerLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const expected = shape.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual !== expected) {
    throw new Error(
      `${source}: IDX data length ${actual} does not match shape [${shape.join(", ")}] (expected ${expected} bytes${actual < expected ? ": file truncated" : ""})`,
    );
  }
  return { shape, data: bytes.subarray(headerLength) };
}

function hex(bytes: Uint8Array, start: number, end: number): string {
  return Array.from(bytes.subarray(start, end), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Encodes an unsigned-byte IDX file (for tests and for writing small datasets).
 *
 * @param shape - dimensions
 * @param data - row-major bytes, length = product of shape
 * @returns the file's bytes
 * @throws RangeError when the data length does not match the shape
 * @example
 * const bytes = encodeIdx([2], new Uint8Array([3, 7]));
 */
export function encodeIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new RangeError(`encodeIdx: data length ${data.length} does not match shape [${shape.join(", ")}] (${n})`);
  const out = new Uint8Array(4 + 4 * shape.length + n);
  out[2] = UNSIGNED_BYTE;
  out[3] = shape.length;
  const view = new DataView(out.buffer);
  shape.forEach((s, i) => view.setUint32(4 + 4 * i, s, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
