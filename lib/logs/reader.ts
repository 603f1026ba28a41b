/**
 * Reading the log directory in time order: `main.log`, `sync.log`, `errors.log` and their
 * rotated files (`.5` oldest … `.1`, then the live file), filtered, without duplicates.
 *
 * The three files overlap: main.log holds every line, sync.log the sync component's, errors.log
 * the errors. Each keeps its own rotation, so the smaller ones reach further back. A query reads
 * the family that holds all its lines first (errors.log for `--level error`, sync.log for
 * `--component sync`, else main.log), and takes a line from another family only when no family
 * read before it holds that line's time (its coverage starts after the line). Every line is
 * therefore read from exactly one place, and older errors survive main.log's rotation.
 *
 * `--since` seeks (see log_seek.ts); files wholly outside the window are not opened.
 */
import { join } from "node:path";
import { ERROR_RANK, isoOf, levelRank, type LogEntry, type LogHead } from "./entry.ts";
import { parseLogHead, timestampOf } from "./entry.ts";
import { type LogFilter, matchLine, type PreparedFilter, prepareFilter } from "./filter.ts";
import { readLinesBackward, readLinesForward } from "./lines.ts";
import { rawPrefilter } from "./raw_prefilter.ts";
import { scanCandidates, type ScanOptions } from "./raw_scan.ts";
import { archiveLines } from "./compressed.ts";
import { ARCHIVE_PATTERN, stampIso } from "../logging/log_archive.ts";
import { firstTimestamp, lastTimestamp, seekToTime } from "./seek.ts";
import { mergeAscending, mergeDescending } from "./merge.ts";

/** The three log files written by `lib/logging/logging.ts`. */
export type LogFamily = "main" | "sync" | "errors";

/** File name of each family's live file. */
export const FAMILY_FILES: Readonly<Record<LogFamily, string>> = {
  main: "main.log",
  sync: "sync.log",
  errors: "errors.log",
};

/** Lines of several processes share a file, so times are ordered only to within this. */
export const ORDER_SLACK_MS = 5000;

/** One file of a family, with the size it had when the directory was listed. */
export interface LogFileInfo {
  path: string;
  /** Bytes at listing time; reading stops there, so a growing file reads consistently. */
  size: number;
  /** 0 for the live file, N for `<name>.N`; archives rank above every `.N`, oldest highest. */
  rotation: number;
  /** A gzip archive (`main.<time>.log.gz`), read whole. Default: false. */
  compressed?: boolean;
  /** An archive's first line's time, from its name (so it is known without opening it). */
  startIso?: string;
}

/** The files of each family, oldest first, as they were at one moment. */
export interface LogDirSnapshot {
  logDir: string;
  families: Record<LogFamily, LogFileInfo[]>;
}

