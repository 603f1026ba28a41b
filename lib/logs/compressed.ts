/**
 * Reading a gzipped log archive (see `logging/log_archive.ts`): it is decompressed whole
 * (DecompressionStream) — an archive is one rotated file, a few MB — and split into lines, or,
 * with a raw prefilter, only the lines that can match are cut out of it.
 */
import type { RawPrefilter } from "./raw_prefilter.ts";
import { linesOfBytes } from "./raw_scan.ts";

/** The decompressed bytes of a gzip file. */
export async function readGzip(path: string): Promise<Uint8Array> {
  const file = await Deno.open(path, { read: true });
  const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The lines of an archive (those that may match `prefilter`, when given), in file order. */
export async function archiveLines(
  path: string,
  prefilter: RawPrefilter | null,
): Promise<string[]> {
  return linesOfBytes(await readGzip(path), prefilter);
}
