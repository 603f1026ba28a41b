/**
 * Generates what a support team works with besides conversations: companies and the contacts
 * in them (with locations and owners), tickets (some raised from a conversation, trackers
 * linking several tickets), conversation extras (attachments, SLA, topics, Fin's part) and
 * the data attribute definitions. Drawn from its own random stream, after the conversations,
 * so the conversations and contacts of a seed are the same with or without it.
 */
import { deriveSeed, Prng } from "./prng.ts";
import {
  ATTACHMENTS,
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  FIN_SOURCES,
  HELP_ARTICLES,
  INDUSTRIES,
  LOCATIONS,
  NON_LATIN_COMPANIES,
  PLANS,
  REGIONS,
  SLA_NAMES,
  TOPICS,
} from "./support_content.ts";
import type {
  SimAiAgent,
  SimAttachment,
  SimCompany,
  SimDataAttribute,
  SimTicketState,
} from "./support_records.ts";
import { addTicket, buildTicket, buildTicketTypes } from "./ticket_builder.ts";
import type { SimContact, SimConversation, Workspace } from "./workspace.ts";

const DAY = 86_400;
/** Tickets per conversation, and companies per contact. */
const TICKET_SHARE = 0.15;
const CONTACTS_PER_COMPANY = 8;
const TICKET_TYPE_WEIGHTS = { Customer: 60, "Back-office": 25, Tracker: 15 } as const;
const TICKET_TARGET = { resolved: 55, in_progress: 20, waiting_on_customer: 15, submitted: 10 };

/** The window the records are spread over, and how many. */
export interface SupportPlan {
  seed: number;
  windowStart: number;
  now: number;
  /** Tickets to generate. Default 15% of the conversations. */
  tickets?: number | undefined;
  /** Companies to generate. Default one per 8 contacts (at least 3). */
  companies?: number | undefined;
}

/** Adds companies, tickets, ticket types, conversation extras and data attributes to `ws`. */
export function addSupportRecords(ws: Workspace, plan: SupportPlan): void {
  const rng = new Prng(deriveSeed(plan.seed, "support"));
  addCompanies(ws, rng, plan);
  addContactExtras(ws, rng);
  ws.ticketTypes = buildTicketTypes(ws.app.created_at);
  addTickets(ws, rng, plan);
  for (const conversation of ws.conversations) addConversationExtras(ws, rng, conversation);
  ws.dataAttributes = dataAttributes();
}

/** A 24-hex-digit id like Intercom's, ordered by time. */
function hexId(at: number, n: number, salt: string): string {
  return at.toString(16).padStart(8, "0") + salt + n.toString(16).padStart(8, "0");
}

function companyName(rng: Prng, i: number): string {
  if (rng.chance(0.1)) return rng.pick(NON_LATIN_COMPANIES) + (i > 3 ? ` ${i}` : "");
  return `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_SUFFIXES)}${i >= 50 ? ` ${i}` : ""}`;
}

function addCompanies(ws: Workspace, rng: Prng, plan: SupportPlan): void {
  const count = plan.companies ??
    Math.max(3, Math.round(ws.contacts.length / CONTACTS_PER_COMPANY));
  for (let i = 0; i < count; i++) {
    const createdAt = rng.int(ws.app.created_at, plan.windowStart);
    const name = companyName(rng, i + 1);
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") ||
      `company-${i + 1}`;
    const company: SimCompany = {
      id: hexId(createdAt, i + 1, "c0ffee00"),
      company_id: `co-${1000 + i}`,
      name,
      plan: rng.chance(0.9) ? { ...rng.pick(PLANS) } : null,
      size: rng.chance(0.8) ? rng.int(2, 5000) : null,
      website: rng.chance(0.7) ? `https://${slug}.example.com` : null,
      industry: rng.chance(0.8) ? rng.pick(INDUSTRIES) : null,
      monthly_spend: rng.int(0, 50_000),
      session_count: rng.int(0, 20_000),
      remote_created_at: createdAt,
      created_at: createdAt,
      updated_at: rng.int(createdAt, plan.now),
      last_request_at: rng.chance(0.9) ? rng.int(plan.windowStart, plan.now) : null,
      custom_attributes: {
        region: rng.pick(REGIONS),
        account_manager: rng.pick(ws.admins).name,
        ...(rng.chance(0.5) ? { contract_renewal: `2027-0${rng.int(1, 9)}-01` } : {}),
      },
      tag_ids: rng.chance(0.3) ? [rng.pick(ws.tags).id] : [],
    };
    ws.companies.push(company);
    ws.companiesById.set(company.id, company);
  }
}

