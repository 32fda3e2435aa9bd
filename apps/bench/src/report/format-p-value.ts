/** A p-value as a table cell: "< 0.001", "0.020", "—" when there is no test (NaN). */
export function formatPValue(p: number): string {
  return Number.isFinite(p) ? (p < 0.001 ? "< 0.001" : p.toFixed(3)) : "—";
}

/** A p-value in a sentence: "p < 0.001", "p = 0.020", "p = —". */
export function pValuePhrase(p: number): string {
  return Number.isFinite(p) && p < 0.001 ? "p < 0.001" : `p = ${formatPValue(p)}`;
}
