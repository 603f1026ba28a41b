/**
 * The SQLite connection under the store: opening with the right pragmas, a statement
 * cache, a transaction helper with nested savepoints, and the migration runner.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { dirname } from "node:path";
import { getLogger } from "@logtape/logtape";
import { StoreError } from "../errors.ts";
import { explainError, explainSqliteCondition, sqliteCondition } from "../explain_error.ts";
import { type Clock, systemClock, unixSeconds } from "../util/clock.ts";
import { type Migration, MIGRATIONS } from "./migrations.ts";
import { ensurePrivateDirSync, PRIVATE_FILE_MODE } from "../util/private_files.ts";

const logger = getLogger(["fast-intercom", "store"]);

/** A row as `node:sqlite` returns it. */
export type Row = Record<string, unknown>;

/** Options of {@linkcode openConnection}. */
export interface ConnectionOptions {
  /** Open without writing: no directory or file is created and no migration runs. Default false. */
  readOnly?: boolean;
  /** How long a statement waits for another connection's lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /** SQLite page cache, KiB. Default 32768 (32 MiB): reads of a large store want it; a
   * sync writer needs far less. */
  cacheKiB?: number;
}

/** One open SQLite database with cached statements and a nesting transaction helper. */
export class Connection {
  readonly db: DatabaseSync;
  readonly path: string;
  readonly readOnly: boolean;
  #statements = new Map<string, StatementSync>();
  #depth = 0;
  #closed = false;
  #tables = new Set<string>();

  constructor(db: DatabaseSync, path: string, readOnly: boolean) {
    this.db = db;
    this.path = path;
    this.readOnly = readOnly;
  }

  /** A prepared statement for `sql`, compiled once per connection. */
  prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      try {
        statement = this.db.prepare(sql);
      } catch (error) {
        throw storeFailure(this.path, error);
      }
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Whether the table `name` exists: a read-only open of an older store, or one a test builds
   * at an older schema, may lack a migration's tables. Remembered once true (tables are never
   * dropped).
   */
  hasTable(name: string): boolean {
    if (this.#tables.has(name)) return true;
    const found = this.get(
      "SELECT 1 AS found FROM sqlite_schema WHERE type = 'table' AND name = ?",
      name,
    ) !== undefined;
    if (found) this.#tables.add(name);
    return found;
  }

  /** All rows of `sql`. */
  all(sql: string, ...params: SQLInputValue[]): Row[] {
    const statement = this.prepare(sql);
    try {
      return statement.all(...params) as Row[];
    } catch (error) {
      throw storeFailure(this.path, error);
    }
  }

  /** The first row of `sql`, or undefined. */
  get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    const statement = this.prepare(sql);
    try {
      return statement.get(...params) as Row | undefined;
    } catch (error) {
      throw storeFailure(this.path, error);
    }
  }

  /** Runs `sql` and returns how many rows it changed. */
  run(sql: string, ...params: SQLInputValue[]): number {
    const statement = this.prepare(sql);
    try {
      return Number(statement.run(...params).changes);
    } catch (error) {
      throw storeFailure(this.path, error);
    }
  }

  /** Whether a transaction (of this helper or not) is open. */
  get inTransaction(): boolean {
    return this.db.isTransaction;
  }

  /**
   * Runs `fn` in a transaction: commits when it returns, rolls back when it throws. A call
   * inside another joins it through a SAVEPOINT, so an inner failure undoes only its part.
   */
  transaction<T>(fn: () => T): T {
    const depth = this.#depth;
    const savepoint = `store_sp_${depth}`;
    // Inside a snapshot (or any transaction not ours) a savepoint joins it.
    const outer = depth === 0 && !this.db.isTransaction;
    if (outer) this.#begin();
    else this.db.exec(`SAVEPOINT ${savepoint}`);
    this.#depth = depth + 1;
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise) {
        throw new TypeError("transaction() takes a synchronous function; it returned a Promise");
      }
    } catch (error) {
      this.#depth = depth;
      this.#rollback(outer, savepoint);
      throw error;
    }
    this.#depth = depth;
    if (!outer) {
      this.db.exec(`RELEASE ${savepoint}`);
      return result;
    }
    try {
      this.db.exec("COMMIT");
    } catch (error) {
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      throw storeFailure(this.path, this.#wrapBusy(error, "commit"));
    }
    return result;
  }

  /**
   * Runs `fn` on one consistent read snapshot (a deferred transaction, which never waits for
   * a writer in WAL mode); inside another transaction it simply joins it.
   */
  snapshot<T>(fn: () => T): T {
    if (this.db.isTransaction) return fn();
    this.db.exec("BEGIN");
    let result: T;
    try {
      result = fn();
    } catch (error) {
      // fn's error is the one to report, not a failure to end the read after it
      try {
        if (this.db.isTransaction) this.db.exec("ROLLBACK");
      } catch { /* the connection is unusable anyway */ }
      throw error;
    }
    try {
      if (this.db.isTransaction) this.db.exec("COMMIT");
    } catch (error) {
      throw storeFailure(this.path, error);
    }
    return result;
  }

  /** Closes the database; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    if (this.db.isOpen) this.db.close();
  }

  #begin(): void {
    try {
      this.db.exec(this.readOnly ? "BEGIN" : "BEGIN IMMEDIATE");
    } catch (error) {
      throw storeFailure(this.path, this.#wrapBusy(error, "start a transaction"));
    }
  }

  #rollback(outer: boolean, savepoint: string): void {
    if (!this.db.isTransaction) return;
    if (outer) this.db.exec("ROLLBACK");
    else this.db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
  }

  #wrapBusy(error: unknown, action: string): unknown {
    const message = error instanceof Error ? error.message : String(error);
    if (!/locked|busy/i.test(message)) return error;
    return new StoreError(
      `cannot ${action} on store at "${this.path}": another process holds the write lock ` +
        `(${message}); wait for it to finish and retry`,
      { cause: error },
    );
  }
}

function fileExists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function createPrivateFile(path: string): void {
  ensurePrivateDirSync(dirname(path));
  if (fileExists(path)) return;
  Deno.openSync(path, { create: true, write: true, mode: PRIVATE_FILE_MODE }).close();
}

/**
 * A StoreError naming the store when SQLite reports it damaged, read-only, full, failing or
 * impossible to open; any other error as it was (a busy store has its own message, see
 * `#wrapBusy`; a bad query is a bug, not the store's state).
 */
