import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { StoreError } from "../../lib/errors.ts";
import { migrate, openConnection, readSchemaVersion } from "../../lib/store/database.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "../../lib/store/migrations.ts";
import { clockAt, T0, withTempDir } from "./_fixtures.ts";

Deno.test("openConnection() creates a private directory and file with WAL and the store pragmas", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "nested", "store.db");
    const conn = openConnection(path, { busyTimeoutMs: 1234 });
    try {
      assert.equal(Deno.statSync(join(dir, "nested")).mode! & 0o777, 0o700);
      assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
      assert.equal(conn.get("PRAGMA journal_mode")?.journal_mode, "wal");
      assert.equal(conn.get("PRAGMA foreign_keys")?.foreign_keys, 1);
      assert.equal(conn.get("PRAGMA busy_timeout")?.timeout, 1234);
      assert.equal(conn.get("PRAGMA synchronous")?.synchronous, 1);
    } finally {
      conn.close();
    }
  });
});

Deno.test("Connection.hasTable() sees a table created after a miss and names only tables", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "store.db"));
    try {
      assert.equal(conn.hasTable("later"), false);
      conn.run("CREATE TABLE later (id INTEGER)");
      conn.run("CREATE VIEW later_view AS SELECT id FROM later");
      assert.equal(conn.hasTable("later"), true);
      assert.equal(conn.hasTable("later"), true);
      assert.equal(conn.hasTable("later_view"), false);
    } finally {
      conn.close();
    }
  });
});

Deno.test("openConnection() rejects a file that is not SQLite, naming it and suggesting reset", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "store.db");
    Deno.writeTextFileSync(path, "this is a text file, not a database ".repeat(200));
    assert.throws(() => openConnection(path), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, new RegExp(`"${path}" is not a SQLite database`));
      assert.match(error.message, /reset/);
      assert.ok(error.cause instanceof Error);
      return true;
    });
  });
});

Deno.test("openConnection() in read-only mode refuses a missing store without creating it", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "missing", "store.db");
    assert.throws(() => openConnection(path, { readOnly: true }), /no store at .*sync/);
    assert.throws(() => Deno.statSync(join(dir, "missing")), Deno.errors.NotFound);
  });
});

Deno.test("migrate() builds the schema from empty and is idempotent", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      assert.equal(readSchemaVersion(conn), 0);
      assert.equal(migrate(conn, { clock: clockAt(T0) }), SCHEMA_VERSION);
      assert.equal(migrate(conn, { clock: clockAt(T0 + 10) }), SCHEMA_VERSION);
      const rows = conn.all("SELECT version, applied_at FROM schema_version");
      assert.deepEqual(
        rows.map((r) => ({ ...r })),
        MIGRATIONS.map((m) => ({ version: m.version, applied_at: T0 })),
      );
      const tables = conn.all("SELECT name FROM sqlite_schema WHERE type = 'table'").map((r) =>
        r.name
      );
      for (
        const name of ["conversations", "conversation_parts", "contacts", "sync_runs", "sync_state"]
      ) {
        assert.ok(tables.includes(name), `table ${name} exists`);
      }
    } finally {
      conn.close();
    }
  });
});

Deno.test("migrate() refuses a store newer than the program with the upgrade message", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "s.db");
    const conn = openConnection(path);
    try {
      migrate(conn);
      const future = SCHEMA_VERSION + 1;
      conn.run(
        "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', 0)",
        future,
      );
      assert.throws(
        () => migrate(conn),
        new StoreError(
          `store at ${path} has schema version ${future}, newer than this program supports ` +
            `(${SCHEMA_VERSION}): upgrade fast-intercom-mcp or use another --data-dir`,
        ),
      );
    } finally {
      conn.close();
    }
  });
});

