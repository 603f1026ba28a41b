/**
 * The store, for `debug health`: it opens for writing (what a sync needs), it is not damaged
 * (header, schema and a bounded sample of pages: fast at any size, see `page_check.ts`; every
 * page only in `debug diagnose --test-database`), its schema is one this program reads, and a
 * sync completed recently enough, and no record is quarantined. Nothing here writes: the write
 * probe rolls back.
 */
import { DatabaseSync } from "node:sqlite";
import type { Paths } from "../config/paths.ts";
import { explainError, sqliteCondition } from "../explain_error.ts";
import { type Connection, openConnection, readSchemaVersion } from "../store/database.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "../store/migrations.ts";
import { checkIntegrity } from "../store/integrity.ts";
import { lastCompletedRun, lastRuns } from "../store/sync_state.ts";
import { quarantined, type QuarantineEntry } from "../store/sync_gaps.ts";
import type { SyncRun } from "../sync/run_record.ts";
import { formatSeconds, groupDigits } from "../util/format.ts";
import type { CheckStatus, HealthCheck } from "./checks.ts";

const PROGRAM = "fast-intercom-mcp";

/** Options for {@link storeChecks}. */
export interface StoreCheckOptions {
  /** Now, Unix ms. */
  now: number;
  /** The last completed sync may be at most this old. */
  maxSyncAgeSeconds: number;
  /** Pages of the file read at most by the integrity sample. Default 8192 (32 MB at 4 KB). */
  samplePages?: number;
}

/** The store's checks, and its runs for the sync check (empty when unreadable). */
export interface StoreFindings {
  checks: HealthCheck[];
  /** The newest runs, newest first. */
  runs: SyncRun[];
  /** The newest completed run. */
  lastCompleted: SyncRun | null;
}

const check = (name: string, status: CheckStatus, detail: string): HealthCheck => ({
  name,
  status,
  detail,
});

/** store, integrity, schema and last_sync; never throws. */
export function storeChecks(paths: Paths, options: StoreCheckOptions): StoreFindings {
  const path = paths.storeFile;
  let stat: Deno.FileInfo;
  try {
    stat = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return {
        checks: [
          check("store", "warn", `no store at ${path} yet: run \`${PROGRAM} sync\``),
          check("last_sync", "warn", "no sync has run yet"),
        ],
        runs: [],
        lastCompleted: null,
      };
    }
    return {
      checks: [check("store", "fail", explainError(error) ?? String(error))],
      runs: [],
      lastCompleted: null,
    };
  }
  if (!stat.isFile) {
    return {
      checks: [
        check(
          "store",
          "fail",
          `${path} is a directory where the store file belongs: move it away, or choose ` +
            "another --data-dir",
        ),
      ],
      runs: [],
      lastCompleted: null,
    };
  }
  const writable = writableStoreCheck(path);
  const checks = [writable];
  let conn: Connection;
  try {
    conn = openConnection(path, { readOnly: true, busyTimeoutMs: 2000 });
  } catch (error) {
    // Damage is the integrity check's to report; anything else the store check already says.
    if (sqliteCondition(error) === "damaged" || writable.status === "ok") {
      checks.push(check("integrity", "fail", damaged(path, "its header or schema cannot be read")));
    }
    return { checks, runs: [], lastCompleted: null };
  }
  try {
    checks.push(integrityCheck(conn, options.samplePages ?? 8192));
    const version = guard("schema", () => schemaCheck(readSchemaVersion(conn)), path);
    checks.push(version);
    let runs: SyncRun[] = [];
    let lastCompleted: SyncRun | null = null;
    checks.push(guard("last_sync", () => {
      runs = lastRuns(conn, 20);
      lastCompleted = lastCompletedRun(conn);
      return lastSyncCheck(lastCompleted, options);
    }, path));
    checks.push(guard("quarantine", () => quarantineCheck(quarantined(conn)), path));
    return { checks, runs, lastCompleted };
  } finally {
    conn.close();
  }
}

/**
 * Records the sync could not read (issue 10): a warning naming them. The sync stored everything
 * else and retries them every run; one that persists is worth reporting with its id.
 */
