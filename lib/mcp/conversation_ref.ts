/**
 * Every form a conversation's id is printed in, by us or by Intercom, turned into the id:
 * `215468132456`, `#215468132456`, `conversation_215468132456` (the `search`/`fetch` ids),
 * `intercom://conversations/215468132456` (the resource URI) and inbox links in any region
 * (`https://app.intercom.com/a/inbox/abc123/inbox/conversation/215468132456?view=List`,
 * `app.eu.intercom.com`, `app.au.intercom.com`, `/a/apps/…/inbox/…`). Pure functions.
 */

const ID = /^\d{1,30}$/;

/** The conversation id `text` refers to, or null when it is none of the forms above. */
export function parseConversationRef(text: string): string | null {
  const t = text.trim();
  if (ID.test(t)) return t;
  const short = /^(?:#|conversation_)(\d{1,30})$/i.exec(t);
  if (short) return short[1]!;
  const resource = /^intercom:\/\/conversations\/(\d{1,30})$/i.exec(t);
  if (resource) return resource[1]!;
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (!/(^|\.)intercom\.(com|io)$/i.test(url.hostname)) return null;
  const inPath = /\/conversations?\/(\d{1,30})(?:\/|$)/.exec(url.pathname);
  return inPath ? inPath[1]! : null;
}

/** The forms {@link parseConversationRef} accepts, for messages. */
export const CONVERSATION_REF_FORMS =
  '215468132456, "#215468132456", "conversation_215468132456" or the conversation\'s Intercom ' +
  "inbox link";
