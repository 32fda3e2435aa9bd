import type { IdxArray } from "./idx.js";
import { parseIdxAuto } from "./parse-idx-auto.js";

/** The part of a `fetch` response the URL loaders read. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `fetch`-compatible function: the global `fetch`, or a fake in tests. */
export type FetchLike = (url: string) => Promise<FetchResponseLike>;

function defaultFetch(): FetchLike {
  if (typeof globalThis.fetch !== "function") {
    throw new Error("loadIdxFromUrl: this runtime has no global fetch; pass fetchImpl");
  }
  return (url) => globalThis.fetch(url);
}

/**
 * Fetches and parses one IDX file, plain or gzipped (see {@link parseIdxAuto}). A server that
 * sends `.gz` files with `Content-Encoding: gzip` has them inflated by `fetch` already; both
 * cases work.
 *
 * @param url - the file's URL
 * @param fetchImpl - a `fetch`-compatible function (default: the global `fetch`)
 * @returns the parsed IDX array
 * @throws Error naming `url` when the request fails, the HTTP status is not 2xx, or the body is not valid (gzipped) IDX
 * @example
 * const labels = await loadIdxFromUrl("/data/t10k-labels-idx1-ubyte.gz");
 */
export async function loadIdxFromUrl(url: string | URL, fetchImpl?: FetchLike): Promise<IdxArray> {
  const href = String(url);
  const doFetch = fetchImpl ?? defaultFetch();
  let response: FetchResponseLike;
  try {
    response = await doFetch(href);
  } catch (e) {
    throw new Error(`${href}: request failed (${(e as Error).message})`);
  }
  if (!response.ok) {
    const text = response.statusText ? ` ${response.statusText}` : "";
    throw new Error(`${href}: HTTP ${response.status}${text}; expected a 2xx response with an IDX file`);
  }
  let body: ArrayBuffer;
  try {
    body = await response.arrayBuffer();
  } catch (e) {
    throw new Error(`${href}: reading the response body failed (${(e as Error).message})`);
  }
  return parseIdxAuto(new Uint8Array(body), href);
}
