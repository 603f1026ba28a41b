import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { configView, diagnoseApi, diagnoseDatabase } from "../../lib/health/diagnose.ts";
import { IntercomClient } from "../../lib/intercom/client.ts";
import { DEFAULT_SIMULATOR_TOKEN, startSimulator } from "../../lib/simulator/mod.ts";
import { Store } from "../../lib/store/store.ts";
import { runSync } from "../../lib/sync/engine.ts";
import { settingsIn } from "../_fixtures/fs.ts";

Deno.test("diagnoseApi() times /me and a search and reports the rate-limit headers", async () => {
  const root = await Deno.makeTempDir();
  const sim = await startSimulator({
    conversations: 8,
    seed: 2,
    rateLimit: { limit: 500, windowSeconds: 10 },
  });
  try {
    const result = await diagnoseApi(
      await settingsIn(root, { apiUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN }),
    );
    assert.equal(result.ok, true);
    assert.equal(result.me.workspace?.id, sim.workspace.app.id_code);
    assert.ok(result.me.latency_ms !== null && result.search.latency_ms !== null);
    assert.equal(typeof result.search.total_count, "number");
    assert.equal(result.rate_limit?.limit, 500);
    assert.equal(result.rate_limit?.remaining, 498, "two requests counted in this window");
    assert.match(result.rate_limit?.reset_at ?? "", /^\d{4}-\d\d-\d\dT/);
  } finally {
    await sim.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("diagnoseApi() reports a rejected token and a missing one without calling", async () => {
  const root = await Deno.makeTempDir();
  const sim = await startSimulator({ conversations: 1 });
  try {
    const rejected = await diagnoseApi(
      await settingsIn(root, { apiUrl: sim.url, token: "wrong-token-98765" }),
    );
    assert.equal(rejected.ok, false);
    assert.match(rejected.me.detail, /token rejected by Intercom \(401\)/);
    assert.ok(!JSON.stringify(rejected).includes("wrong-token-98765"));
    const none = await diagnoseApi(await settingsIn(root, { apiUrl: sim.url, token: null }));
    assert.equal(none.ok, false);
    assert.equal(none.me.latency_ms, null);
    assert.match(none.me.detail, /not configured/);
  } finally {
    await sim.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("diagnoseDatabase() runs the full checks on a synced store and finds orphans", async () => {
  const root = await Deno.makeTempDir();
  const sim = await startSimulator({ conversations: 10, seed: 8 });
  try {
    const settings = await settingsIn(root, { apiUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN });
    assert.match(diagnoseDatabase(settings).error ?? "", /no store at/);
    {
      using store = Store.open(settings.paths.storeFile);
      const client = new IntercomClient({ baseUrl: sim.url, token: DEFAULT_SIMULATOR_TOKEN });
      await runSync({ store, client }, { mode: "all" });
    }
    const healthy = diagnoseDatabase(settings);
    assert.equal(healthy.ok, true, JSON.stringify(healthy));
    assert.deepEqual(healthy.integrity, { ok: true, problems: [] });
    assert.deepEqual(healthy.fts_integrity, { ok: true, problems: [] });
    assert.equal(healthy.orphan_parts, 0);
    assert.equal(healthy.counts?.conversations, 10);
    // damage: a part whose conversation is gone (foreign keys off, as another tool might)
    const db = new DatabaseSync(settings.paths.storeFile);
    db.exec("PRAGMA foreign_keys = OFF");
    const conversation = db.prepare("SELECT conversation_id FROM conversation_parts LIMIT 1")
      .get() as {
        conversation_id: string;
      };
    db.prepare("DELETE FROM conversations WHERE id = ?").run(conversation.conversation_id);
    db.close();
    const damaged = diagnoseDatabase(settings);
    assert.equal(damaged.ok, false);
    assert.ok((damaged.orphan_parts ?? 0) > 0);
  } finally {
    await sim.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("configView() shows every setting and never the token", async () => {
  const root = await Deno.makeTempDir();
  try {
    const view = configView(
      await settingsIn(root, { apiUrl: "http://127.0.0.1:9", token: "very-secret-token-1" }),
    );
    assert.equal(view.access_token, "[REDACTED] (from env)");
    assert.equal(view.api_url, "http://127.0.0.1:9");
    assert.ok(!JSON.stringify(view).includes("very-secret-token-1"));
    assert.deepEqual(Object.keys(view.paths as object), [
      "data_dir",
      "store_file",
      "log_dir",
      "status_dir",
      "sync_lock_file",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
