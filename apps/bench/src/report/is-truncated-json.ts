/**
 * Whether `text` is a proper prefix of some JSON document, i.e. valid so far but cut off before its end
 * (what a process killed in the middle of writing a JSON line leaves). Complete documents, invalid text and
 * empty text return false.
 */
export function isTruncatedJson(text: string): boolean {
  const END = Symbol("end");
  const n = text.length;
  let i = 0;

  const ws = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const need = () => {
    if (i >= n) throw END;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      need();
      if (text[i] !== ch) throw new Error("invalid");
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      need();
      const ch = text[i++];
      if (ch === '"') return;
      if (ch === "\\") {
        need();
        const esc = text[i++] ?? "";
        if (esc === "u") {
          for (let k = 0; k < 4; k++) {
            need();
            if (!/[0-9a-fA-F]/.test(text[i++] ?? "")) throw new Error("invalid");
          }
        } else if (!'"\\/bfnrt'.includes(esc)) throw new Error("invalid");
      } else if (ch !== undefined && ch < " ") throw new Error("invalid");
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)?(\.\d*)?([eE][+-]?\d*)?/.exec(text.slice(i));
    const len = m?.[0].length ?? 0;
    if (len === 0) throw new Error("invalid");
    i += len;
    need(); // a number at the very end may still be growing
  };
  const value = (): void => {
    ws();
    need();
    const ch = text[i];
    if (ch === "{") {
      i++;
      ws();
      need();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        need();
        if (text[i] !== '"') throw new Error("invalid");
        string();
        ws();
        need();
        if (text[i++] !== ":") throw new Error("invalid");
        value();
        ws();
        need();
        const sep = text[i++];
        if (sep === "}") return;
        if (sep !== ",") throw new Error("invalid");
      }
    } else if (ch === "[") {
      i++;
      ws();
      need();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        need();
        const sep = text[i++];
        if (sep === "]") return;
        if (sep !== ",") throw new Error("invalid");
      }
    } else if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else number();
  };

  if (text.trim() === "") return false;
  try {
    value();
    return false; // a complete value (possibly followed by garbage): not a truncation
  } catch (e) {
    return e === END;
  }
}
