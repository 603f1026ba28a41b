import assert from "node:assert/strict";
import { postWebhook } from "../../lib/alerts/webhook.ts";
import { startReceiver } from "./_receiver.ts";

const noSleep = () => Promise.resolve();

Deno.test("postWebhook() posts JSON and retries 5xx and 429 until delivered", async () => {
  await using hook = startReceiver([503, 429]);
  const waits: number[] = [];
  const result = await postWebhook(hook.url, { a: 1 }, {
    sleep: (ms) => (waits.push(ms), Promise.resolve()),
  });
  assert.deepEqual(result, { delivered: true, attempts: 3, status: 200, error: null });
  assert.deepEqual(waits, [1000, 2000]);
  assert.equal(hook.received.length, 3);
  assert.deepEqual(hook.received[2], { a: 1 });
});

Deno.test("postWebhook() does not retry a 4xx and never names the URL", async () => {
  await using hook = startReceiver([404]);
  const result = await postWebhook(hook.url, {}, { sleep: noSleep });
  assert.deepEqual(result, {
    delivered: false,
    attempts: 1,
    status: 404,
    error: "the webhook answered HTTP 404",
  });
});

Deno.test("postWebhook() gives up after its attempts when nothing answers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const url = `http://127.0.0.1:${port}/SECRET`;
  const result = await postWebhook(url, {}, { sleep: noSleep, attempts: 2 });
  assert.equal(result.delivered, false);
  assert.equal(result.attempts, 2);
  assert.equal(result.error, "the webhook could not be reached");
  assert.ok(!JSON.stringify(result).includes("SECRET"));
});
