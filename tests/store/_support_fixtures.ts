/**
 * A simulated workspace as the store receives it: every record rendered as Intercom's API
 * answers (the simulator's renderers, checked against the 2.11 description) and parsed by the
 * client's schemas, so store tests use the shapes a sync writes.
 */
import {
  CompanySchema,
  DataAttributeSchema,
  TicketSchema,
  TicketTypeSchema,
} from "../../lib/intercom/support_types.ts";
import {
  AdminSchema,
  ContactSchema,
  ConversationSchema,
  TagSchema,
  TeamSchema,
} from "../../lib/intercom/types.ts";
import { generateWorkspace } from "../../lib/simulator/generator.ts";
import {
  renderAdmin,
  renderContact,
  renderConversation,
  renderTag,
  renderTeam,
} from "../../lib/simulator/render.ts";
import {
  companyUserCounts,
  renderCompany,
  renderDataAttribute,
  renderTicket,
  renderTicketType,
} from "../../lib/simulator/render_support.ts";
import type { Workspace } from "../../lib/simulator/mod.ts";
import type { Store } from "../../lib/store/store.ts";

/** The simulated workspace's "now". */
export const SIM_NOW = 1_750_000_000;

/** A generated workspace (default: seed 8, 300 conversations over 30 days). */
export function simulatedWorkspace(seed = 8, conversations = 300): Workspace {
  return generateWorkspace({ seed, conversations, days: 30, now: SIM_NOW });
}

/** A ticket of `ws` as `GET /tickets/{id}` answers, parsed. */
export function apiTicket(ws: Workspace, id: string) {
  return TicketSchema.parse(renderTicket(ws, ws.ticketsById.get(id)!));
}

/** Every company of `ws` as the scroll answers them, parsed. */
export function apiCompanies(ws: Workspace) {
  const counts = companyUserCounts(ws.contacts);
  return ws.companies.map((c) => CompanySchema.parse(renderCompany(ws, c, counts.get(c.id) ?? 0)));
}

/** Stores everything of `ws` the way a full sync would. */
export function loadWorkspace(store: Store, ws: Workspace, syncedAt = SIM_NOW + 10): void {
  store.transaction(() => {
    store.replaceAdmins(ws.admins.map((a) => AdminSchema.parse(renderAdmin(a))));
    store.replaceTeams(ws.teams.map((t) => TeamSchema.parse(renderTeam(t))));
    store.replaceTags(ws.tags.map((t) => TagSchema.parse(renderTag(t))));
    store.upsertContacts(ws.contacts.map((c) => ContactSchema.parse(renderContact(ws, c))));
    store.support.upsertCompanies(apiCompanies(ws), syncedAt);
    store.support.replaceTicketTypes(
      ws.ticketTypes.map((t) => TicketTypeSchema.parse(renderTicketType(ws, t))),
    );
    for (const model of ["contact", "company", "conversation"] as const) {
      store.support.replaceDataAttributes(
        model,
        ws.dataAttributes.filter((a) => a.model === model).map((a) =>
          DataAttributeSchema.parse(renderDataAttribute(a))
        ),
      );
    }
    for (const c of ws.conversations) {
      store.upsertConversation(ConversationSchema.parse(renderConversation(ws, c.id)), syncedAt);
    }
    for (const t of ws.tickets) store.support.upsertTicket(apiTicket(ws, t.id), syncedAt);
  });
}
