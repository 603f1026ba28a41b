import assert from "node:assert/strict";
import { inboxUrl, regionOf, WorkspaceId } from "../../lib/mcp/workspace.ts";
import { dataOf, memoryClient, syncedFixture } from "./_fixtures.ts";

Deno.test("inboxUrl() builds Intercom's inbox link of a conversation", () => {
  assert.equal(
    inboxUrl("abc123", "215468132456"),
    "https://app.intercom.com/a/inbox/abc123/inbox/conversation/215468132456",
  );
});

Deno.test("WorkspaceId uses the configured id without asking Intercom", async () => {
  let asked = 0;
  const ws = new WorkspaceId({ known: "cfg1", lookup: () => (asked++, Promise.resolve("me1")) });
  assert.equal(await ws.get(), "cfg1");
  assert.equal(asked, 0);
});

Deno.test("WorkspaceId looks the id up once and caches it", async () => {
  let asked = 0;
  const ws = new WorkspaceId({ lookup: () => (asked++, Promise.resolve("me1")) });
  assert.equal(ws.current, null);
  const [a, b] = await Promise.all([ws.get(), ws.get()]);
  assert.deepEqual([a, b, await ws.get(), asked], ["me1", "me1", "me1", 1]);
  assert.equal(ws.current, "me1");
});

Deno.test("WorkspaceId.get() gives up after waitMs and retries a failed lookup only later", async () => {
  const slow = new WorkspaceId({
    lookup: () => new Promise((r) => setTimeout(() => r("late"), 50)),
  });
  assert.equal(await slow.get(5), null);
  assert.equal(await slow.get(500), "late");

  let now = 0;
  let asked = 0;
  const failing = new WorkspaceId({
    lookup: () => (asked++, Promise.reject(new Error("401"))),
    retryAfterMs: 1000,
    clock: () => now,
  });
  assert.equal(await failing.get(), null);
  assert.equal(await failing.get(), null);
  assert.equal(asked, 1);
  now = 1001;
  assert.equal(await failing.get(), null);
  assert.equal(asked, 2);
  assert.equal(await new WorkspaceId().get(), null);
});

Deno.test("inbox links follow the workspace's region: app.eu / app.au for EU and AU workspaces", async () => {
  assert.equal(
    inboxUrl("ws", "7", "eu"),
    "https://app.eu.intercom.com/a/inbox/ws/inbox/conversation/7",
  );
  assert.equal(
    inboxUrl("ws", "7", "au"),
    "https://app.au.intercom.com/a/inbox/ws/inbox/conversation/7",
  );
  assert.equal(regionOf("https://api.eu.intercom.io", "us"), "eu");
  assert.equal(regionOf("https://api.au.intercom.io/", "us"), "au");
  assert.equal(regionOf("http://127.0.0.1:9000", "au"), "au");
  await using fx = await syncedFixture({
    conversations: 3,
    seed: 4,
    env: { FASTINTERCOM_REGION: "eu" },
  });
  await using c = await memoryClient(fx);
  const found = dataOf(await c.call("search_conversations", {}));
  assert.match(found.conversations[0].url, /^https:\/\/app\.eu\.intercom\.com\/a\/inbox\//);
});
