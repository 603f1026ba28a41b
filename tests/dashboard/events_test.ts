import assert from "node:assert/strict";
import { eventStream, sseMessage } from "../../lib/dashboard/events.ts";
import { DashboardFeed } from "../../lib/dashboard/feed.ts";
import { settingsIn, withTempDir } from "../_fixtures/fs.ts";

Deno.test("sseMessage() frames one event with its JSON on one data line", () => {
  assert.equal(
    new TextDecoder().decode(sseMessage("state", { a: "x\ny" })),
    'event: state\ndata: {"a":"x\\ny"}\n\n',
  );
});

Deno.test("eventStream() sends the history first, then points, and unsubscribes on cancel", async () => {
  await withTempDir("events-", async (dir) => {
    const feed = new DashboardFeed(await settingsIn(dir), { intervalMs: 0 });
    const res = eventStream(feed);
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while ((text.match(/event: state/g) ?? []).length < 2) {
      if (!text.includes("event: state")) {
        text += (await reader.read()).value ?? "";
        if (text.includes("event: state")) await feed.tick();
        continue;
      }
      text += (await reader.read()).value ?? "";
    }
    assert.ok(text.startsWith("retry: 3000\n\n"));
    const events = text.split("\n\n").filter((b) => b.startsWith("event: state"))
      .map((b) => JSON.parse(b.split("\n")[1]!.slice(6)));
    assert.ok(Array.isArray(events[0].history), "the first event carries the history");
    assert.equal(events[1].history, undefined);
    assert.equal(feed.watchers, 1);
    await reader.cancel();
    assert.equal(feed.watchers, 0);
    feed.close();
  });
});
