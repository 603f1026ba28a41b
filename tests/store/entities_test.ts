import assert from "node:assert/strict";
import { contact, T0, withStore } from "./_fixtures.ts";

Deno.test("upsertContacts() inserts and replaces by id", async () => {
  await withStore((store) => {
    assert.equal(store.upsertContacts([contact("u1", "a@x.test"), contact("u2", "b@x.test")]), 2);
    assert.equal(store.upsertContacts([contact("u1", "new@x.test", "Renamed")]), 1);
    assert.deepEqual(store.getContact("u1"), {
      id: "u1",
      external_id: "ext-u1",
      role: "user",
      email: "new@x.test",
      phone: null,
      name: "Renamed",
      created_at: T0 - 86400,
      updated_at: T0,
      last_seen_at: T0,
      custom_attributes: { plan: "pro" },
    });
    assert.equal(store.getContact("nope"), null);
    assert.equal(store.stats().contacts, 2);
  });
});

Deno.test("missingContactIds() returns unknown ids once, in order", async () => {
  await withStore((store) => {
    store.upsertContacts([contact("u2", null)]);
    assert.deepEqual(store.missingContactIds(["u3", "u2", "u1", "u3"]), ["u3", "u1"]);
    assert.deepEqual(store.missingContactIds([]), []);
  });
});

Deno.test("searchContacts() matches text in name, email or external id, and exact email", async () => {
  await withStore((store) => {
    store.upsertContacts([
      contact("u1", "ana@shop.test", "Ana Smith"),
      contact("u2", "bo@corp.test", "Bo 100% Real"),
      contact("u3", "Cy@Shop.test", "Cy"),
    ]);
    const byText = (text: string) =>
      store.searchContacts({ text }).contacts.map((c) => c.id).sort();
    assert.deepEqual(byText("shop"), ["u1", "u3"]);
    assert.deepEqual(byText("SMITH"), ["u1"]);
    assert.deepEqual(byText("100%"), ["u2"], "% is literal");
    assert.deepEqual(byText("_"), [], "_ is literal");
    assert.deepEqual(byText("ext-u3"), ["u3"]);
    assert.deepEqual(store.searchContacts({ email: "cy@shop.TEST" }).contacts.map((c) => c.id), [
      "u3",
    ]);
    const page = store.searchContacts({ limit: 2, offset: 2 });
    assert.equal(page.total, 3);
    assert.equal(page.contacts.length, 1);
  });
});

Deno.test("replaceAdmins(), replaceTeams() and replaceTags() replace the whole set", async () => {
  await withStore((store) => {
    const admin = (id: string, name: string) => ({
      id,
      name,
      email: `${id}@team.test`,
      job_title: null,
      away_mode_enabled: false,
      team_ids: [],
    });
    store.replaceAdmins([admin("a1", "Ada"), admin("a2", "Bob")]);
    store.replaceAdmins([admin("a2", "Bobby")]);
    assert.equal(store.adminName("a1"), null);
    assert.equal(store.adminName("a2"), "Bobby");
    store.replaceTeams([{ id: "t1", name: "One", admin_ids: [] }]);
    store.replaceTeams([]);
    store.replaceTags([{ id: "g1", name: "VIP" }, { id: "g2", name: "Bug" }]);
    const stats = store.stats();
    assert.deepEqual([stats.admins, stats.teams, stats.tags], [1, 0, 2]);
  });
});

Deno.test("upsertContacts(), replaceAdmins() and finishRun() keep the text after a NUL", async () => {
  await withStore((store) => {
    const c = contact("n1", "n\0x@example.com", "Cara\0Doe");
    c.custom_attributes = { "pl\0an": "pro\0plus" };
    store.upsertContacts([c]);
    const stored = store.getContact("n1")!;
    assert.equal(stored.name, "Cara\uFFFDDoe");
    assert.equal(stored.email, "n\uFFFDx@example.com");
    assert.deepEqual(stored.custom_attributes, { "pl\uFFFDan": "pro\uFFFDplus" });
    assert.equal(store.searchContacts({ text: "Doe" }).total, 1);
    store.replaceAdmins([{
      type: "admin",
      id: "a1",
      name: "Ada\0Admin",
      email: "ada@x.test",
      job_title: null,
      away_mode_enabled: false,
      team_ids: [],
    }]);
    assert.equal(store.adminName("a1"), "Ada\uFFFDAdmin");
    store.finishRun(
      store.startRun({ mode: "incremental", windowStart: 0, windowEnd: 1, startedAt: T0 }),
      {
        status: "failed",
        finishedAt: T0 + 1,
        error: "Intercom said: bad\0body here",
      },
    );
    assert.equal(store.lastRuns(1)[0]!.error, "Intercom said: bad\uFFFDbody here");
  });
});
