/**
 * `logs export`: matching log lines in one format, to stdout or to a file. A file is written
 * to a temporary name beside it (mode 0600) and moved into place only when complete; an
 * existing file is never replaced without `force`.
 */
import { dirname } from "node:path";
import { AppError } from "../errors.ts";
import { type ExportFormat, getExportEncoder } from "./format.ts";
import type { LogFilter } from "./filter.ts";
import { readLogs } from "./reader.ts";
import { redactText } from "../logging/redact.ts";
import { writeFailure } from "../util/atomic_write.ts";
import { ensurePrivateDir } from "../util/private_files.ts";

/** Options for {@link exportLogs}. */
export interface ExportOptions {
  format: ExportFormat;
  /** Destination file; null writes through `write`. Default: null. */
  output?: string | null;
  /** Replace an existing `output`. Default: false. */
  force?: boolean;
  /** Receives text ending at a line break, when `output` is null. Default: discard. */
  write?: (text: string) => void;
}

/** What an export wrote. */
export interface ExportResult {
  count: number;
  bytes: number;
  /** The file written, or null for `write`. */
  path: string | null;
}

/** An existing export file was not replaced. Exit code 1. */
export class OutputExistsError extends AppError {
  override name = "OutputExistsError";
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    // a file in the way of its directory is said when the directory is made
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
}

function refuse(path: string, cause?: unknown): never {
  throw new OutputExistsError(
    `"${path}" already exists: pass --force to replace it, or choose another --output`,
    cause === undefined ? undefined : { cause },
  );
}

/** Writes the lines `filter` selects from `logDir` in `options.format`. */
export async function exportLogs(
  logDir: string,
  filter: LogFilter,
  options: ExportOptions,
): Promise<ExportResult> {
  const output = options.output ?? null;
  if (output !== null && !options.force && await exists(output)) refuse(output);
  const encoder = getExportEncoder(options.format);
  const bytes = new TextEncoder();
  let count = 0;
  let size = 0;
  let sink: (text: string) => Promise<void> | void;
  let file: Deno.FsFile | null = null;
  const temp = output === null
    ? null
    : `${output}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  if (temp !== null && output !== null) {
    try {
      await ensurePrivateDir(dirname(temp));
      file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
      await Deno.chmod(temp, 0o600);
    } catch (error) {
      file?.close();
      await Deno.remove(temp).catch(() => {});
      // mkdir -p says "exists" when a part of the path is a file
      throw writeFailure(
        output,
        error instanceof Deno.errors.AlreadyExists
          ? new Deno.errors.NotADirectory(error.message, { cause: error })
          : error,
      );
    }
    const f = file;
    sink = async (text) => {
      const data = bytes.encode(text);
      size += data.length;
      let written = 0;
      try {
        while (written < data.length) written += await f.write(data.subarray(written));
      } catch (error) {
        throw writeFailure(output, error);
      }
    };
  } else {
    const write = options.write ?? (() => {});
    sink = (text) => {
      size += bytes.encode(text).length;
      write(text);
    };
  }
  try {
    let chunk = encoder.head();
    for await (const batch of readLogs(logDir, filter)) {
      for (const entry of batch) chunk += encoder.entry(entry, count++);
      if (chunk.length > 1 << 16) chunk = await flush(sink, chunk);
    }
    chunk += encoder.tail(count);
    // nothing left (ndjson or text without a match): no write, so stdout gets no bare newline
    if (chunk !== "") await sink(redactText(chunk));
    if (file !== null && temp !== null && output !== null) {
      file.close();
      file = null;
      await place(temp, output, options.force === true);
    }
  } catch (error) {
    if (temp !== null) await Deno.remove(temp).catch(() => {});
    throw error;
  } finally {
    file?.close();
  }
  return { count, bytes: size, path: output };
}

/** Writes the complete lines of `chunk`; returns what is left after the last line break. */
async function flush(sink: (text: string) => Promise<void> | void, chunk: string): Promise<string> {
  const cut = chunk.lastIndexOf("\n") + 1;
  if (cut === 0) return chunk;
  await sink(redactText(chunk.slice(0, cut)));
  return chunk.slice(cut);
}

/** Moves the finished temp file into place; without `force`, never over an existing file. */
async function place(temp: string, output: string, force: boolean): Promise<void> {
  if (force) {
    await Deno.rename(temp, output).catch((error) => {
      throw writeFailure(output, error);
    });
    return;
  }
  try {
    await Deno.link(temp, output); // fails if the target appeared meanwhile; rename would not
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) refuse(output, error);
    throw writeFailure(output, error);
  } finally {
    await Deno.remove(temp).catch(() => {});
  }
}
