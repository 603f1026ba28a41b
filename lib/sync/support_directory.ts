/**
 * Ticket types and data attribute definitions: small lists, fetched whole every run (four
 * requests) and replaced in one transaction, so labels and types always match Intercom's. One
 * that cannot be read is quarantined (its stored row kept; data attributes, keyed by a name that
 * may be what is broken, keep every stored definition of that model) and the rest stored; the
 * next run's listing tries it again.
 */
import { listDataAttributes, listTicketTypes } from "../intercom/support_api.ts";
import { setAsideUnreadable } from "./set_aside.ts";
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
  const { store } = ctx;
  store.transaction(() => {
    const keep = setAsideUnreadable(
      store,
      "ticket_type",
      types.unreadable.map((u) => ({ ...u, endpoint: "GET /ticket_types" })),
    );
    store.support.replaceTicketTypes(types.items, keep);
    // A definition has no id unless it is custom: quarantined as "model:id".
    const unreadable = MODELS.flatMap((model, i) =>
      attributes[i]!.unreadable.map((u) => ({
        id: `${model}:${u.id ?? "(no id)"}`,
        reason: u.reason,
        endpoint: `GET /data_attributes?model=${model}`,
      }))
    );
    setAsideUnreadable(store, "data_attribute", unreadable);
    MODELS.forEach((model, i) => {
      const list = attributes[i]!;
      store.support.replaceDataAttributes(model, list.items, {
        keepOthers: list.unreadable.length > 0,
      });
    });
  });
  return {
    ticketTypes: types.items.length,
    dataAttributes: attributes.reduce((n, list) => n + list.items.length, 0),
  };
}
