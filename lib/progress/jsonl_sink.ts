/**
 * progress.jsonl, the machine stream of progress events, and status.json, the current state of
 * this process's operations. The stream starts with a version record; lifecycle events are
 * always written, progress and heartbeat events at most a few times a second per operation.
 * Lines are appended with O_APPEND, so several processes can share one file.
 */

import { dirname, join } from "node:path";
import { z } from "zod";
import { atomicWriteTextFileSync } from "../util/atomic_write.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import type { OperationSnapshot, ProgressEvent, ProgressSink } from "./progress.ts";
import { getSessionId } from "../logging/session.ts";
import { ensurePrivateDirSync, openPrivateAppendSync } from "../util/private_files.ts";

/** Version of the progress.jsonl and status.json formats. */
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
  /** The snapshot file; `null` disables it. Default: `status.json` beside `path`. */
  statusPath?: string | null;
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Default: {@link getSessionId}(). */
  sessionId?: string;
  /** Minimum time between progress/heartbeat lines of one operation. Default: 250 ms (4/s). */
  progressIntervalMs?: number;
  /** Minimum time between status.json rewrites, except at start and end. Default: 1000 ms. */
  statusIntervalMs?: number;
  /** Finished operations kept in status.json. Default: 10. */
  keepFinished?: number;
  /** When the file has reached this size as a sink opens it, it is rotated. Default: 10 MB. */
  maxBytes?: number;
  /** Rotated files kept (`progress.jsonl.1` is the newest). Default: 5. */
  maxFiles?: number;
}

/** A sink that appends events to progress.jsonl and keeps status.json current. */
export function createJsonlProgressSink(options: JsonlProgressSinkOptions): ProgressSink {
  return new JsonlSink(options);
}

class JsonlSink implements ProgressSink {
  readonly #path: string;
  readonly #statusPath: string | null;
  readonly #clock: Clock;
  readonly #sessionId: string;
  readonly #progressMs: number;
  readonly #statusMs: number;
  readonly #keepFinished: number;
  readonly #maxBytes: number;
  readonly #maxFiles: number;
  readonly #encoder = new TextEncoder();
  readonly #lastWritten = new Map<string, number>();
  readonly #pending = new Map<string, ProgressEvent>();
  readonly #ops = new Map<string, OperationSnapshot>();
  #file: Deno.FsFile | null = null;
  #closed = false;
  #lastStatusMs = Number.NEGATIVE_INFINITY;

  constructor(options: JsonlProgressSinkOptions) {
    this.#path = options.path;
    this.#statusPath = options.statusPath === undefined
      ? join(dirname(options.path), "status.json")
      : options.statusPath;
    this.#clock = options.clock ?? systemClock;
    this.#sessionId = options.sessionId ?? getSessionId();
    this.#progressMs = options.progressIntervalMs ?? 250;
    this.#statusMs = options.statusIntervalMs ?? 1000;
    this.#keepFinished = options.keepFinished ?? 10;
    this.#maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.#maxFiles = options.maxFiles ?? 5;
  }

  onEvent(event: ProgressEvent, op: OperationSnapshot): void {
    if (this.#closed) return;
    try {
      this.#handle(event, op);
    } catch (error) {
      // an unwritable log dir or a full disk: stop trying (the broadcaster logs this once)
      this.#closed = true;
      this.#file?.close();
      this.#file = null;
      throw error;
    }
  }

  #handle(event: ProgressEvent, op: OperationSnapshot): void {
    const now = this.#clock();
    if (!this.#ops.has(op.id)) this.#ops.set(op.id, op);
    if (event.type === "progress" || event.type === "heartbeat") {
      const last = this.#lastWritten.get(op.id);
      if (last !== undefined && now - last < this.#progressMs) {
        this.#pending.set(op.id, event);
      } else {
        this.#pending.delete(op.id);
        this.#lastWritten.set(op.id, now);
        this.#append(event);
      }
      if (now - this.#lastStatusMs >= this.#statusMs) this.#writeStatus(now);
      return;
    }
    this.#flushPending(op.id);
    this.#append(event);
    if (event.type === "operation_complete" || event.type === "operation_failed") {
      this.#lastWritten.delete(op.id);
      this.#writeStatus(now);
    } else if (event.type === "operation_start") {
      this.#lastWritten.set(op.id, now);
      this.#writeStatus(now);
    }
  }

  close(): void {
    if (this.#closed) return;
    for (const id of [...this.#pending.keys()]) this.#flushPending(id);
    this.#writeStatus(this.#clock());
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

  #writeStatus(now: number): void {
    if (this.#statusPath === null) return;
    this.#lastStatusMs = now;
    this.#dropOldFinished();
    const status = {
      version: PROGRESS_FORMAT_VERSION,
      session_id: this.#sessionId,
      pid: Deno.pid,
      updated_at: new Date(now).toISOString(),
      operations: [...this.#ops.values()].map((op) => statusEntry(op, now)),
    };
    atomicWriteTextFileSync(this.#statusPath, JSON.stringify(status, null, 2) + "\n");
  }

  #dropOldFinished(): void {
    const finished = [...this.#ops.values()].filter((op) => op.status !== "running");
    for (const op of finished.slice(0, Math.max(0, finished.length - this.#keepFinished))) {
      this.#ops.delete(op.id);
    }
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** One operation as written to status.json. */
function statusEntry(op: OperationSnapshot, now: number) {
  return {
    id: op.id,
    type: op.type,
    description: op.description,
    status: op.status,
    message: op.message,
    current: op.current,
    total: op.total,
    percentage: op.percentage,
    rate: op.rate,
    eta_seconds: op.eta_seconds,
    started_at: iso(op.started_ms),
    last_progress_at: iso(op.progressed_ms),
    ended_at: iso(op.ended_ms),
    elapsed_seconds: Math.round((op.ended_ms ?? now) - op.started_ms) / 1000,
    metadata: op.metadata,
    error: op.error,
  };
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
