import assert from "node:assert/strict";
import { parseConversationRef } from "../../lib/mcp/conversation_ref.ts";

Deno.test("parseConversationRef() reads every form of a conversation id we or Intercom print", () => {
  const cases: [string, string | null][] = [
    ["215468132456", "215468132456"],
    ["  123 ", "123"],
    ["#123", "123"],
    ["conversation_123", "123"],
    ["intercom://conversations/123", "123"],
    ["https://app.intercom.com/a/inbox/abc123/inbox/conversation/215468132456", "215468132456"],
    ["https://app.intercom.com/a/inbox/abc123/inbox/conversation/42?view=List#part_id=x", "42"],
    ["https://app.eu.intercom.com/a/inbox/ws/inbox/shared/all/conversation/77", "77"],
    ["https://app.au.intercom.com/a/apps/ws/inbox/inbox/conversation/88/", "88"],
    ["https://app.intercom.com/a/apps/ws/conversations/99", "99"],
    ["https://evil.example/a/inbox/x/inbox/conversation/1", null],
    ["contact_123", null],
    ["12a", null],
    ["", null],
    ["#", null],
  ];
  for (const [text, id] of cases) assert.equal(parseConversationRef(text), id, text);
});
