/**
 * Differences between the tickets and companies of a store and the simulator workspace it was
 * synced from (the truth, read in process): every ticket stored and equal to
 * `GET /tickets/{id}` field by field and part by part (none invented), every company stored and
 * equal to `GET /companies/{id}`, nothing else stored. An empty list means an exact mirror.
 */
import { CompanySchema, TicketSchema } from "../../lib/intercom/support_types.ts";
import { renderCompany, renderTicket, type Workspace } from "../../lib/simulator/mod.ts";
import type { Store } from "../../lib/store/store.ts";

/** Every ticket and company difference between `store` and `ws`, one line each. */
export function supportDifferences(store: Store, ws: Workspace, limit = 50): string[] {
  const out: string[] = [];
  const counts = store.support.counts();
  if (counts.tickets !== ws.tickets.length) {
    out.push(`tickets: stored ${counts.tickets}, source ${ws.tickets.length}`);
  }
  for (const sim of ws.tickets) {
    if (out.length >= limit) return out;
    const got = store.support.getTicket(sim.id);
    if (got === null) {
      out.push(`ticket ${sim.id}: missing from the store`);
      continue;
    }
    const want = TicketSchema.parse(renderTicket(ws, sim));
    const fields: [string, unknown, unknown][] = [
      ["updated_at", got.updated_at, want.updated_at],
      ["state", got.state, want.ticket_state],
      ["title", got.title, want.ticket_attributes._default_title_ ?? null],
      ["description", got.description, want.ticket_attributes._default_description_ ?? null],
      ["category", got.category, want.category],
      ["ticket_type_id", got.ticket_type_id, want.ticket_type?.id ?? null],
      ["admin_assignee_id", got.admin_assignee_id, want.admin_assignee_id],
      ["team_assignee_id", got.team_assignee_id, want.team_assignee_id],
      ["snoozed_until", got.snoozed_until, want.snoozed_until],
      ["contact_ids", [...got.contact_ids].sort(), want.contacts.map((c) => c.id).sort()],
      ["links", got.links.map((l) => l.id).sort(), want.linked_objects.map((l) => l.id).sort()],
    ];
    out.push(...differing(`ticket ${sim.id}`, fields));
    const stored = new Map(got.parts.map((p) => [p.id, p]));
    for (const part of want.ticket_parts.ticket_parts) {
      const have = stored.get(part.id);
      if (!have) out.push(`ticket ${sim.id}: part ${part.id} missing from the store`);
      else if (have.ticket_state !== part.ticket_state || have.part_type !== part.part_type) {
        out.push(
          `ticket ${sim.id}: part ${part.id} stored ${have.part_type}/${have.ticket_state}, ` +
            `source ${part.part_type}/${part.ticket_state}`,
        );
      }
    }
    const real = new Set(sim.parts.map((p) => p.id));
    for (const p of got.parts) {
      if (!real.has(p.id)) out.push(`ticket ${sim.id}: part ${p.id} does not exist`);
    }
  }
  if (counts.companies !== ws.companies.length) {
    out.push(`companies: stored ${counts.companies}, source ${ws.companies.length}`);
  }
  for (const sim of ws.companies) {
    if (out.length >= limit) return out;
    const got = store.support.getCompany(sim.id);
    if (got === null || got.id !== sim.id) {
      out.push(`company ${sim.id}: missing from the store`);
      continue;
    }
    const want = CompanySchema.parse(renderCompany(ws, sim, 0));
    out.push(...differing(`company ${sim.id}`, [
      ["name", got.name, want.name],
      ["plan", got.plan, want.plan?.name ?? null],
      ["size", got.size, want.size],
      ["website", got.website, want.website],
      ["industry", got.industry, want.industry],
      ["monthly_spend", got.monthly_spend, want.monthly_spend],
      ["updated_at", got.updated_at, want.updated_at],
      ["custom_attributes", got.custom_attributes, want.custom_attributes],
      ["tag_names", [...got.tag_names].sort(), want.tags.map((t) => t.name).sort()],
    ]));
  }
  return out.slice(0, limit);
}

function differing(what: string, fields: [string, unknown, unknown][]): string[] {
  return fields
    .filter(([, got, want]) => JSON.stringify(got) !== JSON.stringify(want))
    .map(([field, got, want]) =>
      `${what} ${field}: stored ${JSON.stringify(got)}, source ${JSON.stringify(want)}`
    );
}
