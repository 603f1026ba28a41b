import assert from "node:assert/strict";
import { join } from "node:path";
import { storeChecks, writableStoreCheck } from "../../lib/health/store_checks.ts";
import { migrate, openConnection } from "../../lib/store/database.ts";
import { MIGRATIONS } from "../../lib/store/migrations.ts";
import { Store } from "../../lib/store/store.ts";
import { makeReadOnly, settingsIn, withTempDir } from "../_fixtures/fs.ts";
import { conversation, part } from "../store/_fixtures.ts";

const NOW = Date.parse("2026-07-01T12:00:00Z");
const nowS = NOW / 1000;

/** A store with `count` conversations and one completed run that finished `agoS` before NOW. */
function syncedStore(path: string, count = 150, agoS = 60): void {
  using store = Store.open(path);
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      store.upsertConversation(
        conversation({
          id: String(i + 1),
          updated_at: nowS - 3600 + i,
          body: `<p>question ${i}${" padding text".repeat(i % 5 === 0 ? 400 : 10)}</p>`,
          parts: [part({ id: `p${i}`, body: `answer ${i}` })],
        }),
        nowS,
      );
    }
  });
  const run = store.startRun({
    mode: "all",
    windowStart: 0,
    windowEnd: nowS,
    startedAt: nowS - 100,
  });
  store.finishRun(run, { status: "completed", finishedAt: nowS - agoS });
}

const names = (checks: { name: string; status: string }[]) =>
  checks.map((c) => `${c.name}:${c.status}`);

Deno.test("storeChecks() warns when there is no store yet", async () => {
  await withTempDir("store-checks-", async (root) => {
    const { paths } = await settingsIn(root);
    const found = storeChecks(paths, { now: NOW, maxSyncAgeSeconds: 3600 });
    assert.deepEqual(names(found.checks), ["store:warn", "last_sync:warn"]);
  });
});

Deno.test("storeChecks() passes a sound, writable store and dates its last sync", async () => {
  await withTempDir("store-checks-", async (root) => {
    const { paths } = await settingsIn(root);
    syncedStore(paths.storeFile);
    const found = storeChecks(paths, { now: NOW, maxSyncAgeSeconds: 3600 });
    assert.deepEqual(names(found.checks), [
      "store:ok",
      "integrity:ok",
      "schema:ok",
      "last_sync:ok",
      "quarantine:ok",
    ]);
    assert.equal(found.checks[0]!.detail, `${paths.storeFile} opens for writing`);
    assert.match(found.checks[1]!.detail, /^header, schema and all [\d,]+ pages sound$/);
    assert.equal(found.checks[3]!.detail, "last completed sync (run 1) 1m00s ago");
    assert.equal(found.lastCompleted?.id, 1);
    const sampled = storeChecks(paths, { now: NOW, maxSyncAgeSeconds: 3600, samplePages: 8 });
    assert.match(
      sampled.checks[1]!.detail,
      /^header and schema sound, 8 of [\d,]+ pages sampled sound \(`fast-intercom-mcp debug diagnose --test-database` reads every page\)$/,
    );
    const stale = storeChecks(paths, { now: NOW + 2 * 86_400_000, maxSyncAgeSeconds: 86_400 });
    assert.equal(stale.checks[3]!.status, "warn");
    assert.match(stale.checks[3]!.detail, /older than 1d00h: run `fast-intercom-mcp sync`/);
  });
});

