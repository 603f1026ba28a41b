/**
 * Fitting dashboard lines to the terminal's width: a line too long is cut at a word boundary
 * and ends with "…", so an 80-column terminal never wraps a word across two rows. Widths count
 * what the terminal shows: colour codes take no room, emoji take two columns.
 */

// deno-lint-ignore no-control-regex
const SGR = /\x1b\[[0-9;]*m/y;
const VARIATION_SELECTOR = 0xfe0f;

/** Columns a code point takes: 0 for joiners and selectors, 2 for emoji and wide CJK. */
function columns(code: number): number {
  if (code === VARIATION_SELECTOR || code === 0x200d || (code >= 0x300 && code < 0x370)) return 0;
  if (
    (code >= 0x1f300 && code <= 0x1faff) || (code >= 0x2600 && code <= 0x27bf) ||
    (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff00 && code <= 0xff60) || code === 0x2705 || code === 0x274c || code === 0x26a1
  ) {
    // ⚠ (U+26A0) alone is narrow; with U+FE0F it is drawn as a wide emoji (see below)
    return code === 0x26a0 ? 1 : 2;
  }
  return 1;
}

/** The columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length;) {
    SGR.lastIndex = i;
    const sgr = SGR.exec(text);
    if (sgr !== null) {
      i += sgr[0].length;
      continue;
    }
    const code = text.codePointAt(i)!;
    const next = text.codePointAt(i + (code > 0xffff ? 2 : 1));
    width += code === 0x26a0 && next === VARIATION_SELECTOR ? 2 : columns(code);
    i += code > 0xffff ? 2 : 1;
  }
  return width;
}

/**
 * `line` cut to at most `width` columns: at the last space that keeps at least half the room
 * (else mid-word, as a last resort for a long path), then "…"; colours are closed.
 */
export function fitLine(line: string, width: number): string {
  if (width <= 0 || displayWidth(line) <= width) return line;
  let out = "";
  let used = 0;
  let lastSpace = -1;
  let coloured = false;
  for (let i = 0; i < line.length;) {
    SGR.lastIndex = i;
    const sgr = SGR.exec(line);
    if (sgr !== null) {
      out += sgr[0];
      coloured = sgr[0] !== "\x1b[0m";
      i += sgr[0].length;
      continue;
    }
    const code = line.codePointAt(i)!;
    const char = String.fromCodePoint(code);
    const w = columns(code);
    if (used + w > width - 1) {
      if (char === " ") lastSpace = out.length; // the word before is whole
      break;
    }
    if (char === " ") lastSpace = out.length;
    out += char;
    used += w;
    i += char.length;
  }
  if (lastSpace > 0 && displayWidth(out.slice(0, lastSpace)) >= width / 2) {
    out = out.slice(0, lastSpace);
  }
  return out.replace(/\s+$/, "") + "…" + (coloured ? "\x1b[0m" : "");
}

/** Every line of `text` fitted to `width`. */
export function fitText(text: string, width: number): string {
  return text.split("\n").map((line) => fitLine(line, width)).join("\n");
}
