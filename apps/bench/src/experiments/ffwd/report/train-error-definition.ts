import { FFWD_PROFILES, type FfwdProfile } from "../ffwd-profiles.js";

/**
 * How a run's train error was measured, read off its profile label: "+train-error=X" when the
 * run overrode it (ffwdProfile puts the override in the label), else the named profile's
 * definition ("search-" labels: the profile searched). Null for a label naming no profile of ours
 * (a record from another tool or an older free-form profile).
 *
 * - "full-pass": the error of the network after the epoch over the whole training set
 * - "running": the mean of the epoch's mini-batch errors while it trained, before each update (the
 *   reference code's, `run_exp.py` of linclab/ltlwdp: the paper's tables)
 *
 * @example
 * trainErrorDefinitionOf("paper"); // "full-pass"
 * trainErrorDefinitionOf("paper+train-error=running"); // "running"
 */
export function trainErrorDefinitionOf(profileLabel: string): FfwdProfile["trainError"] | null {
  const override = /\+train-error=(full-pass|running)(\+|$)/.exec(profileLabel);
  if (override) return override[1] as FfwdProfile["trainError"];
  const name = profileLabel.replace(/^search-/, "").split("+")[0]!;
  return Object.hasOwn(FFWD_PROFILES, name) ? FFWD_PROFILES[name as FfwdProfile["name"]].trainError : null;
}