Deno.test("migrate() rolls a failing migration back and leaves the data as it was", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      migrate(conn);
      conn.run("UPDATE sync_state SET cursor = 42 WHERE id = 1");
      const bad = [
        ...MIGRATIONS,
        {
          version: SCHEMA_VERSION + 1,
          name: "broken",
          sql:
            "CREATE TABLE extra (a INTEGER); DROP TABLE sync_state; INSERT INTO nowhere VALUES (1);",
        },
      ];
      assert.throws(() => migrate(conn, { migrations: bad }), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.match(
          error.message,
          new RegExp(
            `migration ${SCHEMA_VERSION + 1} \\("broken"\\) failed .*left unchanged at ` +
              `schema version ${SCHEMA_VERSION}`,
          ),
        );
        return true;
      });
      assert.equal(readSchemaVersion(conn), SCHEMA_VERSION);
      assert.equal(conn.get("SELECT cursor FROM sync_state WHERE id = 1")?.cursor, 42);
      assert.equal(conn.get("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'extra'")?.n, 0);
      assert.equal(conn.inTransaction, false);
    } finally {
      conn.close();
    }
  });
});

Deno.test("migrate() applies later migrations in order, each recorded", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      const more = [
        ...MIGRATIONS,
        { version: SCHEMA_VERSION + 1, name: "two", sql: "CREATE TABLE two (a INTEGER);" },
        { version: SCHEMA_VERSION + 2, name: "three", sql: "ALTER TABLE two ADD COLUMN b TEXT;" },
      ];
      assert.equal(migrate(conn, { migrations: more }), SCHEMA_VERSION + 2);
      assert.deepEqual(
        conn.all("SELECT version, name FROM schema_version ORDER BY version").map((r) => r.name),
        [...MIGRATIONS.map((m) => m.name), "two", "three"],
      );
    } finally {
      conn.close();
    }
  });
});

Deno.test("Connection.transaction() commits, rolls back, and nests with savepoints", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      conn.db.exec("CREATE TABLE t (v INTEGER)");
      conn.transaction(() => conn.run("INSERT INTO t VALUES (1)"));
      assert.throws(() =>
        conn.transaction(() => {
          conn.run("INSERT INTO t VALUES (2)");
          throw new Error("boom");
        }), /boom/);
      conn.transaction(() => {
        conn.run("INSERT INTO t VALUES (3)");
        assert.throws(() =>
          conn.transaction(() => {
            conn.run("INSERT INTO t VALUES (4)");
            throw new RangeError("inner");
          }), RangeError);
        conn.transaction(() => conn.run("INSERT INTO t VALUES (5)"));
      });
      assert.deepEqual(conn.all("SELECT v FROM t ORDER BY v").map((r) => r.v), [1, 3, 5]);
      assert.equal(conn.inTransaction, false);
    } finally {
      conn.close();
    }
  });
});

Deno.test("Connection.transaction() rejects an async function and rolls back", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      conn.db.exec("CREATE TABLE t (v INTEGER)");
      assert.throws(
        () =>
          conn.transaction(() => {
            conn.run("INSERT INTO t VALUES (1)");
            return Promise.resolve(1);
          }),
        TypeError,
      );
      assert.equal(conn.get("SELECT count(*) AS n FROM t")?.n, 0);
    } finally {
      conn.close();
    }
  });
});

Deno.test("Connection.close() is safe twice", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    conn.close();
    conn.close();
    assert.equal(conn.db.isOpen, false);
  });
});

Deno.test("openConnection() waits busyTimeoutMs for a writer, then fails with StoreError", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "s.db");
    const writer = new DatabaseSync(path);
    const conn = openConnection(path, { busyTimeoutMs: 50 });
    try {
      writer.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER); BEGIN IMMEDIATE");
      const started = performance.now();
      assert.throws(() => conn.transaction(() => 1), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.match(error.message, /another process holds the write lock/);
        return true;
      });
      assert.ok(performance.now() - started >= 40, "waited for the busy timeout");
    } finally {
      writer.exec("ROLLBACK");
      writer.close();
      conn.close();
    }
  });
});

Deno.test("Connection.transaction() inside snapshot() joins it with a savepoint", async () => {
  await withTempDir((dir) => {
    const conn = openConnection(join(dir, "s.db"));
    try {
      conn.db.exec("CREATE TABLE t (v INTEGER)");
      conn.snapshot(() => {
        conn.transaction(() => conn.run("INSERT INTO t VALUES (1)"));
        assert.throws(() =>
          conn.transaction(() => {
            conn.run("INSERT INTO t VALUES (2)");
            throw new Error("undo");
          }), /undo/);
      });
      assert.equal(conn.inTransaction, false);
      assert.deepEqual(conn.all("SELECT v FROM t").map((r) => r.v), [1]);
    } finally {
      conn.close();
    }
  });
});
