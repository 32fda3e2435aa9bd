import type { ImageSplit } from "../image-dataset.js";
import type { FetchLike } from "../load-idx-from-url.js";

/**
 * A synthetic split for tests: row r's pixels are r + k / 8 (k the pixel index, exact in float32),
 * so a gathered row identifies its source; labels are r mod numClasses.
 */
export function syntheticSplit(count: number, features = 3, numClasses = 10): ImageSplit {
  const images = new Float32Array(count * features);
  for (let r = 0; r < count; r++) for (let k = 0; k < features; k++) images[r * features + k] = r + k / 8;
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) labels[r] = r % numClasses;
  return { images, labels, count, features, numClasses };
}

/** A fake fetch serving `files` by URL with real `Response` objects; any other URL is a 404. Records requested URLs. */
export function fakeFetch(files: Record<string, Uint8Array>, requested: string[] = []): FetchLike {
  return async (url) => {
    requested.push(url);
    const body = files[url];
    return body ? new Response(body, { status: 200 }) : new Response("no such file", { status: 404, statusText: "Not Found" });
  };
}

/** The pixel byte a test CIFAR-10 record holds at channel c, pixel p (row-major in its plane): distinct per channel. */
export function cifarTestByte(record: number, c: number, p: number): number {
  return (record * 7 + c * 85 + p) % 256;
}

/** CIFAR-10 binary bytes for test records: labels as given, pixels {@link cifarTestByte}, channel-first. */
export function cifarTestBytes(labels: readonly number[], firstRecord = 0): Uint8Array {
  const bytes = new Uint8Array(labels.length * 3073);
  labels.forEach((label, r) => {
    bytes[r * 3073] = label;
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) bytes[r * 3073 + 1 + c * 1024 + p] = cifarTestByte(firstRecord + r, c, p);
  });
  return bytes;
}
