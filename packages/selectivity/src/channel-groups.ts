import { formatValue, requireInteger } from "@dale-nn/core/validation";

/** A half-open range of channel indices [start, end). */
export interface ChannelRange {
  readonly start: number;
  readonly end: number;
  /** end − start. */
  readonly size: number;
}

/**
 * Index ranges of consecutive channel groups, in the order given, e.g. a recurrent area whose
 * channels are laid out PN, IG, OG (paper 002, Standard: 64 + 16 + 16 in area 3) or E, I
 * (StandardEI: 64 + 16):
 *
 *   start_g = Σ_{g' before g} size_{g'},  end_g = start_g + size_g.
 *
 * Use the ranges to cut connection blocks ({@link weightBlock}: PN→PN vs IG→PN and OG→PN =
 * "Int→PN"; E→E vs I→E) or channel subsets of responses.
 *
 * @param sizes - group name → channel count (integer >= 0), in layout order; names must not be
 *   integers (JavaScript would reorder them)
 * @returns group name → {@link ChannelRange} (the total channel count is the last group's `end`)
 * @throws RangeError on a count that is not an integer >= 0, an integer-like name, or no groups
 * @example
 * const g = channelGroups({ PN: 64, IG: 16, OG: 16 });
 * g.IG; // { start: 64, end: 80, size: 16 }
 */
export function channelGroups<Name extends string>(sizes: Readonly<Record<Name, number>>): Record<Name, ChannelRange> {
  const context = "channelGroups";
  if (sizes == null || typeof sizes !== "object" || Array.isArray(sizes)) {
    throw new TypeError(`${context}: sizes must be an object { name: count, ... } in layout order; got ${formatValue(sizes)}`);
  }
  const names = Object.keys(sizes) as Name[];
  if (names.length === 0) throw new RangeError(`${context}: sizes has no groups; expected e.g. { PN: 64, IG: 16, OG: 16 }`);
  const out = {} as Record<Name, ChannelRange>;
  let start = 0;
  for (const name of names) {
    if (/^(0|[1-9]\d*)$/.test(name)) {
      throw new RangeError(`${context}: group name ${formatValue(name)} is an integer, which JavaScript objects reorder; use a name such as "g${name}"`);
    }
    const size = requireInteger(context, `sizes.${name}`, sizes[name], 0);
    out[name] = { start, end: start + size, size };
    start += size;
  }
  return out;
}