function addContactExtras(ws: Workspace, rng: Prng): void {
  for (const contact of ws.contacts) {
    const ids = new Set<string>();
    if (rng.chance(contact.role === "user" ? 0.75 : 0.1)) ids.add(rng.pick(ws.companies).id);
    if (ids.size > 0 && rng.chance(0.1)) ids.add(rng.pick(ws.companies).id);
    contact.company_ids = [...ids];
    contact.location = rng.chance(0.8)
      ? { ...rng.pick(LOCATIONS) }
      : { country: null, region: null, city: null };
    contact.owner_id = rng.chance(0.4) ? rng.pick(ws.admins).id : null;
  }
}

function usersWithEmail(ws: Workspace): SimContact[] {
  return ws.contacts.filter((c) => c.role === "user" && c.email !== null);
}

function addTickets(ws: Workspace, rng: Prng, plan: SupportPlan): void {
  const count = plan.tickets ?? Math.round(ws.conversations.length * TICKET_SHARE);
  const candidates = usersWithEmail(ws);
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(rng.int(plan.windowStart, plan.now - 60));
  times.sort((a, b) => a - b);
  const customerTickets: string[] = [];
  for (const createdAt of times) {
    const category = rng.weighted(TICKET_TYPE_WEIGHTS);
    const type = rng.pick(ws.ticketTypes.filter((t) => t.category === category && !t.archived));
    // A customer ticket is usually raised from a conversation of the same contact.
    const from = category === "Customer" && rng.chance(0.7)
      ? pickEarlierConversation(ws, rng, createdAt)
      : undefined;
    const fromContact = from && ws.contactsById.get(from.contact_ids[0] ?? "");
    const contact = category === "Tracker"
      ? null
      : fromContact?.role === "user" && fromContact.email !== null
      ? fromContact
      : candidates.length > 0
      ? rng.pick(candidates)
      : null;
    const partCount = Math.min(40, Math.round(Math.exp(Math.log(4) + 0.8 * rng.normal())));
    const span = Math.min(plan.now - createdAt, Math.round(rng.exponential(3 * DAY)));
    const partTimes = Array.from({ length: partCount }, () => createdAt + rng.int(0, span))
      .sort((a, b) => a - b);
    const ticket = buildTicket(ws, rng, {
      type,
      createdAt,
      partTimes,
      contact,
      target: partCount === 0 ? "submitted" : rng.weighted(TICKET_TARGET) as SimTicketState,
    });
    if (from && contact?.id === from.contact_ids[0]) {
      ticket.linked.push({ type: "conversation", id: from.id, category: null });
      (from.linked ??= []).push({ type: "ticket", id: ticket.id, category });
    }
    if (category === "Tracker" && customerTickets.length > 0) {
      for (let n = rng.int(1, 3); n > 0; n--) {
        const other = ws.ticketsById.get(rng.pick(customerTickets))!;
        if (ticket.linked.some((l) => l.id === other.id)) continue;
        ticket.linked.push({ type: "ticket", id: other.id, category: other.type.category });
        other.linked.push({ type: "ticket", id: ticket.id, category });
      }
    }
    addTicket(ws, ticket);
    if (category === "Customer") customerTickets.push(ticket.id);
  }
}

function pickEarlierConversation(
  ws: Workspace,
  rng: Prng,
  before: number,
): SimConversation | undefined {
  // Conversations are in created_at order: pick among those created before the ticket.
  let lo = 0;
  let hi = ws.conversations.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ws.conversations[mid]!.created_at <= before) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : ws.conversations[rng.int(0, lo - 1)];
}

/** An attachment drawn from the usual kinds, with a URL under the workspace's uploads. */
export function drawAttachment(ws: Workspace, rng: Prng): SimAttachment {
  const kind = rng.pick(ATTACHMENTS);
  const n = rng.int(100_000, 999_999);
  return {
    ...kind,
    url: `https://downloads.intercomcdn.com/i/o/${ws.app.id_code}/${n}/${
      encodeURIComponent(kind.name)
    }`,
    filesize: rng.int(2_000, 4_000_000),
  };
}

