/**
 * progress.jsonl, the machine stream of progress events: written by this sink, which a sync
 * installs (`app/sync_service.ts`); read by `monitor logs` (`logs/live.ts`) and by anyone
 * tailing it. The stream starts with a version record; lifecycle events are always written,
 * progress and heartbeat events at most a few times a second per operation. Lines are appended
 * with O_APPEND, so several processes can share one file. (The current state of each process
 * is in the status directory, written by its status tracker.)
 */

import { dirname } from "node:path";
import { z } from "zod";
import { type Clock, systemClock } from "../util/clock.ts";
import type { ProgressEvent, ProgressSink } from "./progress.ts";
import { getSessionId } from "../logging/session.ts";
import { ensurePrivateDirSync, openPrivateAppendSync } from "../util/private_files.ts";

/** The file name of the progress stream in the log directory. */
export const PROGRESS_FILE = "progress.jsonl";

/** Version of the progress.jsonl format. */
export const PROGRESS_FORMAT_VERSION = 1;

const IsoUtc = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, "UTC ISO time");
const Count = z.number().nonnegative().nullable();

/** Schema of one progress event line. */
export const ProgressEventSchema = z.object({
  timestamp: IsoUtc,
  type: z.enum([
    "operation_start",
    "progress",
    "operation_complete",
    "operation_failed",
    "info",
    "error",
    "heartbeat",
  ]),
  operation_id: z.string().min(1),
  operation: z.string().min(1),
  session_id: z.string().min(1),
  message: z.string(),
  current: Count,
  total: Count,
  percentage: z.number().min(0).max(100).nullable(),
  rate: Count,
  eta_seconds: Count,
  // absent from lines written before phases existed
  phase: z.string().nullable().default(null),
  elapsed_seconds: z.number().nonnegative(),
  metadata: z.record(z.unknown()),
});

/** Schema of the version record that starts each process's part of progress.jsonl. */
export const ProgressVersionRecordSchema = z.object({
  type: z.literal("version"),
  version: z.number().int().positive(),
  session_id: z.string().min(1),
  timestamp: IsoUtc,
  pid: z.number().int(),
});

/** Any line of progress.jsonl. */
export const ProgressLineSchema = z.union([ProgressVersionRecordSchema, ProgressEventSchema]);

/** A parsed line of progress.jsonl. */
export type ProgressLine = z.infer<typeof ProgressLineSchema>;

/** Parses one line of progress.jsonl; null when it is not valid JSON or not a known record. */
export function parseProgressLine(line: string): ProgressLine | null {
  try {
    const result = ProgressLineSchema.safeParse(JSON.parse(line));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** Options for {@link createJsonlProgressSink}. */
export interface JsonlProgressSinkOptions {
  /** The stream file, normally `<logDir>/progress.jsonl`. */
  path: string;
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Default: {@link getSessionId}(). */
  sessionId?: string;
  /** Minimum time between progress/heartbeat lines of one operation. Default: 250 ms (4/s). */
  progressIntervalMs?: number;
  /** When the file has reached this size as a sink opens it, it is rotated. Default: 10 MB. */
  maxBytes?: number;
  /** Rotated files kept (`progress.jsonl.1` is the newest). Default: 5. */
  maxFiles?: number;
}

/** A sink that appends events to progress.jsonl. */
export function createJsonlProgressSink(options: JsonlProgressSinkOptions): ProgressSink {
  return new JsonlSink(options);
}

class JsonlSink implements ProgressSink {
  readonly #path: string;
  readonly #clock: Clock;
  readonly #sessionId: string;
  readonly #progressMs: number;
  readonly #maxBytes: number;
  readonly #maxFiles: number;
  readonly #encoder = new TextEncoder();
  readonly #lastWritten = new Map<string, number>();
  readonly #pending = new Map<string, ProgressEvent>();
  #file: Deno.FsFile | null = null;
  #closed = false;

  constructor(options: JsonlProgressSinkOptions) {
    this.#path = options.path;
    this.#clock = options.clock ?? systemClock;
    this.#sessionId = options.sessionId ?? getSessionId();
    this.#progressMs = options.progressIntervalMs ?? 250;
    this.#maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.#maxFiles = options.maxFiles ?? 5;
  }

  onEvent(event: ProgressEvent): void {
    if (this.#closed) return;
    try {
      this.#handle(event);
    } catch (error) {
      // an unwritable log dir or a full disk: stop trying (the broadcaster logs this once)
      this.#closed = true;
      this.#file?.close();
      this.#file = null;
      throw error;
    }
  }

  #handle(event: ProgressEvent): void {
    const now = this.#clock();
    const id = event.operation_id;
    if (event.type === "progress" || event.type === "heartbeat") {
      const last = this.#lastWritten.get(id);
      if (last !== undefined && now - last < this.#progressMs) {
        this.#pending.set(id, event);
      } else {
        this.#pending.delete(id);
        this.#lastWritten.set(id, now);
        this.#append(event);
      }
      return;
    }
    this.#flushPending(id);
    this.#append(event);
    if (event.type === "operation_complete" || event.type === "operation_failed") {
      this.#lastWritten.delete(id);
    } else if (event.type === "operation_start") {
      this.#lastWritten.set(id, now);
    }
  }

  close(): void {
    if (this.#closed) return;
    for (const id of [...this.#pending.keys()]) this.#flushPending(id);
    this.#closed = true;
    this.#file?.close();
    this.#file = null;
  }

  #flushPending(id: string): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    this.#append(pending);
  }

  #append(record: unknown): void {
    const file = this.#file ?? this.#open();
    let bytes = this.#encoder.encode(JSON.stringify(record) + "\n");
    while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
  }

  #open(): Deno.FsFile {
    ensurePrivateDirSync(dirname(this.#path));
    rotateIfLarge(this.#path, this.#maxBytes, this.#maxFiles);
    this.#file = openPrivateAppendSync(this.#path);
    this.#append({
      type: "version",
      version: PROGRESS_FORMAT_VERSION,
      session_id: this.#sessionId,
      timestamp: new Date(this.#clock()).toISOString(),
      pid: Deno.pid,
    });
    return this.#file;
  }
}

/**
 * Shifts `path` to `path.1` (and `.1` to `.2` …, dropping the oldest) when it has reached
 * `maxBytes`. Renames are atomic: a process still appending to the old file keeps writing to
 * `path.1`, and nothing is lost.
 */
export function rotateIfLarge(path: string, maxBytes: number, maxFiles: number): boolean {
  let size: number;
  try {
    size = Deno.statSync(path).size;
  } catch {
    return false;
  }
  if (size < maxBytes) return false;
  for (let i = maxFiles - 1; i >= 1; i--) {
    try {
      Deno.renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    } catch {
      // that generation does not exist yet
    }
  }
  try {
    Deno.renameSync(path, `${path}.1`);
  } catch {
    return false; // another process rotated it first
  }
  return true;
}
