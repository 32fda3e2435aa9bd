/**
 * Renders a value for an error message, so that every dale-nn error names the offending value
 * the same way: strings quoted, numbers, booleans, null and undefined as JavaScript prints them,
 * functions as "a function", typed arrays by type and length, other values as JSON (cut at 80
 * characters).
 *
 * @param value - anything a caller passed
 * @returns a short, readable rendering
 * @example
 * formatValue("relu");            // '"relu"'
 * formatValue(new Float32Array(3)); // "Float32Array(3)"
 */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (typeof value === "function") return "a function";
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return Object.prototype.toString.call(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
