import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from "./checkpoint-bytes.js";
import { crc32 } from "./internal/crc32.js";
import type { TrainCheckpoint } from "./train-model.js";

const checkpoint = (): TrainCheckpoint => ({
  epoch: 3,
  update: 90,
  trainErrorPerEpoch: [0.5, 0.25, 0.125],
  meanLossPerEpoch: [1, 0.5, 0.25],
  evalCurve: [{ update: 0, error: 0.9 }, { update: 90, error: 0.1 }],
  wallSeconds: 12.5,
  weights: [{ shape: [2, 3], values: Float32Array.from([1, -2, 3.5, 4, 5, 6]) }, { shape: [3], values: Float32Array.from([0.1, 0.2, 0.3]) }],
  optimizerWeights: [{ name: "iter", shape: [], values: Float32Array.from([90]) }],
});

describe("encodeCheckpoint / decodeCheckpoint", () => {
  it("decodeCheckpoint(encodeCheckpoint(cp, owner), owner) gives back every field and value", () => {
    const back = decodeCheckpoint(encodeCheckpoint(checkpoint(), "run/a"), "run/a");
    expect(back).toEqual(checkpoint());
  });

  it("crc32 agrees with zlib's on random bytes", () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) % 256);
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it("decodeCheckpoint refuses another run's checkpoint, naming its owner", () => {
    expect(() => decodeCheckpoint(encodeCheckpoint(checkpoint(), "run/a"), "run/b")).toThrow(/^checkpoint of run\/b: belongs to "run\/a"$/);
  });

  it("decodeCheckpoint refuses a flipped weight byte (checksum), a truncated file and foreign bytes, each in one line", () => {
    const bytes = encodeCheckpoint(checkpoint(), "r");
    const flipped = bytes.slice();
    flipped[flipped.length - 5]! ^= 0x40;
    expect(() => decodeCheckpoint(flipped, "r")).toThrow(CheckpointError);
    expect(() => decodeCheckpoint(flipped, "r")).toThrow(/payload checksum [0-9a-f]+ differs from the header's [0-9a-f]+ \(epoch 3; the weights were damaged\)/);
    expect(() => decodeCheckpoint(bytes.slice(0, bytes.length - 8), "r")).toThrow(/payload is \d+ bytes; expected 40 \(epoch 3; truncated or padded file\)/);
    expect(() => decodeCheckpoint(bytes.slice(0, 20), "r")).toThrow(/runs past the end of the 20-byte file \(truncated\)/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"epoch":1}'), "r")).toThrow(/not a dale-nn checkpoint/);
  });

  it("encodeCheckpoint refuses NaN weights, so a diverged state is never stored for resume", () => {
    const cp = checkpoint();
    cp.weights[1]!.values[2] = Number.NaN;
    expect(() => encodeCheckpoint(cp, "r")).toThrow(/^checkpoint of r after epoch 3: value 8 is NaN; expected finite weights$/);
  });
});