Deno.test("storeChecks() reports a damaged store as a failed check instead of throwing", async () => {
  await withTempDir("store-checks-", async (root) => {
    const { paths } = await settingsIn(root);
    syncedStore(paths.storeFile);
    const size = Deno.statSync(paths.storeFile).size;
    const noise = new Uint8Array(40 * 1024);
    crypto.getRandomValues(noise);
    using file = Deno.openSync(paths.storeFile, { write: true });
    file.seekSync(Math.floor(size / 2), Deno.SeekMode.Start);
    file.writeSync(noise);
    file.close();
    const found = storeChecks(paths, { now: NOW, maxSyncAgeSeconds: 3600 });
    const integrity = found.checks.find((c) => c.name === "integrity")!;
    assert.equal(integrity.status, "fail");
    assert.match(
      integrity.detail,
      new RegExp(
        `^the store ${paths.storeFile} is damaged \\(.+\\): run \`fast-intercom-mcp debug ` +
          "diagnose --test-database` for the details; to start over, `fast-intercom-mcp reset` " +
          "and sync again$",
      ),
    );
    assert.doesNotMatch(JSON.stringify(found.checks), /disk image is malformed/);
  });
});

Deno.test("storeChecks() fails a store file that is not writable, as a sync would", async () => {
  await withTempDir("store-checks-", async (root) => {
    const { paths } = await settingsIn(root);
    syncedStore(paths.storeFile);
    const undo = await makeReadOnly(paths.storeFile);
    if (undo === null) return; // cannot make it read-only here (see makeReadOnly)
    try {
      const store = writableStoreCheck(paths.storeFile);
      assert.deepEqual(store, {
        name: "store",
        status: "fail",
        detail: `the store ${paths.storeFile} is read-only for this user: make the file and its ` +
          "directory writable (check `ls -l`), or choose another --data-dir",
      });
      const found = storeChecks(paths, { now: NOW, maxSyncAgeSeconds: 3600 });
      assert.deepEqual(names(found.checks), [
        "store:fail",
        "integrity:ok",
        "schema:ok",
        "last_sync:ok",
        "quarantine:ok",
      ]);
    } finally {
      await undo();
    }
  });
});

Deno.test("storeChecks() fails a directory where the store file belongs", async () => {
  await withTempDir("store-checks-", async (root) => {
    const { paths } = await settingsIn(root);
    await Deno.mkdir(paths.storeFile, { recursive: true });
    const found = storeChecks(paths, { now: NOW, maxSyncAgeSeconds: 3600 });
    assert.deepEqual(names(found.checks), ["store:fail"]);
    assert.match(found.checks[0]!.detail, /is a directory where the store file belongs/);
  });
});

Deno.test("storeChecks() warns about a store the next sync migrates, and still reads it", async () => {
  await withTempDir("store-checks-", async (root) => {
    const { paths } = await settingsIn(root);
    await Deno.mkdir(join(root, "data"), { recursive: true });
    const conn = openConnection(paths.storeFile);
    migrate(conn, { migrations: MIGRATIONS.slice(0, 1) });
    conn.close();
    const found = storeChecks(paths, { now: NOW, maxSyncAgeSeconds: 3600 });
    const schema = found.checks.find((c) => c.name === "schema")!;
    assert.equal(schema.status, "warn");
    assert.equal(
      schema.detail,
      `schema version 1, this program uses ${MIGRATIONS.length}: the next sync migrates it`,
    );
  });
});

Deno.test("storeChecks() warns about quarantined records, naming them", async () => {
  await withTempDir("store-checks-", async (root) => {
    const { paths } = await settingsIn(root);
    syncedStore(paths.storeFile, 5);
    {
      using store = Store.open(paths.storeFile);
      store.quarantine({
        kind: "conversation",
        id: "4711",
        reason: 'field "created_at": Expected number, received string',
        endpoint: "GET /conversations/{id}",
      });
    }
    const found = storeChecks(paths, { now: NOW, maxSyncAgeSeconds: 3600 });
    const check = found.checks.find((c) => c.name === "quarantine");
    assert.deepEqual(check, {
      name: "quarantine",
      status: "warn",
      detail: "1 record(s) could not be read and are quarantined: conversation 4711 (field " +
        '"created_at": Expected number, received string) — everything else is synced and every ' +
        "sync retries them; see `fast-intercom-mcp status`",
    });
  });
});
