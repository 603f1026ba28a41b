/**
 * Ticket types and tickets: a ticket's attributes, its contacts and assignees, and parts that
 * move it through its states (submitted → in progress ⇄ waiting on customer → resolved). Used
 * by the generator and by mutations.
 */
import { htmlBody } from "./content.ts";
import type { Prng } from "./prng.ts";
import { TICKET_DESCRIPTIONS, TICKET_TITLES } from "./support_content.ts";
import type {
  SimTicket,
  SimTicketAttribute,
  SimTicketPart,
  SimTicketPartType,
  SimTicketState,
  SimTicketType,
} from "./support_records.ts";
import type { SimAuthor, SimContact, Workspace } from "./workspace.ts";

const SEVERITIES = ["Low", "Medium", "High", "Critical"];
const AREAS = ["Billing", "Login", "API", "Mobile", "Exports"];

function attribute(
  id: number,
  name: string,
  spec: Partial<SimTicketAttribute> & Pick<SimTicketAttribute, "data_type">,
  at: number,
): SimTicketAttribute {
  return {
    id: String(id),
    name,
    description: spec.description ?? name,
    options: null,
    order: id % 10,
    required_to_create: false,
    visible_to_contacts: true,
    default: false,
    created_at: at,
    ...spec,
  };
}

/** The workspace's ticket types: one of each category, and an archived one. */
export function buildTicketTypes(createdAt: number): SimTicketType[] {
  const defaults = (base: number) => [
    attribute(base, "_default_title_", {
      data_type: "string",
      description: "Title",
      required_to_create: true,
      default: true,
    }, createdAt),
    attribute(base + 1, "_default_description_", {
      data_type: "string",
      description: "Description",
      default: true,
    }, createdAt),
  ];
  const type = (
    id: string,
    spec: Omit<SimTicketType, "id" | "created_at" | "updated_at" | "attributes" | "archived">,
    extra: SimTicketAttribute[],
    archived = false,
  ): SimTicketType => ({
    id,
    ...spec,
    archived,
    created_at: createdAt,
    updated_at: createdAt,
    attributes: [...defaults(Number(id) * 10), ...extra],
  });
  return [
    type("101", {
      name: "Bug report",
      description: "Something is broken for a customer",
      icon: "🐞",
      category: "Customer",
    }, [
      attribute(1012, "Severity", { data_type: "list", options: SEVERITIES }, createdAt),
      attribute(1013, "Affected area", { data_type: "list", options: AREAS }, createdAt),
      attribute(1014, "Reproducible", { data_type: "boolean" }, createdAt),
    ]),
    type("102", {
      name: "Billing investigation",
      description: "Finance checks a charge or refund",
      icon: "💳",
      category: "Back-office",
    }, [
      attribute(1022, "Amount", { data_type: "decimal" }, createdAt),
      attribute(1023, "Order number", { data_type: "string" }, createdAt),
    ]),
    type("103", {
      name: "Engineering issue",
      description: "Tracks a problem many customers report",
      icon: "🛠️",
      category: "Tracker",
    }, [
      attribute(1032, "Severity", { data_type: "list", options: SEVERITIES }, createdAt),
      attribute(1033, "Customers affected", { data_type: "integer" }, createdAt),
    ]),
    type(
      "104",
      {
        name: "Legacy request",
        description: "No longer used",
        icon: "📦",
        category: "Customer",
      },
      [],
      true,
    ),
  ];
}

/** What {@link buildTicket} builds. */
export interface TicketPlan {
  type: SimTicketType;
  createdAt: number;
  /** Creation time of each part, ascending, all ≥ createdAt. */
  partTimes: number[];
  /** Who the ticket is for (none for trackers). */
  contact: SimContact | null;
  /** The last state; "resolved" closes it. */
  target: SimTicketState;
}

const NEXT_STATE: Record<SimTicketState, SimTicketState[]> = {
  submitted: ["in_progress"],
  in_progress: ["waiting_on_customer", "resolved"],
  waiting_on_customer: ["in_progress"],
  resolved: ["in_progress"],
};
const PART_KIND = { comment: 45, note: 20, state: 20, assignment: 10, attribute: 5 } as const;

function attributeValue(rng: Prng, attr: SimTicketAttribute): string | number | boolean | null {
  if (rng.chance(0.15)) return null;
  switch (attr.data_type) {
    case "list":
      return rng.pick(attr.options ?? [""]);
    case "boolean":
      return rng.chance(0.5);
    case "integer":
      return rng.int(1, 400);
    case "decimal":
      return rng.int(100, 99_999) / 100;
    case "datetime":
      return null;
    default:
      return `A-${rng.int(1000, 99999)}`;
  }
}