export function quarantineCheck(entries: readonly QuarantineEntry[]): HealthCheck {
  if (entries.length === 0) return check("quarantine", "ok", "no record set aside as unreadable");
  const named = entries.slice(0, 3).map((e) => `${e.kind} ${e.id} (${e.reason})`).join("; ");
  return check(
    "quarantine",
    "warn",
    `${groupDigits(entries.length)} record(s) could not be read and are quarantined: ${named}${
      entries.length > 3 ? "; …" : ""
    } — everything else is synced and every sync retries them; see \`${PROGRAM} status\``,
  );
}

/** Runs one check; whatever it throws becomes its failure. */
function guard(name: string, fn: () => HealthCheck, path: string): HealthCheck {
  try {
    return fn();
  } catch (error) {
    return check(name, "fail", storeProblem(path, error));
  }
}

function storeProblem(path: string, error: unknown): string {
  return explainError(error, { storePath: `the store ${path}` }) ??
    (error instanceof Error ? error.message : String(error));
}

/**
 * Opens the store for writing and takes the write lock for a moment without changing
 * anything: a read-only file or directory fails here as a sync would. A store busy with a
 * running sync's write is writable by definition.
 */
export function writableStoreCheck(path: string): HealthCheck {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path);
    db.exec("PRAGMA busy_timeout = 1000");
    db.exec("BEGIN IMMEDIATE");
    try {
      const row = db.prepare("PRAGMA user_version").get() as { user_version: number };
      // a write of the same value: SQLite refuses it on a read-only file before anything changes
      db.exec(`PRAGMA user_version = ${Number(row.user_version)}`);
    } finally {
      db.exec("ROLLBACK");
    }
    return check("store", "ok", `${path} opens for writing`);
  } catch (error) {
    if (sqliteCondition(error) === "locked") {
      return check("store", "ok", `${path} opens for writing (a sync is writing to it now)`);
    }
    return check("store", "fail", storeProblem(path, error));
  } finally {
    if (db?.isOpen) db.close();
  }
}

/** The store's integrity, as `status` and `monitor status` see it too (`store/integrity.ts`). */
function integrityCheck(conn: Connection, maxPages: number): HealthCheck {
  try {
    const finding = checkIntegrity(conn, { maxPages });
    if (finding.sound) return check("integrity", "ok", finding.detail);
    return check("integrity", "fail", damaged(conn.path, finding.detail));
  } catch (error) {
    return check("integrity", "fail", storeProblem(conn.path, error));
  }
}

function damaged(path: string, detail: string): string {
  return `the store ${path} is damaged (${detail}): run \`${PROGRAM} debug diagnose --test-database\` ` +
    `for the details; to start over, \`${PROGRAM} reset\` and sync again`;
}

function schemaCheck(version: number): HealthCheck {
  const expected = SCHEMA_VERSION;
  if (version === expected) return check("schema", "ok", `schema version ${version}`);
  if (version === 0) {
    return check(
      "schema",
      "fail",
      `the store holds no ${PROGRAM} schema: is --data-dir right? To start over, ` +
        `\`${PROGRAM} reset\``,
    );
  }
  if (version < expected) {
    const readable = MIGRATIONS.filter((m) => m.version > version).every((m) => m.readCompatible);
    return check(
      "schema",
      "warn",
      `schema version ${version}, this program uses ${expected}: the next sync migrates it` +
        (readable ? "" : " (until then, reads refuse it)"),
    );
  }
  return check(
    "schema",
    "fail",
    `schema version ${version} is newer than this program's ${expected}: upgrade ${PROGRAM}`,
  );
}

function lastSyncCheck(run: SyncRun | null, options: StoreCheckOptions): HealthCheck {
  if (run === null || run.finishedAt === null) {
    return check("last_sync", "warn", `no completed sync yet: run \`${PROGRAM} sync\``);
  }
  const age = Math.max(0, Math.floor(options.now / 1000) - run.finishedAt);
  const detail = `last completed sync (run ${run.id}) ${formatSeconds(age)} ago`;
  if (age <= options.maxSyncAgeSeconds) return check("last_sync", "ok", detail);
  return check(
    "last_sync",
    "warn",
    `${detail}, older than ${formatSeconds(options.maxSyncAgeSeconds)}: run ` +
      `\`${PROGRAM} sync\``,
  );
}