export function storeFailure(path: string, error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const condition = sqliteCondition(error);
  if (condition === null || condition === "locked") return error;
  return new StoreError(explainSqliteCondition(condition, `the store ${path}`), { cause: error });
}

function notAStore(path: string, error: unknown): StoreError {
  const message = error instanceof Error ? error.message : String(error);
  if (/not a database|encrypted/i.test(message)) {
    return new StoreError(
      `"${path}" is not a SQLite database: move it away, or run ` +
        "`fast-intercom-mcp reset` to delete it and start a new store",
      { cause: error },
    );
  }
  const failure = storeFailure(path, error);
  if (failure instanceof StoreError) return failure;
  const explained = explainError(error, { storePath: path });
  return new StoreError(`cannot open the store ${path}: ${explained ?? message}`, { cause: error });
}

/** Opens (creating when writable) the database at `path` with WAL and the store's pragmas. */
export function openConnection(path: string, options: ConnectionOptions = {}): Connection {
  const { readOnly = false, busyTimeoutMs = 5000, cacheKiB = 32768 } = options;
  if (readOnly && !fileExists(path)) {
    throw new StoreError(
      `no store at "${path}": run \`fast-intercom-mcp sync\` first, or pass the right --data-dir`,
    );
  }
  let db: DatabaseSync | undefined;
  try {
    if (!readOnly) createPrivateFile(path);
    db = new DatabaseSync(path, { readOnly });
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.exec("PRAGMA foreign_keys = ON");
    db.exec(`PRAGMA cache_size = -${Math.max(256, Math.floor(cacheKiB))}`);
    db.exec("PRAGMA temp_store = MEMORY");
    db.prepare("SELECT count(*) FROM sqlite_schema").get();
    if (!readOnly) {
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = NORMAL");
    }
  } catch (error) {
    if (db?.isOpen) db.close();
    throw notAStore(path, error);
  }
  return new Connection(db, path, readOnly);
}

/** The highest applied schema version, 0 for a database the store never touched. */
export function readSchemaVersion(conn: Connection): number {
  if (!conn.hasTable("schema_version")) return 0;
  const row = conn.get("SELECT max(version) AS version FROM schema_version");
  return Number(row?.version ?? 0);
}

/** Options of {@linkcode migrate}. */
export interface MigrateOptions {
  /** The migrations to apply. Default: the program's {@linkcode MIGRATIONS}. */
  migrations?: readonly Migration[];
  /** Records when each migration ran. Default: the system clock. */
  clock?: Clock;
}

/**
 * Brings the schema up to the newest migration, each in its own transaction. Refuses a
 * store newer than the program; a failed migration rolls back and leaves the store as it was.
 */
export function migrate(conn: Connection, options: MigrateOptions = {}): number {
  const { migrations = MIGRATIONS, clock = systemClock } = options;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const current = readSchemaVersion(conn);
  assertNotNewer(conn, current, latest);
  if (current === latest) return current;
  if (conn.readOnly) {
    const missing = migrations.filter((m) => m.version > current);
    if (current > 0 && missing.every((m) => m.readCompatible === true)) return current;
    throw new StoreError(
      `store at "${conn.path}" has schema version ${current}, older than this program ` +
        `(${latest}): open it once for writing (e.g. run \`fast-intercom-mcp sync\`) to upgrade it`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    applyMigration(conn, migration, clock);
  }
  return readSchemaVersion(conn);
}

/** Throws the "newer than this program" StoreError when `current` exceeds `supported`. */
export function assertNotNewer(conn: Connection, current: number, supported: number): void {
  if (current <= supported) return;
  throw new StoreError(
    `store at ${conn.path} has schema version ${current}, newer than this program supports ` +
      `(${supported}): upgrade fast-intercom-mcp or use another --data-dir`,
  );
}

function applyMigration(conn: Connection, migration: Migration, clock: Clock): void {
  let before = 0;
  try {
    conn.transaction(() => {
      // Re-read under the write lock: another process may have migrated meanwhile.
      before = readSchemaVersion(conn);
      if (before >= migration.version) return;
      conn.db.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (" +
          "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
      );
      conn.db.exec(migration.sql);
      conn.run(
        "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
        migration.version,
        migration.name,
        unixSeconds(clock),
      );
    });
  } catch (error) {
    const failure = storeFailure(conn.path, error);
    if (failure instanceof StoreError) throw failure;
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      `migration ${migration.version} ("${migration.name}") failed on store at "${conn.path}": ` +
        `${message}; the store was left unchanged at schema version ${before}`,
      { cause: error },
    );
  }
  logger.info("Applied store migration {version} ({name}) to {path}", {
    version: migration.version,
    name: migration.name,
    path: conn.path,
  });
}
