/**
 * ANSI colour (SGR) codes, in one place. Every painted text ends with a full reset (`ESC[0m`),
 * which is what the terminal output and its tests expect.
 *
 * Our own rather than `@std/fmt/colors`: that module is on JSR only (the npm registry has no
 * `@std/*` package and `npm:@jsr/...` is not reachable from here); npm's colour libraries decide
 * on colour themselves from the environment, while ours is decided once per writer
 * (`lib/logging/terminal.ts`: TTY, `NO_COLOR`, `TERM=dumb`) and passed down as a flag.
 */

/** The styles in use and their SGR codes. */
export const SGR = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  red: "\x1b[31m",
  boldRed: "\x1b[1;31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  magenta: "\x1b[35m",
  cyan: "\x1b[36m",
} as const;

/** A style name of {@link SGR}. */
export type Style = Exclude<keyof typeof SGR, "reset">;

/** `text` in `style` followed by a reset; `text` unchanged when `enabled` is false. */
export function paint(text: string, style: Style, enabled = true): string {
  return enabled ? `${SGR[style]}${text}${SGR.reset}` : text;
}

// deno-lint-ignore no-control-regex
const SGR_PATTERN = /\x1b\[[0-9;]*m/g;

/** `text` without its colour codes. */
export function stripColors(text: string): string {
  return text.replace(SGR_PATTERN, "");
}
