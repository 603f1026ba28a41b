/**
 * A full-screen view redrawn in place every few seconds (`monitor status --refresh N` on a
 * terminal): the alternate screen with the cursor hidden while it runs, the terminal as it
 * was when it stops, on Ctrl-C or any error, and even on a forced exit.
 */
import { redactText } from "../logging/redact.ts";
import { realSleep, type Sleep } from "../util/clock.ts";

/** Enter the alternate screen and hide the cursor. */
export const ENTER_SCREEN = "\x1b[?1049h\x1b[?25l";
/** Show the cursor and leave the alternate screen. */
export const LEAVE_SCREEN = "\x1b[?25h\x1b[?1049l";
const HOME = "\x1b[H";
const CLEAR_TO_EOL = "\x1b[K";
const CLEAR_BELOW = "\x1b[J";

/** A synchronous byte sink, like `Deno.stdout`. */
export interface ScreenWriter {
  writeSync(p: Uint8Array): number;
}

/** Options for {@link runLiveScreen}. */
export interface LiveScreenOptions {
  /** Produces the text of one frame. */
  render: () => Promise<string>;
  /** Time between frames. */
  intervalMs: number;
  /** Stops the loop (Ctrl-C). */
  signal: AbortSignal;
  /** Default: `Deno.stdout`. */
  writer?: ScreenWriter;
  /** Default: a real timer. */
  sleep?: Sleep;
}

/** One frame: home, each line cleared to its end, the rest of the screen cleared. */
export function frameText(text: string): string {
  const lines = text.split("\n").map((line) => line + CLEAR_TO_EOL);
  return HOME + lines.join("\n") + CLEAR_BELOW;
}

/** Redraws until `signal` aborts; returns the number of frames drawn. */
export async function runLiveScreen(options: LiveScreenOptions): Promise<number> {
  const writer = options.writer ?? Deno.stdout;
  const sleep = options.sleep ?? realSleep;
  const encoder = new TextEncoder();
  const write = (text: string) => {
    let bytes = encoder.encode(text);
    while (bytes.length > 0) bytes = bytes.subarray(writer.writeSync(bytes));
  };
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    write(LEAVE_SCREEN);
  };
  globalThis.addEventListener("unload", restore);
  write(ENTER_SCREEN);
  let frames = 0;
  try {
    while (!options.signal.aborted) {
      const text = await options.render();
      if (options.signal.aborted) break;
      write(frameText(redactText(text)));
      frames++;
      await sleep(options.intervalMs, options.signal).catch(() => {});
    }
  } finally {
    restore();
    globalThis.removeEventListener("unload", restore);
  }
  return frames;
}
