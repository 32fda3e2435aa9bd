/**
 * Per-image standardisation in place, (x − mean) / max(std, 1/√N) over the N values of each image
 * (population std, float64 sums), as TensorFlow's `per_image_standardization` and
 * `@dale-nn/datasets`' `perImageStandardization` (not imported: the dependency would point the
 * wrong way).
 */
export function standardizeImagesInPlace(images: Float32Array, features: number): void {
  const floor = 1 / Math.sqrt(features);
  for (let start = 0; start < images.length; start += features) {
    const end = start + features;
    let sum = 0;
    for (let i = start; i < end; i++) sum += images[i] as number;
    const mean = sum / features;
    let squares = 0;
    for (let i = start; i < end; i++) {
      const d = (images[i] as number) - mean;
      squares += d * d;
    }
    const scale = 1 / Math.max(Math.sqrt(squares / features), floor);
    for (let i = start; i < end; i++) images[i] = ((images[i] as number) - mean) * scale;
  }
}
