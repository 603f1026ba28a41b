/**
 * `monitor logs`: the log lines and progress events of running processes, merged live as they
 * are written. main.log and progress.jsonl are followed side by side (see log_follow.ts); a
 * line is kept when its session or status-tracker process belongs to a process the status
 * directory lists as running (re-read when an unknown session shows up), or always with `all`.
 */
import { join } from "node:path";
import { type Clock, systemClock } from "../util/clock.ts";
import { type LogEntry, parseLogEntry } from "./entry.ts";
import {
  componentMatches,
  type LogFilter,
  matchesEntry,
  matchesHead,
  prepareFilter,
} from "./filter.ts";
import { followFile, mergeLive } from "./follow.ts";
import { FAMILY_FILES } from "./reader.ts";
import { parseProgressLine, PROGRESS_FILE, type ProgressLine } from "../progress/jsonl_sink.ts";
import { readStatus } from "../registry/status_reader.ts";

/** A progress event line (not the version record). */
export type ProgressEventLine = Exclude<ProgressLine, { type: "version" }>;

/** One item of the merged stream. */
export type LiveRecord =
  | { kind: "log"; entry: LogEntry }
  | { kind: "progress"; event: ProgressEventLine };

/** Options for {@link watchProcessOutput}. */
export interface WatchOptions {
  logDir: string;
  statusDir: string;
  /** Log lines: level, components, patterns. Progress events: components only. */
  filter: LogFilter;
  /** Stops watching. */
  signal: AbortSignal;
  /** Keep lines of every process, running or not. Default: false. */
  all?: boolean;
  /** Default: 60. */
  stallAfterSeconds?: number;
  /** Use file-system events (else poll). Default: true. */
  watch?: boolean;
  /** Default: `systemClock`. */
  clock?: Clock;
  /** Told which processes are running each time the list changes. */
  onProcesses?: (ids: string[]) => void;
}

/** The sessions and process ids of running processes, remembered once seen. */
class RunningSet {
  readonly sessions = new Set<string>();
  readonly processes = new Set<string>();
  /** Sessions found not running, and when: they are looked up again after a second. */
  readonly #unknown = new Map<string, number>();
  readonly #options: WatchOptions;
  /** The ids last announced; null until the first read, so that "none" is announced too. */
  #lastIds: string | null = null;

  constructor(options: WatchOptions) {
    this.#options = options;
  }

  /** Re-reads the status directory. */
  async refresh(): Promise<void> {
    const report = await readStatus(this.#options.statusDir, {
      stallAfterSeconds: this.#options.stallAfterSeconds ?? 60,
    }).catch(() => null);
    // a status directory that is not there (yet) holds no running process
    const ids: string[] = [];
    for (const record of report?.active ?? []) {
      this.sessions.add(record.session_id);
      this.processes.add(record.process_id);
      ids.push(record.process_id);
    }
    const key = ids.join(",");
    if (key !== this.#lastIds) {
      this.#lastIds = key;
      this.#options.onProcesses?.(ids);
    }
  }

  has(session: string | null, process: string | null): boolean {
    return (session !== null && this.sessions.has(session)) ||
      (process !== null && this.processes.has(process));
  }

  /** Whether the line belongs to a running process, re-reading the status for a new session. */
  async admits(session: string | null, process: string | null): Promise<boolean> {
    if (this.#options.all || this.has(session, process)) return true;
    const key = session ?? process ?? "";
    const now = (this.#options.clock ?? systemClock)();
    const checked = this.#unknown.get(key);
    if (checked !== undefined && now - checked < 1000) return false;
    await this.refresh();
    if (this.has(session, process)) return true;
    this.#unknown.set(key, now);
    return false;
  }
}

/** Yields new log lines and progress events of running processes until `signal` aborts. */
export async function* watchProcessOutput(options: WatchOptions): AsyncGenerator<LiveRecord[]> {
  const running = new RunningSet(options);
  await running.refresh();
  const prepared = prepareFilter({ ...options.filter, since: null, until: null });
  const follow = { signal: options.signal, ...(options.watch === false ? { watch: false } : {}) };
  const sources = mergeLive([
    followFile(join(options.logDir, FAMILY_FILES.main), follow),
    followFile(join(options.logDir, PROGRESS_FILE), follow),
  ]);
  for await (const { source, items } of sources) {
    const out: LiveRecord[] = [];
    for (const line of items) {
      const record = source === 0 ? logRecord(prepared, line) : progressRecord(prepared, line);
      if (record === null) continue;
      const [session, process] = record.kind === "log"
        ? [record.entry.sessionId, record.entry.processId]
        : [record.event.session_id, null];
      if (await running.admits(session, process)) out.push(record);
    }
    if (out.length > 0) yield out;
  }
}

function logRecord(filter: ReturnType<typeof prepareFilter>, line: string): LiveRecord | null {
  const entry = parseLogEntry(line);
  if (entry === null || !matchesHead(filter, entry) || !matchesEntry(filter, entry)) return null;
  return { kind: "log", entry };
}

function progressRecord(filter: ReturnType<typeof prepareFilter>, line: string): LiveRecord | null {
  const parsed = parseProgressLine(line);
  if (parsed === null || parsed.type === "version") return null;
  const components = filter.components;
  if (
    components !== null && !components.has("progress") &&
    !componentMatches(components, parsed.operation)
  ) {
    return null;
  }
  return { kind: "progress", event: parsed };
}
