/**
 * Tickets and companies for the synthetic store (`make_synthetic_store.ts --tickets N
 * --companies N`): companies on three plans with custom attributes, contacts assigned to them,
 * tickets of three categories with 1–12 parts each drawn from the same Zipf vocabulary as
 * the conversations, so ticket search sees the same word frequencies.
 */
import type { Company, Ticket, TicketPart } from "../lib/intercom/support_types.ts";
import type { Admin, Contact, Team } from "../lib/intercom/types.ts";
import type { Store } from "../lib/store/store.ts";

/** Plans the synthetic companies are on (Enterprise about a fifth). */
export const SYNTHETIC_PLANS = ["Free", "Pro", "Enterprise"] as const;
const PLAN_WEIGHTS = [0.5, 0.3, 0.2];
const INDUSTRIES = ["Software", "Retail", "Finance", "Healthcare", "Logistics", "Education"];
const REGIONS = ["EMEA", "NA", "APAC", "LATAM"];
const STATES = ["submitted", "in_progress", "waiting_on_customer", "resolved"] as const;
const TYPES = [
  { id: "1", name: "Bug report", category: "Customer" },
  { id: "2", name: "Billing investigation", category: "Back-office" },
  { id: "3", name: "Engineering issue", category: "Tracker" },
] as const;

/** What the generator of conversations lends this module. */
export interface SyntheticSource {
  random: () => number;
  pick<T>(items: readonly T[]): T;
  /** A sentence of `words` words from the vocabulary. */
  sentence(words: number): string;
  /** A message body of a few sentences. */
  body(): string;
  contacts: Contact[];
  admins: Admin[];
  teams: Team[];
}

/** The id of synthetic company `i`. */
export function companyId(i: number): string {
  return `company${i}`;
}

/** Puts about 70% of the contacts in one of `companies` companies (before they are stored). */
export function assignCompanies(source: SyntheticSource, companies: number): void {
  if (companies <= 0) return;
  for (const contact of source.contacts) {
    if (source.random() < 0.7) {
      contact.companies = [companyId(Math.floor(source.random() * companies))];
    }
  }
}

function weightedPlan(random: () => number): string {
  const roll = random();
  let sum = 0;
  for (let i = 0; i < SYNTHETIC_PLANS.length; i++) {
    sum += PLAN_WEIGHTS[i]!;
    if (roll < sum) return SYNTHETIC_PLANS[i]!;
  }
  return SYNTHETIC_PLANS[0];
}

function company(source: SyntheticSource, i: number, end: number): Company {
  const words = source.sentence(2).split(" ");
  const name = `${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ")} ${
    source.pick(["Inc.", "Ltd", "GmbH", "Labs"])
  } ${i}`;
  const plan = weightedPlan(source.random);
  return {
    id: companyId(i),
    company_id: `co-${i}`,
    name,
    plan: { id: String(SYNTHETIC_PLANS.indexOf(plan as never) + 1), name: plan },
    size: 1 + Math.floor(source.random() * 5000),
    website: `https://${name.split(" ")[0]!.toLowerCase()}${i}.example.com`,
    industry: source.pick(INDUSTRIES),
    monthly_spend: Math.floor(source.random() * 50_000),
    session_count: Math.floor(source.random() * 10_000),
    user_count: null,
    remote_created_at: end - 800 * 86400,
    created_at: end - 800 * 86400,
    updated_at: end - Math.floor(source.random() * 365 * 86400),
    last_request_at: end - Math.floor(source.random() * 30 * 86400),
    custom_attributes: { region: source.pick(REGIONS), tier: source.pick(["gold", "silver"]) },
    tags: [],
  };
}

function ticket(
  source: SyntheticSource,
  i: number,
  options: { end: number; span: number; total: number; nextPartId: () => string },
): Ticket {
  const type = source.pick(TYPES);
  const contact = type.category === "Tracker" ? null : source.pick(source.contacts);
  const admin = source.pick(source.admins);
  const created = options.end - options.span + Math.floor((i / options.total) * options.span);
  const count = 1 + Math.floor(source.random() * 12);
  const parts: TicketPart[] = [];
  let time = created;
  let state: (typeof STATES)[number] = "submitted";
  for (let p = 0; p < count; p++) {
    time = Math.min(options.end, time + 60 + Math.floor(source.random() * 7200));
    const change = source.random() < 0.25;
    const previous = state;
    if (change) state = source.pick(STATES);
    const fromContact = contact !== null && !change && source.random() < 0.45;
    parts.push({
      type: "ticket_part",
      id: options.nextPartId(),
      part_type: change ? "ticket_state_updated_by_admin" : "comment",
      body: change ? null : source.body(),
      ticket_state: state,
      previous_ticket_state: change ? previous : null,
      created_at: time,
      updated_at: time,
      assigned_to: null,
      author: fromContact
        ? { type: "user", id: contact!.id, name: contact!.name, email: contact!.email }
        : { type: "admin", id: admin.id, name: admin.name, email: admin.email },
      attachments: [],
      redacted: false,
    });
  }
  return {
    type: "ticket",
    id: String(300_000_000 + i),
    ticket_id: String(i + 1),
    category: type.category,
    ticket_attributes: {
      _default_title_: source.sentence(4 + Math.floor(source.random() * 4)),
      _default_description_: source.body(),
    },
    ticket_state: state,
    ticket_type: {
      id: type.id,
      name: type.name,
      description: null,
      icon: null,
      category: type.category,
      archived: false,
      created_at: null,
      updated_at: null,
      ticket_type_attributes: [],
    },
    contacts: contact ? [{ id: contact.id, external_id: contact.external_id }] : [],
    admin_assignee_id: source.random() < 0.8 ? admin.id : null,
    team_assignee_id: admin.team_ids[0] ?? null,
    created_at: created,
    updated_at: time,
    open: state !== "resolved",
    snoozed_until: null,
    linked_objects: [],
    is_shared: type.category === "Customer",
    ticket_state_internal_label: state,
    ticket_state_external_label: state,
    ticket_parts: { ticket_parts: parts, total_count: parts.length },
  };
}

/** Stores `companies` companies and `tickets` tickets; returns the ticket parts stored. */
export function addSyntheticSupport(
  store: Store,
  source: SyntheticSource,
  options: { companies: number; tickets: number; end: number; span: number; batchSize: number },
): { ticketParts: number } {
  for (let start = 0; start < options.companies; start += options.batchSize) {
    const batch: Company[] = [];
    for (let i = start; i < Math.min(options.companies, start + options.batchSize); i++) {
      batch.push(company(source, i, options.end));
    }
    store.support.upsertCompanies(batch, options.end);
  }
  let partId = 2_000_000_000;
  const nextPartId = () => String(partId++);
  let ticketParts = 0;
  for (let start = 0; start < options.tickets; start += options.batchSize) {
    store.transaction(() => {
      for (let i = start; i < Math.min(options.tickets, start + options.batchSize); i++) {
        const t = ticket(source, i, {
          end: options.end,
          span: options.span,
          total: options.tickets,
          nextPartId,
        });
        ticketParts += store.support.upsertTicket(t, options.end, { fetchedAt: options.end })
          .partsUpserted;
      }
    });
  }
  if (options.tickets > 0) store.support.completeStream("tickets", options.end);
  if (options.companies > 0) store.support.completeStream("companies", options.end);
  return { ticketParts };
}
