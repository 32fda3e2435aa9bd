import { describe, expect, it } from "vitest";
import { encodeNpy, parseNpy } from "./npy.js";

/** Builds an NPY file by hand: magic, version, header length, the header padded to 64 bytes with "\n", data. */
function npyBytes(header: string, data: Uint8Array, major = 1): Uint8Array {
  const prefix = major === 1 ? 10 : 12;
  const total = Math.ceil((prefix + header.length + 1) / 64) * 64;
  const padded = header.padEnd(total - prefix - 1, " ") + "\n";
  const out = new Uint8Array(total + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), prefix);
  out.set(data, total);
  return out;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

// np.save(f, np.array([[1.5, -2.0], [0.25, 7.0]], dtype="<f4")) with NumPy 2.4, byte for byte.
const NUMPY_F4_2X2 =
  "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2032292c207d" +
  "20".repeat(58) +
  "0a0000c03f000000c00000803e0000e040";
const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) as string[], (h) => parseInt(h, 16));

describe("parseNpy", () => {
  it("parseNpy(bytes) reads a file NumPy wrote, and encodeNpy writes the same bytes", () => {
    const file = hexBytes(NUMPY_F4_2X2);
    const a = parseNpy(file, "x.npy");
    expect(a.dtype).toBe("float32");
    expect(a.shape).toEqual([2, 2]);
    expect(Array.from(a.data)).toEqual([1.5, -2, 0.25, 7]);
    expect(encodeNpy([2, 2], new Float32Array([1.5, -2, 0.25, 7]))).toEqual(file);
  });

  it("parseNpy reads float32, float64, uint8, int32 and int64 written by hand, with a copy aligned for its type", () => {
    const f4 = parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", bytesOf(new Float32Array([0.5, -1, 3]))));
    expect(f4.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f4.data)).toEqual([0.5, -1, 3]);
    const f8 = parseNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", bytesOf(new Float64Array([Math.PI, -1e300]))));
    expect(f8.data).toBeInstanceOf(Float64Array);
    expect(Array.from(f8.data)).toEqual([Math.PI, -1e300]);
    const u1 = parseNpy(npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", new Uint8Array([0, 1, 254, 255])));
    expect(u1).toMatchObject({ dtype: "uint8", shape: [2, 2] });
    expect(Array.from(u1.data)).toEqual([0, 1, 254, 255]);
    const i4 = parseNpy(npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", bytesOf(new Int32Array([-7, 2147483647]))));
    expect(i4.data).toBeInstanceOf(Int32Array);
    expect(Array.from(i4.data)).toEqual([-7, 2147483647]);
    const i8 = parseNpy(npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", bytesOf(new BigInt64Array([0n, -5n, 9007199254740991n]))));
    expect(i8.dtype).toBe("int64");
    expect(i8.data).toBeInstanceOf(Float64Array);
    expect(Array.from(i8.data)).toEqual([0, -5, 9007199254740991]);
  });

  it("parseNpy reads format versions 2.0 and 3.0, keys in any order, 0-d and empty arrays", () => {
    const v2 = parseNpy(npyBytes("{'shape': (2,), 'fortran_order': False, 'descr': '<i4'}", bytesOf(new Int32Array([4, 5])), 2));
    expect(v2).toMatchObject({ dtype: "int32", shape: [2] });
    const v3 = parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", bytesOf(new Float32Array([2])), 3));
    expect(Array.from(v3.data)).toEqual([2]);
    const scalar = parseNpy(encodeNpy([], new Float64Array([3.5])));
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([3.5]);
    const empty = parseNpy(encodeNpy([0, 4], new Uint8Array(0)));
    expect(empty.shape).toEqual([0, 4]);
    expect(empty.data.length).toBe(0);
  });

  it("parseNpy(encodeNpy(shape, data)) round-trips every supported dtype at an unaligned offset", () => {
    for (const data of [new Float32Array([1, 2, 3, 4, 5, 6]), new Float64Array([1e-300, 2, 3, 4, 5, 6]), new Uint8Array([1, 2, 3, 4, 5, 6]), new Int32Array([-1, 2, -3, 4, -5, 6])]) {
      const file = encodeNpy([2, 3], data);
      expect(file.length % 64).toBe(data.byteLength % 64);
      const shifted = new Uint8Array(file.length + 1).subarray(1);
      shifted.set(file);
      const back = parseNpy(shifted);
      expect(back.shape).toEqual([2, 3]);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });

  it("parseNpy(bad magic) names the source and shows the bytes", () => {
    expect(() => parseNpy(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0]), "x.npz")).toThrow(
      'x.npz: not an NPY file: bad magic string [50 4b 03 04 00 00] (12 bytes); expected 93 4e 55 4d 50 59 ("\\x93NUMPY") as written by np.save',
    );
    expect(() => parseNpy(new Uint8Array(3), "tiny.npy")).toThrow(/^tiny\.npy: not an NPY file: bad magic string \[00 00 00\] \(3 bytes\)/);
  });

  it("parseNpy(unsupported version or malformed header) says what was expected", () => {
    const file = encodeNpy([1], new Float32Array(1));
    file[6] = 4;
    expect(() => parseNpy(file, "v4.npy")).toThrow("v4.npy: unsupported NPY format version 4.0; expected 1.0, 2.0 or 3.0");
    expect(() => parseNpy(npyBytes("not a dict", new Uint8Array(0)), "h.npy")).toThrow(/^h\.npy: malformed NPY header "not a dict/);
    expect(() => parseNpy(npyBytes("{'descr': '<f4', 'shape': (1,), }", new Uint8Array(4)), "h.npy")).toThrow(/h\.npy: malformed NPY header .*: missing or unreadable 'fortran_order'/);
    expect(() => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (a,), }", new Uint8Array(4)), "h.npy")).toThrow(
      "h.npy: malformed NPY shape (a,); expected a tuple of non-negative integers",
    );
    const cut = encodeNpy([1], new Float32Array(1)).subarray(0, 40);
    expect(() => parseNpy(cut, "cut.npy")).toThrow("cut.npy: truncated NPY header: the header declares 118 bytes but the file ends after 30");
  });

  it("parseNpy(unsupported dtype) lists the supported dtypes and the astype fix", () => {
    const f2 = npyBytes("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(4));
    expect(() => parseNpy(f2, "half.npy")).toThrow(
      `half.npy: unsupported NPY dtype '<f2'; expected '<f4' (float32), '<f8' (float64), '|u1' (uint8), '<i4' (int32) or '<i8' (int64) (in Python: x.astype("<f4"))`,
    );
    const bool = npyBytes("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(2));
    expect(() => parseNpy(bool, "mask.npy")).toThrow(/^mask\.npy: unsupported NPY dtype '\|b1'/);
    const record = npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4));
    expect(() => parseNpy(record, "rec.npy")).toThrow(/^rec\.npy: unsupported NPY dtype: a structured \(record\) dtype/);
  });

  it("parseNpy(big-endian or Fortran-order data) explains how to save it from Python", () => {
    const big = npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4));
    expect(() => parseNpy(big, "be.npy")).toThrow(`be.npy: big-endian NPY data (dtype '>f4') is not supported; expected little-endian '<f4' (in Python: x.astype("<f4"))`);
    const bigBytes = npyBytes("{'descr': '>u1', 'fortran_order': False, 'shape': (1,), }", new Uint8Array([7]));
    expect(Array.from(parseNpy(bigBytes).data)).toEqual([7]); // byte order is irrelevant for one byte
    const fortran = npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new Uint8Array(24));
    expect(() => parseNpy(fortran, "f.npy")).toThrow(
      "f.npy: NPY array is in Fortran (column-major) order ('fortran_order': True); expected C order (in Python: np.save(path, np.ascontiguousarray(x)))",
    );
  });

  it("parseNpy(truncated or over-long data) gives the expected and actual byte counts", () => {
    const file = encodeNpy([2, 3], new Float32Array(6));
    expect(() => parseNpy(file.subarray(0, file.length - 5), "t.npy")).toThrow(
      "t.npy: NPY data length 19 bytes does not match shape [2, 3] of float32 (expected 6 x 4 = 24 bytes: file truncated)",
    );
    const longer = new Uint8Array(file.length + 2);
    longer.set(file);
    expect(() => parseNpy(longer, "l.npy")).toThrow("l.npy: NPY data length 26 bytes does not match shape [2, 3] of float32 (expected 6 x 4 = 24 bytes: trailing bytes)");
  });

  it("parseNpy(int64 beyond 2^53) refuses to round it", () => {
    const file = encodeNpy([2], new BigInt64Array([1n, 2n ** 60n]));
    expect(() => parseNpy(file, "ids.npy")).toThrow(
      "ids.npy: int64 value 1152921504606846976 at flat index 1 cannot be held exactly by a JavaScript number; expected |value| <= 2^53 - 1",
    );
  });
});

describe("encodeNpy", () => {
  it("encodeNpy(shape, data) rejects a length mismatch, a bad dimension and an unsupported array", () => {
    expect(() => encodeNpy([2, 2], new Float32Array(3))).toThrow("encodeNpy: data length 3 does not match shape [2, 2] (4)");
    expect(() => encodeNpy([-1], new Float32Array(0))).toThrow("encodeNpy: shape [-1] has dimension -1; expected integers >= 0");
    expect(() => encodeNpy([2], new Int16Array(2) as never)).toThrow(/^encodeNpy: unsupported data \[object Int16Array\]/);
  });
});
