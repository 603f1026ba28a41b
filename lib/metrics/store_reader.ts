/**
 * A store reader for long-lived servers (`monitor serve`, `serve`): counting a million parts
 * costs ~10 ms, so the last sample is reused while the database and its write-ahead log are
 * unchanged on disk (same inode, size and modification time). A sync commits every page,
 * which changes the log, so a running sync is always read afresh.
 */
import { readStoreSample, type StoreSample } from "./sample.ts";

function fileKey(path: string): string {
  try {
    const s = Deno.statSync(path);
    return `${s.ino}:${s.size}:${s.mtime?.getTime() ?? 0}`;
  } catch {
    return "-";
  }
}

/** Returns a `readStore` for {@link collectMetricsSample} that reuses unchanged samples. */
export function cachedStoreReader(
  read: (path: string) => StoreSample | null = readStoreSample,
): (path: string) => StoreSample | null {
  let last: { key: string; sample: StoreSample | null } | null = null;
  return (path) => {
    const key = `${path}|${fileKey(path)}|${fileKey(`${path}-wal`)}`;
    if (last !== null && last.key === key) return last.sample;
    const sample = read(path);
    last = { key, sample };
    return sample;
  };
}
