const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes standard base64 (RFC 4648 Sec. 4, "=" padding optional) without `atob` or `Buffer`, so it
 * runs in browsers and Node alike and allocates only the output.
 *
 * @throws Error naming `source`, the character and its position on a character outside the alphabet, or on a length of 4k + 1
 */
export function decodeBase64(text: string, source: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  if (end % 4 === 1) throw new Error(`${source}: base64 text of ${end} characters (without padding) is truncated; expected a length that is not 4k + 1`);
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? (LOOKUP[code] as number) : -1;
    if (v < 0) throw new Error(`${source}: character ${JSON.stringify(text[i])} at position ${i} is not base64; expected A-Z, a-z, 0-9, + or /`);
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}
