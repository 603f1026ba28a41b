/**
 * A minimal POSIX ustar writer, enough for a bug-report bundle: regular files with a name, a
 * mode and a time, in 512-byte blocks, ended by two empty blocks. (No dependency for this:
 * the format is a fixed header and padding.) Gzip it with `CompressionStream("gzip")`.
 */

/** One file of the archive. */
export interface TarEntry {
  /** Relative path, at most 100 bytes. */
  name: string;
  data: Uint8Array;
  /** Default 0o600. */
  mode?: number;
  /** Seconds since the epoch. Default: now. */
  mtime?: number;
}

const BLOCK = 512;
const encoder = new TextEncoder();

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(entry: TarEntry): Uint8Array {
  const name = encoder.encode(entry.name);
  if (name.length > 100) throw new RangeError(`tar entry name "${entry.name}" is over 100 bytes`);
  const block = new Uint8Array(BLOCK);
  block.set(name, 0);
  block.set(encoder.encode(octal(entry.mode ?? 0o600, 8)), 100);
  block.set(encoder.encode(octal(0, 8)), 108); // uid
  block.set(encoder.encode(octal(0, 8)), 116); // gid
  block.set(encoder.encode(octal(entry.data.length, 12)), 124);
  block.set(encoder.encode(octal(Math.floor(entry.mtime ?? Date.now() / 1000), 12)), 136);
  block.set(encoder.encode("        "), 148); // checksum field counts as spaces
  block[156] = 0x30; // "0": a regular file
  block.set(encoder.encode("ustar\u000000"), 257);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.set(encoder.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
  return block;
}

/** The archive of `entries` as one byte array. */
export function tarBytes(entries: readonly TarEntry[]): Uint8Array<ArrayBuffer> {
  const size = entries.reduce(
    (n, e) => n + BLOCK + Math.ceil(e.data.length / BLOCK) * BLOCK,
    2 * BLOCK,
  );
  const out = new Uint8Array(size);
  let at = 0;
  for (const entry of entries) {
    out.set(header(entry), at);
    at += BLOCK;
    out.set(entry.data, at);
    at += Math.ceil(entry.data.length / BLOCK) * BLOCK;
  }
  return out;
}

/** `bytes` gzipped. */
export async function gzipBytes(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
