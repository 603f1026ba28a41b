import assert from "node:assert/strict";
import type { Store } from "../../lib/store/store.ts";
import type { ConversationSearch } from "../../lib/store/types.ts";
import { conversation, DAY, T0, withStore } from "./_fixtures.ts";

const uma = { type: "user", id: "u1", name: "Uma User", email: "uma@customer.test" };

/** Conversations with Japanese, Chinese or plain text, newest last. */
function seed(store: Store): void {
  const bodies: [string, string, "open" | "closed"][] = [
    ["e1", "please send the invoice again", "open"],
    ["j1", "お客様の請求書を送ってください", "open"],
    ["j2", "請求書の金額が違います。refund please", "closed"],
    ["z1", "我要退款，谢谢", "open"],
    ["z2", "退款 and the invoice", "open"],
    ["x1", "nothing relevant here", "open"],
    ["e2", "refund the invoice twice charged", "closed"],
  ];
  bodies.forEach(([id, body, state], i) =>
    store.upsertConversation(
      conversation({ id, updated_at: T0 + (i + 1) * DAY, body, state, author: uma }),
      T0,
    )
  );
}

function ids(store: Store, search: ConversationSearch): string[] {
  return store.searchConversations(search).hits.map((h) => h.id);
}

Deno.test("searchConversations() finds either side of OR between CJK text and a word", async () => {
  await withStore((store) => {
    seed(store);
    // a conversation with only the word is found, not only those with CJK text
    assert.deepEqual(ids(store, { text: "請求書 OR invoice" }), ["e2", "z2", "j2", "j1", "e1"]);
    assert.deepEqual(ids(store, { text: "invoice OR 請求書" }), ["e2", "z2", "j2", "j1", "e1"]);
    assert.equal(store.searchConversations({ text: "請求書 OR invoice" }).total, 5);
    assert.deepEqual(ids(store, { text: "請求書 OR invoi*" }), ["e2", "z2", "j2", "j1", "e1"]);
    // two characters (no trigram) on one side
    assert.deepEqual(ids(store, { text: "退款 OR refund" }), ["e2", "z2", "z1", "j2"]);
    // with a word clause: every result has it, ranked among them
    assert.deepEqual(ids(store, { text: "請求書 OR invoice refund" }).sort(), ["e2", "j2"]);
    // with a clause of CJK text alone: the word is looked up among its matches
    assert.deepEqual(ids(store, { text: "退款 請求書 OR invoice" }), ["z2"]);
    // with filters
    assert.deepEqual(ids(store, { text: "請求書 OR invoice", state: "closed" }), ["e2", "j2"]);
    assert.deepEqual(ids(store, { text: "請求書 OR nowhere" }), ["j2", "j1"]);
    assert.deepEqual(ids(store, { text: "nowhere OR 見つからない" }), []);
  });
});
