import { formatMeanStd, meanStd } from "../../report/mean-std.js";

/** "m ± s" with 4 decimals over the finite values ("m" for one value, "—" for none): the recurrent reports' cells. */
export function meanStd4(xs: ReadonlyArray<number | null>): string {
  return formatMeanStd(meanStd(xs), 4);
}
