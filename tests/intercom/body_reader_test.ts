/** How call bodies are read (`body_reader.ts`), via the client. */
import assert from "node:assert/strict";
import { ApiError, MalformedRecordError } from "../../lib/intercom/errors.ts";
import { client, conversation, FakeTime, json } from "./_fixtures.ts";

Deno.test("IntercomClient rejects a conversation breaking the contract with a MalformedRecordError naming it", async () => {
  const time = new FakeTime();
  const { api, requests } = client(time, () => json(conversation("9", { state: 42 })));
  const error = await time.run(api.getConversation("9")).catch((e) => e);
  assert.ok(error instanceof MalformedRecordError && error instanceof ApiError);
  assert.match(
    error.message,
    /^Intercom API GET \/conversations\/9 returned conversation 9 in a shape that cannot be read: field "state": Expected string, received number/,
  );
  assert.equal(error.recordKind, "conversation");
  assert.equal(error.recordId, "9");
  assert.equal(error.endpoint, "GET /conversations/{id}");
  assert.equal(error.reason, 'field "state": Expected string, received number');
  assert.equal(requests.length, 1, "not retried");
  assert.equal(api.stats.errors, 1);
});

Deno.test("IntercomClient rejects a broken envelope with an ApiError naming the field", async () => {
  const time = new FakeTime();
  const { api, requests } = client(
    time,
    () => json({ type: "conversation.list", conversations: "none", total_count: 0 }),
  );
  const error = await time.run(
    api.searchConversationsPage({ field: "open", operator: "=", value: true }),
  ).catch((e) => e);
  assert.ok(error instanceof ApiError && !(error instanceof MalformedRecordError));
  assert.match(
    error.message,
    /^Intercom API POST \/conversations\/search returned a body that does not match the expected shape: field "conversations": Expected array, received string/,
  );
  assert.equal(requests.length, 1, "not retried");
});
