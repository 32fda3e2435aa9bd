import type { EiRnnKind } from "@dale-nn/ei-layers";
import type { RnnBenchModel, RnnProfile } from "../recurrent/rnn-profiles.js";

/**
 * The networks of Li et al. (2023), App. Figs. 9-11: the standard RNN, DANN and ColEI RNNs (Fig. 9
 * with clipping, Fig. 10 without), ColEI with DANN-style learning-rate scaling of its inhibitory
 * parameters (Fig. 11), and the RNN the reference code's sweep actually trains: rnn-signfrozen, a
 * standard RNN whose recurrent W and readout keep their initial signs (exps/rad_sweep/
 * std_rnn_mnist_spectrum_sweep.py trains with `SGD_Clip_UpdatePolicy`, whose `WClampMixin`
 * clamps each layer's `W`, and not an `RNNCell`'s `U`, to its sign at initialisation;
 * lib/update_policies.py).
 */
export type RadiusSweepModel = "rnn" | "dann" | "colei" | "colei-lrscaled" | "rnn-signfrozen";
export const RADIUS_SWEEP_MODELS: readonly RadiusSweepModel[] = ["rnn", "dann", "colei", "colei-lrscaled", "rnn-signfrozen"];

/** The layer kind of each network. */
export const RADIUS_SWEEP_KIND: Record<RadiusSweepModel, EiRnnKind> = { rnn: "standard", dann: "dann", colei: "colei", "colei-lrscaled": "colei", "rnn-signfrozen": "standard" };

/** Whose gradient clipping a network takes when clipped (rnn-profiles' RNN_CLIPPING). */
export const RADIUS_SWEEP_CLIPPING_OF: Record<RadiusSweepModel, RnnBenchModel> = { rnn: "rnn", dann: "dann", colei: "colei", "colei-lrscaled": "colei", "rnn-signfrozen": "rnn" };

/** "gc": each model's gradient clipping of Fig. 2 (RNN_CLIPPING); "none": no clipping (App. Fig. 10). */
export type RadiusSweepClipping = "gc" | "none";
export const RADIUS_SWEEP_CLIPPINGS: readonly RadiusSweepClipping[] = ["gc", "none"];

/** One block of a profile's grid: these models, at these radii, with these clippings. */
export type RadiusSweepBlock = {
  models: RadiusSweepModel[];
  radii: number[];
  clippings: RadiusSweepClipping[];
};

/**
 * Each profile's grid (what `--sweep rho=...` and `--sweep lr=...` replace). The paper's Fig. 9
 * spans ρ ∈ [0.2, 6] for the RNN and [0.4, 6] for DANN and ColEI (1 layer of 100 units); we take
 * seven radii of that range, 1/√3 ≈ 0.577 (the RNN's and DANN's natural scale) and 1.5 (ColEI's
 * default) among them. Fig. 10 (no clipping) and Fig. 11 (ColEI with scaled inhibitory rates) run
 * at the same radii, and the reference code's sign-frozen RNN at the RNN's radii, clipped.
 */
export const RADIUS_SWEEP_GRIDS: Record<RnnProfile["name"], { blocks: RadiusSweepBlock[]; learningRates: number[] }> = {
  tiny: { blocks: [{ models: ["rnn", "colei-lrscaled", "rnn-signfrozen"], radii: [0.5, 1.5], clippings: ["gc"] }], learningRates: [0.01] },
  smoke: { blocks: [{ models: ["rnn", "dann", "colei", "colei-lrscaled"], radii: [0.5, 1.5], clippings: ["gc"] }], learningRates: [0.01] },
  quick: {
    blocks: [
      { models: ["rnn", "dann", "colei"], radii: [0.4, 1.5, 6], clippings: ["gc", "none"] },
      { models: ["colei-lrscaled"], radii: [0.4, 1.5, 6], clippings: ["gc"] },
    ],
    learningRates: [0.01],
  },
  paper: {
    blocks: [
      { models: ["rnn"], radii: [0.2], clippings: ["gc", "none"] },
      { models: ["rnn", "dann", "colei"], radii: [0.4, 0.577, 1, 1.5, 3, 6], clippings: ["gc", "none"] },
      { models: ["colei-lrscaled"], radii: [0.4, 0.577, 1, 1.5, 3, 6], clippings: ["gc"] },
      { models: ["rnn-signfrozen"], radii: [0.2, 0.4, 0.577, 1, 1.5, 3, 6], clippings: ["gc"] },
    ],
    learningRates: [0.01],
  },
};