/** A new ticket following `plan` (not yet added to the workspace). */
export function buildTicket(ws: Workspace, rng: Prng, plan: TicketPlan): SimTicket {
  ws.counters.ticket += rng.int(1, 4);
  ws.counters.ticketNumber += 1;
  const attributes: SimTicket["attributes"] = {
    _default_title_: rng.pick(TICKET_TITLES),
    _default_description_: rng.chance(0.9) ? rng.pick(TICKET_DESCRIPTIONS) : null,
  };
  for (const attr of plan.type.attributes) {
    if (!attr.default) attributes[attr.name] = attributeValue(rng, attr);
  }
  const ticket: SimTicket = {
    id: String(ws.counters.ticket),
    ticket_id: String(ws.counters.ticketNumber),
    type: plan.type,
    attributes,
    state: "submitted",
    contact_ids: plan.contact ? [plan.contact.id] : [],
    admin_assignee_id: null,
    team_assignee_id: null,
    created_at: plan.createdAt,
    updated_at: plan.createdAt,
    snoozed_until: null,
    is_shared: plan.type.category === "Customer",
    linked: [],
    parts: [],
  };
  appendTicketParts(ws, rng, ticket, { times: plan.partTimes, target: plan.target });
  return ticket;
}

/** Appends parts at `times`, the last one bringing the ticket to `target`. */
export function appendTicketParts(
  ws: Workspace,
  rng: Prng,
  ticket: SimTicket,
  plan: { times: number[]; target: SimTicketState },
): void {
  const contact = ticket.contact_ids.length > 0
    ? ws.contactsById.get(ticket.contact_ids[0]!)?.author ?? null
    : null;
  plan.times.forEach((at, i) => {
    const last = i === plan.times.length - 1;
    let kind: keyof typeof PART_KIND | "to_target" = rng.weighted(PART_KIND);
    if (last && ticket.state !== plan.target) kind = "to_target";
    const part = makeTicketPart(ws, rng, ticket, { kind, at, contact, target: plan.target });
    ticket.parts.push(part);
    ticket.updated_at = Math.max(ticket.updated_at, at);
  });
}

interface TicketPartSpec {
  kind: keyof typeof PART_KIND | "to_target";
  at: number;
  contact: SimAuthor | null;
  target: SimTicketState;
}

function makeTicketPart(
  ws: Workspace,
  rng: Prng,
  ticket: SimTicket,
  spec: TicketPartSpec,
): SimTicketPart {
  const admin = rng.pick(ws.admins);
  const before = ticket.state;
  let type: SimTicketPartType = "comment";
  let author: SimAuthor = admin.author;
  let body: string | null = null;
  let assigned: SimTicketPart["assigned_to"] = null;
  if (spec.kind === "state" || spec.kind === "to_target") {
    type = "ticket_state_updated_by_admin";
    ticket.state = spec.kind === "to_target" ? spec.target : rng.pick(NEXT_STATE[before]);
  } else if (spec.kind === "assignment") {
    type = "assignment";
    if (rng.chance(0.6)) {
      assigned = { type: "admin", id: admin.id };
      ticket.admin_assignee_id = admin.id;
      ticket.team_assignee_id = admin.team_ids[0] ?? ticket.team_assignee_id;
    } else {
      const team = rng.pick(ws.teams);
      assigned = { type: "team", id: team.id };
      ticket.team_assignee_id = team.id;
    }
  } else if (spec.kind === "attribute") {
    type = "ticket_attribute_updated_by_admin";
  } else if (spec.kind === "note") {
    type = "note";
    body = htmlBody(rng, "note");
  } else {
    const fromContact = spec.contact !== null && rng.chance(0.45);
    author = fromContact ? spec.contact! : admin.author;
    body = htmlBody(rng, fromContact ? "customer" : "admin");
  }
  ws.counters.ticketPart += 1;
  return {
    id: String(ws.counters.ticketPart),
    part_type: type,
    body,
    created_at: spec.at,
    author,
    assigned_to: assigned,
    ticket_state: ticket.state,
    previous_ticket_state: type === "ticket_state_updated_by_admin" ? before : null,
    attachments: [],
  };
}

/** Adds a ticket to the workspace and its index. */
export function addTicket(ws: Workspace, ticket: SimTicket): void {
  ws.tickets.push(ticket);
  ws.ticketsById.set(ticket.id, ticket);
}
