import { deriveSeed } from "@dale-nn/ei-init";
import { sequential, type Sequential } from "@tensorflow/tfjs-layers";
import { EiRnn, EI_RNN_KINDS, type EiRnnKind, type SignFrozenScope } from "./ei-rnn-layer.js";
import { StandardDense } from "./standard-dense-layer.js";
import { ColEiDense } from "./column-ei-dense-layer.js";
import { DannLinear } from "./dann-linear-layer.js";

/** Options of {@link buildRecurrentNetwork}. */
export interface RecurrentNetworkOptions {
  kind: EiRnnKind;
  seed: number;
  /** Time steps T (null: any length); default 28 (row-wise sequential MNIST). */
  steps?: number | null;
  /** Inputs per step d; default 28. */
  inputs?: number;
  /** Units per recurrent layer; default [100]. */
  hidden?: number[];
  /** Dense ReLU layers between the last recurrent layer and the readout; default []. */
  dense?: number[];
  /** Outputs of the linear readout; default 10. */
  outputs?: number;
  /** Fraction of inhibitory units per layer (colei, dann); default 0.1. n_i = max(1, round(fraction · n)). */
  inhibitoryFraction?: number;
  /** Target spectral radius of each recurrent W, set exactly at initialisation (ColEI default 1.5; standard and DANN default: their natural scale, ρ ≈ 1/√3). */
  rho?: number;
  /** ColEI: the mean input value for the first-layer bias (default 0.1307). */
  inputMean?: number;
  /** DANN: add divisive inhibition to the recurrent layers (default false, as in Li et al. 2023). */
  divisive?: boolean;
  /**
   * Standard RNN: keep weights at their initial signs (sign-frozen RNN, Sec. 3.3). true: every
   * weight (U, W, the dense layers and the readout); "recurrent": W, the dense layers and the
   * readout, with U free, the reference code's `SGD_Clip_UpdatePolicy` (it clamps each cell's and
   * dense layer's `W`, never an `RNNCell`'s `U`). Default false.
   */
  signFrozen?: SignFrozenScope;
  /** Readout at every step ("sequence", e.g. language models) or only the last ("last", default). */
  readout?: "last" | "sequence";
}

/**
 * Builds a recurrent network of Li et al. (2023): recurrent ReLU layers of one kind, optional dense
 * layers, and a linear readout of the matching kind (standard: free; colei: column-signed;
 * dann: W_EE − W_EI W_IE). Produces logits (or raw outputs for regression).
 *
 * @throws TypeError on an unknown kind; RangeError on invalid sizes or fractions
 * @example
 * const model = buildRecurrentNetwork({ kind: "colei", seed: 0, hidden: [100], inhibitoryFraction: 0.1 });
 */
export function buildRecurrentNetwork(options: RecurrentNetworkOptions): Sequential {
  const { kind } = options;
  if (!EI_RNN_KINDS.includes(kind)) throw new TypeError(`buildRecurrentNetwork: unknown kind ${JSON.stringify(kind)}; expected one of ${EI_RNN_KINDS.join(", ")}`);
  const hidden = options.hidden ?? [100];
  if (hidden.length === 0) throw new RangeError("buildRecurrentNetwork: hidden must list at least one recurrent layer; got []");
  const dense = options.dense ?? [];
  const outputs = options.outputs ?? 10;
  const fraction = options.inhibitoryFraction ?? 0.1;
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`buildRecurrentNetwork: inhibitoryFraction must be in (0, 1); got ${fraction}`);
  const inhibitoryOf = (n: number): number => Math.max(1, Math.round(fraction * n));
  const seedOf = (i: number): number => deriveSeed(options.seed, "layer", i);
  const steps = options.steps === undefined ? 28 : options.steps;
  const inputs = options.inputs ?? 28;
  const sequenceOut = options.readout === "sequence";
  const signFrozen = options.signFrozen ?? false;
  if (signFrozen !== false && kind !== "standard") throw new TypeError(`buildRecurrentNetwork: signFrozen applies to kind "standard" only; got kind ${JSON.stringify(kind)}`);
  const model = sequential({ name: `${kind}-rnn` });
  let previousNi = 0;
  hidden.forEach((units, i) => {
    const ni = kind === "standard" ? 0 : inhibitoryOf(units);
    model.add(
      new EiRnn({
        kind,
        units,
        ...(kind !== "standard" ? { inhibitoryUnits: ni } : {}),
        ...(kind === "colei" ? (i === 0 ? { firstLayer: { inputMean: options.inputMean ?? 0.1307 } } : { inputInhibitory: previousNi }) : {}),
        ...(options.rho !== undefined ? { rho: options.rho } : {}),
        ...(signFrozen !== false ? { signFrozen } : {}),
        ...(kind === "dann" && options.divisive ? { divisive: true } : {}),
        returnSequences: i < hidden.length - 1 || sequenceOut,
        seed: seedOf(i),
        ...(i === 0 ? { inputShape: [steps, inputs] } : {}),
      }),
    );
    // A DANN layer's output is its n_e excitatory units; a ColEI layer's last n_i units are inhibitory.
    previousNi = kind === "colei" ? ni : 0;
  });
  const addDense = (units: number, activation: "relu" | "linear", seed: number): void => {
    if (kind === "standard") model.add(new StandardDense({ units, activation, seed, signFrozen: signFrozen !== false }));
    else if (kind === "colei") model.add(new ColEiDense({ units, activation, seed, inhibitoryInputs: previousNi }));
    else model.add(new DannLinear({ units, activation, seed, inhibitoryUnits: inhibitoryOf(units) }));
  };
  dense.forEach((units, j) => {
    addDense(units, "relu", seedOf(hidden.length + j));
    previousNi = kind === "colei" ? inhibitoryOf(units) : 0;
  });
  if (sequenceOut && dense.length > 0) throw new RangeError("buildRecurrentNetwork: dense layers are only supported with readout 'last'");
  addDense(outputs, "linear", seedOf(hidden.length + dense.length));
  return model;
}
