import { closeSync, openSync, readSync } from "node:fs";

const CHUNK = 1 << 20;

/**
 * The lines of a UTF-8 text file, read synchronously in 1 MiB chunks so that files larger than
 * the longest JavaScript string (GloVe's 1-5 GB text files) can be read. Lines are split on "\n"
 * with a trailing "\r" removed; a final newline does not produce an empty last line. The file is
 * closed when the iteration ends, also when the consumer stops early or throws.
 */
export function* readLinesSync(path: string): Generator<string, void, undefined> {
  const fd = openSync(path, "r");
  try {
    const decoder = new TextDecoder("utf-8");
    const buffer = new Uint8Array(CHUNK);
    let rest = "";
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      const text = rest + (n > 0 ? decoder.decode(buffer.subarray(0, n), { stream: true }) : decoder.decode());
      const parts = text.split("\n");
      rest = parts.pop() as string;
      for (const line of parts) yield line.endsWith("\r") ? line.slice(0, -1) : line;
      if (n === 0) break;
    }
    if (rest !== "") yield rest.endsWith("\r") ? rest.slice(0, -1) : rest;
  } finally {
    closeSync(fd);
  }
}
