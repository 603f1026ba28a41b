/**
 * Finding time in log files without reading them: the files are in time order (lines are
 * appended as they happen, rotated files are older than the live one), so a binary search on
 * byte offsets, reading the timestamp of the first whole line after each probe, finds where
 * a `--since` starts in a few dozen small reads, however large the file.
 */
import { concatBytes } from "../util/bytes.ts";
import { timestampOf } from "./entry.ts";
import { readAt, readLinesBackward, readLinesForward } from "./lines.ts";

const NEWLINE = 10;
const PROBE_BYTES = 16 * 1024;
/** Below this span, scanning is cheaper than probing. */
const SCAN_SPAN = 64 * 1024;

/** The first whole line that starts at or after `position`. */
interface Probe {
  start: number;
  timestamp: string;
}

/**
 * Reads the first line starting at or after `position` (and before `limit`) that carries a
 * timestamp; null when there is none.
 */
async function probe(file: Deno.FsFile, position: number, limit: number): Promise<Probe | null> {
  let offset = Math.max(0, position - 1);
  let atLineStart = position === 0;
  let pending: Uint8Array = new Uint8Array(0);
  let pendingStart = position;
  while (offset < limit) {
    const block = await readAt(file, offset, Math.min(PROBE_BYTES, limit - offset));
    if (block.length === 0) return null;
    let i = 0;
    if (!atLineStart) {
      const nl = block.indexOf(NEWLINE);
      if (nl === -1) {
        offset += block.length;
        continue;
      }
      i = nl + 1;
      atLineStart = true;
      pendingStart = offset + i;
      pending = new Uint8Array(0);
    }
    while (i < block.length) {
      const nl = block.indexOf(NEWLINE, i);
      if (nl === -1) {
        pending = concatBytes(pending, block.subarray(i));
        break;
      }
      const line = new TextDecoder().decode(concatBytes(pending, block.subarray(i, nl)));
      const timestamp = timestampOf(line);
      if (timestamp !== null) return { start: pendingStart, timestamp };
      pending = new Uint8Array(0);
      i = nl + 1;
      pendingStart = offset + i;
    }
    offset += block.length;
  }
  return null;
}

/**
 * The byte offset (a line start) from which every line of the file at or after `target`
 * (a timestamp string) is found by reading forwards; lines before it are older than `target`.
 * `size` bounds the search (the file may be growing).
 */
export async function seekToTime(path: string, target: string, size: number): Promise<number> {
  using file = await Deno.open(path, { read: true });
  let lo = 0; // a line start; every line before it is older than target
  let hi = size; // the first line at or after target starts at or before hi
  while (hi - lo > SCAN_SPAN) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const found = await probe(file, mid, hi);
    if (found === null || found.timestamp >= target) hi = mid;
    else lo = found.start;
  }
  return lo;
}

/** The timestamp of the first line of `path` that has one; null for an empty file. */
export async function firstTimestamp(path: string): Promise<string | null> {
  for await (const lines of readLinesForward(path, { chunkSize: PROBE_BYTES })) {
    for (const line of lines) {
      const timestamp = timestampOf(line);
      if (timestamp !== null) return timestamp;
    }
  }
  return null;
}

/** The timestamp of the last line of `path` that has one (up to `end`); null if none. */
export async function lastTimestamp(path: string, end?: number): Promise<string | null> {
  const options = end === undefined ? { chunkSize: PROBE_BYTES } : { end, chunkSize: PROBE_BYTES };
  for await (const lines of readLinesBackward(path, options)) {
    for (const line of lines) {
      const timestamp = timestampOf(line);
      if (timestamp !== null) return timestamp;
    }
  }
  return null;
}
