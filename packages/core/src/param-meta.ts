import type { Variable } from "@tensorflow/tfjs-core";
import type { ParamRole } from "./parameter-role.js";
import type { SignConstraint } from "./sign-constraint.js";

/**
 * The sizes of the layer a parameter belongs to, which update corrections need (the DANN
 * correction of Cornford et al. 2021, Alg. 3, scales by √n_e, d and d√n_e).
 */
export interface LayerSizes {
  /** Input dimension d of the layer. */
  readonly d: number;
  /** Excitatory (or, for a standard layer, all) output units n_e. */
  readonly ne: number;
  /** Inhibitory units n_i (0 for layers without an inhibitory population). */
  readonly ni: number;
}

/** Everything an optimiser or gradient transform may know about a parameter. */
export interface ParamMeta {
  /** What the parameter is for. */
  readonly role: ParamRole;
  /** Which sign it must keep. */
  readonly constraint: SignConstraint;
  /** Name of the layer the parameter belongs to; groups parameters per layer (Alg. 5, Fig. 2). */
  readonly layer: string;
  /** Sizes of that layer. */
  readonly sizes: LayerSizes;
}

/** A trainable variable together with its {@link ParamMeta}. */
export interface TaggedParameter {
  readonly variable: Variable;
  readonly meta: ParamMeta;
}
