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
