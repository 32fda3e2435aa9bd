import { imageSplitFromIdx, parseIdx, type ImageSplit } from "@dale-nn/datasets";

/** The train and test splits of the bundled MNIST subset. */
export interface MnistSubset {
  train: ImageSplit;
  test: ImageSplit;
}

const MAGIC = [0x44, 0x4d, 0x53, 0x31]; // "DMS1"

/**
 * Decodes `mnist-subset.bin` as written by `scripts/make-mnist-subset.mjs`: "DMS1", a uint32 LE
 * section count (4), the section byte lengths (uint32 LE), then four IDX files (train images,
 * train labels, test images, test labels). Pixels come back divided by 255.
 *
 * @param bytes - the whole file
 * @param source - a name for error messages (the URL)
 * @returns the train and test splits
 * @throws Error naming `source` on a bad magic number, section count or length
 * @example
 * const subset = decodeMnistSubset(new Uint8Array(await (await fetch("mnist-subset.bin")).arrayBuffer()));
 */
export function decodeMnistSubset(bytes: Uint8Array, source = "mnist-subset.bin"): MnistSubset {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new Error(`${source}: not an MNIST subset file (expected magic "DMS1"; got ${bytes.length} bytes starting ${Array.from(bytes.subarray(0, 4)).join(",")})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  if (count !== 4) throw new Error(`${source}: expected 4 sections (train images, train labels, test images, test labels); got ${count}`);
  const headerLength = 8 + 4 * count;
  let offset = headerLength;
  const sections: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(8 + 4 * i, true);
    if (offset + length > bytes.length) throw new Error(`${source}: section ${i} runs past the end of the file (${offset + length} > ${bytes.length} bytes)`);
    sections.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  const [ti, tl, vi, vl] = sections.map((s, i) => parseIdx(s, `${source} section ${i}`)) as [
    ReturnType<typeof parseIdx>,
    ReturnType<typeof parseIdx>,
    ReturnType<typeof parseIdx>,
    ReturnType<typeof parseIdx>,
  ];
  return {
    train: imageSplitFromIdx(ti, tl, { images: `${source} train images`, labels: `${source} train labels` }),
    test: imageSplitFromIdx(vi, vl, { images: `${source} test images`, labels: `${source} test labels` }),
  };
}
