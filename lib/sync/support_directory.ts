/**
 * Ticket types and data attribute definitions: small lists, fetched whole every run (four
 * requests) and replaced in one transaction, so labels and types always match Intercom's.
 */
import { listDataAttributes, listTicketTypes } from "../intercom/support_api.ts";
import type { StreamContext } from "./stream_context.ts";

const MODELS = ["contact", "company", "conversation"] as const;

/** Fetches and stores every ticket type and every data attribute definition. */
export async function syncSupportDirectory(
  ctx: Pick<StreamContext, "store" | "client" | "signal">,
): Promise<{ ticketTypes: number; dataAttributes: number }> {
  const [types, ...attributes] = await Promise.all([
    listTicketTypes(ctx.client, ctx.signal),
    ...MODELS.map((model) => listDataAttributes(ctx.client, model, ctx.signal)),
  ]);
  ctx.store.transaction(() => {
    ctx.store.support.replaceTicketTypes(types);
    MODELS.forEach((model, i) => ctx.store.support.replaceDataAttributes(model, attributes[i]!));
  });
  return {
    ticketTypes: types.length,
    dataAttributes: attributes.reduce((n, list) => n + list.length, 0),
  };
}
