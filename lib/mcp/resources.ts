/**
 * Each stored conversation as an MCP resource, `intercom://conversations/{id}` (a resource
 * template), for clients that let a user attach resources to a chat: reading one gives the
 * whole thread as text, as `get_conversation` shows it; listing gives the most recently
 * updated conversations.
 */
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { AppError } from "../errors.ts";
import type { McpContext } from "./context.ts";
import { parseConversationRef } from "./conversation_ref.ts";
import { InvalidParamsError, ResourceNotFoundError } from "./protocol_errors.ts";
import { getConversation, MAX_CHARS, MAX_PARTS } from "./tools/get_conversation.ts";

/** The URI template of conversation resources. */
export const CONVERSATION_URI_TEMPLATE = "intercom://conversations/{id}";
/** How many conversations `resources/list` shows (the most recently updated). */
export const LISTED_CONVERSATIONS = 50;

/** The URI of a conversation's resource. */
export function conversationUri(id: string): string {
  return `intercom://conversations/${id}`;
}

async function readConversation(ctx: McpContext, uri: URL): Promise<ReadResourceResult> {
  const id = parseConversationRef(uri.href);
  if (id === null) throw new InvalidParamsError(`not a conversation URI: ${uri.href}`);
  let result;
  try {
    result = await getConversation(ctx, {
      conversation_id: id,
      max_parts: MAX_PARTS.max,
      max_chars: MAX_CHARS.max,
    });
  } catch (error) {
    if (error instanceof AppError) throw new ResourceNotFoundError(error.message);
    throw error;
  }
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  return { contents: [{ uri: uri.href, mimeType: "text/plain", text }] };
}

/** Registers the conversation resource template on `server`. */
export function registerConversationResources(server: McpServer, ctx: McpContext): void {
  const template = new ResourceTemplate(CONVERSATION_URI_TEMPLATE, {
    list: () => {
      const { hits } = ctx.store.get().searchConversations({ limit: LISTED_CONVERSATIONS });
      return {
        resources: hits.map((hit) => ({
          uri: conversationUri(hit.id),
          name: `Conversation #${hit.id}: ${hit.source_subject ?? hit.title ?? hit.snippet ?? ""}`
            .replace(/:\s*$/, "").slice(0, 200),
          description: `${hit.state} conversation with ${
            hit.source_author_name ?? hit.source_author_email ?? "a customer"
          }, updated ${new Date(hit.updated_at * 1000).toISOString()}`,
          mimeType: "text/plain",
        })),
      };
    },
  });
  server.registerResource("conversation", template, {
    title: "Intercom conversation",
    description: "A synced Intercom conversation: the whole thread in order, as text. " +
      "Listing shows the 50 most recently updated.",
    mimeType: "text/plain",
  }, (uri) => readConversation(ctx, uri));
}
