import assert from "node:assert/strict";
import { readStoreStatus } from "../../lib/app/store_status.ts";
import { syncWorkspace } from "../../lib/app/sync_service.ts";
import { resolveSettings } from "../../lib/config/config.ts";
import { resolvePaths } from "../../lib/config/paths.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { Store } from "../../lib/store/store.ts";
import { makeSandbox } from "../_fixtures/cli.ts";

async function settingsFor(env: Record<string, string>) {
  const lookup = (name: string) => env[name];
  const settings = await resolveSettings(resolvePaths({ env: lookup }), {}, {
    env: lookup,
    file: null,
  });
  await Deno.mkdir(settings.paths.dataDir, { recursive: true });
  return settings;
}

Deno.test("readStoreStatus() reports a missing store as missing, with nothing counted and no streams", async () => {
  await using box = await makeSandbox();
  const settings = await settingsFor(box.env);
  const status = await readStoreStatus(settings.paths);
  assert.equal(status.exists, false);
  assert.equal(status.stats, null);
  assert.equal(status.cursor, null);
  assert.deepEqual(status.support, { tickets: 0, ticketParts: 0, companies: 0, ticketTypes: 0 });
  assert.deepEqual(status.streams, []);
  assert.deepEqual(status.lastRuns, []);
  await assert.rejects(Deno.stat(settings.paths.storeFile), Deno.errors.NotFound, "not created");
});

Deno.test("readStoreStatus() counts the synced tickets and companies and gives each stream's cursor", async () => {
  await using box = await makeSandbox();
  const sim = await startSimulator({ conversations: 30, tickets: 6, companies: 4, seed: 37 });
  try {
    const settings = await settingsFor({
      ...box.env,
      FASTINTERCOM_API_URL: sim.url,
      INTERCOM_ACCESS_TOKEN: DEFAULT_SIMULATOR_TOKEN,
    });
    const result = await syncWorkspace(settings, {
      mode: "all",
      sessionId: "test-session",
      console: false,
      tapLogs: false,
    });
    const status = await readStoreStatus(settings.paths);
    assert.equal(status.exists, true);
    assert.equal(status.stats?.conversations, 30);
    assert.equal(status.support.tickets, 6);
    assert.equal(status.support.companies, 4);
    assert.equal(status.support.ticketTypes, sim.workspace.ticketTypes.length);
    assert.equal(status.cursor, result.cursor);
    const cursors = Object.fromEntries(result.streams.map((s) => [s.stream, s.cursor]));
    assert.deepEqual(
      status.streams.map((s) => [s.stream, s.cursor, s.checkpoint]),
      [["companies", cursors.companies, null], ["tickets", cursors.tickets, null]],
    );
    using store = Store.open(settings.paths.storeFile, { readOnly: true });
    assert.equal(status.support.ticketParts, store.support.counts().ticketParts);
    assert.ok(status.support.ticketParts > 0);
    assert.equal(status.lastRuns[0]?.status, "completed");
    assert.equal(status.sync.state, "completed");
  } finally {
    await sim.close();
  }
});

Deno.test("readStoreStatus() refuses a file that is not a store with one line naming it, no SQLite text", async () => {
  await using box = await makeSandbox();
  const settings = await settingsFor(box.env);
  await Deno.writeTextFile(settings.paths.storeFile, "not a database ".repeat(400));
  const error = await readStoreStatus(settings.paths).then(() => null, (e: Error) => e);
  assert.ok(error !== null, "a garbage store is refused");
  assert.ok(error.message.includes(settings.paths.storeFile), error.message);
  assert.doesNotMatch(error.message, /SQLITE_|file is not a database\b.*code/);
  assert.equal(error.message.split("\n").length, 1);
});
