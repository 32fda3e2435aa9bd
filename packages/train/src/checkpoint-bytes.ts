import type { TrainCheckpoint } from "./train-model.js";
import { crc32 } from "./internal/crc32.js";

/** The first bytes of every checkpoint file ("DALECKPT" and format version 1). */
const MAGIC = "DALECKPT";
const FORMAT_VERSION = 1;

/** Why a stored checkpoint cannot be used: a one-line reason naming what was found and what was expected. */
export class CheckpointError extends Error {
  override readonly name = "CheckpointError";
}

/** The header written in front of the float32 payload (JSON, so it stays readable with `head -c`). */
interface CheckpointHeader {
  format: typeof FORMAT_VERSION;
  /** Whose checkpoint this is (a run id); checked on load. */
  owner: string;
  epoch: number;
  update: number;
  trainErrorPerEpoch: number[];
  meanLossPerEpoch: number[];
  evalCurve: TrainCheckpoint["evalCurve"];
  wallSeconds: number;
  weightShapes: number[][];
  optimizerWeights: Array<{ name: string; shape: number[] }>;
  /** Float32 values in the payload. */
  floats: number;
  /** CRC-32 (IEEE) of the payload bytes. */
  crc32: number;
}

/**
 * Encodes a checkpoint as one self-verifying byte string: "DALECKPT", a format byte, a uint32 header
 * length, a JSON header (owner, epoch, update, curves, shapes, value count, CRC-32 of the payload),
 * zero padding to a 4-byte boundary, then every weight and optimizer value as little-endian float32.
 * One file means one atomic rename: the epoch of the state and of the weights can never disagree.
 *
 * @param checkpoint - what {@link trainModel} handed to its `checkpoint` callback
 * @param owner - the run the checkpoint belongs to (e.g. a run id); {@link decodeCheckpoint} checks it
 * @returns the bytes to write
 * @throws CheckpointError when a value is NaN or infinite (a diverged state is not worth resuming)
 * @example
 * writeFileSync(path, encodeCheckpoint(cp, "mnist/dann/seed=0"));
 */
export function encodeCheckpoint(checkpoint: TrainCheckpoint, owner: string): Uint8Array {
  const arrays = [...checkpoint.weights.map((w) => w.values), ...checkpoint.optimizerWeights.map((w) => w.values)];
  const floats = arrays.reduce((a, v) => a + v.length, 0);
  const payload = new Float32Array(floats);
  let offset = 0;
  for (const a of arrays) {
    payload.set(a, offset);
    offset += a.length;
  }
  const bad = payload.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new CheckpointError(`checkpoint of ${owner} after epoch ${checkpoint.epoch}: value ${bad} is ${payload[bad]}; expected finite weights`);
  const payloadBytes = new Uint8Array(payload.buffer);
  const header: CheckpointHeader = {
    format: FORMAT_VERSION,
    owner,
    epoch: checkpoint.epoch,
    update: checkpoint.update,
    trainErrorPerEpoch: checkpoint.trainErrorPerEpoch,
    meanLossPerEpoch: checkpoint.meanLossPerEpoch,
    evalCurve: checkpoint.evalCurve,
    wallSeconds: checkpoint.wallSeconds,
    weightShapes: checkpoint.weights.map((w) => [...w.shape]),
    optimizerWeights: checkpoint.optimizerWeights.map((w) => ({ name: w.name, shape: [...w.shape] })),
    floats,
    crc32: crc32(payloadBytes),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const start = MAGIC.length + 1 + 4 + headerBytes.length;
  const payloadStart = Math.ceil(start / 4) * 4;
  const out = new Uint8Array(payloadStart + payloadBytes.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  out[MAGIC.length] = FORMAT_VERSION;
  new DataView(out.buffer).setUint32(MAGIC.length + 1, headerBytes.length, true);
  out.set(headerBytes, MAGIC.length + 5);
  out.set(payloadBytes, payloadStart);
  return out;
}

/**
 * Decodes and verifies bytes written by {@link encodeCheckpoint}: magic and format, the owner,
 * the header's shapes against its value count, the payload length and CRC-32, and that every value
 * is finite.
 *
 * @param bytes - the file's bytes
 * @param owner - the run the caller expects
 * @returns the checkpoint, ready for `trainModel({ resumeFrom })`
 * @throws CheckpointError with a one-line reason when any check fails
 * @example
 * const cp = decodeCheckpoint(readFileSync(path), "mnist/dann/seed=0");
 */
export function decodeCheckpoint(bytes: Uint8Array, owner: string): TrainCheckpoint {
  const fail = (why: string): never => {
    throw new CheckpointError(`checkpoint of ${owner}: ${why}`);
  };
  if (bytes.length < MAGIC.length + 5 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) fail(`not a dale-nn checkpoint (no "${MAGIC}" header); expected a file written by encodeCheckpoint`);
  if (bytes[MAGIC.length] !== FORMAT_VERSION) fail(`format ${bytes[MAGIC.length]}; expected ${FORMAT_VERSION}`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length + 1, true);
  const headerEnd = MAGIC.length + 5 + headerLength;
  if (headerEnd > bytes.length) fail(`header of ${headerLength} bytes runs past the end of the ${bytes.length}-byte file (truncated)`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 5, headerEnd))) as CheckpointHeader;
  } catch {
    return fail("header is not valid JSON (damaged file)");
  }
  if (header.owner !== owner) fail(`belongs to ${JSON.stringify(header.owner)}`);
  const shapes = [...header.weightShapes, ...header.optimizerWeights.map((w) => w.shape)];
  const counted = shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
  if (counted !== header.floats) fail(`header shapes hold ${counted} values but it declares ${header.floats}`);
  const payloadStart = Math.ceil(headerEnd / 4) * 4;
  const payloadLength = bytes.length - payloadStart;
  if (payloadLength !== header.floats * 4) fail(`payload is ${payloadLength} bytes; expected ${header.floats * 4} (epoch ${header.epoch}; truncated or padded file)`);
  const payloadBytes = bytes.slice(payloadStart);
  const crc = crc32(payloadBytes);
  if (crc !== header.crc32) fail(`payload checksum ${crc.toString(16)} differs from the header's ${header.crc32.toString(16)} (epoch ${header.epoch}; the weights were damaged)`);
  const payload = new Float32Array(payloadBytes.buffer, payloadBytes.byteOffset, header.floats);
  const bad = payload.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`value ${bad} is ${payload[bad]}; expected finite weights`);
  let offset = 0;
  const take = (shape: number[]): Float32Array => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = payload.slice(offset, offset + n);
    offset += n;
    return values;
  };
  return {
    epoch: header.epoch,
    update: header.update,
    trainErrorPerEpoch: header.trainErrorPerEpoch,
    meanLossPerEpoch: header.meanLossPerEpoch,
    evalCurve: header.evalCurve,
    wallSeconds: header.wallSeconds,
    weights: header.weightShapes.map((shape) => ({ shape, values: take(shape) })),
    optimizerWeights: header.optimizerWeights.map((w) => ({ name: w.name, shape: w.shape, values: take(w.shape) })),
  };
}
