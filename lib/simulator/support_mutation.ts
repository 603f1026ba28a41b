/**
 * Live changes to tickets, companies and contacts, as a busy workspace makes them while a sync
 * runs: tickets get parts and change state, new tickets appear, companies and contacts change
 * (plan, spend, tags, companies, location, owner). Every change moves `updated_at` to "now".
 */
import type { Prng } from "./prng.ts";
import { PLANS } from "./support_content.ts";
import { SIM_TICKET_STATES } from "./support_records.ts";
import { addTicket, appendTicketParts, buildTicket } from "./ticket_builder.ts";
import type { Workspace } from "./workspace.ts";

const KINDS = { ticket: 40, newTicket: 15, company: 20, contact: 25 } as const;

/** What {@link mutateSupport} changed (ids, each once). */
export interface SupportMutationResult {
  ticketsChanged: string[];
  ticketsCreated: string[];
  companiesChanged: string[];
  contactsChanged: string[];
}

/** Applies `count` random changes to tickets, companies and contacts, stamped `now`. */
export function mutateSupport(
  ws: Workspace,
  rng: Prng,
  options: { count: number; now: number },
): SupportMutationResult {
  const result: SupportMutationResult = {
    ticketsChanged: [],
    ticketsCreated: [],
    companiesChanged: [],
    contactsChanged: [],
  };
  const now = options.now;
  for (let i = 0; i < Math.max(0, Math.floor(options.count)); i++) {
    const kind = rng.weighted(KINDS);
    if (kind === "newTicket" || (kind === "ticket" && ws.tickets.length === 0)) {
      const type = rng.pick(ws.ticketTypes.filter((t) => !t.archived));
      const users = ws.contacts.filter((c) => c.role === "user" && c.email !== null);
      const contact = type.category === "Tracker" || users.length === 0 ? null : rng.pick(users);
      const ticket = buildTicket(ws, rng, {
        type,
        createdAt: now,
        partTimes: rng.chance(0.5) ? [now] : [],
        contact,
        target: "submitted",
      });
      addTicket(ws, ticket);
      result.ticketsCreated.push(ticket.id);
    } else if (kind === "ticket") {
      const ticket = rng.pick(ws.tickets);
      const at = Math.max(now, ticket.updated_at);
      appendTicketParts(ws, rng, ticket, {
        times: [at],
        target: rng.chance(0.5) ? ticket.state : rng.pick(SIM_TICKET_STATES),
      });
      result.ticketsChanged.push(ticket.id);
    } else if (kind === "company" && ws.companies.length > 0) {
      const company = rng.pick(ws.companies);
      company.monthly_spend = rng.int(0, 50_000);
      if (rng.chance(0.3)) company.plan = { ...rng.pick(PLANS) };
      company.updated_at = Math.max(now, company.updated_at);
      result.companiesChanged.push(company.id);
    } else if (ws.contacts.length > 0) {
      const contact = rng.pick(ws.contacts);
      if (rng.chance(0.5) && ws.companies.length > 0) {
        contact.company_ids = [rng.pick(ws.companies).id];
      } else contact.tag_ids = rng.chance(0.5) ? [rng.pick(ws.tags).id] : [];
      if (rng.chance(0.2)) contact.owner_id = rng.pick(ws.admins).id;
      contact.updated_at = Math.max(now, contact.updated_at);
      result.contactsChanged.push(contact.id);
    }
  }
  for (const key of Object.keys(result) as (keyof SupportMutationResult)[]) {
    result[key] = [...new Set(result[key])];
  }
  return result;
}