function addConversationExtras(ws: Workspace, rng: Prng, c: SimConversation): void {
  if (rng.chance(0.05)) c.source.attachments = [drawAttachment(ws, rng)];
  for (const part of c.parts) {
    if (part.part_type === "comment" && rng.chance(0.04)) {
      part.attachments = [drawAttachment(ws, rng)];
    }
  }
  if (rng.chance(0.3)) {
    const status = c.state === "closed"
      ? (rng.chance(0.8) ? "hit" : "missed")
      : (rng.chance(0.1) ? "cancelled" : rng.chance(0.7) ? "active" : "missed");
    c.sla = { name: rng.pick(SLA_NAMES), status };
  }
  if (rng.chance(0.6)) {
    const first = rng.pick(TOPICS);
    const second = rng.chance(0.3) ? rng.pick(TOPICS) : first;
    c.topics = first.id === second.id ? [{ ...first }] : [{ ...first }, { ...second }];
  }
  c.ai_agent = aiAgent(rng, c);
}

/**
 * Fin's part, read from the parts: it took part when a bot wrote a comment; "routed to team"
 * when a teammate commented after its first answer, resolved otherwise.
 */
function aiAgent(rng: Prng, c: SimConversation): SimAiAgent | null {
  const first = c.parts.findIndex((p) => p.part_type === "comment" && p.author.type === "bot");
  if (first < 0) return null;
  const human = c.parts.slice(first + 1).some((p) =>
    p.part_type === "comment" && p.author.type === "admin"
  );
  const rated = rng.chance(0.3);
  return {
    source_type: "workflow",
    source_title: rng.pick(FIN_SOURCES),
    last_answer_type: rng.chance(0.85) ? "ai_answer" : "custom_answer",
    resolution_state: human
      ? "routed_to_team"
      : c.state === "closed"
      ? (rng.chance(0.5) ? "confirmed_resolution" : "assumed_resolution")
      : "abandoned",
    rating: rated ? rng.int(1, 5) : null,
    rating_remark: rated && rng.chance(0.5) ? "Fin got me there 👍" : null,
    content_sources: [{ content_type: "article", ...rng.pick(HELP_ARTICLES) }],
  };
}

function definition(
  model: SimDataAttribute["model"],
  name: string,
  spec: Partial<SimDataAttribute> & Pick<SimDataAttribute, "label" | "data_type">,
): SimDataAttribute {
  const custom = spec.custom ?? false;
  return {
    id: null,
    model,
    name,
    full_name: custom ? `custom_attributes.${name}` : name,
    description: spec.label,
    options: null,
    custom,
    archived: false,
    ...spec,
  };
}

/** The attribute definitions `GET /data_attributes` lists, matching the generated values. */
function dataAttributes(): SimDataAttribute[] {
  let id = 15_000;
  const custom = (
    model: SimDataAttribute["model"],
    name: string,
    spec: Pick<SimDataAttribute, "label" | "data_type"> & Partial<SimDataAttribute>,
  ) => definition(model, name, { ...spec, custom: true, id: ++id });
  return [
    definition("contact", "name", { label: "Name", data_type: "string" }),
    definition("contact", "email", { label: "Email", data_type: "string" }),
    definition("contact", "last_seen_at", { label: "Last seen", data_type: "date" }),
    custom("contact", "plan", {
      label: "Plan",
      data_type: "string",
      options: ["free", "pro", "enterprise"],
    }),
    custom("contact", "monthly_spend", { label: "Monthly spend", data_type: "integer" }),
    custom("contact", "beta_tester", { label: "Beta tester", data_type: "boolean" }),
    custom("contact", "legacy_id", { label: "Legacy id", data_type: "string", archived: true }),
    definition("company", "name", { label: "Company name", data_type: "string" }),
    definition("company", "plan", { label: "Plan", data_type: "string" }),
    definition("company", "size", { label: "Company size", data_type: "integer" }),
    definition("company", "monthly_spend", { label: "Monthly spend", data_type: "float" }),
    custom("company", "region", { label: "Region", data_type: "string", options: [...REGIONS] }),
    custom("company", "account_manager", { label: "Account manager", data_type: "string" }),
    custom("company", "contract_renewal", { label: "Contract renewal", data_type: "string" }),
    custom("conversation", "Language", { label: "Language", data_type: "string" }),
    custom("conversation", "Order number", { label: "Order number", data_type: "string" }),
    custom("conversation", "Escalated", { label: "Escalated", data_type: "boolean" }),
  ];
}
