import { formatValue } from "@dale-nn/core/validation";
import { requireInteger } from "@dale-nn/core/validation";

/**
 * The E/I split of n units by excitatory fraction f (pycog's N_E = int(f N), PsychRNN's
 * int(dale_ratio · N_rec)): n_e = ⌊f n⌋ excitatory units first, then n_i = n − n_e inhibitory ones.
 *
 * @param context - the caller, named first in errors
 * @param n - number of units (integer ≥ 2)
 * @param fraction - f in (0, 1)
 * @returns `{ ne, ni }`, both ≥ 1
 * @throws RangeError when f is outside [0, 1] or the split leaves no E or no I unit
 *   ("ctx: excitatoryFraction 1 of 50 units leaves no inhibitory unit (n_e = 50, n_i = 0); ...")
 * @example
 * splitByExcitatoryFraction("CtEiRnn", 50, 0.8); // { ne: 40, ni: 10 }
 */
export function splitByExcitatoryFraction(context: string, n: number, fraction: number): { ne: number; ni: number } {
  requireInteger(context, "units", n, 2);
  if (typeof fraction !== "number" || !(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`${context}: excitatoryFraction must be a number in [0, 1] (the share of excitatory units); got ${formatValue(fraction)}`);
  }
  const ne = Math.floor(fraction * n + 1e-9);
  if (ne >= n) {
    throw new RangeError(`${context}: excitatoryFraction ${fraction} of ${n} units leaves no inhibitory unit (n_e = ${ne}, n_i = 0); expected at least one I unit`);
  }
  if (ne < 1) {
    throw new RangeError(`${context}: excitatoryFraction ${fraction} of ${n} units leaves no excitatory unit (n_e = 0); expected at least one E unit`);
  }
  return { ne, ni: n - ne };
}
