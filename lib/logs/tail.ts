/**
 * `logs show`: the last N matching lines, then (with `follow`) every new matching line as it
 * is written, until the signal aborts. The tail and the follow share one snapshot of the
 * directory, so no line is shown twice or skipped between them.
 */
import { join } from "node:path";
import { type LogEntry, parseLogHead } from "./entry.ts";
import { type LogFilter, matchLine, prepareFilter } from "./filter.ts";
import { followFile } from "./follow.ts";
import {
  FAMILY_FILES,
  type LogDirSnapshot,
  type LogFamily,
  primaryFamily,
  snapshotLogDir,
  tailLogs,
} from "./reader.ts";

/** A function keeping the raw lines a filter matches, parsed. */
export function lineMatcher(filter: LogFilter): (raw: string) => LogEntry | null {
  const prepared = prepareFilter(filter);
  return (raw) => {
    const head = parseLogHead(raw);
    return head === null ? null : matchLine(prepared, head, raw);
  };
}

/** Where following a filter's lines starts: the live file of its family and an offset in it. */
export interface FollowStart {
  path: string;
  offset: number;
}

/** The live file that receives every line `filter` can match, and its size in `snapshot`. */
export function followStart(snapshot: LogDirSnapshot, filter: LogFilter): FollowStart {
  const liveOf = (family: LogFamily) => snapshot.families[family].find((f) => f.rotation === 0);
  let family = primaryFamily(filter);
  // main.log holds every line: follow it when the narrower file does not exist
  if (liveOf(family) === undefined && liveOf("main") !== undefined) family = "main";
  return { path: join(snapshot.logDir, FAMILY_FILES[family]), offset: liveOf(family)?.size ?? 0 };
}

/** Options for {@link followLogs}. */
export interface FollowLogsOptions {
  /** Stops following. Default: never. */
  signal?: AbortSignal;
  /** Start here instead of at the end of the live file. Default: its end. */
  start?: FollowStart;
  /** Use file-system events (else poll only). Default: true. */
  watch?: boolean;
}

/** Yields batches of new matching lines as they are written, across rotation and truncation. */
export async function* followLogs(
  logDir: string,
  filter: LogFilter,
  options: FollowLogsOptions = {},
): AsyncGenerator<LogEntry[]> {
  const start = options.start ?? followStart(await snapshotLogDir(logDir), filter);
  const match = lineMatcher(filter);
  const follow = followFile(start.path, {
    from: start.offset,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.watch === undefined ? {} : { watch: options.watch }),
  });
  for await (const lines of follow) {
    const entries: LogEntry[] = [];
    for (const line of lines) {
      const entry = match(line);
      if (entry !== null) entries.push(entry);
    }
    if (entries.length > 0) yield entries;
  }
}

/** Options for {@link showLogs}. */
export interface ShowLogsOptions extends Omit<FollowLogsOptions, "start"> {
  /** How many of the last matching lines to show first. */
  lines: number;
  /** Keep following new lines until `signal` aborts. Default: false. */
  follow?: boolean;
  /** Receives the lines to show, in time order. */
  onEntries: (entries: LogEntry[]) => void;
  /** Told when the last lines were shown (how many), before following starts. */
  onTail?: (shown: number) => void;
}

/** Shows the last lines, then follows; returns how many lines were shown. */
export async function showLogs(
  logDir: string,
  filter: LogFilter,
  options: ShowLogsOptions,
): Promise<number> {
  const snapshot = await snapshotLogDir(logDir);
  const start = followStart(snapshot, filter);
  const tail = await tailLogs(logDir, filter, { count: options.lines, snapshot });
  if (tail.length > 0) options.onEntries(tail);
  options.onTail?.(tail.length);
  let shown = tail.length;
  if (!options.follow || options.signal?.aborted) return shown;
  const follow = followLogs(logDir, filter, {
    start,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.watch === undefined ? {} : { watch: options.watch }),
  });
  for await (const entries of follow) {
    options.onEntries(entries);
    shown += entries.length;
  }
  return shown;
}