/** Lists the log files (oldest first within each family) and their current sizes. */
export async function snapshotLogDir(logDir: string): Promise<LogDirSnapshot> {
  const families: Record<LogFamily, LogFileInfo[]> = { main: [], sync: [], errors: [] };
  const pattern = /^(main|sync|errors)\.log(?:\.(\d+))?$/;
  const archives: Record<LogFamily, LogFileInfo[]> = { main: [], sync: [], errors: [] };
  try {
    for await (const item of Deno.readDir(logDir)) {
      const archive = ARCHIVE_PATTERN.exec(item.name);
      if (archive && item.isFile) {
        const path = join(logDir, item.name);
        const size = await Deno.stat(path).then((s) => s.size, () => -1);
        if (size < 0) continue;
        archives[archive[1] as LogFamily].push({
          path,
          size,
          rotation: 0,
          compressed: true,
          startIso: stampIso(archive[2]!),
        });
        continue;
      }
      const match = pattern.exec(item.name);
      if (!match || !item.isFile) continue;
      const path = join(logDir, item.name);
      const size = await Deno.stat(path).then((s) => s.size, () => -1);
      if (size < 0) continue;
      families[match[1] as LogFamily].push({ path, size, rotation: Number(match[2] ?? 0) });
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  for (const [family, list] of Object.entries(archives)) {
    // oldest first; they all come before the rotated files LogTape still holds
    list.sort((a, b) => (a.path < b.path ? -1 : 1));
    list.forEach((file, i) => (file.rotation = 1_000_000 - i));
    families[family as LogFamily].push(...list);
  }
  for (const files of Object.values(families)) files.sort((a, b) => b.rotation - a.rotation);
  return { logDir, families };
}

/** Whether a family's files hold `head` (if the line's time is within their coverage). */
function admits(family: LogFamily, head: LogHead): boolean {
  switch (family) {
    case "main":
      return !head.component.startsWith("logtape");
    case "sync":
      return head.component === "sync" || head.component.startsWith("sync.");
    case "errors":
      return levelRank(head.level) >= ERROR_RANK;
  }
}

/** The family that holds every line the filter can match: read it first, follow it. */
export function primaryFamily(filter: LogFilter): LogFamily {
  if (filter.levels.min >= ERROR_RANK) return "errors";
  const components = filter.components;
  if (components !== null && components.size === 1 && components.has("sync")) return "sync";
  return "main";
}

/** Families in the order they are consulted; families that cannot match are left out. */
function familyOrder(filter: LogFilter): LogFamily[] {
  const primary = primaryFamily(filter);
  const order: LogFamily[] = [primary];
  for (const family of ["main", "sync", "errors"] as const) {
    if (family === primary) continue;
    if (family === "sync" && filter.components !== null && !filter.components.has("sync")) continue;
    if (family === "errors" && filter.levels.max < ERROR_RANK) continue;
    order.push(family);
  }
  return order;
}

/** Whether every line the filter matches would be in `family` (within its coverage). */
function holdsAll(family: LogFamily, filter: LogFilter): boolean {
  return family === "main" || primaryFamily(filter) === family;
}

/** What one family contributes: the lines between the bounds that no earlier family holds. */
interface FamilyRead {
  family: LogFamily;
  files: LogFileInfo[];
  /** Lines at or after this time are held by an earlier family (exclusive bound). */
  upperBound: string | null;
  /** Earlier families and the time their files start: a line they admit after it is theirs. */
  shadows: { family: LogFamily; coverage: string }[];
}

async function planReads(snapshot: LogDirSnapshot, filter: LogFilter): Promise<FamilyRead[]> {
  const reads: FamilyRead[] = [];
  const shadows: { family: LogFamily; coverage: string }[] = [];
  let upperBound: string | null = null;
  for (const family of familyOrder(filter)) {
    const files = snapshot.families[family].filter((f) => f.size > 0);
    const oldest = files[0];
    const coverage = oldest === undefined ? null : await startOf(oldest);
    if (coverage !== null && (upperBound === null || coverage < upperBound)) {
      reads.push({ family, files, upperBound, shadows: [...shadows] });
    }
    if (coverage === null) continue;
    shadows.push({ family, coverage });
    if (holdsAll(family, filter) && (upperBound === null || coverage < upperBound)) {
      upperBound = coverage;
    }
  }
  return reads;
}

function shadowed(read: FamilyRead, head: LogHead): boolean {
  for (const shadow of read.shadows) {
    if (head.timestamp >= shadow.coverage && admits(shadow.family, head)) return true;
  }
  return false;
}

/** Applies the remaining checks to a line whose head is read; the entry when it is kept. */
function keep(
  filter: PreparedFilter,
  read: FamilyRead,
  head: LogHead,
  raw: string,
): LogEntry | null {
  if (read.upperBound !== null && head.timestamp >= read.upperBound) return null;
  if (read.shadows.length > 0 && shadowed(read, head)) return null;
  return matchLine(filter, head, raw);
}

function shiftIso(iso: string | null, ms: number): string | null {
  return iso === null ? null : isoOf(Date.parse(iso) + ms);
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/**
 * The entries of one batch of lines that pass the filter, in reading order; `done` once a line
 * lies `past` the range being read (the rest of the batch and of the file cannot match).
 */
function keepBatch(
  lines: Iterable<string>,
  read: FamilyRead,
  filter: PreparedFilter,
  past: (timestamp: string) => boolean,
): { entries: LogEntry[]; done: boolean } {
  const entries: LogEntry[] = [];
  for (const raw of lines) {
    const head = parseLogHead(raw);
    if (head === null) continue;
    if (past(head.timestamp)) return { entries, done: true };
    const entry = keep(filter, read, head, raw);
    if (entry !== null) entries.push(entry);
  }
  return { entries, done: false };
}

async function* familyForward(
  read: FamilyRead,
  filter: PreparedFilter,
  options: ReadLogsOptions,
): AsyncGenerator<LogEntry[]> {
  const stats = options.stats;
  const seekTarget = shiftIso(filter.sinceIso, -ORDER_SLACK_MS);
  // past this time no line can match (lines of several processes are ordered within the slack)
  const stop = earliest(
    shiftIso(filter.untilIso, ORDER_SLACK_MS),
    shiftIso(read.upperBound, ORDER_SLACK_MS),
  );
  const prefilter = options.rawPrefilter === false ? null : rawPrefilter(filter, { stopIso: stop });
  for (const [i, file] of read.files.entries()) {
    if (file.compressed) {
      // it ends where the next file starts: skipped unopened when that is before the window
      const next = read.files[i + 1];
      const end = next === undefined ? null : await startOf(next);
      if (seekTarget !== null && end !== null && end < seekTarget) continue;
      if (stop !== null && file.startIso !== undefined && file.startIso > stop) return;
      stats?.scanned.push({ path: file.path, start: 0, end: file.size });
      const past = (t: string) => stop !== null && t > stop;
      const batch = keepBatch(await archiveLines(file.path, prefilter), read, filter, past);
      if (batch.entries.length > 0) yield batch.entries;
      if (batch.done) return;
      continue;
    }
    if (seekTarget !== null) {
      const last = await lastTimestamp(file.path, file.size);
      if (last === null || last < seekTarget) continue;
    }
    const first = await firstTimestamp(file.path);
    if (first === null) continue;
    if (stop !== null && first > stop) return;
    const start = seekTarget === null ? 0 : await seekToTime(file.path, seekTarget, file.size);
    const range = { path: file.path, start, end: file.size };
    stats?.scanned.push(range);
    const past = (t: string) => stop !== null && t > stop;
    if (prefilter !== null) {
      // most lines cannot match: reject them on the raw chunk (see raw_scan.ts)
      range.end = start;
      const scan: ScanOptions = { start, end: file.size };
      if (options.chunkSize !== undefined) scan.chunkSize = options.chunkSize;
      for await (const chunk of scanCandidates(file.path, prefilter, scan)) {
        range.end = chunk.end;
        if (stop !== null && chunk.firstTimestamp !== null && chunk.firstTimestamp > stop) return;
        const batch = keepBatch(chunk.lines, read, filter, past);
        if (batch.entries.length > 0) yield batch.entries;
        if (batch.done) return;
      }
      continue;
    }
    const plain = { start, end: file.size, chunkSize: READ_CHUNK };
    for await (const lines of readLinesForward(file.path, plain)) {
      const batch = keepBatch(lines, read, filter, past);
      if (batch.entries.length > 0) yield batch.entries;
      if (batch.done) return;
    }
  }
}

async function* familyBackward(
  read: FamilyRead,
  filter: PreparedFilter,
): AsyncGenerator<LogEntry[]> {
  const stopBefore = shiftIso(filter.sinceIso, -ORDER_SLACK_MS);
  const seekEnd = earliest(
    shiftIso(filter.untilIso, ORDER_SLACK_MS),
    shiftIso(read.upperBound, ORDER_SLACK_MS),
  );
  for (const file of [...read.files].reverse()) {
    if (file.compressed) {
      if (seekEnd !== null && file.startIso !== undefined && file.startIso > seekEnd) continue;
      const lines = (await archiveLines(file.path, null)).reverse();
      const past = (t: string) => stopBefore !== null && t < stopBefore;
      const batch = keepBatch(lines, read, filter, past);
      if (batch.entries.length > 0) yield batch.entries;
      if (batch.done) return;
      continue;
    }
    let end = file.size;
    if (seekEnd !== null) {
      const first = await firstTimestamp(file.path);
      if (first === null || first > seekEnd) continue;
      end = await endBefore(file, seekEnd);
    }
    const past = (t: string) => stopBefore !== null && t < stopBefore;
    for await (const lines of readLinesBackward(file.path, { end })) {
      const batch = keepBatch(lines, read, filter, past);
      if (batch.entries.length > 0) yield batch.entries;
      if (batch.done) return;
    }
  }
}

/** The offset of the first line after `target` (every line before it is at or before it). */
async function endBefore(file: LogFileInfo, target: string): Promise<number> {
  let position = await seekToTime(file.path, target, file.size);
  const encoder = new TextEncoder();
  const options = { start: position, end: file.size, chunkSize: 64 * 1024 };
  for await (const lines of readLinesForward(file.path, options)) {
    for (const line of lines) {
      const ts = timestampOf(line);
      if (ts !== null && ts > target) return position;
      position += encoder.encode(line).length + 1;
    }
  }
  return file.size;
}

/** Bytes read at a time by full scans: large reads keep the per-call cost out of the way. */
const READ_CHUNK = 1 << 22;

/** When a file's lines start: an archive's name says it, a plain file's first line. */
function startOf(file: LogFileInfo): Promise<string | null> {
  return file.startIso !== undefined ? Promise.resolve(file.startIso) : firstTimestamp(file.path);
}

/**
 * The byte ranges a forward read scanned, for tests and benchmarks: up to where reading
 * stopped (without the raw prefilter, to the end of each file opened).
 */
export interface ReadStats {
  scanned: { path: string; start: number; end: number }[];
}

/** Options for {@link readLogs} and {@link readLogsBackward}. */
export interface ReadLogsOptions {
  /** Files and sizes to read. Default: a fresh {@link snapshotLogDir} of `logDir`. */
  snapshot?: LogDirSnapshot;
  /** Receives the ranges scanned (forward reads). Default: none. */
  stats?: ReadStats;
  /** Reject lines on their raw text first (raw_scan.ts); false reads every line the plain
   * way, which gives the same lines, slower (for comparisons). Default: true. */
  rawPrefilter?: boolean;
  /** Bytes read at a time by a raw scan. Default: see {@link scanCandidates}. */
  chunkSize?: number;
}

/** Yields the matching lines of the log directory in time order, in batches. */
export async function* readLogs(
  logDir: string,
  filter: LogFilter,
  options: ReadLogsOptions = {},
): AsyncGenerator<LogEntry[]> {
  const snapshot = options.snapshot ?? await snapshotLogDir(logDir);
  const prepared = prepareFilter(filter);
  const reads = await planReads(snapshot, filter);
  yield* mergeAscending(reads.map((read) => familyForward(read, prepared, options)));
}

/** Yields the matching lines newest first, in batches (for the last N lines). */
export async function* readLogsBackward(
  logDir: string,
  filter: LogFilter,
  options: ReadLogsOptions = {},
): AsyncGenerator<LogEntry[]> {
  const snapshot = options.snapshot ?? await snapshotLogDir(logDir);
  const prepared = prepareFilter(filter);
  const reads = await planReads(snapshot, filter);
  yield* mergeDescending(reads.map((read) => familyBackward(read, prepared)));
}

/** The last `count` matching lines, oldest first. */
export async function tailLogs(
  logDir: string,
  filter: LogFilter,
  options: ReadLogsOptions & { count: number },
): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  if (options.count <= 0) return out;
  for await (const batch of readLogsBackward(logDir, filter, options)) {
    for (const entry of batch) {
      out.push(entry);
      if (out.length >= options.count) return out.reverse();
    }
  }
  return out.reverse();
}
