import { parseIdx, type IdxArray } from "./idx.js";

/**
 * Whether `bytes` starts with the gzip magic number 0x1f 0x8b (RFC 1952, Sec. 2.3.1).
 *
 * @param bytes - a file's contents
 * @returns true for gzip data
 * @example
 * isGzip(new Uint8Array([0x1f, 0x8b, 8])); // true
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates gzip data with the standard `DecompressionStream("gzip")` (Compression Streams API),
 * available in browsers and in Node >= 18 without any import.
 *
 * @param bytes - gzip data (one or more members)
 * @param source - a name for error messages (e.g. the file name or URL)
 * @returns the inflated bytes
 * @throws Error naming `source` when the data is corrupt or truncated, or when the runtime lacks `DecompressionStream`
 * @example
 * const raw = await gunzip(gzBytes, "train-images-idx3-ubyte.gz");
 */
export async function gunzip(bytes: Uint8Array, source = "gzip data"): Promise<Uint8Array> {
  if (typeof DecompressionStream !== "function") {
    throw new Error(`${source}: cannot inflate gzip data: this runtime has no DecompressionStream (Node >= 18 and current browsers have it)`);
  }
  const stream = new DecompressionStream("gzip");
  const writer = stream.writable.getWriter();
  // Errors from the writable side resurface on the readable side; swallow them here so that
  // none is reported as an unhandled rejection.
  writer
    .write(bytes as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch (e) {
    throw new Error(`${source}: corrupt or truncated gzip data (${(e as Error).message})`);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Parses an IDX file that may be gzipped: data starting with the gzip magic number 0x1f 0x8b is
 * inflated with `DecompressionStream("gzip")` first, then read by {@link parseIdx}. Browser-safe
 * (no Node imports), so a web app can read the `.gz` files MNIST-family datasets ship as.
 *
 * @param bytes - the file's contents, plain IDX or gzipped IDX
 * @param source - a name for error messages (e.g. the file name or URL)
 * @returns the shape and the data
 * @throws Error naming `source` on corrupt gzip data or any {@link parseIdx} error
 * @example
 * const images = await parseIdxAuto(new Uint8Array(await file.arrayBuffer()), file.name);
 */
export async function parseIdxAuto(bytes: Uint8Array, source = "IDX data"): Promise<IdxArray> {
  return parseIdx(isGzip(bytes) ? await gunzip(bytes, source) : bytes, source);
}
