/**
 * A log directory that is hard to read right, for differential tests of the log readers:
 * lines as our formatter writes them with escaped quotes, backslashes, line breaks, non-ASCII
 * text, needles inside properties and JSON-escaped look-alikes of the head fields, upper-case
 * and unknown levels, odd components (dotted, upper case, an escaped quote, the Kelvin sign);
 * and lines of other shapes: keys reordered, spaces, cut short, not JSON, a raw tab, bad UTF-8,
 * a non-ASCII time, empty. Some lines end in CRLF, some are longer than a read chunk, the live
 * file has no final newline, and the oldest part is a gzipped archive.
 */
import { join } from "node:path";
import { archiveStamp } from "../../lib/logging/log_archive.ts";
import { Prng } from "../../lib/simulator/prng.ts";
import { gzipBytes } from "../../lib/util/tar.ts";

const LEVELS = ["trace", "debug", "info", "info", "warning", "error", "fatal", "WARNING", "notice"];
const COMPONENTS = ["sync", "sync", "api", "sync.api", "store", "SYNC", "x.sync", "\u212aafka"];
const MESSAGES = [
  "Retrying GET /conversations/7 in 250 ms after server error (HTTP 503)",
  "GET /me 200 in 12 ms",
  'said "Retrying GET" in quotes',
  "caf\u00e9 \u2014 na\u00efve \ud83d\ude00 Retrying GET",
  "back\\slash and Retrying\\GET",
  "line\nbreak HTTP 500",
  'fake "level":"error","component":"sync" text',
  "sync failed: database is locked",
  "",
];

/** What {@link makeTrickyLogDir} wrote: the directory and the first and last line's time. */
export interface TrickyLogs {
  dir: string;
  startIso: string;
  endIso: string;
  /** Ids that occur in the lines, for --session and --process filters. */
  sessionId: string;
  processId: string;
}

/** Writes a tricky log directory of about `count` lines into `dir` (seeded, repeatable). */
export async function makeTrickyLogDir(dir: string, count = 1500, seed = 11): Promise<TrickyLogs> {
  const rng = new Prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng.next() * list.length)]!;
  const start = Date.UTC(2026, 6, 1, 12);
  let time = start;
  const lines: { bytes: Uint8Array; level: string; component: string; time: number }[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < count; i++) {
    time += Math.floor(rng.next() * 2000);
    // lines of several processes: up to 3 s out of order (within the readers' 5 s slack)
    const ts = new Date(time - Math.floor(rng.next() < 0.1 ? rng.next() * 3000 : 0)).toISOString();
    const level = pick(LEVELS);
    const component = rng.next() < 0.01 ? 'a"b' : pick(COMPONENTS);
    let message = pick(MESSAGES);
    if (rng.next() < 0.01) message = `${"x".repeat(3000)} Retrying GET`; // longer than a chunk
    const record: Record<string, unknown> = {
      timestamp: ts,
      level,
      component,
      message,
      session_id: `sess-${Math.floor(i / 100)}`,
      pid: 4242,
    };
    if (rng.next() < 0.7) record.process_id = `proc-${Math.floor(i / 300)}`;
    const extra = rng.next();
    if (extra < 0.2) record.nested = { level: "error", component: "sync", note: "Retrying GET" };
    else if (extra < 0.4) record.endpoint = "GET /conversations/7";
    let text = JSON.stringify(record);
    const shape = rng.next();
    if (shape < 0.02) {
      text = JSON.stringify({ level, timestamp: ts, component, message }); // keys reordered
    } else if (shape < 0.04) {
      text = `{"timestamp": "${ts}", "level": "${level}", "component": "${component}"}`;
    } else if (shape < 0.05) {
      text = text.slice(0, Math.floor(rng.next() * text.length)); // cut short
    } else if (shape < 0.06) {
      text = "not json at all, Retrying GET";
    } else if (shape < 0.07) {
      text = text.replace("GET", "\tGET"); // a raw tab: not JSON
    } else if (shape < 0.08) {
      text = "";
    } else if (shape < 0.09) {
      text = text.replace(ts, `${ts.slice(0, 17)}\u00e9${ts.slice(19)}`); // a non-ASCII time
    }
    let bytes = encoder.encode(text + (rng.next() < 0.1 ? "\r\n" : "\n"));
    if (shape >= 0.09 && shape < 0.1) {
      bytes = new Uint8Array([...bytes.subarray(0, 60), 0xff, 0xc3, ...bytes.subarray(60)]);
    }
    lines.push({ bytes, level: level.toLowerCase(), component, time });
  }
  const joined = (name: string, part: typeof lines, finalNewline = true) => {
    const total = part.reduce((n, l) => n + l.bytes.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const l of part) {
      out.set(l.bytes, at);
      at += l.bytes.length;
    }
    const end = finalNewline || out.at(-1) !== 10 ? total : total - 1;
    return { name, bytes: out.subarray(0, end) };
  };
  const third = Math.floor(count / 3);
  const files = [
    joined("main.log.1", lines.slice(third, 2 * third)),
    joined("main.log", lines.slice(2 * third), false),
    joined(
      "sync.log",
      lines.slice(third).filter((l) => /^sync(\.|$)/.test(l.component)),
      false,
    ),
    joined("errors.log", lines.slice(third).filter((l) => /error|fatal/.test(l.level))),
  ];
  for (const file of files) await Deno.writeFile(join(dir, file.name), file.bytes);
  const archived = joined("", lines.slice(0, third));
  const stamp = archiveStamp(new Date(start).toISOString());
  await Deno.writeFile(join(dir, `main.${stamp}.log.gz`), await gzipBytes(archived.bytes.slice()));
  return {
    dir,
    startIso: new Date(start).toISOString(),
    endIso: new Date(time).toISOString(),
    sessionId: "sess-7",
    processId: "proc-3",
  };
}
