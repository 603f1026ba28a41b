/** Test factories: Intercom-shaped objects that parse with the project's zod schemas. */
import { join } from "node:path";
import {
  type Contact,
  ContactSchema,
  type Conversation,
  type ConversationPart,
  ConversationPartSchema,
  ConversationSchema,
} from "../../lib/intercom/types.ts";
import { Store, type StoreOpenOptions } from "../../lib/store/store.ts";

/** 2024-05-01T00:00:00Z. */
export const T0 = 1714521600;
export const HOUR = 3600;
export const DAY = 86400;

/** Fields a test may set on a part. */
export interface PartInput {
  id: string;
  body?: string | null;
  part_type?: string;
  created_at?: number;
  author?: { type: string; id?: string; name?: string | null; email?: string | null };
}

/** A conversation part as the API returns it (plaintext). */
export function part(input: PartInput): ConversationPart {
  return ConversationPartSchema.parse({
    type: "conversation_part",
    id: input.id,
    part_type: input.part_type ?? "comment",
    body: input.body === undefined ? `reply ${input.id}` : input.body,
    created_at: input.created_at ?? T0 + HOUR,
    updated_at: input.created_at ?? T0 + HOUR,
    notified_at: null,
    author: input.author ?? { type: "admin", id: "900", name: "Ada Admin", email: "ada@team.test" },
    attachments: [],
    redacted: false,
  });
}

/** Fields a test may set on a conversation. */
export interface ConversationInput {
  id: string;
  created_at?: number;
  updated_at?: number;
  state?: "open" | "closed" | "snoozed";
  title?: string | null;
  subject?: string | null;
  body?: string | null;
  author?: { type: string; id?: string; name?: string | null; email?: string | null } | null;
  admin_assignee_id?: string | number | null;
  team_assignee_id?: string | number | null;
  tags?: { id: string; name: string }[];
  contacts?: string[];
  parts?: ConversationPart[];
  /** Intercom's total part count; defaults to the number of parts given. */
  total_count?: number;
}

/** A conversation as `GET /conversations/{id}` returns it, parsed by `ConversationSchema`. */
export function conversation(input: ConversationInput): Conversation {
  const parts = input.parts ?? [];
  const state = input.state ?? "open";
  return ConversationSchema.parse({
    type: "conversation",
    id: input.id,
    title: input.title ?? null,
    created_at: input.created_at ?? T0,
    updated_at: input.updated_at ?? input.created_at ?? T0,
    waiting_since: null,
    snoozed_until: null,
    open: state !== "closed",
    state,
    read: true,
    priority: "not_priority",
    admin_assignee_id: input.admin_assignee_id ?? null,
    team_assignee_id: input.team_assignee_id ?? null,
    tags: {
      type: "tag.list",
      tags: (input.tags ?? []).map((t) => ({
        type: "tag",
        id: t.id,
        name: t.name,
        applied_at: T0,
      })),
    },
    source: {
      type: "conversation",
      id: `src-${input.id}`,
      delivered_as: "customer_initiated",
      subject: input.subject ?? null,
      body: input.body === undefined ? `<p>Hello, question ${input.id}</p>` : input.body,
      author: input.author === undefined
        ? { type: "user", id: "u1", name: "Uma User", email: "uma@customer.test" }
        : input.author,
      url: null,
    },
    contacts: {
      type: "contact.list",
      contacts: (input.contacts ?? ["u1"]).map((id) => ({
        type: "contact",
        id,
        external_id: null,
      })),
    },
    teammates: { type: "admin.list", teammates: [] },
    statistics: { count_conversation_parts: (input.total_count ?? parts.length) + 1 },
    custom_attributes: { channel: "chat" },
    conversation_rating: null,
    conversation_parts: {
      type: "conversation_part.list",
      conversation_parts: parts,
      total_count: input.total_count ?? parts.length,
    },
  });
}

/** A contact as the API returns it. */
export function contact(id: string, email: string | null, name = `Contact ${id}`): Contact {
  return ContactSchema.parse({
    type: "contact",
    id,
    external_id: `ext-${id}`,
    role: "user",
    email,
    phone: null,
    name,
    created_at: T0 - DAY,
    updated_at: T0,
    last_seen_at: T0,
    custom_attributes: { plan: "pro" },
  });
}

/** A fixed clock at `seconds`. */
export function clockAt(seconds: number): () => number {
  return () => seconds * 1000;
}

/** A temporary directory, removed after `fn` (even when it throws). */
export async function withTempDir<T>(fn: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "store-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A fresh store in a temporary directory, closed and removed after `fn`. */
export function withStore<T>(
  fn: (store: Store, path: string) => T | Promise<T>,
  options: StoreOpenOptions = {},
): Promise<T> {
  return withTempDir(async (dir) => {
    const path = join(dir, "data", "store.db");
    using store = Store.open(path, { clock: clockAt(T0), ...options });
    return await fn(store, path);
  });
}
