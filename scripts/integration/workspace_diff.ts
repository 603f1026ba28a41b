/**
 * Differences between a store and the simulator workspace it was synced from (the truth, read
 * in process): every conversation stored and equal to `GET /conversations/{id}` field by field
 * and part by part (parts past the 500-part cap may stay stored, none may be invented), nothing
 * else stored, and every contact a stored conversation names stored and equal to
 * `GET /contacts/{id}` (so none names a contact merged away), with no contact left missing.
 * An empty list means the store is an exact mirror.
 */
import { ContactSchema, ConversationSchema } from "../../lib/intercom/types.ts";
import { renderContact, renderConversation, type Workspace } from "../../lib/simulator/mod.ts";
import type { Store } from "../../lib/store/store.ts";
import { conversationDifferences } from "./conversation_diff.ts";
import { supportDifferences } from "./support_diff.ts";

/** The contact fields the store keeps and compares. */
const CONTACT_FIELDS = [
  "email",
  "name",
  "role",
  "external_id",
  "phone",
  "created_at",
  "updated_at",
] as const;

/** What {@link storeDifferences} compares beyond conversations and contacts. */
export interface DifferenceOptions {
  /** At most this many lines. Default 50. */
  limit?: number;
  /** Also tickets (with parts) and companies (`support_diff.ts`). Default false. */
  support?: boolean;
}

/** Every difference between `store` and `ws`, one readable line each. */
export function storeDifferences(
  store: Store,
  ws: Workspace,
  options: DifferenceOptions = {},
): string[] {
  const limit = options.limit ?? 50;
  const out: string[] = [];
  const stats = store.stats();
  if (stats.conversations !== ws.conversations.length) {
    out.push(`conversations: stored ${stats.conversations}, source ${ws.conversations.length}`);
  }
  let storedParts = 0;
  const named = new Set<string>();
  for (const sim of ws.conversations) {
    if (out.length >= limit) return out;
    const got = store.getConversation(sim.id);
    if (got === null) {
      out.push(`conversation ${sim.id}: missing from the store`);
      continue;
    }
    const expected = ConversationSchema.parse(renderConversation(ws, sim.id, { plaintext: true }));
    out.push(...conversationDifferences(got, expected));
    const real = new Set(sim.parts.map((p) => p.id));
    const parts = got.parts.filter((p) => p.part_type !== "source");
    for (const p of parts) {
      if (!real.has(p.id)) out.push(`conversation ${sim.id}: part ${p.id} does not exist`);
    }
    storedParts += parts.length;
    for (const id of got.contact_ids) named.add(id);
  }
  if (stats.parts !== storedParts) {
    out.push(`parts: ${stats.parts} stored, ${storedParts} in stored conversations`);
  }
  for (const id of named) {
    const sim = ws.contactsById.get(id);
    if (!sim || sim.merged_into !== undefined) {
      out.push(`contact ${id}: named by a stored conversation but not in the workspace`);
      continue;
    }
    const got = store.getContact(id);
    if (got === null) {
      out.push(`contact ${id}: missing from the store`);
      continue;
    }
    const want = ContactSchema.parse(renderContact(ws, sim));
    for (const field of CONTACT_FIELDS) {
      if (got[field] !== want[field]) {
        out.push(
          `contact ${id} ${field}: stored ${JSON.stringify(got[field])}, source ${
            JSON.stringify(want[field])
          }`,
        );
      }
    }
  }
  for (const m of store.missingContacts()) out.push(`contact ${m.id}: still missing (${m.reason})`);
  if (options.support) out.push(...supportDifferences(store, ws, limit));
  return out.slice(0, limit);
}
