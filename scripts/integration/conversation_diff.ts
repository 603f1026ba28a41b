/**
 * Differences between a stored conversation and the same conversation fetched from the API
 * (`GET /conversations/{id}?display_as=plaintext`): the fields and parts the sync promises to
 * keep exactly. An empty list means they match.
 */
import type { Conversation } from "../../lib/intercom/types.ts";
import type { StoredConversation } from "../../lib/store/types.ts";

/** Every difference between `stored` and `fetched`, one readable line each. */
export function conversationDifferences(
  stored: StoredConversation,
  fetched: Conversation,
): string[] {
  const out: string[] = [];
  const field = (name: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      out.push(`${name}: stored ${JSON.stringify(got)}, source ${JSON.stringify(want)}`);
    }
  };
  field("updated_at", stored.updated_at, fetched.updated_at);
  field("created_at", stored.created_at, fetched.created_at);
  field("state", stored.state, fetched.state);
  field("open", stored.open, fetched.open);
  field("read", stored.read, fetched.read);
  field("priority", stored.priority, fetched.priority);
  field("title", stored.title, fetched.title);
  field("admin_assignee_id", stored.admin_assignee_id, fetched.admin_assignee_id);
  field("team_assignee_id", stored.team_assignee_id, fetched.team_assignee_id);
  field("source subject", stored.source_subject, fetched.source?.subject ?? null);
  field("source body", stored.source_body, fetched.source?.body ?? null);
  field("source author", stored.source_author_id, fetched.source?.author?.id ?? null);
  field("tags", [...stored.tag_names].sort(), fetched.tags.map((t) => t.name).sort());
  field("contacts", [...stored.contact_ids].sort(), fetched.contacts.map((c) => c.id).sort());
  out.push(...partDifferences(stored, fetched));
  return out.map((line) => `conversation ${stored.id}: ${line}`);
}

function partDifferences(stored: StoredConversation, fetched: Conversation): string[] {
  const out: string[] = [];
  const total = fetched.conversation_parts.total_count;
  const returned = fetched.conversation_parts.conversation_parts;
  if (stored.parts_total !== total) {
    out.push(`parts_total: stored ${stored.parts_total}, source ${total}`);
  }
  const truncated = returned.length < total;
  if (stored.parts_truncated !== truncated) {
    out.push(`parts_truncated: stored ${stored.parts_truncated}, source ${truncated}`);
  }
  const parts = new Map(
    stored.parts.filter((p) => p.part_type !== "source").map((p) => [p.id, p]),
  );
  // Older parts beyond the API's 500-part cap may stay stored; with no cap, the sets are equal.
  if (!truncated) {
    const source = new Set(returned.map((p) => p.id));
    for (const id of parts.keys()) {
      if (!source.has(id)) out.push(`part ${id}: stored but not in the source`);
    }
  }
  for (const part of returned) {
    const s = parts.get(part.id);
    if (s === undefined) {
      out.push(`part ${part.id}: missing from the store`);
      continue;
    }
    const want = {
      body: part.body ?? null,
      part_type: part.part_type,
      created_at: part.created_at,
      author_type: part.author?.type ?? null,
      author_id: part.author?.id ?? null,
    };
    for (const [key, value] of Object.entries(want)) {
      const got = s[key as keyof typeof want];
      if (got !== value) {
        out.push(
          `part ${part.id} ${key}: stored ${JSON.stringify(got)}, source ${JSON.stringify(value)}`,
        );
      }
    }
  }
  return out;
}
