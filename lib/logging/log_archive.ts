/**
 * Compression and retention of rotated logs (and rotated `progress.jsonl`, archived as
 * `progress.<time>.jsonl.gz`). LogTape rotates `main.log` into `main.log.1`,
 * `.2`, …; this module gzips each rotated file (CompressionStream) into an archive named for
 * its first line's time, `main.20261205T061501123Z.log.gz`, so archives sort by time, say
 * where they start without being opened, and never collide with LogTape's renaming. Archives
 * are kept by count and by age. Several processes may write the same directory: a rotated
 * file is claimed by renaming it first (only one process wins), and only files untouched for
 * `minAgeMs` are claimed, so a reader following the rotation finishes first.
 */
import { join } from "node:path";
import { timestampOf } from "../logs/entry.ts";

/** `main.20261205T061501123Z.log.gz` (optionally `-2` before `.log.gz` on a collision). */
export const ARCHIVE_PATTERN = /^(main|sync|errors)\.(\d{8}T\d{9}Z)(?:-(\d+))?\.log\.gz$/;
/** `progress.20261205T061501123Z.jsonl.gz`: rotated progress events, archived the same way. */
export const PROGRESS_ARCHIVE_PATTERN = /^progress\.(\d{8}T\d{9}Z)(?:-(\d+))?\.jsonl\.gz$/;
const ROTATED = /^(main|sync|errors)\.log\.(\d+)$/;
const ROTATED_PROGRESS = /^progress\.jsonl\.(\d+)$/;

/** Options for {@link archiveRotatedLogs}. */
export interface ArchiveOptions {
  /** Archives kept per family, newest first. Default 50. */
  maxFiles?: number;
  /** Archives older than this (by the time they were written) are removed. Default 30. */
  maxDays?: number;
  /** A rotated file is compressed once untouched this long. Default 30000 ms. */
  minAgeMs?: number;
  /** Default: `Date.now`. */
  clock?: () => number;
}

/** What one pass did. */
export interface ArchiveResult {
  compressed: string[];
  removed: string[];
}

/** `2026-12-05T06:15:01.123Z` → `20261205T061501123Z`. */
export function archiveStamp(iso: string): string {
  return iso.replace(/[-:.]/g, "");
}

/** `20261205T061501123Z` → `2026-12-05T06:15:01.123Z`. */
export function stampIso(stamp: string): string {
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${
    stamp.slice(11, 13)
  }:${stamp.slice(13, 15)}.${stamp.slice(15, 18)}Z`;
}

async function firstLineTime(path: string): Promise<string | null> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(128);
  const n = await file.read(buffer);
  return n === null ? null : timestampOf(new TextDecoder().decode(buffer.subarray(0, n)));
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Gzips one claimed file into `dir`; returns the archive's name. */
async function compressInto(dir: string, family: string, claimed: string, mtime: number) {
  const first = await firstLineTime(claimed) ?? new Date(mtime).toISOString();
  const suffix = family === "progress" ? "jsonl.gz" : "log.gz";
  let name = `${family}.${archiveStamp(first)}.${suffix}`;
  for (let n = 2; await exists(join(dir, name)); n++) {
    name = `${family}.${archiveStamp(first)}-${n}.${suffix}`;
  }
  const temp = join(dir, `.${name}.${Deno.pid}.tmp`);
  try {
    // a rotated file is one log_max_bytes (10 MB by default): compressed in memory, written once
    const source = await Deno.open(claimed, { read: true });
    const gzipped = source.readable.pipeThrough(new CompressionStream("gzip"));
    const bytes = new Uint8Array(await new Response(gzipped).arrayBuffer());
    await Deno.writeFile(temp, bytes, { createNew: true, mode: 0o600 });
    // the archive keeps the rotated file's time: retention by age counts from the rotation
    await Deno.utime(temp, new Date(), new Date(mtime));
    await Deno.rename(temp, join(dir, name));
    await Deno.remove(claimed);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    // give the file back under its own name for the next pass
    await Deno.rename(claimed, claimed.replace(/\.\d+\.compressing$/, "")).catch(() => {});
    throw error;
  }
  return name;
}

/**
 * Compresses the rotated logs of `dir` that are old enough and applies the retention.
 * Never throws for a file another process took first.
 */
export async function archiveRotatedLogs(
  dir: string,
  options: ArchiveOptions = {},
): Promise<ArchiveResult> {
  const now = (options.clock ?? Date.now)();
  const minAge = options.minAgeMs ?? 30_000;
  const result: ArchiveResult = { compressed: [], removed: [] };
  const rotated: { name: string; family: string; mtime: number }[] = [];
  const archives = new Map<string, { name: string; mtime: number }[]>();
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile) continue;
      const family = ROTATED.exec(entry.name)?.[1] ??
        (ROTATED_PROGRESS.test(entry.name) ? "progress" : null);
      const archived = ARCHIVE_PATTERN.exec(entry.name)?.[1] ??
        (PROGRESS_ARCHIVE_PATTERN.test(entry.name) ? "progress" : null);
      // every command starts a pass: the live logs and other files are not even stat'ed
      if (family === null && archived === null) continue;
      const info = await Deno.stat(join(dir, entry.name)).catch(() => null);
      const mtime = info?.mtime?.getTime() ?? now;
      if (family !== null && now - mtime >= minAge) {
        rotated.push({ name: entry.name, family, mtime });
      }
      if (archived !== null) {
        const list = archives.get(archived) ?? [];
        list.push({ name: entry.name, mtime });
        archives.set(archived, list);
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return result;
    throw error;
  }
  for (const file of rotated) {
    const claimed = join(dir, `${file.name}.${Deno.pid}.compressing`);
    try {
      await Deno.rename(join(dir, file.name), claimed);
    } catch {
      continue; // another process claimed it, or LogTape renamed it meanwhile
    }
    const name = await compressInto(dir, file.family, claimed, file.mtime);
    result.compressed.push(name);
    const list = archives.get(file.family) ?? [];
    list.push({ name, mtime: file.mtime });
    archives.set(file.family, list);
  }
  const maxFiles = options.maxFiles ?? 50;
  const maxAgeMs = (options.maxDays ?? 30) * 86_400_000;
  for (const list of archives.values()) {
    list.sort((a, b) => (a.name < b.name ? 1 : -1)); // newest first
    for (const [i, archive] of list.entries()) {
      if (i < maxFiles && now - archive.mtime <= maxAgeMs) continue;
      await Deno.remove(join(dir, archive.name)).then(
        () => result.removed.push(archive.name),
        () => {},
      );
    }
  }
  return result;
}
