import * as tf from "@tensorflow/tfjs";

/** The Tensor methods that copy values back to the host (a read-back each). */
export const READ_BACK_METHODS = ["dataSync", "data", "arraySync", "array", "bufferSync", "buffer"] as const;
export type ReadBackMethod = (typeof READ_BACK_METHODS)[number];

/** Counts since {@link installStepCounters}. */
export interface CounterSnapshot {
  /** Host read-backs (outermost calls only: `arraySync` calling `dataSync` counts once). */
  readBacks: number;
  readBacksByMethod: Record<ReadBackMethod, number>;
  /** Tensor handles tfjs tracked (each adds 1 to `tf.memory().numTensors` when made). */
  tensorsCreated: number;
  /** Tensors made from host values (`tf.tensor`, `tf.scalar`, ..., `engine.makeTensor`): an upload each. */
  hostTensors: number;
  /**
   * WebGL draw calls (`drawArrays` / `drawElements` of every WebGL 1 and 2 context): one per shader
   * program run, including the packing and unpacking programs tfjs runs inside its kernels; 0
   * where there is no WebGL.
   */
  draws: number;
}

/** Installed counters: read them with `snapshot()`, remove the wrappers with `uninstall()`. */
export interface StepCounters {
  snapshot(): CounterSnapshot;
  uninstall(): void;
}

const INSTALLED = Symbol.for("@dale-nn/demo:step-counters");

interface CountedEngine {
  trackTensor(...args: unknown[]): unknown;
  makeTensor(...args: unknown[]): unknown;
}

/**
 * Counts host read-backs, tensor creations, host uploads and WebGL draw calls by wrapping
 * `tf.Tensor.prototype`'s read methods, the engine's `trackTensor` / `makeTensor` (tfjs 4.22
 * internals; the demo pins that version) and the WebGL contexts' draw calls. Cheap enough to
 * leave on while timing.
 *
 * @returns the counters; only one set may be installed at a time
 * @throws Error when counters are already installed
 * @example
 * const c = installStepCounters();
 * const before = c.snapshot();
 * tf.tidy(() => tf.scalar(1).add(1).dataSync());
 * c.snapshot().readBacks - before.readBacks; // 1
 * c.uninstall();
 */
export function installStepCounters(): StepCounters {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown> & { [INSTALLED]?: boolean };
  if (proto[INSTALLED]) throw new Error("installStepCounters: counters are already installed; uninstall() them first");
  const byMethod = Object.fromEntries(READ_BACK_METHODS.map((m) => [m, 0])) as Record<ReadBackMethod, number>;
  let depth = 0;
  let tensorsCreated = 0;
  let hostTensors = 0;
  let draws = 0;
  const originals = new Map<string, unknown>();
  for (const m of READ_BACK_METHODS) {
    const original = proto[m] as (...a: unknown[]) => unknown;
    originals.set(m, original);
    proto[m] = function (this: tf.Tensor, ...a: unknown[]): unknown {
      if (depth > 0) return original.apply(this, a);
      byMethod[m]++;
      depth++;
      try {
        return original.apply(this, a);
      } finally {
        depth--;
      }
    };
  }
  const engine = tf.engine() as unknown as CountedEngine;
  const ownTrack = Object.prototype.hasOwnProperty.call(engine, "trackTensor");
  const ownMake = Object.prototype.hasOwnProperty.call(engine, "makeTensor");
  const track = engine.trackTensor;
  const make = engine.makeTensor;
  engine.trackTensor = function (...a: unknown[]) {
    tensorsCreated++;
    return track.apply(this, a);
  };
  engine.makeTensor = function (...a: unknown[]) {
    hostTensors++;
    return make.apply(this, a);
  };
  const glRestores: Array<() => void> = [];
  for (const ctx of ["WebGLRenderingContext", "WebGL2RenderingContext"]) {
    const gl = (globalThis as Record<string, unknown>)[ctx] as { prototype: Record<string, unknown> } | undefined;
    if (gl === undefined) continue;
    for (const m of ["drawArrays", "drawElements"]) {
      const original = gl.prototype[m] as (...a: unknown[]) => unknown;
      gl.prototype[m] = function (this: unknown, ...a: unknown[]) {
        draws++;
        return original.apply(this, a);
      };
      glRestores.push(() => (gl.prototype[m] = original));
    }
  }
  proto[INSTALLED] = true;
  return {
    snapshot: () => ({
      readBacks: READ_BACK_METHODS.reduce((s, m) => s + byMethod[m], 0),
      readBacksByMethod: { ...byMethod },
      tensorsCreated,
      hostTensors,
      draws,
    }),
    uninstall: () => {
      for (const [m, f] of originals) proto[m] = f;
      if (ownTrack) engine.trackTensor = track;
      else delete (engine as Partial<CountedEngine>).trackTensor;
      if (ownMake) engine.makeTensor = make;
      else delete (engine as Partial<CountedEngine>).makeTensor;
      for (const r of glRestores) r();
      delete proto[INSTALLED];
    },
  };
}

/**
 * The counts between two snapshots.
 * @param a - the earlier snapshot
 * @param b - the later one
 * @returns `b − a` for every count
 * @example
 * const d = counterDelta(before, counters.snapshot()); d.readBacks;
 */
export function counterDelta(a: CounterSnapshot, b: CounterSnapshot): CounterSnapshot {
  return {
    readBacks: b.readBacks - a.readBacks,
    readBacksByMethod: Object.fromEntries(READ_BACK_METHODS.map((m) => [m, b.readBacksByMethod[m] - a.readBacksByMethod[m]])) as Record<ReadBackMethod, number>,
    tensorsCreated: b.tensorsCreated - a.tensorsCreated,
    hostTensors: b.hostTensors - a.hostTensors,
    draws: b.draws - a.draws,
  };
}
